import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { CloudError } from '../../../lib/model/cloud-error';
import { createS3ProtocolStorage, normalizeBucketLocation } from '../../../lib/storage/s3-protocol-storage';
import { type S3rverFixture, startS3rver } from './s3rver-fixture';

let s3rver: S3rverFixture;

test.before(async () => {
  s3rver = await startS3rver();
});

test.after.always(async () => {
  await s3rver?.close();
});

test.serial('creates a bucket idempotently and tells whether buckets exist', async (t) => {
  const storage = s3rver.storage('alicloud');
  t.false(await storage.bucketExists('exports-one'));
  await storage.createBucket('exports-one');
  await storage.createBucket('exports-one');
  t.true(await storage.bucketExists('exports-one'));
});

test.serial('writes, reads back metadata and byte ranges, and lists', async (t) => {
  const storage = s3rver.storage('jdcloud');
  await storage.createBucket('exports-two');
  await storage.put('exports-two', 'disks/a.qcow2', Buffer.from('0123456789abcdef'));
  await storage.put('exports-two', 'disks/b.qcow2', 'text body');
  await storage.put('exports-two', 'other/c.raw', Buffer.alloc(3));
  const head = await storage.head('exports-two', 'disks/a.qcow2');
  t.is(head?.key, 'disks/a.qcow2');
  t.is(head?.sizeBytes, 16);
  t.regex(head?.etag ?? '', /^[0-9a-f]{32}$/, 'etag without quotes');
  t.true(head?.lastModified instanceof Date);
  t.is((await storage.readRange('exports-two', 'disks/a.qcow2', 4, 7)).toString(), '4567');
  t.is((await storage.readRange('exports-two', 'disks/a.qcow2', 10, 1000)).toString(), 'abcdef', 'a range past the end is cut');
  t.deepEqual(
    (await storage.list('exports-two', 'disks/')).map((o) => [o.key, o.sizeBytes]),
    [
      ['disks/a.qcow2', 16],
      ['disks/b.qcow2', 9],
    ],
  );
  t.is((await storage.list('exports-two')).length, 3);
  t.is(await text(await storage.readStream('exports-two', 'disks/b.qcow2')), 'text body');
});

test.serial('lists every page with ListObjects (markers)', async (t) => {
  const storage = s3rver.storage('jdcloud', { listVersion: 1, listPageSize: 2 });
  await storage.createBucket('paged');
  const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
  for (const key of keys) await storage.put('paged', key, key);
  t.deepEqual((await storage.list('paged', 'k')).map((o) => o.key), keys);
});

test('lists every page with ListObjectsV2 (continuation tokens)', async (t) => {
  // s3rver's continuation tokens use DES, which Node 20's OpenSSL 3 refuses: serve the pages from a stub instead.
  const pages = [
    { keys: ['a/1', 'a/2'], next: 'token-1' },
    { keys: ['a/3'], next: undefined },
  ];
  const queries: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://stub').searchParams;
    queries.push(query);
    const page = pages[query.get('continuation-token') === 'token-1' ? 1 : 0];
    const contents = page.keys
      .map((key) => `<Contents><Key>${key}</Key><Size>7</Size><ETag>"e"</ETag></Contents>`)
      .join('');
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Prefix>a/</Prefix>` +
        `<KeyCount>${page.keys.length}</KeyCount><MaxKeys>2</MaxKeys>` +
        `<IsTruncated>${page.next ? 'true' : 'false'}</IsTruncated>` +
        (page.next ? `<NextContinuationToken>${page.next}</NextContinuationToken>` : '') +
        `${contents}</ListBucketResult>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const storage = createS3ProtocolStorage({
      cloud: 'alicloud',
      region: 'cn-hangzhou',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      listPageSize: 2,
    });
    const objects = await storage.list('b', 'a/');
    t.deepEqual(objects.map((o) => [o.key, o.sizeBytes, o.etag]), [
      ['a/1', 7, 'e'],
      ['a/2', 7, 'e'],
      ['a/3', 7, 'e'],
    ]);
  } finally {
    server.close();
  }
  t.is(queries.length, 2);
  t.is(queries[0].get('list-type'), '2');
  t.is(queries[0].get('max-keys'), '2');
  t.is(queries[1].get('continuation-token'), 'token-1');
});

test.serial('a missing object reads as undefined from head, and deleting it is not an error', async (t) => {
  const storage = s3rver.storage('aws');
  await storage.createBucket('gaps');
  t.is(await storage.head('gaps', 'nothing-here'), undefined);
  t.is(await storage.head('no-such-bucket', 'nothing-here'), undefined);
  await t.notThrowsAsync(storage.delete('gaps', 'nothing-here'));
  await t.notThrowsAsync(storage.delete('no-such-bucket', 'nothing-here'));
  await t.notThrowsAsync(storage.deleteBucket('no-such-bucket'));
});

test.serial('fails with a not-found CloudError when reading a range of a missing object', async (t) => {
  const error = await t.throwsAsync(s3rver.storage('aws').readRange('gaps', 'nothing-here', 0, 10), {
    instanceOf: CloudError,
  });
  t.is(error?.code, 'NoSuchKey');
  t.is(error?.kind, 'not-found');
  t.is(error?.httpStatus, 404);
  t.is(error?.operation, 'GetObject');
});

test.serial('rejects a range that is not a range', async (t) => {
  await t.throwsAsync(s3rver.storage('aws').readRange('gaps', 'x', 10, 5), {
    instanceOf: RangeError,
    message: /start 10 and endInclusive 5 must be integers with 0 <= start <= endInclusive/,
  });
});

