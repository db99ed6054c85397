import { type ExportImageTask, type ImportImageTask } from '@aws-sdk/client-ec2';
import { CloudError } from '../../model/cloud-error';
import { type CloudConnection } from '../../model/connection';
import { normalizeDiskFormat, type DiskFormat } from '../../model/disk-format';
import { type AwsExportSpec, type ExportSpec } from '../../model/export-spec';
import { type AwsImportSpec, type ImportSpec } from '../../model/import-spec';
import { type PermissionCheck, type PreflightReport } from '../../model/preflight';
import { type BucketSpec, type RoleDocuments, type ServiceRoleSpec } from '../../model/role-spec';
import { type TaskRef, type TaskSnapshot } from '../../model/task';
import { SpecValidationError, type ValidationIssue } from '../../model/validation-issue';
import { type ObjectStorage } from '../../storage/object-storage';
import { type CancelOutcome, type CloudDriver, type DeleteImageOutcome, type UpdateTagsOutcome } from '../cloud-driver';
import { deleteAwsBucket, ensureAwsBucket } from './bucket-setup';
import { validateBucketSpec } from './bucket-documents';
import { createAwsClients, type AwsClientSettings } from './clients';
import { Ec2Api } from './ec2-api';
import { exportImageInput, importImageInput, tokenOfTags } from './ec2-requests';
import { isCloudErrorKind } from './errors';
import { IamApi } from './iam-api';
import { deleteAwsImage } from './image-removal';
import { IssueCollector } from './issue-collector';
import { AMI_ID_PATTERN, EC2_TAG_RULES_SOURCE, checkBucketName, checkClientToken, checkRoleName, checkTags } from './name-rules';
import { AWS_DEFAULT_CONCURRENT_TASKS, preflightAwsExport, preflightAwsImport, type AwsPreflightDeps } from './preflight';
import { awsRoleDocuments } from './role-documents';
import { deleteAwsRole, ensureAwsRole } from './role-setup';
import { AWS_DEFAULT_ROLE_NAME, awsRules } from './rules';
import { S3Api } from './s3-api';
import { defaultAwsStorageFactory, type AwsStorageFactory } from './storage';
import { applyTagChanges, isReservedTagKey, tagChanges } from './tag-update';
import { exportArtifactKey, exportSnapshot, importSnapshot } from './task-snapshot';

/** Options of {@link createAwsDriver}. */
export interface AwsDriverOptions extends AwsClientSettings {
  /** Concurrent conversion tasks (exports + imports) allowed per region, for preflight. @default 5 */
  readonly maxConcurrentTasks?: number;
  /** Builds the region's S3 object store. @default - the shared `createS3ProtocolStorage` */
  readonly storageFactory?: AwsStorageFactory;
}

/**
 * The AWS driver: EC2 VM Import/Export (ExportImage, ImportImage and their describe/cancel calls), the `vmimport`
 * service role in IAM, export buckets in S3. SDK clients are created on first use; endpoints come from the
 * connection or the `AWS_ENDPOINT_URL_*` variables; credentials from the connection or the SDK default chain.
 *
 * Every method validates its input before any call (bad input throws `SpecValidationError` and leaves nothing
 * behind) and turns SDK errors into `CloudError`s that keep AWS's code and message and never carry credentials.
 */
export function createAwsDriver(connection: CloudConnection, options: AwsDriverOptions = {}): CloudDriver {
  return new AwsDriver(connection, options);
}

class AwsDriver implements CloudDriver {
  public readonly cloud = 'aws' as const;
  public readonly region: string;
  public readonly rules = awsRules;
  private readonly ec2: Ec2Api;
  private readonly iam: IamApi;
  private readonly s3: S3Api;
  private readonly storageFactory: AwsStorageFactory;
  private readonly s3Endpoint: string | undefined;
  private objectStorage: ObjectStorage | undefined;
  private accountIdPromise: Promise<string | undefined> | undefined;

