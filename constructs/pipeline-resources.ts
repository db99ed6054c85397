import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type CloudId, CLOUD_NAMES } from '../lib/model/cloud';
import { type DiskSource, isSnapshotDisk, isUrlDisk } from '../lib/model/import-spec';
import { SpecValidationError, type ValidationIssue } from '../lib/model/validation-issue';
import type { ResolvedBucket, ResolvedExport, ResolvedImport, ResolvedPipeline, ResolvedRole } from '../lib/pipeline/resolved-pipeline';
import { type ExportFormat } from './export-format';
import { ImageExport } from './image-export';
import { ImageExportBucket } from './image-export-bucket';
import { ImageImport } from './image-import';
import { ImportDisk } from './import-disk';
import { type ImportArchitecture, type ImportBootMode, type ImportFormat, type ImportLicenseType, type ImportPlatform } from './import-options';
import { type IVmImportRole, VmImportRole } from './vm-import-role';

/** Properties of a {@link PipelineResources}. */
export interface PipelineResourcesProps {
  /**
   * A pipeline loaded and checked by the core loader (`checkPipelineText(text, file, { rulesFor }).pipeline` from
   * `lib/pipeline/load-pipeline`): the same file `imageport apply` runs.
   */
  readonly pipeline: ResolvedPipeline;
  /**
   * Bucket that receives the server access logs of the buckets the pipeline declares.
   * @default - no server access logs
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/** A part of the pipeline the CDK cannot declare, and why. */
export interface SkippedPipelineEntry {
  /** Section of the file: `roles`, `buckets`, `exports` or `imports`. */
  readonly section: 'roles' | 'buckets' | 'exports' | 'imports';
  /** Key of the entry in its section. */
  readonly key: string;
  /** Its cloud. */
  readonly cloud: CloudId;
  /** Why it was skipped. */
  readonly reason: string;
}

/** AWS import fields the constructs have no prop for: an entry using one is refused rather than changed. */
const UNSUPPORTED_IMPORT_FIELDS = ['hypervisor', 'clientData', 'licenseConfigurationArns', 'usageOperation'] as const;

/**
 * Declares the AWS part of a YAML pipeline with the constructs: every AWS role and bucket the file declares becomes
 * a `VmImportRole` / `ImageExportBucket` (`existing: true` ones are referenced, never changed), every AWS export an
 * `ImageExport`, every AWS import an `ImageImport`, under construct ids equal to their keys. Chains follow the file:
 * an export `fromImport` exports the AMI the import created; an import disk `fromExport` reads the file the export
 * wrote. Timeouts (`timeouts.create`) and removal policies come from the file.
 *
 * CloudFormation deploys to AWS only: entries of other clouds (and AWS entries that read from them) are listed in
 * {@link skipped} and reported as synth warnings, never dropped silently. The stack must be in the pipeline's AWS
 * region. Not carried over: a request's own `ClientToken` (the handler derives deterministic tokens), endpoint
 * overrides, `concurrency` (CloudFormation runs independent resources in parallel) and `timeouts.delete` (a
 * Delete cancels and returns).
 *
 * @example
 * const loaded = checkPipelineText(readFileSync(file, 'utf8'), file, { rulesFor });
 * const stack = new Stack(app, 'Images', { env: { region: loaded.pipeline!.clouds.get('aws')!.region } });
 * new PipelineResources(stack, 'Pipeline', { pipeline: loaded.pipeline! });
 */
export class PipelineResources extends Construct {
  /** Role constructs, by key in `roles`. */
  public readonly roles: Readonly<Record<string, IVmImportRole>>;
  /** Bucket constructs, by key in `buckets`. */
  public readonly buckets: Readonly<Record<string, s3.IBucket>>;
  /** Export constructs, by key in `exports`. */
  public readonly exports: Readonly<Record<string, ImageExport>>;
  /** Import constructs, by key in `imports`. */
  public readonly imports: Readonly<Record<string, ImageImport>>;
  /** What was not declared, and why. */
  public readonly skipped: readonly SkippedPipelineEntry[];

