import type * as pulumi from '@pulumi/pulumi';
import { ImageImportComponent, type ImageImportArgsBase } from '../common/image-import-component';
import { regionOf } from '../common/task-args';

/** Client data of an AWS import (ClientData). */
export interface ImportClientDataArgs {
  /** Free-form comment. @default - none */
  readonly comment?: pulumi.Input<string>;
  /** Upload start time, ISO-8601. @default - none */
  readonly uploadStart?: pulumi.Input<string>;
  /** Upload end time, ISO-8601. @default - none */
  readonly uploadEnd?: pulumi.Input<string>;
  /** Size of the upload in GiB. @default - none */
  readonly uploadSize?: pulumi.Input<number>;
}

/** Arguments of an AWS {@link ImageImport}. */
export interface ImageImportArgs extends ImageImportArgsBase {
  /** Region the AMI lands in. @default - the `aws:region` stack config, else `AWS_REGION` / `AWS_DEFAULT_REGION` */
  readonly region?: pulumi.Input<string>;
  /** The VM Import/Export service role. @default "vmimport" */
  readonly roleName?: pulumi.Input<string>;
  /** License type: `AWS` or `BYOL`. @default - AWS chooses */
  readonly licenseType?: pulumi.Input<string>;
  /** Tags of the import task; a change re-tags the task and, once the import has finished, the AMI, in place. @default - none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Target hypervisor (only `xen`). @default - not sent */
  readonly hypervisor?: pulumi.Input<string>;
  /** Encrypt the snapshots of the new AMI. @default false */
  readonly encrypted?: pulumi.Input<boolean>;
  /** KMS key for encryption; needs `encrypted: true`. @default - the account's default EBS key */
  readonly kmsKeyId?: pulumi.Input<string>;
  /** Client data. @default - none */
  readonly clientData?: pulumi.Input<ImportClientDataArgs>;
  /** License Manager configuration ARNs. @default - none */
  readonly licenseConfigurationArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Usage operation (`RunInstances:0002`…); exclusive with `licenseType`. @default - none */
  readonly usageOperation?: pulumi.Input<string>;
}

/**
 * Imports disk images from S3 into an AMI with EC2 ImportImage and waits for the AMI: type
 * `imageport:aws:ImageImport`. Started with a deterministic client token, so an interrupted `pulumi up` finds its
 * task again. Deleting the resource cancels a running import and, with the default `removalPolicy: "destroy"`,
 * deregisters the AMI and deletes its snapshots.
 */
export class ImageImport extends ImageImportComponent {
  /**
   * @param name logical name
   * @param args what to import
   * @param opts resource options (`customTimeouts.create` sets the default `waitTimeout`)
   */
  constructor(name: string, args: ImageImportArgs, opts?: pulumi.ComponentResourceOptions) {
    const region = regionOf('imageport:aws:ImageImport', name, args.region, 'aws', ['AWS_REGION', 'AWS_DEFAULT_REGION']);
    super('imageport:aws:ImageImport', 'aws', name, { ...args, region }, opts);
  }
}