  constructor(
    private readonly connection: CloudConnection,
    private readonly options: AwsDriverOptions,
  ) {
    this.region = connection.region;
    const clients = createAwsClients(connection, options);
    this.ec2 = new Ec2Api(() => clients.ec2, connection.credentials);
    this.iam = new IamApi(() => clients.iam, () => clients.sts, connection.credentials);
    this.s3 = new S3Api(() => clients.s3, connection.credentials);
    this.s3Endpoint = clients.s3Endpoint;
    this.storageFactory = options.storageFactory ?? defaultAwsStorageFactory;
  }

  public validateExport(spec: ExportSpec): ValidationIssue[] {
    return awsRules.validateExport(spec);
  }

  public validateImport(spec: ImportSpec): ValidationIssue[] {
    return awsRules.validateImport(spec);
  }

  public async preflightExport(spec: ExportSpec): Promise<PreflightReport> {
    return preflightAwsExport(this.preflightDeps(), this.checkedExport(spec, 'preflight'));
  }

  public async preflightImport(spec: ImportSpec): Promise<PreflightReport> {
    return preflightAwsImport(this.preflightDeps(), this.checkedImport(spec, 'preflight'));
  }

  public async checkExportPermissions(spec: ExportSpec): Promise<PermissionCheck> {
    const checked = this.checkedExport(spec, 'permission check');
    const { ClientToken: _token, TagSpecifications: _tags, ...input } = exportImageInput(checked, 'dry-run');
    return this.dryRun('ExportImage', () => this.ec2.exportImage({ ...input, DryRun: true }));
  }

  public async checkImportPermissions(spec: ImportSpec): Promise<PermissionCheck> {
    const checked = this.checkedImport(spec, 'permission check');
    const { ClientToken: _token, TagSpecifications: _tags, ...input } = importImageInput(checked, 'dry-run');
    return this.dryRun('ImportImage', () => this.ec2.importImage({ ...input, DryRun: true }));
  }

  public async startExport(spec: ExportSpec, token: string): Promise<TaskRef> {
    const checked = this.checkedExport(spec, 'export', token);
    const format = normalizeDiskFormat(checked.format);
    const refOf = (taskId: string, adopted: boolean): TaskRef => ({
      cloud: 'aws',
      region: this.region,
      kind: 'export',
      taskId,
      imageId: checked.imageId,
      bucket: checked.bucket,
      ...(checked.prefix ? { prefix: checked.prefix } : {}),
      ...(format ? { format } : {}),
      clientToken: token,
      adopted,
    });
    const existing = (await this.lookUpByToken(() => this.ec2.listExportTasks())).find((t) => tokenOfTags(t.Tags) === token);
    if (existing?.ExportImageTaskId) {
      this.assertSameExport(existing, checked, token);
      return refOf(existing.ExportImageTaskId, true);
    }
    const out = await this.ec2.exportImage(exportImageInput(checked, token));
    if (!out.ExportImageTaskId) throw this.malformedReply('ExportImage', 'ExportImageTaskId');
    return refOf(out.ExportImageTaskId, false);
  }

  public async startImport(spec: ImportSpec, token: string): Promise<TaskRef> {
    const checked = this.checkedImport(spec, 'import', token);
    const refOf = (taskId: string, adopted: boolean, imageId?: string): TaskRef => ({
      cloud: 'aws',
      region: this.region,
      kind: 'import',
      taskId,
      ...(imageId ? { imageId } : {}),
      clientToken: token,
      adopted,
    });
    const existing = (await this.lookUpByToken(() => this.ec2.listImportTasks())).find((t) => tokenOfTags(t.Tags) === token);
    if (existing?.ImportTaskId) return refOf(existing.ImportTaskId, true, existing.ImageId);
    const out = await this.ec2.importImage(importImageInput(checked, token));
    if (!out.ImportTaskId) throw this.malformedReply('ImportImage', 'ImportTaskId');
    return refOf(out.ImportTaskId, false, out.ImageId);
  }

