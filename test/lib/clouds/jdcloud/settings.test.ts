import test from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { exportOssUrl, parseOssObjectUrl } from '../../../../lib/clouds/jdcloud/oss-url';
import { resolveJdcloudCredentials, resolveJdcloudEndpoints } from '../../../../lib/clouds/jdcloud/settings';
import { createJdcloudDriver } from '../../../../lib/clouds/jdcloud/driver';
import { JD_IMAGES, startJdKit } from '../../../emulator/jdcloud/jd-test-kit';

test('endpoints default to the public ones, then JDCLOUD_ENDPOINT_*, then the connection', (t) => {
  t.deepEqual(resolveJdcloudEndpoints({ region: 'cn-east-2' }, {}), {
    vm: 'https://vm.jdcloud-api.com',
    iam: 'https://iam.jdcloud-api.com',
    oss: 'https://s3.cn-east-2.jdcloud-oss.com',
    ossOverridden: false,
  });
  const env = { JDCLOUD_ENDPOINT_VM: 'http://127.0.0.1:1/', JDCLOUD_ENDPOINT_IAM: 'http://127.0.0.1:2', JDCLOUD_ENDPOINT_OSS: 'http://127.0.0.1:3' };
  t.deepEqual(resolveJdcloudEndpoints({ region: 'cn-east-2' }, env), { vm: 'http://127.0.0.1:1', iam: 'http://127.0.0.1:2', oss: 'http://127.0.0.1:3', ossOverridden: true });
  t.is(resolveJdcloudEndpoints({ region: 'cn-east-2', endpoints: { vm: 'http://x:9' } }, env).vm, 'http://x:9');
});

test('credentials come from the connection, else JDCLOUD_ACCESS_KEY / JDCLOUD_SECRET_KEY', (t) => {
  t.deepEqual(resolveJdcloudCredentials({ region: 'r' }, { JDCLOUD_ACCESS_KEY: 'ak', JDCLOUD_SECRET_KEY: 'sk' }), { accessKeyId: 'ak', secretAccessKey: 'sk' });
  const given = { accessKeyId: 'a', secretAccessKey: 'b' };
  t.is(resolveJdcloudCredentials({ region: 'r', credentials: given }, {}), given);
});

test('rejects missing credentials naming the variables, never a value', (t) => {
  const error = t.throws(() => resolveJdcloudCredentials({ region: 'r' }, { JDCLOUD_ACCESS_KEY: 'AK-VISIBLE-ONLY-HERE' })) as CloudError;
  t.is(error.kind, 'auth');
  t.regex(error.message, /JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY/);
  t.false(error.message.includes('AK-VISIBLE-ONLY-HERE'));
});

test('ossUrl is the bucket internal domain on JD Cloud and the path-style bucket URL on an overridden endpoint', (t) => {
  const real = resolveJdcloudEndpoints({ region: 'cn-east-2' }, {});
  t.is(exportOssUrl('test-export', 'cn-east-2', real), 'https://test-export.s3-internal.cn-east-2.jdcloud-oss.com');
  const local = resolveJdcloudEndpoints({ region: 'cn-east-2', endpoints: { oss: 'http://127.0.0.1:4000' } }, {});
  t.is(exportOssUrl('test-export', 'cn-east-2', local), 'http://127.0.0.1:4000/test-export');
  t.deepEqual(parseOssObjectUrl('https://b.s3.cn-north-1.jdcloud-oss.com/dir/a%20b.qcow2', real), { bucket: 'b', key: 'dir/a b.qcow2' });
  t.deepEqual(parseOssObjectUrl('http://127.0.0.1:4000/b/k/x.raw', local), { bucket: 'b', key: 'k/x.raw' });
  t.deepEqual(parseOssObjectUrl('https://s3.cn-north-1.jdcloud-oss.com/b/k/x.raw?X-Amz-Signature=00', real), { bucket: 'b', key: 'k/x.raw' });
  t.is(parseOssObjectUrl('https://example.com/a', real), undefined);
});

test('a driver built from the emulator environment alone reaches the emulated cloud', async (t) => {
  const kit = await startJdKit();
  try {
    const driver = createJdcloudDriver({ region: 'cn-east-2' }, { env: { ...kit.emulator.env } });
    t.is((await driver.vm.describeImage('cn-east-2', JD_IMAGES.golden)).status, 'ready');
    t.deepEqual(await driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'env-bucket' }), { name: 'env-bucket', created: true });
    const wrong = createJdcloudDriver({ region: 'cn-east-2' }, { env: { ...kit.emulator.env, JDCLOUD_SECRET_KEY: 'wrong' }, maxAttempts: 1 });
    const error = await t.throwsAsync(wrong.vm.describeImage('cn-east-2', JD_IMAGES.golden), { instanceOf: CloudError });
    t.is(error?.kind, 'auth');
    t.is(error?.code, 'ACCESS_ERROR');
  } finally {
    await kit.stop();
  }
});
