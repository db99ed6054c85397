import test from 'ava';
import { CreateTagsCommand, DescribeImagesCommand, EC2Client, ExportImageCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GOLDEN_AMI, rejection, startAwsKit, type AwsKit } from './aws-test-kit';

function restrictedClients(kit: AwsKit) {
  const common = { region: 'us-east-1', credentials: kit.emulator.restrictedCredentials.aws, maxAttempts: 1 };
  return {
    ec2: new EC2Client({ ...common, endpoint: kit.emulator.endpoints.aws.ec2 }),
    iam: new IAMClient({ ...common, endpoint: kit.emulator.endpoints.aws.iam }),
    s3: new S3Client({ ...common, endpoint: kit.emulator.endpoints.aws.s3, forcePathStyle: true }),
    sts: new STSClient({ ...common, endpoint: kit.emulator.endpoints.aws.sts }),
  };
}

const EXPORT = { ImageId: GOLDEN_AMI['us-east-1'], DiskImageFormat: 'VMDK' as const, S3ExportLocation: { S3Bucket: 'restricted-exports' } };

test('the restricted key reads EC2 but every change is 403 UnauthorizedOperation, DryRun included', async (t) => {
  const kit = await startAwsKit();
  const reader = restrictedClients(kit);
  t.teardown(async () => {
    reader.ec2.destroy();
    await kit.stop();
  });
  t.not(kit.emulator.restrictedCredentials.aws.accessKeyId, kit.emulator.credentials.aws.accessKeyId);
  const { Images } = await reader.ec2.send(new DescribeImagesCommand({ ImageIds: [GOLDEN_AMI['us-east-1']] }));
  t.is(Images?.length, 1);
  t.is((await rejection(reader.ec2.send(new DescribeImagesCommand({ ImageIds: [GOLDEN_AMI['us-east-1']], DryRun: true })))).name, 'DryRunOperation');
  for (const dryRun of [false, true]) {
    const denied = await rejection(reader.ec2.send(new ExportImageCommand({ ...EXPORT, DryRun: dryRun })));
    t.is(denied.name, 'UnauthorizedOperation');
    t.is(denied.$metadata?.httpStatusCode, 403);
    t.regex(denied.message, /^You are not authorized to perform this operation\. User: arn:aws:iam::123456789012:user\/imageport-emulator-reader is not authorized to perform: ec2:ExportImage/);
  }
  t.is((await rejection(reader.ec2.send(new CreateTagsCommand({ Resources: [GOLDEN_AMI['us-east-1']], Tags: [{ Key: 'k', Value: 'v' }] })))).name, 'UnauthorizedOperation');
  // The all-powerful key gets the DryRun answer for the same call.
  t.is((await rejection(kit.ec2.send(new ExportImageCommand({ ...EXPORT, DryRun: true })))).name, 'DryRunOperation');
  t.is(kit.emulator.inspect().tasks.length, 0);
});

test('the restricted key may read IAM and STS (as its own user) but not change IAM (403 AccessDenied)', async (t) => {
  const kit = await startAwsKit();
  const reader = restrictedClients(kit);
  t.teardown(async () => {
    reader.iam.destroy();
    reader.sts.destroy();
    await kit.stop();
  });
  const identity = await reader.sts.send(new GetCallerIdentityCommand({}));
  t.is(identity.Arn, 'arn:aws:iam::123456789012:user/imageport-emulator-reader');
  t.is(identity.Account, kit.emulator.accounts.aws);
  t.is((await rejection(reader.iam.send(new GetRoleCommand({ RoleName: 'vmimport' })))).name, 'NoSuchEntityException');
  const denied = await rejection(reader.iam.send(new CreateRoleCommand({ RoleName: 'vmimport', AssumeRolePolicyDocument: '{}' })));
  t.is(denied.Code ?? denied.name, 'AccessDenied');
  t.is(denied.$metadata?.httpStatusCode, 403);
  t.is(
    denied.message,
    'User: arn:aws:iam::123456789012:user/imageport-emulator-reader is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/vmimport because no identity-based policy allows the iam:CreateRole action',
  );
  t.deepEqual(kit.emulator.inspect().roles, []);
});

test('the restricted key may read S3 but not write (403 AccessDenied)', async (t) => {
  const kit = await startAwsKit();
  const reader = restrictedClients(kit);
  t.teardown(async () => {
    reader.s3.destroy();
    await kit.stop();
  });
  await kit.createBucket('restricted-exports');
  await reader.s3.send(new HeadBucketCommand({ Bucket: 'restricted-exports' }));
  t.deepEqual((await reader.s3.send(new ListObjectsV2Command({ Bucket: 'restricted-exports' }))).KeyCount, 0);
  const denied = await rejection(reader.s3.send(new PutObjectCommand({ Bucket: 'restricted-exports', Key: 'k', Body: 'x' })));
  t.is(denied.name, 'AccessDenied');
  t.is(denied.$metadata?.httpStatusCode, 403);
  t.deepEqual(kit.emulator.inspect().buckets.find((bucket) => bucket.name === 'restricted-exports')?.objects, []);
});
