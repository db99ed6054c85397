import { type CancelOutcome, type CloudDriver, type DeleteImageOutcome, type UpdateTagsOutcome } from '../cloud-driver';
import { type CloudRules } from '../cloud-rules';
import { CloudError } from '../../model/cloud-error';
import { type CloudConnection, type StaticCredentials } from '../../model/connection';
import { normalizeDiskFormat } from '../../model/disk-format';
import { type ExportSpec, type JdcloudExportSpec } from '../../model/export-spec';
import { isBucketDisk, isUrlDisk, type ImportSpec, type JdcloudImportSpec } from '../../model/import-spec';
import { type PermissionCheck, type PreflightProblem, type PreflightReport } from '../../model/preflight';
import {
  type BucketOutcome,
  type BucketSpec,
  type RoleDocuments,
  type RoleOutcome,
  type ServiceRoleSpec,
} from '../../model/role-spec';
import { isTerminalState, type TaskRef, type TaskSnapshot } from '../../model/task';
import { deterministicToken } from '../../model/token';
import { SpecValidationError, type ValidationIssue } from '../../model/validation-issue';
import { type ObjectStorage } from '../../storage/object-storage';
import { JdcloudApiClient } from './api-client';
import { JD_SERVICE_ROLE_TYPE, JdcloudIamClient, type JdRoleInfo } from './iam-client';
import { exportOssUrl, parseOssObjectUrl } from './oss-url';
import { presignOssGetUrl } from './oss-presign';
import { checkBucket, checkImage, checkRole } from './preflight';
import { jdPolicyName, jdRoleDocuments, jdRoleName } from './role-documents';
import { jdcloudRules } from './rules';
import { resolveJdcloudCredentials, resolveJdcloudEndpoints, type JdcloudEndpoints } from './settings';
import { type JdcloudSignatureAlgorithm } from './signer';
import { defaultJdcloudStorageFactory, type JdcloudStorageFactory } from './storage';
import { exportSnapshot, importSnapshot } from './task-snapshot';
import { JdcloudVmClient, type ImageTaskInfo } from './vm-client';

/** Options of {@link createJdcloudDriver}. */
export interface JdcloudDriverOptions {
  /** Environment for endpoint and credential variables. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** fetch implementation for the OpenAPI calls. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Builds the S3-protocol object store of a region. @default - the shared `createS3ProtocolStorage` */
  readonly storageFactory?: JdcloudStorageFactory;
  /** Signature algorithm of the OpenAPI calls. @default 'JDCLOUD2-HMAC-SHA256' */
  readonly algorithm?: JdcloudSignatureAlgorithm;
  /** Attempts per OpenAPI call for throttling and transient errors. @default 3 */
  readonly maxAttempts?: number;
  /** Per-attempt timeout of an OpenAPI call. @default 30000 */
  readonly timeoutMs?: number;
  /** Sleep between attempts (tests pass a virtual one). @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Validity of the presigned link importImage gets for a disk given by bucket and key (JD reads private objects
   * only through such a link and suggests at least a day).
   * @default 86400
   */
  readonly importLinkExpiresSeconds?: number;
}

/** How JD permission checks are made (there is no dry run). */
const PERMISSION_METHOD = 'describe calls';

/** A describe call refused for the credentials (bad key, `HTTP_FORBIDDEN`) is a `denied` verdict; anything else is thrown. */
function deniedByDescribe(error: unknown): PermissionCheck {
  if (error instanceof CloudError && (error.kind === 'auth' || error.kind === 'denied')) {
    return { allowed: false, verdict: 'denied', method: PERMISSION_METHOD, detail: `${error.code}: ${error.message}` };
  }
  throw error;
}

function notFound(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'not-found';
}

function conflict(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'conflict';
}

function asJdcloudExport(spec: ExportSpec): JdcloudExportSpec {
  return spec as JdcloudExportSpec;
}

