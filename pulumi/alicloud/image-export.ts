import type * as pulumi from '@pulumi/pulumi';
import { ImageExportComponent, type ImageExportArgsBase } from '../common/image-export-component';
import { regionOf } from '../common/task-args';

/** Arguments of an Alibaba Cloud {@link ImageExport}. */
export interface ImageExportArgs extends ImageExportArgsBase {
  /** Region of the image and the OSS bucket. @default - the `alicloud:region` stack config, else `ALIBABA_CLOUD_REGION` */
  readonly region?: pulumi.Input<string>;
  /**
   * Format of the exported file: `raw`, `vhd`, `qcow2`, `vmdk` or `vdi` (any letter case; not every region
   * offers the choice). RAW exports land as `<prefix>_<imageId>_system.raw.tar.gz`.
   * @default "raw"
   */
  readonly format?: pulumi.Input<string>;
  /** The RAM service role ECS assumes (for example `ImageExportRole.roleName`). @default "AliyunECSImageExportDefaultRole" */
  readonly roleName?: pulumi.Input<string>;
}

/**
 * Exports an ECS custom image to OSS with ExportImage and waits until the file is there and checked: type
 * `imageport:alicloud:ImageExport`. ExportImage has no client token: a retried `pulumi up` adopts the running
 * export of the same image and bucket instead of starting a second one.
 *
 * @example
 * const bucket = new imageport.alicloud.ExportBucket('exports', { bucketName: 'acme-image-exports' });
 * const role = new imageport.alicloud.ImageExportRole('export-role', {});
 * const golden = new imageport.alicloud.ImageExport('golden', {
 *   imageId: 'm-bp1abcdefghijklmnopq', bucket: bucket.bucketName, prefix: 'golden', roleName: role.roleName,
 * }, { dependsOn: [role, bucket] });
 */
export class ImageExport extends ImageExportComponent {
  /**
   * @param name logical name
   * @param args what to export, where
   * @param opts resource options (`customTimeouts.create` sets the default `waitTimeout`)
   */
  constructor(name: string, args: ImageExportArgs, opts?: pulumi.ComponentResourceOptions) {
    const region = regionOf('imageport:alicloud:ImageExport', name, args.region, 'alicloud', ['ALIBABA_CLOUD_REGION']);
    super('imageport:alicloud:ImageExport', 'alicloud', name, { ...args, region }, opts);
  }
}