  private readonly pipeline: ResolvedPipeline;
  private readonly skippedEntries: SkippedPipelineEntry[] = [];
  private readonly roleScope: Construct;
  private readonly bucketScope: Construct;
  private readonly referencedRoles = new Map<string, IVmImportRole>();
  private readonly referencedBuckets = new Map<string, s3.IBucket>();

  /**
   * @param scope construct scope (a stack in the pipeline's AWS region)
   * @param id construct id
   * @param props the loaded pipeline
   */
  constructor(scope: Construct, id: string, props: PipelineResourcesProps) {
    super(scope, id);
    const { pipeline } = props;
    this.pipeline = pipeline;
    this.checkRegion();
    this.roleScope = new Construct(this, 'Roles');
    this.bucketScope = new Construct(this, 'Buckets');
    const exportScope = new Construct(this, 'Exports');
    const importScope = new Construct(this, 'Imports');

    const roles: Record<string, IVmImportRole> = {};
    for (const role of pipeline.roles) {
      if (this.skipOtherCloud('roles', role.key, role.spec.cloud)) continue;
      roles[role.key] = this.declareRole(role);
    }
    const buckets: Record<string, s3.IBucket> = {};
    for (const bucket of pipeline.buckets) {
      if (this.skipOtherCloud('buckets', bucket.key, bucket.spec.cloud)) continue;
      buckets[bucket.key] = this.declareBucket(bucket, props.serverAccessLogsBucket);
    }

    // Exports and imports may read from each other (never in a cycle: the loader refuses those); declare each
    // once what it reads from is declared, or skip it when that was skipped.
    const exports: Record<string, ImageExport> = {};
    const imports: Record<string, ImageImport> = {};
    const pending: (ResolvedExport | ResolvedImport)[] = [...pipeline.exports, ...pipeline.imports];
    const skippedKeys = new Set<string>();
    while (pending.length > 0) {
      const before = pending.length;
      for (const entry of [...pending]) {
        const section = entry.kind === 'export' ? 'exports' : 'imports';
        const sources = entry.kind === 'export' ? (entry.fromImport ? [`imports.${entry.fromImport}`] : []) : entry.fromExports.map((s) => `exports.${s.exportKey}`);
        const skippedSource = sources.find((source) => skippedKeys.has(source));
        const ready = sources.every((source) => skippedKeys.has(source) || (source.startsWith('imports.') ? imports[source.slice(8)] : exports[source.slice(8)]));
        if (!ready) continue;
        pending.splice(pending.indexOf(entry), 1);
        if (this.skipOtherCloud(section, entry.key, entry.cloud)) {
          skippedKeys.add(`${section}.${entry.key}`);
        } else if (skippedSource) {
          this.skip(section, entry.key, entry.cloud, `it reads from ${skippedSource}, which was skipped`);
          skippedKeys.add(`${section}.${entry.key}`);
        } else if (entry.kind === 'export') {
          exports[entry.key] = this.declareExport(exportScope, entry, roles, buckets, imports);
        } else {
          imports[entry.key] = this.declareImport(importScope, entry, roles, buckets, exports);
        }
      }
      if (pending.length === before) {
        throw new Error(`pipeline ${pipeline.name}: entries read from each other in a cycle: ${pending.map((e) => e.key).join(', ')}`);
      }
    }
    this.roles = roles;
    this.buckets = buckets;
    this.exports = exports;
    this.imports = imports;
    this.skipped = this.skippedEntries;
  }

  private checkRegion(): void {
    const aws = this.pipeline.clouds.get('aws');
    if (!aws) return;
    const stackRegion = Stack.of(this).region;
    const field = 'clouds.aws.region';
    if (Token.isUnresolved(stackRegion)) {
      throw new SpecValidationError(`PipelineResources "${this.node.id}" (pipeline ${this.pipeline.name})`, [
        { field, value: aws.region, rule: `needs a stack bound to that region: new Stack(app, id, { env: { region: '${aws.region}' } })`, code: 'pipeline.stack-region' },
      ]);
    }
    if (stackRegion !== aws.region) {
      throw new SpecValidationError(`PipelineResources "${this.node.id}" (pipeline ${this.pipeline.name})`, [
        { field, value: aws.region, rule: `must be the stack's region (${stackRegion}): a CloudFormation stack deploys into one region`, code: 'pipeline.stack-region' },
      ]);
    }
  }

