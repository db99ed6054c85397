import test from 'ava';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { rejection, startAwsKit } from '../../aws/aws-test-kit';
import { errorCode, rawRequest } from '../../raw-request';

test('s3: buckets remember their region (LocationConstraint → GetBucketLocation, HeadBucket)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('us-bucket');
  await kit.createBucket('eu-bucket', 'eu-west-1');
  t.is((await kit.s3.send(new GetBucketLocationCommand({ Bucket: 'us-bucket' }))).LocationConstraint, undefined, 'us-east-1 reads as an empty constraint');
  t.is((await kit.s3.send(new GetBucketLocationCommand({ Bucket: 'eu-bucket' }))).LocationConstraint, 'eu-west-1');
  t.is((await kit.s3.send(new HeadBucketCommand({ Bucket: 'eu-bucket' }))).BucketRegion, 'eu-west-1');
  t.deepEqual(
    kit.emulator.inspect().buckets.map((bucket) => [bucket.name, bucket.region]),
    [
      ['eu-bucket', 'eu-west-1'],
      ['us-bucket', 'us-east-1'],
    ],
  );
  await kit.s3.send(new CreateBucketCommand({ Bucket: 'us-bucket' }));
  t.pass('re-creating an owned us-east-1 bucket succeeds, as in S3');
  const eu = kit.inRegion('eu-west-1').s3;
  const again = await rejection(eu.send(new CreateBucketCommand({ Bucket: 'eu-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
  t.is(again.name, 'BucketAlreadyOwnedByYou');
});

test('rejects CreateBucket whose LocationConstraint does not fit the signing region', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const eu = kit.inRegion('eu-west-1').s3;
  // The SDK fills LocationConstraint from its region, so the bare request is sent by hand.
  const bare = await rawRequest({ endpoint: kit.emulator.endpoints.aws.s3, method: 'PUT', path: '/no-constraint', sign: { service: 's3', region: 'eu-west-1', ...kit.emulator.credentials.aws } });
  t.is(bare.status, 400);
  t.is(errorCode(bare.body), 'IllegalLocationConstraintException');
  const mismatch = await rejection(eu.send(new CreateBucketCommand({ Bucket: 'other', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })));
  t.is(mismatch.name, 'InvalidLocationConstraint');
  t.is(kit.emulator.inspect().buckets.length, 0);
});

test('s3: objects round-trip with the SDK defaults, including streamed aws-chunked uploads with trailing checksums', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('data');
  await kit.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'buffer.bin', Body: Buffer.from('buffer body') }));
  await kit.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'dir/stream.bin', Body: Readable.from([Buffer.from('stream '), Buffer.from('body')]), ContentLength: 11 }));
  const read = async (key: string) => (await kit.s3.send(new GetObjectCommand({ Bucket: 'data', Key: key }))).Body!.transformToString();
  t.is(await read('buffer.bin'), 'buffer body');
  t.is(await read('dir/stream.bin'), 'stream body');
  const listed = await kit.s3.send(new ListObjectsV2Command({ Bucket: 'data' }));
  t.deepEqual(listed.Contents?.map((object) => object.Key), ['buffer.bin', 'dir/stream.bin']);
  t.deepEqual(kit.emulator.inspect().buckets[0].objects, [
    { key: 'buffer.bin', sizeBytes: 11 },
    { key: 'dir/stream.bin', sizeBytes: 11 },
  ]);
  await kit.s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'buffer.bin' }));
  await kit.s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'dir/stream.bin' }));
  await kit.s3.send(new DeleteBucketCommand({ Bucket: 'data' }));
  t.deepEqual(kit.emulator.inspect().buckets, []);
});

test('rejects an upload whose checksum does not match its body (BadDigest)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('data');
  const answer = await rawRequest({
    endpoint: kit.emulator.endpoints.aws.s3,
    method: 'PUT',
    path: '/data/object',
    body: 'payload',
    headers: { 'x-amz-checksum-crc32': 'AAAAAA==' },
    sign: { service: 's3', region: 'us-east-1', ...kit.emulator.credentials.aws },
  });
  t.is(answer.status, 400);
  t.is(errorCode(answer.body), 'BadDigest');
});