function sameDocument(a: string | undefined, b: Record<string, unknown>): boolean {
  if (a === undefined) return false;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function accountOf(role: JdRoleInfo): string | undefined {
  if (role.account) return role.account;
  return role.jrn ? /^jrn:iam::([^:]+):/.exec(role.jrn)?.[1] : undefined;
}

/** The representative object key an export writes: `<prefix>_exportImage_<imageId>` (JD guide; suffix unknown). */
function exportKeyProbe(prefix: string | undefined, imageId: string): string {
  return prefix ? `${prefix}_exportImage_${imageId}` : `exportImage_${imageId}`;
}

/**
 * The JD Cloud driver: vm exportImage / importImage / imageTasks / describeImage and IAM roles and policies over a
 * small signed client, JD OSS over the shared S3-protocol storage.
 */
export class JdcloudDriver implements CloudDriver {
  /** The cloud. */
  public readonly cloud = 'jdcloud' as const;
  /** The region this driver is bound to. */
  public readonly region: string;
  /** JD Cloud's rules. */
  public readonly rules: CloudRules = jdcloudRules;
  /** The vm client (exposed for front ends and tests that need a raw call). */
  public readonly vm: JdcloudVmClient;
  /** The IAM client. */
  public readonly iam: JdcloudIamClient;
  /** The resolved endpoints. */
  public readonly endpoints: JdcloudEndpoints;

  private readonly connection: CloudConnection;
  private readonly options: JdcloudDriverOptions;
  private readonly stores = new Map<string, ObjectStorage>();

  /**
   * @param connection region, endpoints, credentials
   * @param options transport and storage overrides
   */
  constructor(connection: CloudConnection, options: JdcloudDriverOptions = {}) {
    this.connection = connection;
    this.options = options;
    this.region = connection.region;
    this.endpoints = resolveJdcloudEndpoints(connection, options.env ?? process.env);
    const api = new JdcloudApiClient({
      credentials: () => this.credentials(),
      algorithm: options.algorithm,
      fetch: options.fetch,
      maxAttempts: options.maxAttempts,
      timeoutMs: options.timeoutMs,
      sleep: options.sleep,
    });
    this.vm = new JdcloudVmClient(api, this.endpoints.vm);
    this.iam = new JdcloudIamClient(api, this.endpoints.iam);
  }

  private credentials(): StaticCredentials {
    return resolveJdcloudCredentials(this.connection, this.options.env ?? process.env);
  }

  /** Pure: every problem with an export spec. */
  public validateExport(spec: ExportSpec): ValidationIssue[] {
    return jdcloudRules.validateExport(spec);
  }

  /** Pure: every problem with an import spec. */
  public validateImport(spec: ImportSpec): ValidationIssue[] {
    return jdcloudRules.validateImport(spec);
  }

  /** The object store (JD OSS over S3) of any region, cached per region. */
  public storageIn(region: string): ObjectStorage {
    let store = this.stores.get(region);
    if (!store) {
      const factory = this.options.storageFactory ?? defaultJdcloudStorageFactory;
      const endpoint = region === this.region || this.endpoints.ossOverridden ? this.endpoints.oss : resolveJdcloudEndpoints({ region }, {}).oss;
      store = factory({ region, endpoint, credentials: this.credentials(), forcePathStyle: this.endpoints.ossOverridden });
      this.stores.set(region, store);
    }
    return store;
  }

  /** The object store of this driver's region (JD OSS over S3). */
  public storage(): ObjectStorage {
    return this.storageIn(this.region);
  }

  /**
   * Read-only checks before an export: the image is ready, private, a cloud-disk system-disk image and not a
   * non-imported Windows image; the bucket exists in the image's region; the role exists, is trusted by the
   * cloud-disk service and has a policy allowing `oss:PutObject` on the bucket.
   */
  public async preflightExport(spec: ExportSpec): Promise<PreflightReport> {
    const problems: PreflightProblem[] = [];
    problems.push(...(await checkImage(() => this.vm.describeImage(spec.region, spec.imageId), spec.imageId, spec.region)));
    problems.push(...(await checkBucket(this.storageIn(spec.region), spec.bucket, spec.region)));
    if (spec.roleName) {
      problems.push(
        ...(await checkRole(this.iam, {
          roleName: spec.roleName,
          bucket: spec.bucket,
          key: exportKeyProbe(spec.prefix, spec.imageId),
          region: spec.region,
          accountId: this.connection.accountId,
        })),
      );
    }
    return { problems };
  }

  /** Read-only checks before an import: the source object exists in a bucket of the import's region. */
  public async preflightImport(spec: ImportSpec): Promise<PreflightReport> {
    const problems: PreflightProblem[] = [];
    const disk = spec.disks[0];
    const location = disk && isBucketDisk(disk) ? { bucket: disk.bucket, key: disk.key } : disk && isUrlDisk(disk) ? parseOssObjectUrl(disk.url, this.endpoints) : undefined;
    if (!location) return { problems };
    const store = this.storageIn(spec.region);
    const bucketProblems = await checkBucket(store, location.bucket, spec.region);
    problems.push(...bucketProblems.map((p) => ({ ...p, subject: 'source' as const })));
    if (bucketProblems.length === 0 && (await store.head(location.bucket, location.key)) === undefined) {
      problems.push({
        subject: 'source',
        code: 'source.missing',
        message: `object ${location.key} does not exist in bucket ${location.bucket}`,
      });
    }
    return { problems };
  }

  /**
   * JD has no dry run, so whether exportImage itself would be allowed cannot be asked without starting it. What can
   * be checked is: the credentials may list image tasks (imageTasks, which a start also needs) and the service role
   * exists, is trusted and may write the export. A refusal of those (403 `HTTP_FORBIDDEN`, a bad key) or a role
   * problem is `denied`; when they pass the verdict is `unknown` (`allowed: false`), never a guessed `allowed`.
   */
  public async checkExportPermissions(spec: ExportSpec): Promise<PermissionCheck> {
    try {
      await this.vm.imageTasks({ regionId: spec.region, taskAction: 'ExportImage', pageSize: 10 });
      const problems = spec.roleName
        ? await checkRole(this.iam, {
            roleName: spec.roleName,
            bucket: spec.bucket,
            key: exportKeyProbe(spec.prefix, spec.imageId),
            region: spec.region,
            accountId: this.connection.accountId,
          })
        : [{ subject: 'role' as const, code: 'role.required', message: 'JD exportImage needs roleName' }];
      if (problems.length > 0) return { allowed: false, verdict: 'denied', method: PERMISSION_METHOD, detail: problems.map((p) => p.message).join('; ') };
      return {
        allowed: false,
        verdict: 'unknown',
        method: PERMISSION_METHOD,
        detail: 'credentials accepted (imageTasks); role present, trusted and permitted; JD Cloud has no dry run, so exportImage itself was not checked',
      };
    } catch (error) {
      return deniedByDescribe(error);
    }
  }

  /** JD has no dry run and importImage takes no role: checks that the credentials may list image tasks (`unknown` at best). */
  public async checkImportPermissions(spec: ImportSpec): Promise<PermissionCheck> {
    try {
      await this.vm.imageTasks({ regionId: spec.region, taskAction: 'ImportImage', pageSize: 10 });
      return {
        allowed: false,
        verdict: 'unknown',
        method: PERMISSION_METHOD,
        detail: 'credentials accepted (imageTasks); JD Cloud has no dry run, so importImage itself was not checked',
      };
    } catch (error) {
      return deniedByDescribe(error);
    }
  }

  /**
   * Starts an export with `clientToken` = `token`: JD answers a replay of the same token with the same task, so a
   * retry after a crash never starts a second export. Throws `SpecValidationError` for an invalid spec.
   */
  public async startExport(spec: ExportSpec, token: string): Promise<TaskRef> {
    const issues = this.validateExport(spec);
    if (issues.length > 0) throw new SpecValidationError(`JD Cloud export of ${String(spec.imageId)}`, issues);
    const jd = asJdcloudExport(spec);
    const clientToken = token || spec.clientToken || deterministicToken(['jdcloud', spec.region, spec.imageId, spec.bucket, spec.prefix, spec.roleName, jd.allDisks]);
    const prefix = spec.prefix ? spec.prefix : undefined;
    const { taskId } = await this.vm.exportImage({
      regionId: spec.region,
      imageId: spec.imageId,
      roleName: spec.roleName as string,
      ossUrl: exportOssUrl(spec.bucket, spec.region, this.endpoints),
      ossPrefix: prefix,
      clientToken,
      isAllDisk: jd.allDisks ? true : undefined,
    });
    return {
      cloud: 'jdcloud',
      region: spec.region,
      kind: 'export',
      taskId,
      imageId: spec.imageId,
      bucket: spec.bucket,
      ...(prefix ? { prefix } : {}),
      format: 'qcow2',
      clientToken,
    };
  }

  /**
   * A presigned, path-style GET link to an object on the region's OSS endpoint: what importImage needs for an
   * object in a private bucket (JD OSS accepts SigV4 query signing).
   */
  public presignedObjectUrl(region: string, bucket: string, key: string): string {
    const endpoint = region === this.region || this.endpoints.ossOverridden ? this.endpoints.oss : resolveJdcloudEndpoints({ region }, {}).oss;
    return presignOssGetUrl({ endpoint, bucket, key, region, credentials: this.credentials(), expiresSeconds: this.options.importLinkExpiresSeconds });
  }

  /** Starts an import (importImage) with `clientToken` = `token`. Throws `SpecValidationError` for an invalid spec. */
  public async startImport(spec: ImportSpec, token: string): Promise<TaskRef> {
    const issues = this.validateImport(spec);
    if (issues.length > 0) throw new SpecValidationError(`JD Cloud import of ${String(spec.imageName)}`, issues);
    const jd = spec as JdcloudImportSpec;
    const disk = spec.disks[0];
    const imageUrl = isUrlDisk(disk) ? disk.url : isBucketDisk(disk) ? this.presignedObjectUrl(spec.region, disk.bucket, disk.key) : '';
    const osType = (spec.osType ?? 'linux').toLowerCase();
    const clientToken = token || spec.clientToken || deterministicToken(['jdcloud', spec.region, isBucketDisk(disk) ? `oss://${disk.bucket}/${disk.key}` : imageUrl, spec.imageName]);
    const { imageId, taskId } = await this.vm.importImage({
      regionId: spec.region,
      architecture: spec.architecture ?? 'x86_64',
      osType,
      platform: spec.platform ?? (osType === 'windows' ? 'Other Windows' : 'Other Linux'),
      diskFormat: normalizeDiskFormat(disk.format) ?? String(disk.format),
      systemDiskSizeGB: jd.systemDiskSizeGiB ?? disk.sizeGiB ?? 40,
      imageUrl,
      imageName: spec.imageName as string,
      osVersion: jd.osVersion,
      description: spec.description,
      forceImport: jd.forceImport ? true : undefined,
      clientToken,
      bootMode: spec.bootMode?.toLowerCase(),
    });
    return { cloud: 'jdcloud', region: spec.region, kind: 'import', taskId, imageId, clientToken };
  }

  private async findTask(task: TaskRef): Promise<ImageTaskInfo> {
    const { taskSet } = await this.vm.imageTasks({
      regionId: task.region,
      taskAction: task.kind === 'export' ? 'ExportImage' : 'ImportImage',
      taskIds: [task.taskId],
    });
    const info = taskSet.find((t) => t.taskId === task.taskId);
    if (!info) {
      throw new CloudError({
        cloud: 'jdcloud',
        operation: 'imageTasks',
        code: 'TaskNotFound',
        message: `no ${task.kind} task ${task.taskId} in ${task.region}`,
        kind: 'not-found',
      });
    }
    return info;
  }

  /**
   * One snapshot. Exports: the task's status and progress; once `finished`, the artifacts named by `ossObjects` /
   * `ossObject`, each HEAD'd for its size. Imports: `succeeded` only when the task is finished and the image ready.
   */
  public async describe(task: TaskRef): Promise<TaskSnapshot> {
    const info = await this.findTask(task);
    if (task.kind === 'import') {
      const imageId = info.imageId ?? task.imageId;
      const image = info.taskStatus === 'finished' && imageId ? await this.vm.describeImage(task.region, imageId) : undefined;
      return importSnapshot(task, info, image);
    }
    const draft = exportSnapshot(task, info);
    if (draft.state !== 'succeeded' || draft.artifacts.length === 0) return draft;
    const store = this.storageIn(task.region);
    const sizes = new Map<string, number>();
    for (const artifact of draft.artifacts) {
      const head = await store.head(artifact.bucket, artifact.key);
      if (head) sizes.set(artifact.key, head.sizeBytes);
    }
    return exportSnapshot(task, info, sizes);
  }

  /**
   * JD Cloud has no API to cancel an image task: a running task runs to its end (`not-cancellable`); an ended one
   * is `already-ended`. To delete a running export, wait for it and remove what it wrote: see `drainAndRemove`.
   */
  public async cancel(task: TaskRef): Promise<CancelOutcome> {
    const snapshot = await this.describe(task);
    return isTerminalState(snapshot.state) ? 'already-ended' : 'not-cancellable';
  }

  /**
   * Deletes a private image and its snapshots (`deleteImage` with `deleteSnapshot=true`). A missing image is
   * `not-found`; an image that is not private (public, shared with this account, third-party, community) is refused
   * with `ImageNotOwned` before any delete call. JD's own refusals (a task still running on the image, an image
   * shared with others) come back as its `CloudError`.
   */
  public async deleteImage(imageId: string): Promise<DeleteImageOutcome> {
    if (typeof imageId !== 'string' || !/^img-[a-z0-9]+$/.test(imageId)) {
      throw new SpecValidationError(`JD Cloud deletion of image ${String(imageId)}`, [
        { field: 'imageId', value: imageId, rule: 'must be a JD Cloud private image id: "img-" followed by lower-case letters and digits', code: 'imageId.invalid' },
      ]);
    }
    let image;
    try {
      image = await this.vm.describeImage(this.region, imageId);
    } catch (error) {
      if (notFound(error)) return 'not-found';
      throw error;
    }
    if (image.imageSource !== undefined && image.imageSource !== 'private') {
      throw new CloudError({
        cloud: 'jdcloud',
        operation: 'deleteImage',
        code: 'ImageNotOwned',
        message: `${imageId} is a ${image.imageSource} image, not a private image of this account: imageport deletes only private images (those its imports created); nothing was deleted`,
        kind: 'invalid',
      });
    }
    try {
      await this.vm.deleteImage(this.region, imageId, true);
    } catch (error) {
      // Described a moment ago: gone now means deleted (by a retried DELETE whose first answer was lost, or by someone else).
      if (!notFound(error)) throw error;
    }
    return 'deleted';
  }

  /** describeImage: `false` when JD answers not found. */
  public async imageExists(imageId: string): Promise<boolean> {
    try {
      await this.vm.describeImage(this.region, imageId);
      return true;
    } catch (error) {
      if (notFound(error)) return false;
      throw error;
    }
  }

  /** JD Cloud image tasks and images take no tags: nothing to update (`not-supported`). */
  public async updateTags(task: TaskRef, tags: Readonly<Record<string, string>>): Promise<UpdateTagsOutcome> {
    const issues: ValidationIssue[] = [];
    if (task.cloud !== 'jdcloud') issues.push({ field: 'cloud', value: task.cloud, rule: 'must be "jdcloud" for the JD Cloud driver', code: 'cloud.mismatch' });
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) issues.push({ field: 'tags', value: tags, rule: 'must be a map of tag keys to values', code: 'type' });
    if (issues.length > 0) throw new SpecValidationError(`JD Cloud tag update of task ${String(task.taskId)}`, issues);
    return 'not-supported';
  }

  /** Pure: the trust document and the export policy of the role, scoped to `exportBuckets`. */
  public roleDocuments(spec: ServiceRoleSpec): RoleDocuments {
    return jdRoleDocuments(spec, this.connection.accountId);
  }

  /**
   * Creates the service role (type 3, trusted by the cloud-disk service) or brings its trust document in line,
   * creates or updates the export policy, and attaches it. Idempotent: `ALREADY_EXISTS` / 409 means "exists".
   */
  public async ensureRole(spec: ServiceRoleSpec): Promise<RoleOutcome> {
    const roleName = jdRoleName(spec);
    const trust = this.roleDocuments(spec).trustPolicy;
    let created = false;
    let updated = false;
    let role: JdRoleInfo | undefined;
    try {
      role = await this.iam.describeRole(roleName);
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    if (!role) {
      try {
        role = await this.iam.createRole({
          roleName,
          type: JD_SERVICE_ROLE_TYPE,
          assumeRolePolicyDocument: JSON.stringify(trust),
          description: 'imageport: lets the JD cloud-disk service write image exports into the export buckets',
        });
        created = true;
      } catch (error) {
        if (!conflict(error)) throw error;
        role = await this.iam.describeRole(roleName);
      }
    }
    if (!created && !sameDocument(role.assumeRolePolicyDocument, trust)) {
      await this.iam.updateAssumeRolePolicy(roleName, JSON.stringify(trust));
      updated = true;
    }

    const documents = jdRoleDocuments(spec, this.connection.accountId ?? accountOf(role));
    const policyName = jdPolicyName(spec);
    const document = documents.policies[0].document;
    let existing: string | undefined | null = null;
    try {
      existing = (await this.iam.describePolicy(policyName)).content;
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    if (existing === null) {
      try {
        await this.iam.createPolicy(policyName, JSON.stringify(document), `imageport: export policy of role ${roleName}`);
        updated = updated || !created;
      } catch (error) {
        if (!conflict(error)) throw error;
        existing = (await this.iam.describePolicy(policyName)).content;
      }
    }
    if (existing !== null && !sameDocument(existing, document)) {
      await this.iam.updatePolicy(policyName, JSON.stringify(document));
      updated = true;
    }
    const attached = await this.iam.describeRolePolicies(roleName);
    if (!attached.some((p) => p.policyName === policyName)) {
      try {
        await this.iam.attachRolePolicy(roleName, policyName);
        updated = updated || !created;
      } catch (error) {
        if (!conflict(error)) throw error;
      }
    }
    return { roleName, ...(role.jrn ? { arn: role.jrn } : {}), created, updated };
  }

  /** Detaches and deletes the policy, then deletes the role. Anything already missing is skipped. */
  public async deleteRole(spec: ServiceRoleSpec): Promise<void> {
    const roleName = jdRoleName(spec);
    const policyName = jdPolicyName(spec);
    const ignoreMissing = async (call: () => Promise<void>) => {
      try {
        await call();
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    };
    await ignoreMissing(() => this.iam.detachRolePolicy(roleName, policyName));
    await ignoreMissing(() => this.iam.deletePolicy(policyName));
    await ignoreMissing(() => this.iam.deleteRole(roleName));
  }

  /**
   * Creates the bucket in its region, private (JD OSS buckets are private unless an ACL says otherwise; none is
   * sent). Idempotent. Lifecycle rules are not supported by this driver and are refused rather than ignored.
   */
  public async ensureBucket(spec: BucketSpec): Promise<BucketOutcome> {
    if (spec.lifecycle && Object.values(spec.lifecycle).some((v) => v !== undefined)) {
      throw new CloudError({
        cloud: 'jdcloud',
        operation: 'ensureBucket',
        code: 'LifecycleNotSupported',
        message: `bucket ${spec.name}: lifecycle rules are not supported by the JD Cloud driver; set them in the JD OSS console`,
        kind: 'invalid',
      });
    }
    const store = this.storageIn(spec.region);
    if (await store.bucketExists(spec.name)) return { name: spec.name, created: false };
    await store.createBucket(spec.name);
    return { name: spec.name, created: true };
  }

  /** Deletes the bucket (its objects first with `force`). A missing bucket is not an error. */
  public async deleteBucket(spec: BucketSpec, options: { force?: boolean } = {}): Promise<void> {
    const store = this.storageIn(spec.region);
    if (!(await store.bucketExists(spec.name))) return;
    if (options.force) {
      for (const object of await store.list(spec.name)) await store.delete(spec.name, object.key);
    }
    await store.deleteBucket(spec.name);
  }
}

/**
 * Creates the JD Cloud driver for one connection. Endpoints come from the connection or `JDCLOUD_ENDPOINT_VM` /
 * `_IAM` / `_OSS`; credentials from the connection or `JDCLOUD_ACCESS_KEY` / `JDCLOUD_SECRET_KEY`, read when a call
 * is made (creating the driver needs none).
 */
export function createJdcloudDriver(connection: CloudConnection, options?: JdcloudDriverOptions): JdcloudDriver {
  return new JdcloudDriver(connection, options);
}
