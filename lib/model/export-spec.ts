import { type CloudId } from './cloud';
import { type DiskFormat } from './disk-format';

/**
 * What to export, where to: the fields every cloud shares.
 *
 * Field names are imageport's own and identical in every front end (CDK props, Pulumi args, YAML keys), so a
 * validation message names the same field everywhere. Drivers map them to the wire:
 *
 * | field | AWS ExportImage | Alibaba ExportImage | JD exportImage |
 * | --- | --- | --- | --- |
 * | imageId | ImageId | ImageId | path `{imageId}` |
 * | format | DiskImageFormat (VMDK, RAW, VHD) | ImageFormat (raw, vhd, qcow2, vmdk, vdi) | always QCOW2 |
 * | bucket | S3ExportLocation.S3Bucket | OSSBucket | ossUrl (derived) |
 * | prefix | S3ExportLocation.S3Prefix | OSSPrefix | ossPrefix |
 * | roleName | RoleName | RoleName | roleName (required) |
 * | description | Description | - | - |
 * | tags | TagSpecifications (export-image-task) | - | - |
 * | clientToken | ClientToken | (none: adoption) | clientToken |
 * | dryRun | DryRun | DryRun | - |
 */
export interface ExportSpecBase {
  /** The cloud to export from. */
  readonly cloud: CloudId;
  /** Region of the image; the bucket must be in the same region. */
  readonly region: string;
  /** The image to export: an AMI id (`ami-…`), an Alibaba custom image id (`m-…`), a JD private image id (`img-…`). */
  readonly imageId: string;
  /**
   * Format of the exported file, in any letter case (`VMDK` or `vmdk`).
   * @default - required on AWS; `raw` on Alibaba Cloud; `qcow2` (the only choice) on JD Cloud
   */
  readonly format?: DiskFormat | Uppercase<DiskFormat> | string;
  /** Destination bucket. It must exist in `region`. */
  readonly bucket: string;
  /**
   * Key prefix inside the bucket. AWS concatenates it raw (`exports/` gives `exports/export-ami-….vmdk`);
   * Alibaba allows 1-30 letters and digits; JD allows letters and digits, at most 32.
   * @default - no prefix
   */
  readonly prefix?: string;
  /**
   * Name of the service role the cloud assumes to write into the bucket.
   * @default - `vmimport` on AWS, `AliyunECSImageExportDefaultRole` on Alibaba Cloud; required on JD Cloud
   */
  readonly roleName?: string;
  /** Description of the export task (AWS only, at most 255 characters). @default - none */
  readonly description?: string;
  /** Tags for the export task (AWS only: keys at most 127 characters, not `aws:`; values at most 256). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Idempotency token. Front ends pass a deterministic one (see `lib/model/token.ts`) so a retry after a crash
   * finds the running task instead of starting a second one.
   * @default - the driver derives one from the spec
   */
  readonly clientToken?: string;
  /** Only check permissions; start nothing. @default false */
  readonly dryRun?: boolean;
}

/** An AMI export (EC2 ExportImage). */
export interface AwsExportSpec extends ExportSpecBase {
  readonly cloud: 'aws';
}

/** An Alibaba Cloud ECS custom image export (ExportImage). ExportImage has no client token: drivers adopt. */
export interface AlicloudExportSpec extends ExportSpecBase {
  readonly cloud: 'alicloud';
}

/** A JD Cloud private image export (vm exportImage). */
export interface JdcloudExportSpec extends ExportSpecBase {
  readonly cloud: 'jdcloud';
  /** Export the data disks too (`isAllDisk`). @default false */
  readonly allDisks?: boolean;
}

/** An export on any cloud, discriminated by `cloud`. */
export type ExportSpec = AwsExportSpec | AlicloudExportSpec | JdcloudExportSpec;

/** The export fields whose change forces a new export (a replacement) in every front end. */
export const EXPORT_REPLACE_FIELDS = ['cloud', 'region', 'imageId', 'format', 'bucket', 'prefix', 'roleName', 'allDisks'] as const;

/** The export fields that update in place (no new task). */
export const EXPORT_UPDATE_FIELDS = ['description', 'tags'] as const;
