import type * as pulumi from '@pulumi/pulumi';
import { ImageExportComponent, type ImageExportArgsBase } from '../common/image-export-component';
import { regionOf } from '../common/task-args';

/** Arguments of an AWS {@link ImageExport}. */
export interface ImageExportArgs extends ImageExportArgsBase {
  /** Region of the AMI and the bucket. @default - the `aws:region` stack config, else `AWS_REGION` / `AWS_DEFAULT_REGION` */
  readonly region?: pulumi.Input<string>;
  /** Format of the exported file: `VMDK`, `RAW` or `VHD` (any letter case). ExportImage has no default. */
  readonly format: pulumi.Input<string>;
  /** The VM Import/Export service role (for example `VmImportRole.roleName`). @default "vmimport" */
  readonly roleName?: pulumi.Input<string>;
  /** Description of the export task, at most 255 characters. @default - none */
  readonly description?: pulumi.Input<string>;
  /**
   * Tags of the export task (keys at most 127 characters and not `aws:`, values at most 256); a change re-tags the
   * task in place.
   * @default - none
   */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Exports an AMI to S3 with EC2 ExportImage and waits until the file is there and checked: type
 * `imageport:aws:ImageExport`. The task is started with a deterministic client token, so a `pulumi up` that was
 * interrupted finds its task again instead of starting a second export.
 *
 * @example
 * const bucket = new imageport.aws.ExportBucket('exports', { bucketName: 'acme-image-exports' });
 * const role = new imageport.aws.VmImportRole('vmimport', { exportBuckets: [bucket.bucketName] });
 * const golden = new imageport.aws.ImageExport('golden', {
 *   imageId: 'ami-0abcdef1234567890', format: 'VMDK', bucket: bucket.bucketName, prefix: 'exports/', roleName: role.roleName,
 * }, { dependsOn: [role, bucket] });
 * export const uri = golden.uri;
 */
export class ImageExport extends ImageExportComponent {
  /**
   * @param name logical name
   * @param args what to export, where
   * @param opts resource options (`customTimeouts.create` sets the default `waitTimeout`)
   */
  constructor(name: string, args: ImageExportArgs, opts?: pulumi.ComponentResourceOptions) {
    const region = regionOf('imageport:aws:ImageExport', name, args.region, 'aws', ['AWS_REGION', 'AWS_DEFAULT_REGION']);
    super('imageport:aws:ImageExport', 'aws', name, { ...args, region }, opts);
  }
}
