import * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { type DiskSource } from '../../lib/model/import-spec';
import { type ResolvedBucket, type ResolvedExport, type ResolvedImport, type ResolvedPipeline, type ResolvedRole } from '../../lib/pipeline/resolved-pipeline';
import * as alicloud from '../alicloud';
import * as aws from '../aws';
import { type ImageExportComponent } from '../common/image-export-component';
import { type ImageImportComponent } from '../common/image-import-component';
import * as jdcloud from '../jdcloud';
import { alicloudProviderFor, awsProviderFor, type PipelineProviders } from './pipeline-providers';

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
 * `fromExport` reads the object the export wrote. Timeouts, removal policies (exports keep their files, imports
 * delete their image, unless the file says otherwise) and a request's own `ClientToken` come from the file.
 *
 * Endpoint overrides (`clouds.<cloud>.endpoints`) reach every resource that calls that cloud: imageport's dynamic
 * resources (exports, imports, JD Cloud roles and buckets) take them as their `endpoints` input, which the provider
 * host applies at run time (the `imageport:endpoints` stack config still wins, per service; the environment comes
 * after them: the CLI's order); the `aws:` and `alicloud:` roles and buckets get an explicit provider with the
 * file's region and endpoints (credentials stay each provider's own: the environment, a profile). Endpoints are
 * plain inputs in the state, never secrets, and credentials never pass through the program.
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
  /** The explicit `aws` / `alicloud` providers made for the file's endpoint overrides (none without overrides). */
  public readonly providers: PipelineProviders;

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
    const endpointsOf = (cloud: CloudId): Record<string, string> | undefined => {
      const endpoints = pipeline.clouds.get(cloud)?.endpoints;
      return endpoints && Object.keys(endpoints).length > 0 ? { ...endpoints } : undefined;
    };
    const providers: PipelineProviders = {};
    const awsProvider = awsProviderFor(name, pipeline.clouds.get('aws'), { parent: this });
    if (awsProvider) providers.aws = awsProvider;
    const alicloudProvider = alicloudProviderFor(name, pipeline.clouds.get('alicloud'), { parent: this });
    if (alicloudProvider) providers.alicloud = alicloudProvider;
    const optionsFor = (cloud: CloudId): pulumi.ComponentResourceOptions => {
      const provider = cloud === 'aws' || cloud === 'alicloud' ? providers[cloud] : undefined;
      return { parent: this, ...(provider ? { providers: [provider] } : {}) };
    };

    const roles: Record<string, PipelineRole> = {};
    for (const role of pipeline.roles.filter((r) => !r.existing)) {
      roles[role.key] = declareRole(role, endpointsOf(role.spec.cloud), optionsFor(role.spec.cloud));
    }
    const buckets: Record<string, PipelineBucket> = {};
    for (const bucket of pipeline.buckets.filter((b) => !b.existing)) {
      buckets[bucket.key] = declareBucket(bucket, endpointsOf(bucket.spec.cloud), optionsFor(bucket.spec.cloud));
    }
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
        const context = { region: regionOf(entry.cloud), endpoints: endpointsOf(entry.cloud) };
        exportsByKey[entry.key] = declareExport(entry, imageId, context, { parent: this, dependsOn: needs(entry, [entry.bucketKey]) });
        pendingExports.splice(pendingExports.indexOf(entry), 1);
      }
      for (const entry of [...pendingImports]) {
        if (entry.fromExports.some((source) => !exportsByKey[source.exportKey])) continue;
        const context = { region: regionOf(entry.cloud), endpoints: endpointsOf(entry.cloud) };
        importsByKey[entry.key] = declareImport(entry, exportsByKey, context, { parent: this, dependsOn: needs(entry, entry.bucketKeys) });
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
    this.providers = providers;
    this.registerOutputs({
      exports: Object.fromEntries(Object.entries(exportsByKey).map(([key, component]) => [key, component.uri])),
      imports: Object.fromEntries(Object.entries(importsByKey).map(([key, component]) => [key, component.imageId])),
    });
  }
}

/** Where an entry runs: its cloud's region and the file's endpoint overrides. */
interface EntryContext {
  readonly region: string;
  readonly endpoints: Record<string, string> | undefined;
}

function declareRole(role: ResolvedRole, endpoints: Record<string, string> | undefined, opts: pulumi.ComponentResourceOptions): PipelineRole {
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
          ...(endpoints ? { endpoints } : {}),
        },
        opts,
      );
  }
}

function declareBucket(bucket: ResolvedBucket, endpoints: Record<string, string> | undefined, opts: pulumi.ComponentResourceOptions): PipelineBucket {
  const { spec } = bucket;
  const lifecycle = spec.lifecycle ? { ...spec.lifecycle } : undefined;
  switch (spec.cloud) {
    case 'aws':
      return new aws.ExportBucket(bucket.key, { bucketName: spec.name, lifecycle, lifecyclePrefix: spec.lifecyclePrefix }, opts);
    case 'alicloud':
      return new alicloud.ExportBucket(bucket.key, { bucketName: spec.name, lifecycle, lifecyclePrefix: spec.lifecyclePrefix }, opts);
    case 'jdcloud':
      if (lifecycle) throw new Error(`bucket ${bucket.key}: lifecycle rules are not supported on JD Cloud (set them in the JD OSS console)`);
      return new jdcloud.ExportBucket(bucket.key, { bucketName: spec.name, region: spec.region, ...(endpoints ? { endpoints } : {}) }, opts);
  }
}

/** The spec fields a component takes: everything but the cloud (fixed by the component) and the token (see {@link requestArgs}). */
function specArgs<T extends { cloud: CloudId; clientToken?: string; dryRun?: boolean }>(spec: T): Omit<T, 'cloud' | 'clientToken' | 'dryRun'> {
  const { cloud: _cloud, clientToken: _token, dryRun: _dryRun, ...rest } = spec;
  return rest;
}

/** The file's client token (a request's `ClientToken`) and endpoint overrides, as component arguments. */
function requestArgs(entry: ResolvedExport | ResolvedImport, context: EntryContext): { clientToken?: string; endpoints?: Record<string, string> } {
  const clientToken = entry.clientToken ?? entry.spec.clientToken;
  return { ...(clientToken ? { clientToken } : {}), ...(context.endpoints ? { endpoints: context.endpoints } : {}) };
}

function declareExport(entry: ResolvedExport, imageId: pulumi.Input<string>, context: EntryContext, opts: pulumi.ComponentResourceOptions): ImageExportComponent {
  const common = {
    ...specArgs(entry.spec),
    ...requestArgs(entry, context),
    region: context.region,
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
  context: EntryContext,
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
    ...requestArgs(entry, context),
    region: context.region,
    disks,
    waitTimeout: duration(entry.createTimeoutMs),
    deleteTimeout: duration(entry.deleteTimeoutMs),
    removalPolicy: entry.removal,
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
