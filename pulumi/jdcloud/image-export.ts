import type * as pulumi from '@pulumi/pulumi';
import { ImageExportComponent, type ImageExportArgsBase } from '../common/image-export-component';

/** Arguments of a JD Cloud {@link ImageExport}. */
export interface ImageExportArgs extends ImageExportArgsBase {
  /** Region of the image and the bucket (JD documents export in `cn-east-2`). */
  readonly region: pulumi.Input<string>;
  /** The service role the cloud-disk service assumes (for example `ImageExportRole.roleName`). exportImage requires one. */
  readonly roleName: pulumi.Input<string>;
  /** Format of the exported file. exportImage always writes QCOW2. @default "qcow2" */
  readonly format?: pulumi.Input<string>;
  /** Export the data disks too (`isAllDisk`). @default false */
  readonly allDisks?: pulumi.Input<boolean>;
}

/**
 * Exports a JD Cloud private image to JD OSS with vm exportImage and waits until the file is there and checked:
 * type `imageport:jdcloud:ImageExport`. JD Cloud cannot cancel an export: `pulumi destroy` of a running export waits
 * for its end (`deleteTimeout`) and then, with `removalPolicy: "destroy"`, removes what it wrote.
 *
 * @example
 * const bucket = new imageport.jdcloud.ExportBucket('exports', { bucketName: 'acme-image-exports', region: 'cn-east-2' });
 * const role = new imageport.jdcloud.ImageExportRole('export-role', { exportBuckets: [bucket.bucketName] });
 * const golden = new imageport.jdcloud.ImageExport('golden', {
 *   region: 'cn-east-2', imageId: 'img-abcdef1234', bucket: bucket.bucketName, prefix: 'golden', roleName: role.roleName,
 * });
 */
export class ImageExport extends ImageExportComponent {
  /**
   * @param name logical name
   * @param args what to export, where
   * @param opts resource options (`customTimeouts.create` sets the default `waitTimeout`)
   */
  constructor(name: string, args: ImageExportArgs, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:jdcloud:ImageExport', 'jdcloud', name, args, opts);
  }
}
