import { type CancelOutcome, type CloudDriver, type DeleteImageOutcome, type StartExportOptions, type UpdateTagsOutcome } from '../cloud-driver';
import { type CloudRules } from '../cloud-rules';
import { CloudError } from '../../model/cloud-error';
import { type CloudConnection, type StaticCredentials } from '../../model/connection';
import { type AlicloudExportSpec, type ExportSpec } from '../../model/export-spec';
import { type AlicloudImportSpec, type ImportSpec } from '../../model/import-spec';
import { type PermissionCheck, type PreflightReport } from '../../model/preflight';
import { type BucketOutcome, type BucketSpec, type RoleDocuments, type RoleOutcome, type ServiceRoleSpec } from '../../model/role-spec';
import { type TaskRef, type TaskSnapshot } from '../../model/task';
import { SpecValidationError, type ValidationIssue } from '../../model/validation-issue';
import { type ObjectStorage } from '../../storage/object-storage';
import { type AlicloudApi } from './api';
import { cancelAlicloudTask } from './cancel-operations';
import { alicloudCredentials, alicloudOssEndpoint, alicloudSdkEndpoint } from './connection-config';
import { describeAlicloudTask } from './describe-operations';
import { type DriverContext } from './driver-context';
import { startAlicloudExport } from './export-operations';
import { alicloudImageExists, deleteAlicloudImage, updateAlicloudTags } from './image-operations';
import { startAlicloudImport } from './import-operations';
import { defaultLifecycleWriter, lifecycleRuleOf, type LifecycleWriter } from './oss-lifecycle';
import { defaultAlicloudStorageFactory, needsPathStyle, type AlicloudStorageFactory, type AlicloudStorageOptions } from './oss-storage';
import { checkAlicloudExportPermissions, checkAlicloudImportPermissions } from './permission-operations';
import { preflightAlicloudExport, preflightAlicloudImport } from './preflight-operations';
import { alicloudRoleDocuments } from './role-documents';
import { deleteAlicloudRole, ensureAlicloudRole } from './role-operations';
import { alicloudRules } from './rules';
import { createSdkApi } from './sdk-api';

/** Options of {@link createAlicloudDriver}. */
export interface AlicloudDriverOptions {
  /** Environment for endpoint and credential variables. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The ECS/RAM calls. @default - the official SDKs (`createSdkApi`) */
  readonly api?: AlicloudApi;
  /** Builds the OSS store. @default - the shared S3-protocol storage */
  readonly storageFactory?: AlicloudStorageFactory;
  /** Writes bucket lifecycle rules. @default - PutBucketLifecycleConfiguration through `@aws-sdk/client-s3` */
  readonly lifecycleWriter?: LifecycleWriter;
  /** Attempts per SDK call for throttling and transient errors. @default 3 */
  readonly maxAttempts?: number;
  /** Read timeout of one SDK call, ms. @default 30000 */
  readonly readTimeoutMs?: number;
  /** Sleep between attempts and lookups (tests pass a fast one). @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Delay between lookups of a task ECS reports as existing (ImageIsExporting) but does not list yet, ms. @default 1000 */
  readonly lookupDelayMs?: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function notAlicloud(method: string, cloud: string): CloudError {
  return new CloudError({
    cloud: 'alicloud',
    operation: method,
    code: 'WrongCloud',
    message: `the Alibaba Cloud driver got a spec for cloud "${cloud}"`,
    kind: 'invalid',
  });
}

/**
 * The Alibaba Cloud driver: ECS ExportImage / ImportImage and the task APIs on `@alicloud/ecs20140526`, service roles
 * on `@alicloud/ram20150501`, OSS through its S3-compatible endpoint with the shared storage. SDKs load on first use.
 */
class AlicloudDriver implements CloudDriver {
  public readonly cloud = 'alicloud' as const;
  public readonly rules: CloudRules = alicloudRules;
  public readonly region: string;
  private readonly ctx: DriverContext;
  private readonly stores = new Map<string, ObjectStorage>();

  constructor(
    private readonly connection: CloudConnection,
    private readonly options: AlicloudDriverOptions,
  ) {
    this.region = connection.region;
    const env = options.env ?? process.env;
    const sleep = options.sleep ?? realSleep;
    const api =
      options.api ??
      createSdkApi({
        region: connection.region,
        credentials: () => this.credentials(),
        ecsEndpoint: alicloudSdkEndpoint(connection, 'ecs', env),
        ramEndpoint: alicloudSdkEndpoint(connection, 'ram', env),
        maxAttempts: options.maxAttempts,
        readTimeoutMs: options.readTimeoutMs,
        sleep,
      });
    this.ctx = {
      region: connection.region,
      api,
      storage: () => this.storeFor(connection.region),
      accountId: connection.accountId,
      cancelled: new Set<string>(),
      sleep,
      lookupDelayMs: options.lookupDelayMs ?? 1000,
    };
  }

  private credentials(): StaticCredentials {
    return alicloudCredentials(this.connection, this.options.env ?? process.env);
  }

  private storageOptions(region: string): AlicloudStorageOptions {
    const env = this.options.env ?? process.env;
    const endpoint = alicloudOssEndpoint({ ...this.connection, region }, env);
    return { region, endpoint, credentials: this.credentials(), forcePathStyle: needsPathStyle(endpoint) };
  }

  private storeFor(region: string): ObjectStorage {
    let store = this.stores.get(region);
    if (!store) {
      store = (this.options.storageFactory ?? defaultAlicloudStorageFactory)(this.storageOptions(region));
      this.stores.set(region, store);
    }
    return store;
  }

