import test from 'ava';
import { presignOssGetUrl } from '../../../../lib/clouds/jdcloud/oss-presign';
import { startJdKit, type JdKit } from '../../../emulator/jdcloud/jd-test-kit';

// The presigned link is checked by the emulator's own SigV4 verifier in front of its JD OSS (independent code).

let kit: JdKit;
test.before(async () => {
  kit = await startJdKit();
  await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'private-disks' });
  await kit.driver.storage().put('private-disks', 'dir/disk image.qcow2', Buffer.from('QFI\xfbpresigned-bytes', 'latin1'));
});
test.after.always(async () => {
  await kit?.stop();
});

function link(overrides: Partial<Parameters<typeof presignOssGetUrl>[0]> = {}): string {
  return presignOssGetUrl({
    endpoint: kit.emulator.endpoints.jdcloud.oss,
    bucket: 'private-disks',
    key: 'dir/disk image.qcow2',
    region: 'cn-east-2',
    credentials: kit.emulator.credentials.jdcloud,
    ...overrides,
  });
}

test('a presigned link reads a private object without credentials', async (t) => {
  const url = link();
  t.regex(url, /\/private-disks\/dir\/disk%20image\.qcow2\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=/);
  t.regex(url, /X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/);
  const res = await fetch(url);
  t.is(res.status, 200);
  t.is(Buffer.from(await res.arrayBuffer()).toString('latin1'), 'QFI\xfbpresigned-bytes');
});

test('rejects a tampered, an expired or a wrongly keyed link', async (t) => {
  const tampered = link().replace('disk%20image', 'other');
  t.is((await fetch(tampered)).status, 403);
  const expired = link({ date: new Date(Date.now() - 2 * 3600_000), expiresSeconds: 3600 });
  t.is((await fetch(expired)).status, 403);
  const wrong = link({ credentials: { ...kit.emulator.credentials.jdcloud, secretAccessKey: 'not-the-secret' } });
  t.is((await fetch(wrong)).status, 403);
  t.throws(() => link({ expiresSeconds: 604_801 }), { instanceOf: RangeError, message: /expiresSeconds 604801/ });
});

test('startImport from bucket and key hands importImage a presigned link', async (t) => {
  const ref = await kit.driver.startImport(
    { cloud: 'jdcloud', region: 'cn-east-2', disks: [{ bucket: 'private-disks', key: 'dir/disk image.qcow2', format: 'qcow2' }], imageName: 'presigned-import' },
    'ip-presign',
  );
  const { taskSet } = await kit.vm.imageTasks({ regionId: 'cn-east-2', taskAction: 'ImportImage', taskIds: [ref.taskId] });
  const imageUrl = taskSet[0].imageUrl ?? '';
  t.regex(imageUrl, /X-Amz-Signature=/);
  t.is((await fetch(imageUrl)).status, 200);
});