  private skipOtherCloud(section: SkippedPipelineEntry['section'], key: string, cloud: CloudId): boolean {
    if (cloud === 'aws') return false;
    this.skip(section, key, cloud, `CloudFormation deploys to AWS only; declare ${CLOUD_NAMES[cloud]} entries with the Pulumi components (imageport/pulumi) or run them with \`imageport apply\``);
    return true;
  }

  private skip(section: SkippedPipelineEntry['section'], key: string, cloud: CloudId, reason: string): void {
    this.skippedEntries.push({ section, key, cloud, reason });
    Annotations.of(this).addWarningV2('@imageport/pipeline:skipped', `pipeline ${this.pipeline.name}: ${section}.${key} (${CLOUD_NAMES[cloud]}) was not declared: ${reason}`);
  }

  private declareRole(role: ResolvedRole): IVmImportRole {
    if (role.existing) return VmImportRole.fromRoleName(this.roleScope, role.key, role.spec.roleName, { mutable: false });
    const construct = new VmImportRole(this.roleScope, role.key, { roleName: role.spec.roleName });
    (role.spec.kmsKeyArns ?? []).forEach((arn, index) => construct.grantEncryptWith(kms.Key.fromKeyArn(this.roleScope, `${role.key}Key${index}`, arn)));
    return construct;
  }

  private declareBucket(bucket: ResolvedBucket, serverAccessLogsBucket: s3.IBucket | undefined): s3.IBucket {
    const { spec } = bucket;
    if (bucket.existing) return s3.Bucket.fromBucketName(this.bucketScope, bucket.key, spec.name);
    const lifecycle = spec.lifecycle;
    return new ImageExportBucket(this.bucketScope, bucket.key, {
      bucketName: spec.name,
      expireExportsAfter: lifecycle?.expireAfterDays !== undefined ? Duration.days(lifecycle.expireAfterDays) : undefined,
      transitionExportsAfter: lifecycle?.transitionAfterDays !== undefined ? Duration.days(lifecycle.transitionAfterDays) : undefined,
      transitionStorageClass: lifecycle?.transitionStorageClass ? new s3.StorageClass(lifecycle.transitionStorageClass) : undefined,
      lifecyclePrefix: spec.lifecyclePrefix,
      serverAccessLogsBucket,
    });
  }

  /** The entry's role: the one its `role` key names, else the role it names by name (referenced, not changed). */
  private roleOf(entry: ResolvedExport | ResolvedImport, roles: Readonly<Record<string, IVmImportRole>>): IVmImportRole {
    if (entry.roleKey && roles[entry.roleKey]) return roles[entry.roleKey];
    const name = entry.spec.roleName ?? VmImportRole.DEFAULT_ROLE_NAME;
    let role = this.referencedRoles.get(name);
    if (!role) {
      role = VmImportRole.fromRoleName(this.roleScope, `Named-${name}`, name, { mutable: false });
      this.referencedRoles.set(name, role);
    }
    return role;
  }

  /** A bucket by name: the declared one of that name, else a reference to it. */
  private bucketNamed(name: string, buckets: Readonly<Record<string, s3.IBucket>>): s3.IBucket {
    const declared = this.pipeline.buckets.find((b) => b.spec.name === name && buckets[b.key]);
    if (declared) return buckets[declared.key];
    let bucket = this.referencedBuckets.get(name);
    if (!bucket) {
      bucket = s3.Bucket.fromBucketName(this.bucketScope, `Named-${name}`, name);
      this.referencedBuckets.set(name, bucket);
    }
    return bucket;
  }