  private exportSpec(method: string, spec: ExportSpec): AlicloudExportSpec {
    if (spec.cloud !== 'alicloud') throw notAlicloud(method, spec.cloud);
    this.assertRegion(method, spec);
    return spec;
  }

  private importSpec(method: string, spec: ImportSpec): AlicloudImportSpec {
    if (spec.cloud !== 'alicloud') throw notAlicloud(method, spec.cloud);
    this.assertRegion(method, spec);
    return spec;
  }

  /** Images, buckets and tasks are regional: a spec for another region than the driver's is refused. */
  private assertRegion(method: string, spec: { region?: unknown }): void {
    if (spec.region === this.region) return;
    throw new SpecValidationError(`Alibaba Cloud ${method}`, [
      {
        field: 'region',
        value: spec.region,
        rule: `does not match the driver's region (${this.region}): images, buckets and tasks are regional`,
        code: 'region.mismatch',
      },
    ]);
  }

  public validateExport(spec: ExportSpec): ValidationIssue[] {
    return alicloudRules.validateExport(spec);
  }

  public validateImport(spec: ImportSpec): ValidationIssue[] {
    return alicloudRules.validateImport(spec);
  }

  public async preflightExport(spec: ExportSpec): Promise<PreflightReport> {
    return preflightAlicloudExport(this.ctx, this.exportSpec('preflightExport', spec));
  }

  public async preflightImport(spec: ImportSpec): Promise<PreflightReport> {
    return preflightAlicloudImport(this.ctx, this.importSpec('preflightImport', spec));
  }

  public async checkExportPermissions(spec: ExportSpec): Promise<PermissionCheck> {
    return checkAlicloudExportPermissions(this.ctx, this.exportSpec('checkExportPermissions', spec));
  }

  public async checkImportPermissions(spec: ImportSpec): Promise<PermissionCheck> {
    return checkAlicloudImportPermissions(this.ctx, this.importSpec('checkImportPermissions', spec));
  }

  public async startExport(spec: ExportSpec, token: string, options?: StartExportOptions): Promise<TaskRef> {
    return startAlicloudExport(this.ctx, this.exportSpec('startExport', spec), token, options);
  }

  public async startImport(spec: ImportSpec, token: string): Promise<TaskRef> {
    return startAlicloudImport(this.ctx, this.importSpec('startImport', spec), token);
  }

  public async describe(task: TaskRef): Promise<TaskSnapshot> {
    return describeAlicloudTask(this.ctx, task);
  }

  public async cancel(task: TaskRef): Promise<CancelOutcome> {
    return cancelAlicloudTask(this.ctx, task);
  }

  public async deleteImage(imageId: string): Promise<DeleteImageOutcome> {
    return deleteAlicloudImage(this.ctx, imageId);
  }

  public async imageExists(imageId: string): Promise<boolean> {
    return alicloudImageExists(this.ctx, imageId);
  }

  public async updateTags(task: TaskRef, tags: Readonly<Record<string, string>>): Promise<UpdateTagsOutcome> {
    return updateAlicloudTags(this.ctx, task, tags);
  }

  public roleDocuments(spec: ServiceRoleSpec): RoleDocuments {
    return alicloudRoleDocuments(spec);
  }

  public async ensureRole(spec: ServiceRoleSpec): Promise<RoleOutcome> {
    return ensureAlicloudRole(this.ctx.api, spec);
  }

  public async deleteRole(spec: ServiceRoleSpec): Promise<void> {
    return deleteAlicloudRole(this.ctx.api, spec);
  }

  /**
   * Creates the bucket in the spec's region (private: OSS buckets are private unless an ACL says otherwise, and none
   * is sent), or accepts an existing one in that region; then writes the lifecycle rule when one is asked for.
   */
  public async ensureBucket(spec: BucketSpec): Promise<BucketOutcome> {
    const rule = lifecycleRuleOf(spec);
    const region = spec.region || this.region;
    const store = this.storeFor(region);
    let created = false;
    if (await store.bucketExists(spec.name)) {
      const location = (await store.bucketRegion(spec.name))?.replace(/^oss-/, '');
      if (location && location !== region) {
        throw new CloudError({
          cloud: 'alicloud',
          operation: 'ensureBucket',
          code: 'BucketInOtherRegion',
          message: `bucket ${spec.name} exists in ${location}, not ${region}; ECS exports only to a bucket of the image's region (what to do: choose another bucket name)`,
          kind: 'conflict',
        });
      }
    } else {
      await store.createBucket(spec.name);
      created = true;
    }
    if (rule) await (this.options.lifecycleWriter ?? defaultLifecycleWriter)(this.storageOptions(region), spec.name, rule);
    return { name: spec.name, created };
  }

  /** Deletes the bucket; with `force`, every object first. A missing bucket is success. */
  public async deleteBucket(spec: BucketSpec, options: { force?: boolean } = {}): Promise<void> {
    const store = this.storeFor(spec.region || this.region);
    if (!(await store.bucketExists(spec.name))) return;
    if (options.force) {
      for (const object of await store.list(spec.name)) await store.delete(spec.name, object.key);
    }
    await store.deleteBucket(spec.name);
  }

  public storage(): ObjectStorage {
    return this.storeFor(this.region);
  }
}

/**
 * Creates the Alibaba Cloud driver for one region. Endpoints come from `connection.endpoints` (`ecs`, `ram`, `oss`)
 * or `ALIBABA_CLOUD_ENDPOINT_ECS` / `_RAM` / `_OSS`; credentials from `connection.credentials` or
 * `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, read on first use and never logged.
 */
export function createAlicloudDriver(connection: CloudConnection, options: AlicloudDriverOptions = {}): CloudDriver {
  return new AlicloudDriver(connection, options);
}
