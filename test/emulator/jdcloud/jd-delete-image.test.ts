import test from 'ava';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { jdRaw, JD_IMAGES, ManualClock, startJdKit, vmPath, type JdKit, type JdRawResponse } from './jd-test-kit';

const MINUTE = 60_000;

/** A minimal QCOW2 v3 header of the given virtual size. */
function qcow2Header(virtualSizeBytes: number): Buffer {
  const header = Buffer.alloc(1024);
  header.write('QFI\xfb', 0, 'binary');
  header.writeUInt32BE(3, 4);
  header.writeUInt32BE(16, 20);
  header.writeBigUInt64BE(BigInt(virtualSizeBytes), 24);
  return header;
}

async function withKit(run: (kit: JdKit, clock: ManualClock) => Promise<void>): Promise<void> {
  const clock = new ManualClock();
  const kit = await startJdKit({ clock });
  try {
    await run(kit, clock);
  } finally {
    await kit.stop();
  }
}

function deleteCall(kit: JdKit, imageId: string, query = 'deleteSnapshot=true', credentials = kit.emulator.credentials.jdcloud): Promise<JdRawResponse> {
  return jdRaw({
    endpoint: kit.emulator.endpoints.jdcloud.vm,
    method: 'DELETE',
    path: vmPath(`/regions/cn-east-2/images/${imageId}`),
    query,
    sign: { ...credentials, region: 'cn-east-2', service: 'vm' },
  });
}

async function importedImage(kit: JdKit): Promise<string> {
  await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'uploads' });
  await kit.driver.storage().put('uploads', 'disk.qcow2', qcow2Header(8 * 1024 * 1024));
  const { imageId } = await kit.vm.importImage({
    regionId: 'cn-east-2',
    architecture: 'x86_64',
    osType: 'linux',
    platform: 'Other Linux',
    diskFormat: 'qcow2',
    systemDiskSizeGB: 40,
    imageUrl: `${kit.emulator.endpoints.jdcloud.oss}/uploads/disk.qcow2`,
    imageName: 'to-delete',
  });
  return imageId;
}

test('deleteImage refuses an image still being imported, then deletes it once ready (no result); describeImage is then 404', async (t) => {
  await withKit(async (kit, clock) => {
    const imageId = await importedImage(kit);
    const busy = await deleteCall(kit, imageId);
    t.is(busy.status, 400, busy.body);
    t.like(busy.json?.error, { code: 400, status: 'FAILED_PRECONDITION' });
    t.regex(String((busy.json?.error as { message: string }).message), /has a task in progress \(its import\)/);
    clock.advance(30 * MINUTE);
    t.is((await kit.vm.describeImage('cn-east-2', imageId)).status, 'ready');
    const done = await deleteCall(kit, imageId);
    t.is(done.status, 200, done.body);
    t.deepEqual(Object.keys(done.json ?? {}), ['requestId']);
    t.is(done.headers['x-jdcloud-request-id'], String(done.json?.requestId));
    const gone = await deleteCall(kit, imageId);
    t.is(gone.status, 404);
    t.like(gone.json?.error, { status: 'NOT_FOUND' });
    await t.throwsAsync(kit.vm.describeImage('cn-east-2', imageId), { message: /NOT_FOUND|not found/ });
    t.false(kit.emulator.inspect().images.some((image) => image.id === imageId));
  });
});

test('deleteImage deletes a private catalog image (without the query too), and refuses public and shared images, an image being exported, a bad deleteSnapshot', async (t) => {
  await withKit(async (kit) => {
    for (const imageId of [JD_IMAGES.publicImage, JD_IMAGES.shared]) {
      const refused = await deleteCall(kit, imageId);
      t.is(refused.status, 400);
      t.regex(String((refused.json?.error as { message: string }).message), /only private images can be deleted/);
    }
    t.like((await deleteCall(kit, JD_IMAGES.golden, 'deleteSnapshot=yes')).json?.error, { status: 'INVALID_ARGUMENT' });

    await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'exports' });
    const roleName = await kit.exportRole(['exports']);
    await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl: `${kit.emulator.endpoints.jdcloud.oss}/exports` });
    const exporting = await deleteCall(kit, JD_IMAGES.golden);
    t.regex(String((exporting.json?.error as { message: string }).message), /has a task in progress \(an export\)/);

    const otherRegion = await deleteCall(kit, JD_IMAGES.goldenNorth, '');
    t.is(otherRegion.status, 404, 'goldenNorth lives in cn-north-1, not cn-east-2');
    const windows = await deleteCall(kit, JD_IMAGES.windows, '');
    t.is(windows.status, 200, windows.body);
    t.false(kit.emulator.inspect().images.some((image) => image.id === JD_IMAGES.windows));
  });
});

test('the restricted key may describe but every non-GET call is 403 HTTP_FORBIDDEN; its OSS writes are AccessDenied', async (t) => {
  await withKit(async (kit) => {
    const reader = kit.emulator.restrictedCredentials.jdcloud;
    t.not(reader.accessKeyId, kit.emulator.credentials.jdcloud.accessKeyId);
    const described = await jdRaw({
      endpoint: kit.emulator.endpoints.jdcloud.vm,
      path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}`),
      sign: { ...reader, region: 'cn-east-2', service: 'vm' },
    });
    t.is(described.status, 200, described.body);
    const denied = await deleteCall(kit, JD_IMAGES.golden, 'deleteSnapshot=true', reader);
    t.is(denied.status, 403);
    t.deepEqual(denied.json?.error, { code: 403, status: 'HTTP_FORBIDDEN', message: 'sub-user imageport-reader is not authorized to perform vm:deleteImage: no policy allows it' });
    const exportDenied = await jdRaw({
      endpoint: kit.emulator.endpoints.jdcloud.vm,
      method: 'POST',
      path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}:exportImage`),
      body: JSON.stringify({ roleName: 'r', ossUrl: `${kit.emulator.endpoints.jdcloud.oss}/exports` }),
      sign: { ...reader, region: 'cn-east-2', service: 'vm' },
    });
    t.is(exportDenied.status, 403);
    t.regex(String((exportDenied.json?.error as { message: string }).message), /not authorized to perform vm:exportImage/);
    const roleDenied = await jdRaw({
      endpoint: kit.emulator.endpoints.jdcloud.iam,
      method: 'POST',
      path: '/v1/role',
      body: JSON.stringify({ createRoleInfo: { roleName: 'x', type: 3, assumeRolePolicyDocument: '{}' } }),
      sign: { ...reader, region: 'cn-east-2', service: 'iam' },
    });
    t.is(roleDenied.status, 403);
    t.like(roleDenied.json?.error, { status: 'HTTP_FORBIDDEN', message: 'sub-user imageport-reader is not authorized to perform iam:createRole: no policy allows it' });
    t.true(kit.emulator.inspect().images.some((image) => image.id === JD_IMAGES.golden));
    await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'reader-bucket' });
    const oss = new S3Client({ region: 'cn-east-2', endpoint: kit.emulator.endpoints.jdcloud.oss, forcePathStyle: true, credentials: reader, maxAttempts: 1 });
    try {
      const write = await oss.send(new PutObjectCommand({ Bucket: 'reader-bucket', Key: 'k', Body: 'x' })).catch((error: unknown) => error as { name?: string });
      t.is((write as { name?: string }).name, 'AccessDenied');
    } finally {
      oss.destroy();
    }
  });
});