  public async describe(task: TaskRef): Promise<TaskSnapshot> {
    this.assertOwnTask(task, 'describe');
    if (task.kind === 'import') {
      const found = await this.ec2.describeImportTask(task.taskId);
      if (!found) throw this.taskNotFound(task, 'DescribeImportImageTasks');
      return importSnapshot(task, found);
    }
    const found = await this.ec2.describeExportTask(task.taskId);
    if (!found) throw this.taskNotFound(task, 'DescribeExportImageTasks');
    if (found.Status !== 'completed') return exportSnapshot(task, found);
    const bucket = task.bucket ?? found.S3ExportLocation?.S3Bucket;
    const prefix = task.prefix ?? found.S3ExportLocation?.S3Prefix;
    if (!bucket) {
      throw new CloudError({
        cloud: 'aws',
        operation: 'describe',
        code: 'IncompleteTaskRef',
        message: `export task ${task.taskId} completed, but neither the task reference nor EC2 names its bucket`,
        kind: 'invalid',
      });
    }
    // DescribeExportImageTasks does not return the format: a reference made from a bare task id tries each one.
    const formats: readonly DiskFormat[] = task.format ? [task.format] : ['vmdk', 'raw', 'vhd'];
    const refWithLocation: TaskRef = { ...task, bucket, ...(prefix ? { prefix } : {}) };
    for (const format of formats) {
      const key = exportArtifactKey(prefix, task.taskId, format);
      const head = await this.storage().head(bucket, key);
      if (head) {
        const artifact = { bucket, key, format, sizeBytes: head.sizeBytes, uri: `s3://${bucket}/${key}`, disk: 'system' };
        return exportSnapshot({ ...refWithLocation, format }, found, artifact);
      }
    }
    return exportSnapshot(refWithLocation, found, 'missing');
  }

  public async cancel(task: TaskRef): Promise<CancelOutcome> {
    this.assertOwnTask(task, 'cancel');
    const read = async (): Promise<ExportImageTask | ImportImageTask | undefined> =>
      task.kind === 'import' ? this.ec2.describeImportTask(task.taskId) : this.ec2.describeExportTask(task.taskId);
    const ended = (t: ExportImageTask | ImportImageTask) => t.Status !== 'active';
    const before = await read();
    if (!before) throw this.taskNotFound(task, task.kind === 'import' ? 'DescribeImportImageTasks' : 'DescribeExportImageTasks');
    if (ended(before)) return 'already-ended';
    try {
      if (task.kind === 'import') await this.ec2.cancelImportTask(task.taskId, 'cancelled by imageport');
      else await this.ec2.cancelExportTask(task.taskId);
    } catch (error) {
      if (error instanceof CloudError && !error.retryable) {
        const after = await read();
        if (!after || ended(after)) return 'already-ended';
      }
      throw error;
    }
    return 'cancelled';
  }

  public async deleteImage(imageId: string): Promise<DeleteImageOutcome> {
    if (typeof imageId !== 'string' || !AMI_ID_PATTERN.test(imageId)) {
      throw new SpecValidationError(`AWS deletion of image ${String(imageId)}`, [
        { field: 'imageId', value: imageId, rule: 'must be an AMI id: "ami-" and 8 or 17 lower-case hexadecimal digits', code: 'image-id.format' },
      ]);
    }
    return deleteAwsImage({ ec2: this.ec2, accountId: () => this.accountId() }, imageId);
  }

  /** DescribeImages for the AMI: `false` when EC2 does not know it or reports it `deregistered`. */
  public async imageExists(imageId: string): Promise<boolean> {
    const image = await this.ec2.describeImage(imageId);
    return image !== undefined && image.State !== 'deregistered';
  }

