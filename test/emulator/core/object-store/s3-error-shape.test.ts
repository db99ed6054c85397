import test from 'ava';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startAwsKit } from '../../aws/aws-test-kit';
import { errorCode, rawRequest } from '../../raw-request';

// Found by test/emulator/aws/request-parsing-properties.test.ts: every S3 error is `<Error>` XML with RequestId and
// HostId; the store's own errors had them, but the ones s3rver answers (NoSuchBucket, NoSuchKey, …) did not, and a
// method S3 has no operation for came back from s3rver's router as a plain-text 404 "Not Found".

test('pinned: errors s3rver answers itself carry RequestId and HostId matching the x-amz-request-id / x-amz-id-2 headers', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const answer = await rawRequest({ endpoint: kit.emulator.endpoints.aws.s3, method: 'GET', path: '/missing-bucket-here', sign: { service: 's3', region: 'us-east-1', ...kit.emulator.credentials.aws } });
  t.is(answer.status, 404);
  t.is(errorCode(answer.body), 'NoSuchBucket');
  t.true(answer.body.includes(`<RequestId>${String(answer.headers['x-amz-request-id'])}</RequestId><HostId>${String(answer.headers['x-amz-id-2'])}</HostId>`), answer.body);
  t.true(answer.body.includes('<BucketName>missing-bucket-here</BucketName>'), 's3rver details stay');
});

test('pinned: a method S3 has no operation for is 405 MethodNotAllowed in S3\'s error shape', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.s3.send(new CreateBucketCommand({ Bucket: 'methods' }));
  const sign = { service: 's3', region: 'us-east-1', ...kit.emulator.credentials.aws };
  for (const [path, resourceType] of [['/methods', 'BUCKET'], ['/methods/key', 'OBJECT'], ['/', 'SERVICE']]) {
    const answer = await rawRequest({ endpoint: kit.emulator.endpoints.aws.s3, method: 'PATCH', path, body: 'a', sign });
    t.is(answer.status, 405, answer.body);
    t.is(String(answer.headers['content-type']), 'application/xml');
    t.regex(answer.body, new RegExp(`<Code>MethodNotAllowed</Code>.*<Method>PATCH</Method><ResourceType>${resourceType}</ResourceType><RequestId>[^<]+</RequestId><HostId>`, 's'));
  }
});
