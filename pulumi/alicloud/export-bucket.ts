import * as alicloud from '@pulumi/alicloud';
import * as pulumi from '@pulumi/pulumi';
import { type BucketLifecycleArgs, hasLifecycle, lifecycleProblems } from '../common/bucket-lifecycle';

/** Arguments of an Alibaba Cloud {@link ExportBucket}. */
export interface ExportBucketArgs {
  /** Bucket name (3-63 lower-case letters, digits and hyphens, globally unique). @default - auto-named by Pulumi */
  readonly bucketName?: pulumi.Input<string>;
  /** Delete the bucket with its objects on `pulumi destroy`. @default false */
  readonly forceDestroy?: pulumi.Input<boolean>;
  /** Lifecycle of exported objects. @default - kept forever */
  readonly lifecycle?: BucketLifecycleArgs;
  /** Key prefix the lifecycle applies to. @default - the whole bucket */
  readonly lifecyclePrefix?: pulumi.Input<string>;
  /** Tags of the bucket. @default - none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * An OSS bucket for ECS image exports: type `imageport:alicloud:ExportBucket`. Private ACL, public access
 * blocked, server-side encryption (AES256), optional lifecycle. It must be in the region of the images exported into
 * it (the provider's region).
 */
export class ExportBucket extends pulumi.ComponentResource {
  /** The bucket's name: pass it as `bucket` to `ImageExport`. */
  public readonly bucketName: pulumi.Output<string>;
  /** The OSS bucket. */
  public readonly bucket: alicloud.oss.Bucket;

  /**
   * @param name logical name
   * @param args name, lifecycle, tags
   * @param opts resource options
   * @throws Error naming the field when the lifecycle is inconsistent
   */
  constructor(name: string, args: ExportBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:alicloud:ExportBucket', name, {}, opts);
    const problems = lifecycleProblems(args.lifecycle);
    if (problems.length > 0) throw new Error(`imageport:alicloud:ExportBucket "${name}" is invalid:\n  - ${problems.join('\n  - ')}`);
    const parent = { parent: this };
    const lifecycle = args.lifecycle;
    this.bucket = new alicloud.oss.Bucket(
      name,
      {
        bucket: args.bucketName,
        forceDestroy: args.forceDestroy ?? false,
        tags: args.tags,
        ...(hasLifecycle(lifecycle)
          ? {
              lifecycleRules: [
                {
                  id: 'imageport-exports',
                  enabled: true,
                  prefix: args.lifecyclePrefix ?? '',
                  ...(lifecycle.expireAfterDays !== undefined ? { expirations: [{ days: lifecycle.expireAfterDays }] } : {}),
                  ...(lifecycle.transitionAfterDays !== undefined
                    ? { transitions: [{ days: lifecycle.transitionAfterDays, storageClass: lifecycle.transitionStorageClass ?? 'Archive' }] }
                    : {}),
                },
              ],
            }
          : {}),
      },
      parent,
    );
    new alicloud.oss.BucketAcl(`${name}-acl`, { bucket: this.bucket.bucket, acl: 'private' }, parent);
    new alicloud.oss.BucketPublicAccessBlock(`${name}-public-access-block`, { bucket: this.bucket.bucket, blockPublicAccess: true }, parent);
    new alicloud.oss.BucketServerSideEncryption(`${name}-encryption`, { bucket: this.bucket.bucket, sseAlgorithm: 'AES256' }, parent);
    this.bucketName = this.bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
