import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type BucketLifecycleArgs, hasLifecycle, lifecycleProblems } from '../common/bucket-lifecycle';

/** Arguments of an AWS {@link ExportBucket}. */
export interface ExportBucketArgs {
  /** Bucket name. @default - auto-named by Pulumi from the logical name */
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
 * The bucket policy that refuses every request not made over TLS (`aws:SecureTransport` false), on the bucket and
 * its objects.
 */
export function tlsOnlyBucketPolicy(bucketArn: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/**
 * An S3 bucket set up for VM exports: type `imageport:aws:ExportBucket`. Public access blocked, SSE-S3 (AES256)
 * default encryption (ExportImage refuses SSE-KMS buckets), object ownership `BucketOwnerEnforced` (ACLs off),
 * a TLS-only bucket policy, and an optional lifecycle. It must be in the region of the AMIs exported into it.
 */
export class ExportBucket extends pulumi.ComponentResource {
  /** The bucket's name: pass it as `bucket` to `ImageExport` and in `VmImportRole.exportBuckets`. */
  public readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN. */
  public readonly bucketArn: pulumi.Output<string>;
  /** The S3 bucket. */
  public readonly bucket: aws.s3.Bucket;

  /**
   * @param name logical name
   * @param args name, lifecycle, tags
   * @param opts resource options
   * @throws Error naming the field when the lifecycle is inconsistent
   */
  constructor(name: string, args: ExportBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:aws:ExportBucket', name, {}, opts);
    const problems = lifecycleProblems(args.lifecycle);
    if (problems.length > 0) throw new Error(`imageport:aws:ExportBucket "${name}" is invalid:\n  - ${problems.join('\n  - ')}`);
    const parent = { parent: this };
    this.bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false, tags: args.tags }, parent);
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: this.bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
      parent,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, parent);
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { bucket: this.bucket.id, policy: this.bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
      { parent: this, dependsOn: [publicAccessBlock] },
    );
    if (hasLifecycle(args.lifecycle)) {
      const lifecycle = args.lifecycle;
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
          bucket: this.bucket.id,
          rules: [
            {
              id: 'imageport-exports',
              status: 'Enabled',
              filter: { prefix: args.lifecyclePrefix ?? '' },
              ...(lifecycle.expireAfterDays !== undefined ? { expiration: { days: lifecycle.expireAfterDays } } : {}),
              ...(lifecycle.transitionAfterDays !== undefined
                ? { transitions: [{ days: lifecycle.transitionAfterDays, storageClass: lifecycle.transitionStorageClass ?? 'GLACIER' }] }
                : {}),
            },
          ],
        },
        parent,
      );
    }
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
