import { type EmulatedClock } from '../../core/emulated-clock';
import { type S3ObjectStore } from '../../core/object-store/s3-object-store';
import { evaluatePolicies, trustsService } from '../../core/policy-evaluator';
import { positionAt } from '../../core/task-timeline';
import { type AwsCatalog, type CatalogImage, type CatalogSnapshot } from '../aws-catalog';
import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID } from '../aws-identity';
import { type IamDirectory } from '../iam/iam-state';
import { type ExportDurationQuery } from '../../types';
import { upgradeEc2State, type ClientTokenRecord, type Ec2State, type Ec2Tag } from './ec2-state';

/** Service principal of VM Import/Export. */
export const VMIE_PRINCIPAL = 'vmie.amazonaws.com';

/** Default service role name. */
export const DEFAULT_ROLE = 'vmimport';

/** What EC2's handlers share: catalog and persisted resources, IAM, the object store, the clock. */
export class Ec2World {
  /** Persisted EC2 state. */
  public readonly state: Ec2State;
  /** Object store (the S3 service of the same cloud). */
  public readonly objects: S3ObjectStore;
  /** Emulated clock. */
  public readonly clock: EmulatedClock;
  /** Regions served. */
  public readonly regions: readonly string[];
  /** Concurrent conversion tasks allowed per region. */
  public readonly concurrentTaskQuota: number;
  /** Length of a new export task (the emulator's `exportDurationMs` option, else `defaultMs`). */
  public readonly exportDurationMs: (task: ExportDurationQuery) => number;
  private readonly catalog: AwsCatalog;
  private readonly iam: IamDirectory;
  private readonly dirty: () => void;

  public constructor(deps: {
    catalog: AwsCatalog;
    state: Ec2State;
    iam: IamDirectory;
    objects: S3ObjectStore;
    clock: EmulatedClock;
    markDirty: () => void;
    concurrentTaskQuota: number;
    exportDurationMs?: (task: ExportDurationQuery) => number;
  }) {
    this.catalog = deps.catalog;
    this.state = upgradeEc2State(deps.state);
    this.iam = deps.iam;
    this.objects = deps.objects;
    this.clock = deps.clock;
    this.dirty = deps.markDirty;
    this.regions = deps.catalog.regions.all;
    this.concurrentTaskQuota = deps.concurrentTaskQuota;
    this.exportDurationMs = deps.exportDurationMs ?? ((task) => task.defaultMs);
  }

  /** Schedules a state save. */
  public markDirty(): void {
    this.dirty();
  }

  /** Every registered AMI of a region (catalog and imported), by id order of creation. */
  public images(region: string): CatalogImage[] {
    return [...this.catalog.images, ...Object.values(this.state.images)].filter(
      (image) => image.region === region && !this.state.deregisteredImages.includes(image.id),
    );
  }

  /** One AMI of a region. */
  public image(region: string, id: string): CatalogImage | undefined {
    return this.images(region).find((image) => image.id === id);
  }

  /** Every snapshot of a region (catalog and imported) that was not deleted. */
  public snapshots(region: string): CatalogSnapshot[] {
    return [...this.catalog.snapshots, ...Object.values(this.state.snapshots)].filter(
      (snapshot) => snapshot.region === region && !this.state.deletedSnapshots.includes(snapshot.id),
    );
  }

  /** Deregisters an AMI (it must exist): an imported one is forgotten, a catalog one marked deregistered. */
  public deregisterImage(id: string): void {
    if (this.state.images[id]) delete this.state.images[id];
    else this.state.deregisteredImages.push(id);
    delete this.state.resourceTags[id];
    this.markDirty();
  }

  /** Deletes a snapshot (it must exist). */
  public deleteSnapshot(id: string): void {
    if (this.state.snapshots[id]) delete this.state.snapshots[id];
    else this.state.deletedSnapshots.push(id);
    delete this.state.resourceTags[id];
    this.markDirty();
  }

  /** The registered AMIs of a region whose block devices use a snapshot. */
  public imagesUsingSnapshot(region: string, snapshotId: string): CatalogImage[] {
    return this.images(region).filter((image) => image.blockDevices.some((device) => device.snapshotId === snapshotId));
  }

  /** Tags of an AMI or snapshot. */
  public resourceTags(id: string): Ec2Tag[] {
    return this.state.resourceTags[id] ?? [];
  }

  /** One snapshot of a region. */
  public snapshot(region: string, id: string): CatalogSnapshot | undefined {
    return this.snapshots(region).find((snapshot) => snapshot.id === id);
  }

  /** Conversion tasks (exports and imports) still running in a region. */
  public activeTaskCount(region: string): number {
    const now = this.clock.now();
    const tasks = [...Object.values(this.state.exportTasks), ...Object.values(this.state.importTasks)];
    return tasks.filter((task) => task.region === region && positionAt(task.plan, now).outcome === 'running').length;
  }

  /** Throws `ResourceLimitExceeded` when the region already runs its quota of conversion tasks. */
  public checkQuota(region: string): void {
    if (this.activeTaskCount(region) >= this.concurrentTaskQuota) {
      throw new AwsError(
        'ResourceLimitExceeded',
        `You have reached the limit of ${this.concurrentTaskQuota} concurrent conversion tasks (image exports and imports) in ${region}. Wait for a task to complete or cancel one, then retry.`,
        400,
      );
    }
  }

  /** A client token already used for `action` in `region`. */
  public token(region: string, action: string, token: string): ClientTokenRecord | undefined {
    return this.state.clientTokens[`${region}/${action}/${token}`];
  }

  /** Remembers a client token. */
  public rememberToken(region: string, action: string, token: string, record: ClientTokenRecord): void {
    this.state.clientTokens[`${region}/${action}/${token}`] = record;
  }

  /**
   * The VM Import/Export role rule: the role exists, trusts `vmie.amazonaws.com` for `sts:AssumeRole` (conditions
   * evaluated with `sts:ExternalId` = `vmimport`, keys case-insensitive), and its policies allow `permission`.
   * Any miss is the same `InvalidParameter` error AWS gives.
   */
  public checkServiceRole(roleName: string, region: string, taskId: string, permission?: { action: string; resource: string }): void {
    const refused = new AwsError(
      'InvalidParameter',
      `The service role <${roleName}> does not exist or does not have sufficient permissions for the service to continue`,
      400,
    );
    const role = this.iam.role(roleName);
    if (!role) throw refused;
    let trust: unknown;
    try {
      trust = JSON.parse(role.assumeRolePolicyDocument);
    } catch {
      throw refused;
    }
    const context = {
      'sts:ExternalId': 'vmimport',
      'aws:SourceAccount': AWS_ACCOUNT_ID,
      'aws:SourceArn': `arn:aws:vmie:${region}:${AWS_ACCOUNT_ID}:${taskId}`,
    };
    if (!trustsService(trust, VMIE_PRINCIPAL, 'sts:AssumeRole', context)) throw refused;
    if (permission && evaluatePolicies(this.iam.permissionDocuments(role), permission) !== 'allow') throw refused;
  }
}