test('s3: bucket hardening configurations are stored and returned; defaults follow S3 since 2023', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('hardened');
  const Bucket = 'hardened';
  const defaults = await kit.s3.send(new GetPublicAccessBlockCommand({ Bucket }));
  t.deepEqual(defaults.PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  t.is((await kit.s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
  t.is((await kit.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0].ObjectOwnership, 'BucketOwnerEnforced');

  await kit.s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false } }));
  t.is((await kit.s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration?.IgnorePublicAcls, false);
  await kit.s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
  t.is((await kit.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0].ObjectOwnership, 'BucketOwnerPreferred');

  t.is((await rejection(kit.s3.send(new GetBucketPolicyCommand({ Bucket })))).name, 'NoSuchBucketPolicy');
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'tls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::hardened/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });
  await kit.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }));
  t.is((await kit.s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, policy);
  await kit.s3.send(new DeleteBucketPolicyCommand({ Bucket }));
  t.is((await rejection(kit.s3.send(new GetBucketPolicyCommand({ Bucket })))).name, 'NoSuchBucketPolicy');
  t.is((await rejection(kit.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: 'not json' })))).name, 'MalformedPolicy');

  t.is((await rejection(kit.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).name, 'NoSuchLifecycleConfiguration');
  await kit.s3.send(
    new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }] } }),
  );
  const lifecycle = await kit.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
  t.like(lifecycle.Rules?.[0], { ID: 'expire', Status: 'Enabled', Expiration: { Days: 7 } });
  t.deepEqual(kit.emulator.inspect().buckets[0].configs, ['lifecycle', 'ownershipControls', 'publicAccessBlock']);
  t.is((await rejection(kit.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'missing-bucket' })))).name, 'NoSuchBucket');
});

test('rejects unsigned requests, unknown keys (s3rver\'s default S3RVER key included) and bad signatures', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('private');
  const unsigned = await rawRequest({ endpoint: kit.emulator.endpoints.aws.s3, method: 'GET', path: '/private' });
  t.is(unsigned.status, 403);
  t.is(errorCode(unsigned.body), 'AccessDenied');
  const client = (accessKeyId: string, secretAccessKey: string) =>
    new S3Client({ region: 'us-east-1', endpoint: kit.emulator.endpoints.aws.s3, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId, secretAccessKey } });
  t.is((await rejection(client('S3RVER', 'S3RVER').send(new ListObjectsV2Command({ Bucket: 'private' })))).name, 'InvalidAccessKeyId');
  t.is((await rejection(client(kit.emulator.credentials.aws.accessKeyId, 'wrong-secret').send(new ListObjectsV2Command({ Bucket: 'private' })))).name, 'SignatureDoesNotMatch');
});

test('rejects a bad signature with S3\'s SignatureDoesNotMatch body: the key id, what the server signed and its bytes', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('echo');
  const { accessKeyId } = kit.emulator.credentials.aws;
  const answer = await rawRequest({
    endpoint: kit.emulator.endpoints.aws.s3,
    method: 'GET',
    path: '/echo',
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-security-token': 'session-token-value' },
    sign: { service: 's3', region: 'us-east-1', accessKeyId, secretAccessKey: 'wrong-secret' },
  });
  t.is(answer.status, 403);
  t.is(errorCode(answer.body), 'SignatureDoesNotMatch');
  t.regex(answer.body, new RegExp(`<AWSAccessKeyId>${accessKeyId}</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n\\d{8}T\\d{6}Z\n\\d{8}/us-east-1/s3/aws4_request\n[0-9a-f]{64}</StringToSign><SignatureProvided>[0-9a-f]{64}</SignatureProvided><StringToSignBytes>41 57 53 34 `));
  t.regex(answer.body, /<CanonicalRequest>GET\n\/echo\n\n[^<]*x-amz-security-token:session-token-value\n[^<]*<\/CanonicalRequest><CanonicalRequestBytes>47 45 54 0a /);
});

test('s3: faults apply to the object store too (drop-after stores the object but loses the answer; throttle is SlowDown)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('data');
  kit.emulator.faults.set({ rate: 1, kinds: ['drop-after'], services: ['s3'] });
  const lost = await rejection(kit.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'k', Body: 'v' })));
  t.regex(`${lost.name} ${lost.message} ${String((lost as { code?: string }).code)}`, /ECONNRESET|socket hang up|EPIPE/);
  t.deepEqual(kit.emulator.inspect().buckets[0].objects, [{ key: 'k', sizeBytes: 1 }], 'the upload happened');
  kit.emulator.faults.set({ rate: 1, kinds: ['throttle'], services: ['s3'] });
  const throttled = await rejection(kit.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'k' })));
  t.is(throttled.name, 'SlowDown');
  t.is(throttled.$metadata?.httpStatusCode, 503);
});
