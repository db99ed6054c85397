import * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { type DiskSource } from '../../lib/model/import-spec';
import { type ResolvedBucket, type ResolvedExport, type ResolvedImport, type ResolvedPipeline, type ResolvedRole } from '../../lib/pipeline/resolved-pipeline';
import * as alicloud from '../alicloud';
import * as aws from '../aws';
import { type ImageExportComponent } from '../common/image-export-component';
import { type ImageImportComponent } from '../common/image-import-component';
import * as jdcloud from '../jdcloud';

/** Arguments of a {@link PipelineResources}. */
export interface PipelineResourcesArgs {
  /**
   * A pipeline loaded and checked by the core (`loadPipelineFile(file, { rulesFor }).pipeline`, see
   * {@link loadPipeline}): the same file `imageport apply` runs.
   */
  readonly pipeline: ResolvedPipeline;
}

/** The service-role component of one cloud. */
export type PipelineRole = aws.VmImportRole | alicloud.ImageExportRole | alicloud.ImageImportRole | jdcloud.ImageExportRole;
/** The bucket component of one cloud. */
export type PipelineBucket = aws.ExportBucket | alicloud.ExportBucket | jdcloud.ExportBucket;

/** Milliseconds as a duration input (`7200000ms`). */
function duration(ms: number): string {
  return `${ms}ms`;
}

/**
 * Declares a YAML pipeline's resources with Pulumi: type `imageport:pipeline:Pipeline`. Every role and bucket the
 * file declares (but those marked `existing`) becomes that cloud's component (`VmImportRole`, `ImageExportRole`,
 * `ExportBucket`…), every export an `ImageExport`, every import an `ImageImport`, named by their keys in the file.
 * Chains follow the file: an export `fromImport` exports the image the import produced; an import disk
 * `fromExport` reads the object the export wrote. Timeouts and removal policies come from the file.
 *
 * Not carried over: a request's own `ClientToken` (the providers derive deterministic tokens) and the file's
 * endpoint overrides (the providers read endpoints from the environment or the `imageport:endpoints` stack config).
 */
export class PipelineResources extends pulumi.ComponentResource {
  /** Role components, by key in `roles`. */
  public readonly roles: Readonly<Record<string, PipelineRole>>;
  /** Bucket components, by key in `buckets`. */
  public readonly buckets: Readonly<Record<string, PipelineBucket>>;
  /** Export components, by key in `exports`. */
  public readonly exports: Readonly<Record<string, ImageExportComponent>>;
  /** Import components, by key in `imports`. */
  public readonly imports: Readonly<Record<string, ImageImportComponent>>;

  /**
   * @param name logical name (the pipeline's name is a good one)
   * @param args the loaded pipeline
   * @param opts resource options
   * @throws Error naming the entry when the file asks for something this front end cannot declare
   */
  constructor(name: string, args: PipelineResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:pipeline:Pipeline', name, {}, opts);
    const { pipeline } = args;
    const regionOf = (cloud: CloudId): string => {
      const region = pipeline.clouds.get(cloud)?.region;
      if (!region) throw new Error(`pipeline ${pipeline.name}: no region for cloud ${cloud} (clouds.${cloud}.region)`);
      return region;
    };
    const parent = { parent: this };

    const roles: Record<string, PipelineRole> = {};
    for (const role of pipeline.roles.filter((r) => !r.existing)) roles[role.key] = declareRole(role, parent);
    const buckets: Record<string, PipelineBucket> = {};
    for (const bucket of pipeline.buckets.filter((b) => !b.existing)) buckets[bucket.key] = declareBucket(bucket, parent);
    const needs = (entry: ResolvedExport | ResolvedImport, bucketKeys: readonly (string | undefined)[]): pulumi.Resource[] => [
      ...(entry.roleKey && roles[entry.roleKey] ? [roles[entry.roleKey]] : []),
      ...bucketKeys.flatMap((key) => (key && buckets[key] ? [buckets[key]] : [])),
    ];

    // Imports and exports may read from each other (never in a cycle: the loader refuses those); declare each
    // once what it reads from exists.
    const exportsByKey: Record<string, ImageExportComponent> = {};
    const importsByKey: Record<string, ImageImportComponent> = {};
    const pendingExports = [...pipeline.exports];
    const pendingImports = [...pipeline.imports];
    while (pendingExports.length + pendingImports.length > 0) {
      const before = pendingExports.length + pendingImports.length;
      for (const entry of [...pendingExports]) {
        if (entry.fromImport && !importsByKey[entry.fromImport]) continue;
        const imageId = entry.fromImport ? importsByKey[entry.fromImport].imageId : entry.spec.imageId;
        exportsByKey[entry.key] = declareExport(entry, imageId, regionOf(entry.cloud), { parent: this, dependsOn: needs(entry, [entry.bucketKey]) });
        pendingExports.splice(pendingExports.indexOf(entry), 1);
      }
      for (const entry of [...pendingImports]) {
        if (entry.fromExports.some((source) => !exportsByKey[source.exportKey])) continue;
        importsByKey[entry.key] = declareImport(entry, exportsByKey, regionOf(entry.cloud), { parent: this, dependsOn: needs(entry, entry.bucketKeys) });
        pendingImports.splice(pendingImports.indexOf(entry), 1);
      }
      if (pendingExports.length + pendingImports.length === before) {
        throw new Error(`pipeline ${pipeline.name}: entries read from each other in a cycle: ${[...pendingExports, ...pendingImports].map((e) => e.key).join(', ')}`);
      }
    }
    this.roles = roles;
    this.buckets = buckets;
    this.exports = exportsByKey;
    this.imports = importsByKey;
    this.registerOutputs({
      exports: Object.fromEntries(Object.entries(exportsByKey).map(([key, component]) => [key, component.uri])),
      imports: Object.fromEntries(Object.entries(importsByKey).map(([key, component]) => [key, component.imageId])),
    });
  }
}

