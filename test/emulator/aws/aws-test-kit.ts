import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../emulator';

/** The golden, exportable AMI of each region in the catalog. */
export const GOLDEN_AMI = { 'us-east-1': 'ami-0600d000000000001', 'eu-west-1': 'ami-0600d000000000002' } as const;

/** The documented VM Import/Export trust policy. */
export const VMIE_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'vmie.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } },
    },
  ],
};

/** The documented role policy, for an import bucket and an export bucket. */
export function vmieRolePolicy(importBucket: string, exportBucket: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${importBucket}`, `arn:aws:s3:::${importBucket}/*`] },
      {
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketAcl'],
        Resource: [`arn:aws:s3:::${exportBucket}`, `arn:aws:s3:::${exportBucket}/*`],
      },
      { Effect: 'Allow', Action: ['ec2:ModifySnapshotAttribute', 'ec2:CopySnapshot', 'ec2:RegisterImage', 'ec2:Describe*'], Resource: '*' },
    ],
  };
}

/** A hand-driven clock. */
export class ManualClock {
  private current: number;
  public constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }
  /** Now, epoch ms. */
  public now(): number {
    return this.current;
  }
  /** Moves time forward. */
  public advance(ms: number): void {
    this.current += ms;
  }
}

/** An emulator with SDK clients bound to it. */
export interface AwsKit {
  readonly emulator: Emulator;
  readonly clock: ManualClock;
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
  /** Clients for another region. */
  inRegion(region: string): { ec2: EC2Client; s3: S3Client };
  /** Creates `vmimport` with the documented trust and role policy for the buckets. */
  createVmimportRole(importBucket: string, exportBucket: string, roleName?: string): Promise<void>;
  /** Creates a bucket in a region (LocationConstraint outside us-east-1). */
  createBucket(name: string, region?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an emulator on a manual clock (unless options say otherwise) and binds the official SDK v3 clients to it. */
export async function startAwsKit(options: EmulatorOptions = {}, clientOptions: { maxAttempts?: number } = {}): Promise<AwsKit> {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, ...options });
  const clients = (region: string) => {
    const common = { region, credentials: emulator.credentials.aws, maxAttempts: clientOptions.maxAttempts ?? 1 };
    return {
      ec2: new EC2Client({ ...common, endpoint: emulator.endpoints.aws.ec2 }),
      iam: new IAMClient({ ...common, endpoint: emulator.endpoints.aws.iam }),
      s3: new S3Client({ ...common, endpoint: emulator.endpoints.aws.s3, forcePathStyle: true }),
      sts: new STSClient({ ...common, endpoint: emulator.endpoints.aws.sts }),
    };
  };
  const main = clients('us-east-1');
  return {
    emulator,
    clock,
    ...main,
    inRegion: (region) => {
      const { ec2, s3 } = clients(region);
      return { ec2, s3 };
    },
    createVmimportRole: async (importBucket, exportBucket, roleName = 'vmimport') => {
      await main.iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY) }));
      await main.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'vmimport', PolicyDocument: JSON.stringify(vmieRolePolicy(importBucket, exportBucket)) }));
    },
    createBucket: async (name, region = 'us-east-1') => {
      const { s3 } = clients(region);
      await s3.send(new CreateBucketCommand({ Bucket: name, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' } }) }));
    },
    stop: async () => {
      for (const client of Object.values(main)) client.destroy();
      await emulator.stop();
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
/** (IAM's modeled errors are named `…Exception` by the SDK; `Code` carries the wire code.) */
export async function rejection(promise: Promise<unknown>): Promise<Error & { name: string; Code?: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
