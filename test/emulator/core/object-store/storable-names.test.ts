import test from 'ava';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { MAX_KEY_SEGMENT_BYTES, unstorableBucket, unstorableKey, unstorableNameResponse } from '../../../../emulator/core/object-store/storable-names';
import { startAwsKit } from '../../aws/aws-test-kit';
import { errorCode, rawRequest } from '../../raw-request';

// Found by test/emulator/aws/request-parsing-properties.test.ts: a signed GET of `bucket/missing-%00` reached
// s3rver's file system store, which threw on the NUL byte: 500 InternalError instead of S3's 404 NoSuchKey.

test('names the file system cannot hold are named with the reason', (t) => {
  t.is(unstorableKey('a\u0000b'), 'it contains a NUL character');
  t.is(unstorableKey('a/../b'), 'it has a "." or ".." segment');
  t.is(unstorableKey('./b'), 'it has a "." or ".." segment');
  t.is(unstorableKey(`${'x'.repeat(MAX_KEY_SEGMENT_BYTES + 1)}/b`), `a "/"-separated part is longer than ${MAX_KEY_SEGMENT_BYTES} bytes`);
  t.is(unstorableKey(`${'é'.repeat(117)}`), 'a "/"-separated part is longer than 233 bytes', 'bytes, not characters');
  t.is(unstorableKey(`${'x'.repeat(MAX_KEY_SEGMENT_BYTES)}/${'y'.repeat(MAX_KEY_SEGMENT_BYTES)}`), undefined);
  t.is(unstorableKey('exports/a..b/.hidden/x.vmdk'), undefined);
  t.is(unstorableBucket('..'), 'it is not a single path segment');
  t.is(unstorableBucket('a/b'), 'it is not a single path segment');
  t.is(unstorableBucket('b\u0000'), 'it contains a NUL character');
  t.is(unstorableBucket('my-bucket'), undefined);
});

test('answers: reads as missing, DeleteObject 204, writes refused, over 1024 bytes KeyTooLongError', (t) => {
  const code = (method: string, bucket: string, key?: string) => {
    const answer = unstorableNameResponse(method, bucket, key, 'req-1', (name) => name === 'b');
    return answer && [answer.status, /<Code>([^<]+)<\/Code>/.exec(String(answer.body ?? ''))?.[1]];
  };
  t.deepEqual(code('GET', 'b', 'a\u0000'), [404, 'NoSuchKey']);
  t.deepEqual(code('HEAD', 'b', '../x'), [404, 'NoSuchKey']);
  t.deepEqual(code('DELETE', 'b', '../x'), [204, undefined]);
  t.deepEqual(code('PUT', 'b', '../x'), [400, 'InvalidArgument']);
  t.deepEqual(code('POST', 'b', 'a\u0000'), [400, 'InvalidArgument']);
  t.deepEqual(code('GET', 'b', 'k'.repeat(1025)), [400, 'KeyTooLongError']);
  t.deepEqual(code('GET', '..', 'x'), [404, 'NoSuchBucket']);
  t.deepEqual(code('PUT', '..'), [400, 'InvalidBucketName']);
  t.is(code('GET', 'b', 'fine/key'), undefined);
  // Found by the OSS request-parsing property: DELETE /missing-./missing-%00 answered 204 for a bucket that does not exist.
  t.deepEqual(code('DELETE', 'missing', 'a\u0000'), [404, 'NoSuchBucket']);
  t.deepEqual(code('GET', 'missing', '../x'), [404, 'NoSuchBucket']);
  t.deepEqual(code('PUT', 'missing', '../x'), [404, 'NoSuchBucket']);
  t.is(code('PUT', 'b'), undefined);
});

test('pinned: over the wire, GET of "missing-%00" is 404 NoSuchKey (was 500) and a ".." key cannot leave the bucket', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.s3.send(new CreateBucketCommand({ Bucket: 'names' }));
  const sign = { service: 's3', region: 'us-east-1', ...kit.emulator.credentials.aws };
  const endpoint = kit.emulator.endpoints.aws.s3;
  const nul = await rawRequest({ endpoint, method: 'GET', path: '/names/missing-%00', sign });
  t.is(nul.status, 404, nul.body);
  t.is(errorCode(nul.body), 'NoSuchKey');
  const escaping = await rawRequest({ endpoint, method: 'PUT', path: '/names/a/..%2F..%2F..%2Fescaped', body: 'x', sign });
  t.is(escaping.status, 400, escaping.body);
  t.is(errorCode(escaping.body), 'InvalidArgument');
  const longSegment = await rawRequest({ endpoint, method: 'PUT', path: `/names/${'s'.repeat(300)}`, body: 'x', sign });
  t.is(longSegment.status, 400, 'a 300-byte key segment was ENAMETOOLONG, a 500');
  const missingBucket = await rawRequest({ endpoint, method: 'DELETE', path: '/missing-./missing-%00', sign });
  t.is(missingBucket.status, 404, 'a key that cannot exist in a bucket that does not exist: NoSuchBucket, not 204');
  t.is(errorCode(missingBucket.body), 'NoSuchBucket');
  // Ordinary keys are untouched.
  await kit.s3.send(new PutObjectCommand({ Bucket: 'names', Key: 'dir/.hidden/a..b', Body: 'x' }));
  t.is(await (await kit.s3.send(new GetObjectCommand({ Bucket: 'names', Key: 'dir/.hidden/a..b' }))).Body?.transformToString(), 'x');
  t.deepEqual((await kit.s3.send(new ListObjectsV2Command({ Bucket: 'names' }))).Contents?.map((object) => object.Key), ['dir/.hidden/a..b']);
});
