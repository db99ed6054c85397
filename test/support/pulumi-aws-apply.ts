import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type BucketLifecycleConfiguration,
  type ObjectOwnership,
  type ServerSideEncryption,
  type TransitionStorageClass,
} from '@aws-sdk/client-s3';
import { type RegisteredResource } from './pulumi-mock-program';

/** Where the emulated AWS is. */
export interface AwsTarget {
  /** IAM and S3 endpoints. */
  readonly endpoints: { readonly iam: string; readonly s3: string };
  /** The key pair the emulator accepts. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Region of the buckets. */
  readonly region: string;
}

/**
 * Stands in for the `pulumi-aws` provider plugin, which cannot run here: creates in the emulator what the program's
 * `aws:` resources declare (roles and inline policies in IAM; buckets and their encryption, public access block,
 * ownership, policy and lifecycle in S3), with exactly the inputs the program registered. The emulator then judges
 * those documents the way AWS would when the export runs (trust, permissions on the bucket, encryption).
 *
 * @returns the types applied, in order
 */
export async function applyAwsResources(resources: readonly RegisteredResource[], target: AwsTarget): Promise<string[]> {
  const iam = new IAMClient({ endpoint: target.endpoints.iam, region: target.region, credentials: target.credentials });
  const s3 = new S3Client({ endpoint: target.endpoints.s3, region: target.region, credentials: target.credentials, forcePathStyle: true });
  const applied: string[] = [];
  try {
    for (const resource of resources) {
      const inputs = resource.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      switch (resource.type) {
        case 'aws:iam/role:Role':
          await iam.send(new CreateRoleCommand({ RoleName: inputs.name, AssumeRolePolicyDocument: inputs.assumeRolePolicy, Description: inputs.description }));
          break;
        case 'aws:iam/rolePolicy:RolePolicy':
          await iam.send(new PutRolePolicyCommand({ RoleName: inputs.role, PolicyName: inputs.name, PolicyDocument: inputs.policy }));
          break;
        case 'aws:s3/bucket:Bucket':
          await s3.send(new CreateBucketCommand({ Bucket: inputs.bucket }));
          break;
        case 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration':
          await s3.send(
            new PutBucketEncryptionCommand({
              Bucket: inputs.bucket,
              ServerSideEncryptionConfiguration: {
                Rules: inputs.rules.map((rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }) => ({
                  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: rule.applyServerSideEncryptionByDefault.sseAlgorithm as ServerSideEncryption },
                })),
              },
            }),
          );
          break;
        case 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock':
          await s3.send(
            new PutPublicAccessBlockCommand({
              Bucket: inputs.bucket,
              PublicAccessBlockConfiguration: {
                BlockPublicAcls: inputs.blockPublicAcls,
                BlockPublicPolicy: inputs.blockPublicPolicy,
                IgnorePublicAcls: inputs.ignorePublicAcls,
                RestrictPublicBuckets: inputs.restrictPublicBuckets,
              },
            }),
          );
          break;
        case 'aws:s3/bucketOwnershipControls:BucketOwnershipControls':
          await s3.send(
            new PutBucketOwnershipControlsCommand({
              Bucket: inputs.bucket,
              OwnershipControls: { Rules: [{ ObjectOwnership: inputs.rule.objectOwnership as ObjectOwnership }] },
            }),
          );
          break;
        case 'aws:s3/bucketPolicy:BucketPolicy':
          await s3.send(new PutBucketPolicyCommand({ Bucket: inputs.bucket, Policy: inputs.policy }));
          break;
        case 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': {
          const configuration: BucketLifecycleConfiguration = {
            Rules: inputs.rules.map((rule: any) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
              ID: rule.id,
              Status: rule.status,
              Filter: { Prefix: rule.filter?.prefix ?? '' },
              ...(rule.expiration ? { Expiration: { Days: rule.expiration.days } } : {}),
              ...(rule.transitions
                ? { Transitions: rule.transitions.map((t: { days: number; storageClass: string }) => ({ Days: t.days, StorageClass: t.storageClass as TransitionStorageClass })) }
                : {}),
            })),
          };
          await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: inputs.bucket, LifecycleConfiguration: configuration }));
          break;
        }
        default:
          continue;
      }
      applied.push(resource.type);
    }
  } finally {
    iam.destroy();
    s3.destroy();
  }
  return applied;
}