  /**
   * CreateTags / DeleteTags on the task (export-image-task and import-image-task are taggable), keeping the
   * `imageport:*` tags the driver finds its tasks by; for a completed import, on the new AMI first (there only the
   * keys the task carried are removed, so tags others put on the AMI stay).
   */
  public async updateTags(task: TaskRef, tags: Readonly<Record<string, string>>): Promise<UpdateTagsOutcome> {
    this.assertOwnTask(task, 'updateTags');
    const issues = new IssueCollector(EC2_TAG_RULES_SOURCE);
    checkTags(issues, 'tags', tags);
    if (tags === undefined || tags === null) issues.add({ field: 'tags', value: tags, rule: 'is required: the full set of tags the task should carry ({} removes all)', code: 'required' });
    if (issues.issues.length > 0) throw new SpecValidationError(`AWS tag update of task ${task.taskId}`, issues.issues);
    const found = task.kind === 'import' ? await this.ec2.describeImportTask(task.taskId) : await this.ec2.describeExportTask(task.taskId);
    if (!found) throw this.taskNotFound(task, task.kind === 'import' ? 'DescribeImportImageTasks' : 'DescribeExportImageTasks');
    const importTask = task.kind === 'import' ? (found as ImportImageTask) : undefined;
    const imageId = importTask?.Status === 'completed' ? importTask.ImageId : undefined;
    if (imageId) {
      const image = await this.ec2.describeImage(imageId);
      const taskKeys = new Set((found.Tags ?? []).map((tag) => tag.Key ?? '').filter((key) => !isReservedTagKey(key)));
      if (image) await applyTagChanges(this.ec2, imageId, tagChanges(image.Tags, tags, taskKeys));
    }
    await applyTagChanges(this.ec2, task.taskId, tagChanges(found.Tags, tags));
    return 'updated';
  }

  public roleDocuments(spec: ServiceRoleSpec): RoleDocuments {
    this.assertRoleSpec(spec);
    return awsRoleDocuments(spec, { accountId: this.connection.accountId, region: this.region });
  }

  public async ensureRole(spec: ServiceRoleSpec) {
    const documents = this.roleDocuments(spec);
    return ensureAwsRole(this.iam, documents, `VM Import/Export service role managed by imageport (${spec.purpose})`);
  }

  public async deleteRole(spec: ServiceRoleSpec): Promise<void> {
    this.assertRoleSpec(spec);
    await deleteAwsRole(this.iam, spec.roleName ?? AWS_DEFAULT_ROLE_NAME);
  }

  public async ensureBucket(spec: BucketSpec) {
    this.assertBucketSpec(spec);
    return ensureAwsBucket(this.storage(), this.s3, spec);
  }

  public async deleteBucket(spec: BucketSpec, options: { force?: boolean } = {}): Promise<void> {
    this.assertBucketSpec(spec);
    await deleteAwsBucket(this.storage(), spec.name, options.force === true);
  }

  public storage(): ObjectStorage {
    return (this.objectStorage ??= this.storageFactory({
      region: this.region,
      endpoint: this.s3Endpoint,
      credentials: this.connection.credentials,
      forcePathStyle: this.s3Endpoint !== undefined,
    }));
  }

  /**
   * Lists tasks to find one started with the same token (a retry after a crash or a lost response). Best effort:
   * when the listing fails with a throttling or transient error, the start goes ahead, since the ClientToken alone
   * makes EC2 return the task it already created.
   */
  private async lookUpByToken<T>(list: () => Promise<T[]>): Promise<T[]> {
    try {
      return await list();
    } catch (error) {
      if (error instanceof CloudError && error.retryable) return [];
      throw error;
    }
  }

  private preflightDeps(): AwsPreflightDeps {
    return {
      region: this.region,
      ec2: this.ec2,
      iam: this.iam,
      s3: this.s3,
      storage: () => this.storage(),
      accountId: () => this.accountId(),
      maxConcurrentTasks: this.options.maxConcurrentTasks ?? AWS_DEFAULT_CONCURRENT_TASKS,
    };
  }

