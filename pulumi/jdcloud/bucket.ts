import * as pulumi from '@pulumi/pulumi';
import { type EndpointArgs } from '../common/task-args';
import { forwardingProvider } from '../provider/forwarding-provider';

/** Arguments of a JD Cloud {@link Bucket}. */
export interface BucketArgs extends EndpointArgs {
  /** Bucket name: 3-63 lower-case letters, digits and hyphens, no `--`, globally unique. */
  readonly bucketName: pulumi.Input<string>;
  /** Region of the bucket (`cn-east-2`): the region of the images exported into it. */
  readonly region: pulumi.Input<string>;
  /** Delete the bucket with its objects on `pulumi destroy`; otherwise a non-empty bucket is refused. @default false */
  readonly forceDestroy?: pulumi.Input<boolean>;
}

/**
 * A private JD OSS bucket, created over the S3 protocol: dynamic resource
 * `pulumi-nodejs:dynamic/imageport/jdcloud:Bucket`. Id: the bucket name. A new name or region replaces.
 */
export class Bucket extends pulumi.dynamic.Resource {
  /** The bucket name. */
  declare public readonly bucketName: pulumi.Output<string>;
  /** The region. */
  declare public readonly region: pulumi.Output<string>;

  /**
   * @param name logical name
   * @param args name, region, forceDestroy
   * @param opts resource options
   */
  constructor(name: string, args: BucketArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwardingProvider('jdcloud-bucket'), name, { ...args }, opts, 'imageport/jdcloud', 'Bucket');
  }
}
