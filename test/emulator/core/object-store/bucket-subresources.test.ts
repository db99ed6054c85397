import test from 'ava';
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { startAwsKit } from '../../aws/aws-test-kit';
import { errorCode, rawRequest } from '../../raw-request';

// Found by test/emulator/jdcloud/request-parsing-properties.test.ts: `PUT /missing-a%2Bb?versioning&…` answered 200
// and created the bucket (s3rver does not route `versioning`, so it took the PUT for CreateBucket, past the store's
// own CreateBucket checks), where S3 answers NoSuchBucket. And `PUT /b?junk=1`, which S3 treats as CreateBucket,
// skipped the store's CreateBucket (LocationConstraint, region) because its query was not empty.

test('pinned: a subresource the emulator does not implement is NoSuchBucket on a missing bucket, NotImplemented on an existing one, and never creates a bucket', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const sign = { service: 's3', region: 'us-east-1', ...kit.emulator.credentials.aws };
  const endpoint = kit.emulator.endpoints.aws.s3;
  for (const subresource of ['versioning', 'accelerate', 'logging', 'intelligent-tiering']) {
    const missing = await rawRequest({ endpoint, method: 'PUT', path: '/missing-a%2Bb', query: { [subresource]: '', constructor: 'x' }, body: '&x=1', sign });
    t.is(missing.status, 404, `${subresource}: ${missing.body}`);
    t.is(errorCode(missing.body), 'NoSuchBucket');
  }
  t.deepEqual((await kit.s3.send(new ListBucketsCommand({}))).Buckets ?? [], [], 'no bucket was created');
  await kit.s3.send(new CreateBucketCommand({ Bucket: 'existing' }));
  const existing = await rawRequest({ endpoint, method: 'GET', path: '/existing', query: { versioning: '' }, sign });
  t.is(existing.status, 501);
  t.is(errorCode(existing.body), 'NotImplemented');
});

test('pinned: parameters that name no subresource leave CreateBucket the store\'s (LocationConstraint checked, region recorded)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const endpoint = kit.emulator.endpoints.aws.s3;
  const inEu = { service: 's3', region: 'eu-west-1', ...kit.emulator.credentials.aws };
  const refused = await rawRequest({ endpoint, method: 'PUT', path: '/junk-query', query: { junk: '1' }, sign: inEu });
  t.is(refused.status, 400, 'no LocationConstraint on a eu-west-1 endpoint');
  t.is(errorCode(refused.body), 'IllegalLocationConstraintException');
  const body = '<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>';
  const created = await rawRequest({ endpoint, method: 'PUT', path: '/junk-query', query: { junk: '1' }, body, sign: inEu });
  t.is(created.status, 200, created.body);
  t.deepEqual(kit.emulator.inspect().buckets.map((bucket) => [bucket.name, bucket.region]), [['junk-query', 'eu-west-1']]);
});
