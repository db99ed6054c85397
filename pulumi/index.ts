/**
 * imageport for Pulumi: components and dynamic providers that export and import VM images on AWS, Alibaba Cloud
 * and JD Cloud, one namespace per cloud (`aws`, `alicloud`, `jdcloud`).
 *
 * The dynamic providers run inside Pulumi's dynamic-provider host. They hold no credentials: the host reads each
 * cloud's standard variables (`AWS_*`, `ALIBABA_CLOUD_*`, `JDCLOUD_*`) or the `imageport:credentials` /
 * `imageport:endpoints` stack config at run time; see `pulumi/runtime/host-settings.ts`.
 */
export * as aws from './aws';
export * as alicloud from './alicloud';
export * as jdcloud from './jdcloud';
export * from './pipeline';
export { type ExportArtifact, ImageExportTask } from './common/image-export-task';
export { ImageImportTask } from './common/image-import-task';
export { type ArtifactRemovalPolicy, ImageExportComponent, type ImageExportArgsBase } from './common/image-export-component';
export { ImageImportComponent, type ImageImportArgsBase, type ImportDiskArgs } from './common/image-import-component';
export { type BucketLifecycleArgs } from './common/bucket-lifecycle';
export { type EndpointArgs, type TaskRequestArgs, type TaskWaitArgs } from './common/task-args';
export { type ProviderKind } from './provider/forwarding-provider';