  /** The account id: the connection's, else STS GetCallerIdentity (cached); `undefined` when STS is denied. */
  private accountId(): Promise<string | undefined> {
    if (this.connection.accountId) return Promise.resolve(this.connection.accountId);
    this.accountIdPromise ??= this.iam.callerAccountId().catch((error: unknown) => {
      this.accountIdPromise = undefined;
      if (isCloudErrorKind(error, 'denied')) return undefined;
      throw error;
    });
    return this.accountIdPromise;
  }

  private async dryRun(operation: string, call: () => Promise<unknown>): Promise<PermissionCheck> {
    const method = `DryRun (${operation})`;
    try {
      await call();
    } catch (error) {
      if (error instanceof CloudError && error.code === 'DryRunOperation') return { allowed: true, verdict: 'allowed', method, detail: 'DryRunOperation' };
      if (error instanceof CloudError && error.code === 'UnauthorizedOperation') {
        return { allowed: false, verdict: 'denied', method, detail: `UnauthorizedOperation: ${error.message.replace(/^.*?UnauthorizedOperation: /, '')}` };
      }
      throw error;
    }
    throw new CloudError({
      cloud: 'aws',
      operation,
      code: 'DryRunIgnored',
      message: `${operation} with DryRun=true answered with success instead of DryRunOperation or UnauthorizedOperation; check the endpoint`,
      kind: 'other',
    });
  }

  private checkedExport(spec: ExportSpec, purpose: string, token?: string): AwsExportSpec {
    const issues = [...awsRules.validateExport(spec), ...this.regionIssues(spec)];
    if (token !== undefined) issues.push(...tokenIssues(token), ...dryRunIssues(spec.dryRun, 'checkExportPermissions'));
    if (issues.length > 0) throw new SpecValidationError(`AWS ${purpose} of ${describeSubject(spec.imageId)}`, issues);
    return spec as AwsExportSpec;
  }

  private checkedImport(spec: ImportSpec, purpose: string, token?: string): AwsImportSpec {
    const issues = [...awsRules.validateImport(spec), ...this.regionIssues(spec)];
    if (token !== undefined) issues.push(...tokenIssues(token), ...dryRunIssues(spec.dryRun, 'checkImportPermissions'));
    if (issues.length > 0) throw new SpecValidationError(`AWS ${purpose}`, issues);
    return spec as AwsImportSpec;
  }

  private regionIssues(spec: { region?: unknown }): ValidationIssue[] {
    if (typeof spec.region !== 'string' || spec.region === this.region) return [];
    return [
      {
        field: 'region',
        value: spec.region,
        rule: `does not match the driver's region (${this.region}): images, buckets and tasks are regional`,
        code: 'region.mismatch',
      },
    ];
  }

  private assertSameExport(task: ExportImageTask, spec: AwsExportSpec, token: string): void {
    const location = task.S3ExportLocation;
    const differs =
      (task.ImageId !== undefined && task.ImageId !== spec.imageId) ||
      (location?.S3Bucket !== undefined && location.S3Bucket !== spec.bucket) ||
      (location !== undefined && (location.S3Prefix ?? '') !== (spec.prefix ?? ''));
    if (!differs) return;
    throw new CloudError({
      cloud: 'aws',
      operation: 'ExportImage',
      code: 'IdempotentParameterMismatch',
      message: `client token ${token} already started ${task.ExportImageTaskId} for ${task.ImageId} to s3://${location?.S3Bucket}/${location?.S3Prefix ?? ''}, which differs from this request (${spec.imageId} to s3://${spec.bucket}/${spec.prefix ?? ''})`,
      kind: 'conflict',
    });
  }

