import test from 'ava';
import { ExportBucket, tlsOnlyBucketPolicy } from '../../../pulumi/aws/export-bucket';
import { promiseOf, runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';

function one(resources: RegisteredResource[], type: string): RegisteredResource {
  const found = resources.filter((r) => r.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

test.serial('hardens the bucket: public access blocked, SSE-S3, owner-enforced, TLS-only policy, all children parented', async (t) => {
  const run = await runUnderMocks(() => {
    const bucket = new ExportBucket('exports', { bucketName: 'acme-exports' });
    return { name: promiseOf(bucket.bucketName) };
  });
  const component = one(run.resources, 'imageport:aws:ExportBucket');
  const bucket = one(run.resources, 'aws:s3/bucket:Bucket');
  const block = one(run.resources, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
  const encryption = one(run.resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
  const ownership = one(run.resources, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls');
  const policy = one(run.resources, 'aws:s3/bucketPolicy:BucketPolicy');
  for (const child of [bucket, block, encryption, ownership, policy]) t.is(child.parent, component.urn, child.type);
  t.is(bucket.inputs.bucket, 'acme-exports');
  t.is(bucket.inputs.forceDestroy, false);
  t.like(block.inputs, { bucket: 'acme-exports', blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  t.deepEqual(encryption.inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]);
  t.deepEqual(ownership.inputs.rule, { objectOwnership: 'BucketOwnerEnforced' });
  t.deepEqual(JSON.parse(String(policy.inputs.policy)), tlsOnlyBucketPolicy('arn:aws:s3:::acme-exports'));
  t.deepEqual(tlsOnlyBucketPolicy('arn:aws:s3:::b').Statement, [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
  t.is(run.resources.filter((r) => r.type === 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').length, 0);
  t.is(await run.result.name, 'acme-exports');
});

test.serial('adds a lifecycle rule on the prefix when asked', async (t) => {
  const run = await runUnderMocks(() => {
    new ExportBucket('exports', {
      bucketName: 'acme-exports',
      lifecycle: { expireAfterDays: 90, transitionAfterDays: 30 },
      lifecyclePrefix: 'exports/',
    });
  });
  const lifecycle = one(run.resources, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
  t.deepEqual(lifecycle.inputs.rules, [
    {
      id: 'imageport-exports',
      status: 'Enabled',
      filter: { prefix: 'exports/' },
      expiration: { days: 90 },
      transitions: [{ days: 30, storageClass: 'GLACIER' }],
    },
  ]);
});

test.serial('rejects a lifecycle whose transition is not before its expiry, naming the field and value', async (t) => {
  const error = await t.throwsAsync(() =>
    runUnderMocks(() => {
      new ExportBucket('exports', { lifecycle: { expireAfterDays: 10, transitionAfterDays: 30 } });
    }),
  );
  t.regex(error!.message, /lifecycle\.transitionAfterDays: 30 must be less than expireAfterDays \(10\)/);
});