function declareRole(role: ResolvedRole, opts: pulumi.ComponentResourceOptions): PipelineRole {
  const { spec } = role;
  switch (spec.cloud) {
    case 'aws':
      return new aws.VmImportRole(
        role.key,
        {
          roleName: spec.roleName,
          exportBuckets: [...(spec.exportBuckets ?? [])],
          importBuckets: [...(spec.importBuckets ?? [])],
          kmsKeyArns: [...(spec.kmsKeyArns ?? [])],
          ...(spec.accountId ? { accountId: spec.accountId } : {}),
          ...(spec.policyName ? { policyName: spec.policyName } : {}),
        },
        opts,
      );
    case 'alicloud': {
      const buckets = [...((spec.purpose === 'import' ? spec.importBuckets : spec.exportBuckets) ?? [])];
      const args = { roleName: spec.roleName, policyMode: spec.policyMode, ...(buckets.length > 0 ? { buckets } : {}), policyName: spec.policyName };
      return spec.purpose === 'import' ? new alicloud.ImageImportRole(role.key, args, opts) : new alicloud.ImageExportRole(role.key, args, opts);
    }
    case 'jdcloud':
      return new jdcloud.ImageExportRole(
        role.key,
        {
          roleName: spec.roleName,
          exportBuckets: [...(spec.exportBuckets ?? [])],
          ...(spec.accountId ? { accountId: spec.accountId } : {}),
          ...(spec.policyName ? { policyName: spec.policyName } : {}),
          ...(spec.trustPolicy ? { trustPolicy: spec.trustPolicy } : {}),
        },
        opts,
      );
  }
}

function declareBucket(bucket: ResolvedBucket, opts: pulumi.ComponentResourceOptions): PipelineBucket {
  const { spec } = bucket;
  const lifecycle = spec.lifecycle ? { ...spec.lifecycle } : undefined;
  switch (spec.cloud) {
    case 'aws':
      return new aws.ExportBucket(bucket.key, { bucketName: spec.name, lifecycle, lifecyclePrefix: spec.lifecyclePrefix }, opts);
    case 'alicloud':
      return new alicloud.ExportBucket(bucket.key, { bucketName: spec.name, lifecycle, lifecyclePrefix: spec.lifecyclePrefix }, opts);
    case 'jdcloud':
      if (lifecycle) throw new Error(`bucket ${bucket.key}: lifecycle rules are not supported on JD Cloud (set them in the JD OSS console)`);
      return new jdcloud.ExportBucket(bucket.key, { bucketName: spec.name, region: spec.region }, opts);
  }
}

/** The spec fields a component takes: everything but the cloud (fixed by the component) and the token. */
function specArgs<T extends { cloud: CloudId; clientToken?: string; dryRun?: boolean }>(spec: T): Omit<T, 'cloud' | 'clientToken' | 'dryRun'> {
  const { cloud: _cloud, clientToken: _token, dryRun: _dryRun, ...rest } = spec;
  return rest;
}

function declareExport(entry: ResolvedExport, imageId: pulumi.Input<string>, region: string, opts: pulumi.ComponentResourceOptions): ImageExportComponent {
  const common = {
    ...specArgs(entry.spec),
    region,
    imageId,
    waitTimeout: duration(entry.createTimeoutMs),
    deleteTimeout: duration(entry.deleteTimeoutMs),
    removalPolicy: entry.removal,
  };
  switch (entry.cloud) {
    case 'aws':
      return new aws.ImageExport(entry.key, { ...common, format: common.format ?? '' }, opts);
    case 'alicloud':
      return new alicloud.ImageExport(entry.key, common, opts);
    case 'jdcloud':
      return new jdcloud.ImageExport(entry.key, { ...common, roleName: common.roleName ?? '' }, opts);
  }
}

function declareImport(
  entry: ResolvedImport,
  exportsByKey: Readonly<Record<string, ImageExportComponent>>,
  region: string,
  opts: pulumi.ComponentResourceOptions,
): ImageImportComponent {
  const disks = entry.spec.disks.map((disk: DiskSource, index) => {
    const source = entry.fromExports.find((s) => s.diskIndex === index);
    if (!source) return disk;
    const from = exportsByKey[source.exportKey];
    return { ...disk, bucket: from.bucket, key: from.objectKey, format: ('format' in disk && disk.format) || from.format };
  });
  const common = {
    ...specArgs(entry.spec),
    region,
    disks,
    waitTimeout: duration(entry.createTimeoutMs),
    deleteTimeout: duration(entry.deleteTimeoutMs),
  };
  switch (entry.cloud) {
    case 'aws':
      return new aws.ImageImport(entry.key, common, opts);
    case 'alicloud':
      return new alicloud.ImageImport(entry.key, common, opts);
    case 'jdcloud':
      return new jdcloud.ImageImport(entry.key, { ...common, imageName: common.imageName ?? '' }, opts);
  }
}