  private assertOwnTask(task: TaskRef, operation: string): void {
    const issues: ValidationIssue[] = [];
    if (task.cloud !== 'aws') issues.push({ field: 'cloud', value: task.cloud, rule: 'must be "aws" for the AWS driver', code: 'cloud.mismatch' });
    if (task.region !== this.region) issues.push(...this.regionIssues(task));
    if (task.kind !== 'export' && task.kind !== 'import') issues.push({ field: 'kind', value: task.kind, rule: 'must be export or import', code: 'kind.not-allowed' });
    if (typeof task.taskId !== 'string' || !/^(export|import)-ami-[0-9a-f]+$/.test(task.taskId)) {
      issues.push({ field: 'taskId', value: task.taskId, rule: 'must be an EC2 image task id (export-ami-… or import-ami-…)', code: 'task-id.format' });
    }
    if (issues.length > 0) throw new SpecValidationError(`AWS ${operation} of task ${String(task.taskId)}`, issues);
  }

  private assertRoleSpec(spec: ServiceRoleSpec): void {
    const issues = new IssueCollector('IAM');
    if (spec.cloud !== 'aws') issues.add({ field: 'cloud', value: spec.cloud, rule: 'must be "aws" for the AWS driver', code: 'cloud.mismatch' });
    const roleName = issues.string('roleName', spec.roleName);
    if (roleName !== undefined) checkRoleName(issues, 'roleName', roleName);
    for (const field of ['exportBuckets', 'importBuckets'] as const) {
      const list = issues.list(field, spec[field]);
      list?.forEach((bucket, index) => {
        const name = issues.string(`${field}[${index}]`, bucket, true);
        if (name !== undefined) checkBucketName(issues, `${field}[${index}]`, name);
      });
    }
    const keys = issues.list('kmsKeyArns', spec.kmsKeyArns);
    keys?.forEach((key, index) => {
      const arn = issues.string(`kmsKeyArns[${index}]`, key, true);
      if (arn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(arn)) {
        issues.add({ field: `kmsKeyArns[${index}]`, value: arn, rule: 'must be a KMS key or alias ARN', code: 'kms-key-arn.format' });
      }
    });
    if (issues.issues.length > 0) throw new SpecValidationError(`AWS role ${spec.roleName ?? AWS_DEFAULT_ROLE_NAME}`, issues.issues);
  }

  private assertBucketSpec(spec: BucketSpec): void {
    const issues = validateBucketSpec(spec);
    if (spec.cloud !== 'aws') issues.push({ field: 'cloud', value: spec.cloud, rule: 'must be "aws" for the AWS driver', code: 'cloud.mismatch' });
    issues.push(...this.regionIssues(spec));
    if (issues.length > 0) throw new SpecValidationError(`AWS bucket ${String(spec.name)}`, issues);
  }

  private taskNotFound(task: TaskRef, operation: string): CloudError {
    return new CloudError({
      cloud: 'aws',
      operation,
      code: task.kind === 'import' ? 'InvalidConversionTaskId' : 'InvalidExportTaskID.NotFound',
      message: `${task.kind} task ${task.taskId} does not exist in ${this.region} (EC2 forgets finished tasks after about 7 days)`,
      kind: 'not-found',
    });
  }

  private malformedReply(operation: string, field: string): CloudError {
    return new CloudError({ cloud: 'aws', operation, code: 'MalformedReply', message: `the reply has no ${field}`, kind: 'other' });
  }
}

function tokenIssues(token: unknown): ValidationIssue[] {
  const issues = new IssueCollector('Amazon EC2 idempotency');
  const text = issues.string('clientToken', token, true);
  if (text !== undefined) checkClientToken(issues, 'clientToken', text);
  return issues.issues;
}

function dryRunIssues(dryRun: unknown, instead: string): ValidationIssue[] {
  if (dryRun !== true) return [];
  return [{ field: 'dryRun', value: true, rule: `is set: a dry run starts nothing; call ${instead} instead`, code: 'dry-run.start' }];
}

function describeSubject(imageId: unknown): string {
  return typeof imageId === 'string' ? imageId : 'an image';
}
