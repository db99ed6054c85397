import type * as pulumi from '@pulumi/pulumi';
import { ImageImportComponent, type ImageImportArgsBase } from '../common/image-import-component';

/** Arguments of a JD Cloud {@link ImageImport}. */
export interface ImageImportArgs extends ImageImportArgsBase {
  /** Region the image lands in. */
  readonly region: pulumi.Input<string>;
  /** Name of the new image (JD requires one). */
  readonly imageName: pulumi.Input<string>;
  /** `linux` or `windows`. @default "linux" */
  readonly osType?: pulumi.Input<string>;
  /** OS version, e.g. `7.4`. @default - none */
  readonly osVersion?: pulumi.Input<string>;
  /** System disk size in GiB, 40-500 and a multiple of 10. @default - `disks[0].sizeGiB`, else 40 */
  readonly systemDiskSizeGiB?: pulumi.Input<number>;
  /** Skip JD's compliance check. @default false */
  readonly forceImport?: pulumi.Input<boolean>;
}

/**
 * Imports one disk image from JD OSS into a private image with vm importImage and waits until the image is
 * ready: type `imageport:jdcloud:ImageImport`. JD Cloud cannot cancel an import: deleting a running one waits for
 * its end (`deleteTimeout`). With the default `removalPolicy: "destroy"` the image is then deleted. JD
 * Cloud images take no tags.
 */
export class ImageImport extends ImageImportComponent {
  /**
   * @param name logical name
   * @param args what to import
   * @param opts resource options (`customTimeouts.create` sets the default `waitTimeout`)
   */
  constructor(name: string, args: ImageImportArgs, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:jdcloud:ImageImport', 'jdcloud', name, args, opts);
  }
}