  private declareExport(
    scope: Construct,
    entry: ResolvedExport,
    roles: Readonly<Record<string, IVmImportRole>>,
    buckets: Readonly<Record<string, s3.IBucket>>,
    imports: Readonly<Record<string, ImageImport>>,
  ): ImageExport {
    const { spec } = entry;
    return new ImageExport(scope, entry.key, {
      image: entry.fromImport ? imports[entry.fromImport].imageId : spec.imageId,
      format: String(spec.format ?? '').toUpperCase() as ExportFormat,
      bucket: entry.bucketKey && buckets[entry.bucketKey] ? buckets[entry.bucketKey] : this.bucketNamed(spec.bucket, buckets),
      prefix: spec.prefix,
      role: this.roleOf(entry, roles),
      description: spec.description,
      tags: spec.tags ? { ...spec.tags } : undefined,
      timeout: Duration.millis(entry.createTimeoutMs),
      removalPolicy: entry.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }

  private declareImport(
    scope: Construct,
    entry: ResolvedImport,
    roles: Readonly<Record<string, IVmImportRole>>,
    buckets: Readonly<Record<string, s3.IBucket>>,
    exports: Readonly<Record<string, ImageExport>>,
  ): ImageImport {
    const spec = entry.spec as ResolvedImport['spec'] & Partial<Record<(typeof UNSUPPORTED_IMPORT_FIELDS)[number], unknown>> & { kmsKeyId?: string; encrypted?: boolean };
    const issues: ValidationIssue[] = UNSUPPORTED_IMPORT_FIELDS.filter((field) => spec[field] !== undefined).map((field) => ({
      field,
      value: spec[field],
      rule: 'has no ImageImport prop: declare this import without it, or run it with `imageport apply`',
      code: 'pipeline.cdk-unsupported',
    }));
    if (spec.kmsKeyId !== undefined && !/^arn:/.test(spec.kmsKeyId)) {
      issues.push({ field: 'kmsKeyId', value: spec.kmsKeyId, rule: 'must be a key ARN for the CDK constructs (they grant the role its use)', code: 'pipeline.cdk-kms-arn' });
    }
    if (issues.length > 0) throw new SpecValidationError(`pipeline ${this.pipeline.name}: imports.${entry.key}`, issues);
    const disks = spec.disks.map((disk: DiskSource, index) => {
      const options = { format: disk.format?.toUpperCase() as ImportFormat | undefined, description: disk.description, deviceName: disk.deviceName };
      const source = entry.fromExports.find((s) => s.diskIndex === index);
      if (source) {
        const from = exports[source.exportKey];
        const exportEntry = this.pipeline.exports.find((e) => e.key === source.exportKey)!;
        const bucket = exportEntry.bucketKey && buckets[exportEntry.bucketKey] ? buckets[exportEntry.bucketKey] : this.bucketNamed(exportEntry.spec.bucket, buckets);
        return ImportDisk.fromBucket(bucket, from.objectKey, { ...options, format: options.format ?? (from.format as string as ImportFormat) });
      }
      if (isSnapshotDisk(disk)) return ImportDisk.fromSnapshot(disk.snapshotId, options);
      if (isUrlDisk(disk)) return ImportDisk.fromUrl(disk.url, options);
      return ImportDisk.fromBucket(this.bucketNamed(disk.bucket, buckets), disk.key, options);
    });
    return new ImageImport(scope, entry.key, {
      disks,
      platform: spec.platform as ImportPlatform | undefined,
      architecture: spec.architecture as ImportArchitecture | undefined,
      licenseType: spec.licenseType as ImportLicenseType | undefined,
      bootMode: spec.bootMode as ImportBootMode | undefined,
      encrypted: spec.encrypted,
      kmsKey: spec.kmsKeyId !== undefined ? kms.Key.fromKeyArn(scope, `${entry.key}Key`, spec.kmsKeyId) : undefined,
      role: this.roleOf(entry, roles),
      description: spec.description,
      tags: spec.tags ? { ...spec.tags } : undefined,
      timeout: Duration.millis(entry.createTimeoutMs),
      removalPolicy: entry.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }
}