test.serial('fails with an invalid CloudError for a range that starts past the end', async (t) => {
  const storage = s3rver.storage('aws');
  await storage.put('gaps', 'small', 'abc');
  const error = await t.throwsAsync(storage.readRange('gaps', 'small', 100, 200), { instanceOf: CloudError });
  t.is(error?.code, 'InvalidRange');
  t.is(error?.kind, 'invalid');
});

test.serial('fails with a conflict CloudError when deleting a bucket that is not empty, then deletes it emptied', async (t) => {
  const storage = s3rver.storage('aws');
  await storage.createBucket('full-bucket');
  await storage.put('full-bucket', 'x', 'x');
  const error = await t.throwsAsync(storage.deleteBucket('full-bucket'), { instanceOf: CloudError });
  t.is(error?.code, 'BucketNotEmpty');
  t.is(error?.kind, 'conflict');
  await storage.delete('full-bucket', 'x');
  await storage.deleteBucket('full-bucket');
  t.false(await storage.bucketExists('full-bucket'));
});

test.serial('fails with an auth CloudError for an unknown access key, and never shows the secret', async (t) => {
  // s3rver checks the access key id but not SigV4 signatures (it only verifies V2 ones).
  await s3rver.storage('aws').createBucket('signed');
  const wrong = createS3ProtocolStorage({
    cloud: 'aws',
    region: 'us-east-1',
    endpoint: s3rver.endpoint,
    credentials: { accessKeyId: 'UNKNOWNKEY', secretAccessKey: 'not-the-secret-value' },
    maxAttempts: 1,
  });
  const error = await t.throwsAsync(wrong.list('signed'), { instanceOf: CloudError });
  t.is(error?.code, 'InvalidAccessKeyId');
  t.is(error?.kind, 'auth');
  t.is(error?.httpStatus, 403);
  t.false(error?.message.includes('not-the-secret-value'));
});

test.serial('reads the bucket region, with the legacy empty value meaning us-east-1 on S3', async (t) => {
  t.is(await s3rver.storage('aws').bucketRegion('signed'), 'us-east-1');
  t.is(await s3rver.storage('alicloud').bucketRegion('signed'), undefined);
});

test('normalises GetBucketLocation values', (t) => {
  t.is(normalizeBucketLocation('aws', null), 'us-east-1');
  t.is(normalizeBucketLocation('aws', ''), 'us-east-1');
  t.is(normalizeBucketLocation('aws', 'EU'), 'eu-west-1');
  t.is(normalizeBucketLocation('aws', 'eu-central-1'), 'eu-central-1');
  t.is(normalizeBucketLocation('alicloud', 'oss-cn-hangzhou'), 'cn-hangzhou');
  t.is(normalizeBucketLocation('jdcloud', 'cn-north-1'), 'cn-north-1');
  t.is(normalizeBucketLocation('jdcloud', undefined), undefined);
});

test.serial('takes the endpoint and credentials from the cloud\'s environment variables', async (t) => {
  const storage = createS3ProtocolStorage({
    cloud: 'alicloud',
    region: 'cn-hangzhou',
    maxAttempts: 1,
    env: {
      ALIBABA_CLOUD_ENDPOINT_OSS: s3rver.endpoint,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'S3RVER',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'S3RVER',
    },
  });
  await storage.createBucket('from-env');
  t.true(await storage.bucketExists('from-env'));
});

test('fails with an auth CloudError naming the variables when Alibaba or JD credentials are missing', async (t) => {
  for (const [cloud, names] of [
    ['alicloud', /ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/],
    ['jdcloud', /JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY/],
  ] as const) {
    const storage = createS3ProtocolStorage({ cloud, region: 'r-1', endpoint: 'http://127.0.0.1:9', env: {} });
    const error = await t.throwsAsync(storage.head('b', 'k'), { instanceOf: CloudError });
    t.is(error?.kind, 'auth');
    t.is(error?.code, 'MissingCredentials');
    t.regex(error?.message ?? '', names);
  }
});

test('fails with a transient CloudError when the store cannot be reached', async (t) => {
  const storage = createS3ProtocolStorage({
    cloud: 'aws',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
  const error = await t.throwsAsync(storage.list('bucket'), { instanceOf: CloudError });
  t.is(error?.kind, 'transient');
  t.is(error?.code, 'ECONNREFUSED');
});

test('sends plain signed payloads (no aws-chunked, no checksum trailers) in path style to an endpoint override', async (t) => {
  const seen: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers });
      response.writeHead(200, { etag: '"abc"' });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    for (const cloud of ['alicloud', 'jdcloud'] as const) {
      const storage = createS3ProtocolStorage({
        cloud,
        region: 'cn-north-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      });
      await storage.put('bucket-x', 'dir/file.bin', Buffer.alloc(70_000, 1));
    }
  } finally {
    server.close();
  }
  t.is(seen.length, 2);
  for (const request of seen) {
    t.is(request.method, 'PUT');
    t.is(new URL(request.url ?? '/', 'http://stub').pathname, '/bucket-x/dir/file.bin', 'path style');
    t.not(request.headers['content-encoding'], 'aws-chunked');
    t.notRegex(String(request.headers['x-amz-content-sha256']), /^STREAMING-/);
    t.is(request.headers['x-amz-trailer'], undefined);
    t.is(request.headers['x-amz-sdk-checksum-algorithm'], undefined);
    t.is(request.headers['content-length'], '70000');
  }
});

test('importing the module does not load the S3 SDK', (t) => {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      "require('./lib/storage/s3-protocol-storage'); process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('@aws-sdk/client-s3'))))",
    ],
    { cwd: `${__dirname}/../../..`, encoding: 'utf8' },
  );
  t.is(result.stdout, 'false', result.stderr);
});
