import * as pulumi from '@pulumi/pulumi';
import { type EndpointArgs } from '../common/task-args';
import { Bucket } from './bucket';

/** Arguments of a JD Cloud {@link ExportBucket}. */
export interface ExportBucketArgs extends EndpointArgs {
  /** Bucket name: 3-63 lower-case letters, digits and hyphens, no `--`, globally unique. */
  readonly bucketName: pulumi.Input<string>;
  /** Region of the bucket: the region of the images exported into it (JD documents export in `cn-east-2`). */
  readonly region: pulumi.Input<string>;
  /** Delete the bucket with its objects on `pulumi destroy`. @default false */
  readonly forceDestroy?: pulumi.Input<boolean>;
}

/**
 * A private JD OSS bucket for image exports: type `imageport:jdcloud:ExportBucket`, around the {@link Bucket}
 * dynamic resource. JD OSS buckets are private unless an ACL says otherwise, and none is set. Lifecycle rules are not
 * offered: the JD driver does not manage them (set them in the JD OSS console).
 */
export class ExportBucket extends pulumi.ComponentResource {
  /** The bucket's name: pass it as `bucket` to `ImageExport` and in `ImageExportRole.exportBuckets`. */
  public readonly bucketName: pulumi.Output<string>;
  /** The bucket. */
  public readonly bucket: Bucket;

  /**
   * @param name logical name
   * @param args name, region
   * @param opts resource options
   */
  constructor(name: string, args: ExportBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:jdcloud:ExportBucket', name, {}, opts);
    this.bucket = new Bucket(name, args, { parent: this });
    this.bucketName = this.bucket.bucketName;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
