import {
  DeleteBucketLifecycleCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type StaticCredentials } from '../../model/connection';
import { awsCall, isCloudErrorKind } from './errors';

/** Error codes S3 uses for "this bucket has no such configuration". */
const NO_CONFIGURATION = new Set([
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchBucketPolicy',
  'NoSuchLifecycleConfiguration',
]);

/**
 * The S3 bucket-configuration calls the driver makes (what the shared `ObjectStorage` does not cover), each turning
 * SDK errors into `CloudError`s.
 */
export class S3Api {
  /**
   * @param client a (lazily created) S3 client
   * @param credentials static credentials to redact from error messages
   */
  constructor(
    private readonly client: () => S3Client,
    private readonly credentials?: StaticCredentials,
  ) {}

  /**
   * The default-encryption algorithms of a bucket (`AES256`, `aws:kms`, `aws:kms:dsse`); `[]` when none is
   * configured; `undefined` when the store does not implement the call (`NotImplemented`).
   */
  public async defaultEncryption(bucket: string): Promise<string[] | undefined> {
    try {
      const out = await this.call('GetBucketEncryption', () => this.client().send(new GetBucketEncryptionCommand({ Bucket: bucket })));
      return (out.ServerSideEncryptionConfiguration?.Rules ?? [])
        .map((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm)
        .filter((a): a is NonNullable<typeof a> => a !== undefined)
        .map(String);
    } catch (error) {
      if (this.isNoConfiguration(error)) return [];
      if (this.isNotImplemented(error)) return undefined;
      throw error;
    }
  }

  /** Blocks every kind of public access to the bucket. */
  public async blockPublicAccess(bucket: string): Promise<void> {
    await this.call('PutPublicAccessBlock', () =>
      this.client().send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        }),
      ),
    );
  }

  /** Object ownership `BucketOwnerEnforced` (ACLs disabled). */
  public async enforceBucketOwner(bucket: string): Promise<void> {
    await this.call('PutBucketOwnershipControls', () =>
      this.client().send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })),
    );
  }

  /** Default encryption SSE-S3 (`AES256`): VM Export refuses buckets encrypted with SSE-KMS. */
  public async encryptWithS3ManagedKeys(bucket: string): Promise<void> {
    await this.call('PutBucketEncryption', () =>
      this.client().send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        }),
      ),
    );
  }

  /** The bucket policy, parsed; `undefined` when there is none. */
  public async bucketPolicy(bucket: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.call('GetBucketPolicy', () => this.client().send(new GetBucketPolicyCommand({ Bucket: bucket })));
      return out.Policy ? (JSON.parse(out.Policy) as Record<string, unknown>) : undefined;
    } catch (error) {
      if (this.isNoConfiguration(error)) return undefined;
      throw error;
    }
  }

  /** PutBucketPolicy. */
  public async putBucketPolicy(bucket: string, policy: Record<string, unknown>): Promise<void> {
    await this.call('PutBucketPolicy', () => this.client().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) })));
  }

  /** The bucket's lifecycle rules; `[]` when there are none. */
  public async lifecycleRules(bucket: string): Promise<LifecycleRule[]> {
    try {
      const out = await this.call('GetBucketLifecycleConfiguration', () =>
        this.client().send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
      );
      return out.Rules ?? [];
    } catch (error) {
      if (this.isNoConfiguration(error)) return [];
      throw error;
    }
  }

  /** PutBucketLifecycleConfiguration (replaces every rule). */
  public async putLifecycleRules(bucket: string, rules: LifecycleRule[]): Promise<void> {
    await this.call('PutBucketLifecycleConfiguration', () =>
      this.client().send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } })),
    );
  }

  /** DeleteBucketLifecycle (S3 takes no empty rule list). */
  public async deleteLifecycle(bucket: string): Promise<void> {
    await this.call('DeleteBucketLifecycle', () => this.client().send(new DeleteBucketLifecycleCommand({ Bucket: bucket })));
  }

  private isNoConfiguration(error: unknown): boolean {
    return isCloudErrorKind(error, 'not-found') || (error instanceof Error && 'code' in error && NO_CONFIGURATION.has(String(error.code)));
  }

  private isNotImplemented(error: unknown): boolean {
    return error instanceof Error && 'code' in error && error.code === 'NotImplemented';
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return awsCall(operation, fn, this.credentials);
  }
}
