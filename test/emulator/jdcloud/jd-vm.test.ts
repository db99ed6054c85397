import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudError } from '../../../lib/model/cloud-error';
import { jdRaw, JD_IMAGES, ManualClock, startJdKit, taskIdsQuery, vmPath, type JdKit } from './jd-test-kit';

const MINUTE = 60_000;

/** A minimal QCOW2 v3 header (enough for any header sniffer) of the given virtual size. */
function qcow2Header(virtualSizeBytes: number): Buffer {
  const header = Buffer.alloc(1024);
  header.write('QFI\xfb', 0, 'binary');
  header.writeUInt32BE(3, 4);
  header.writeUInt32BE(16, 20);
  header.writeBigUInt64BE(BigInt(virtualSizeBytes), 24);
  return header;
}

async function withKit(run: (kit: JdKit, clock: ManualClock) => Promise<void>, faults?: Parameters<typeof startJdKit>[0]): Promise<void> {
  const clock = new ManualClock();
  const kit = await startJdKit({ clock, ...faults });
  try {
    await run(kit, clock);
  } finally {
    await kit.stop();
  }
}

async function exportSetup(kit: JdKit, bucket = 'exports', region = 'cn-east-2'): Promise<{ ossUrl: string; roleName: string }> {
  await kit.driverFor(region).ensureBucket({ cloud: 'jdcloud', region, name: bucket });
  const roleName = await kit.exportRole([bucket]);
  return { ossUrl: `${kit.emulator.endpoints.jdcloud.oss}/${bucket}`, roleName };
}

async function exportTask(kit: JdKit, taskId: string, region = 'cn-east-2') {
  const { taskSet } = await kit.vm.imageTasks({ regionId: region, taskAction: 'ExportImage', taskIds: [taskId] });
  return taskSet[0];
}

test('an export moves pending → running → finished and writes a real QCOW2 named after prefix and image', async (t) => {
  await withKit(async (kit, clock) => {
    const { ossUrl, roleName } = await exportSetup(kit);
    const raw = await jdRaw({
      endpoint: kit.emulator.endpoints.jdcloud.vm,
      method: 'POST',
      path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}:exportImage`),
      body: JSON.stringify({ roleName, ossUrl, ossPrefix: 'jd2026' }),
      sign: { ...kit.emulator.credentials.jdcloud, region: 'cn-east-2', service: 'vm' },
    });
    t.is(raw.status, 200, raw.body);
    const taskId = (raw.json?.result as { taskId: unknown }).taskId;
    t.is(typeof taskId, 'string');

    t.like(await exportTask(kit, String(taskId)), { taskStatus: 'pending', progress: 0, action: 'ExportImage' });
    clock.advance(2 * MINUTE);
    const running = await exportTask(kit, String(taskId));
    t.is(running.taskStatus, 'running');
    t.true((running.progress ?? 0) > 0 && (running.progress ?? 0) < 100);
    t.is(running.ossObject, undefined);
    t.deepEqual(kit.emulator.inspect().buckets.find((b) => b.name === 'exports')?.objects, []);

    clock.advance(10 * MINUTE);
    const finished = await exportTask(kit, String(taskId));
    t.like(finished, { taskStatus: 'finished', progress: 100, imageId: JD_IMAGES.golden });
    const key = `jd2026_exportImage_${JD_IMAGES.golden}_${String(taskId)}.qcow2`;
    t.is(finished.ossObject, key);
    t.deepEqual(finished.ossObjects, [key]);
    const store = kit.driver.storage();
    const head = await store.readRange('exports', key, 0, 31);
    t.is(head.subarray(0, 4).toString('binary'), 'QFI\xfb');
    t.is(head.readUInt32BE(4), 3);
    t.is(Number(head.readBigUInt64BE(24)), 4 * 1024 * 1024);
  });
});

test('isAllDisk exports the data disks too, listed in ossObjects after the system disk', async (t) => {
  await withKit(async (kit, clock) => {
    const { ossUrl, roleName } = await exportSetup(kit);
    const { taskId } = await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl, isAllDisk: true });
    clock.advance(60 * MINUTE);
    const task = await exportTask(kit, taskId);
    t.deepEqual(task.ossObjects, [
      `exportImage_${JD_IMAGES.golden}_${taskId}.qcow2`,
      `exportImage_${JD_IMAGES.golden}_${taskId}_data1.qcow2`,
    ]);
    const objects = kit.emulator.inspect().buckets.find((b) => b.name === 'exports')?.objects.map((o) => o.key);
    t.deepEqual(objects, task.ossObjects);
  });
});

test('the same clientToken returns the same task, and only one task exists', async (t) => {
  await withKit(async (kit) => {
    const { ossUrl, roleName } = await exportSetup(kit);
    const request = { regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl, clientToken: 'tok-abc' };
    const first = await kit.vm.exportImage(request);
    const second = await kit.vm.exportImage(request);
    t.is(second.taskId, first.taskId);
    t.is(kit.emulator.inspect().tasks.filter((task) => task.cloud === 'jdcloud').length, 1);
    const third = await kit.vm.exportImage({ ...request, clientToken: 'tok-other' });
    t.not(third.taskId, first.taskId);
  });
});

test('imageTasks lists tasks by id (taskIds.N), by action and by status', async (t) => {
  await withKit(async (kit, clock) => {
    const { ossUrl, roleName } = await exportSetup(kit);
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl })).taskId);
    const res = await jdRaw({
      endpoint: kit.emulator.endpoints.jdcloud.vm,
      path: vmPath('/regions/cn-east-2/imageTasks'),
      query: `${taskIdsQuery('ExportImage', [ids[0], ids[10]])}&pageSize=10`,
      sign: { ...kit.emulator.credentials.jdcloud, region: 'cn-east-2', service: 'vm' },
    });
    const result = res.json?.result as { taskSet: { taskId: string }[]; totalCount: number };
    t.is(result.totalCount, 2);
    t.deepEqual(result.taskSet.map((task) => task.taskId).sort(), [ids[0], ids[10]].sort());
    const page = await kit.vm.imageTasks({ regionId: 'cn-east-2', taskAction: 'ExportImage', pageSize: 10 });
    t.is(page.taskSet.length, 10);
    t.is(page.totalCount, 11);
    t.is((await kit.vm.imageTasks({ regionId: 'cn-east-2', taskAction: 'ImportImage' })).totalCount, 0);
    clock.advance(60 * MINUTE);
    t.is((await kit.vm.imageTasks({ regionId: 'cn-east-2', taskStatus: 'finished', pageSize: 100 })).totalCount, 11);
  });
});

async function rejection(t: ExecutionContext, promise: Promise<unknown>, status: string, message: RegExp): Promise<void> {
  const error = await t.throwsAsync(promise, { instanceOf: CloudError });
  t.is(error?.code, status);
  t.regex(error?.message ?? '', message);
}

test('rejects the images the JD guide forbids, each with its reason', async (t) => {
  await withKit(async (kit) => {
    const { ossUrl, roleName } = await exportSetup(kit);
    const start = (imageId: string) => kit.vm.exportImage({ regionId: 'cn-east-2', imageId, roleName, ossUrl });
    await rejection(t, start(JD_IMAGES.notReady), 'FAILED_PRECONDITION', /is pending: only a ready image/);
    await rejection(t, start(JD_IMAGES.publicImage), 'FAILED_PRECONDITION', /public image: only your own private images/);
    await rejection(t, start(JD_IMAGES.shared), 'FAILED_PRECONDITION', /shared image/);
    await rejection(t, start(JD_IMAGES.localDisk), 'FAILED_PRECONDITION', /localDisk system disk/);
    await rejection(t, start(JD_IMAGES.windows), 'FAILED_PRECONDITION', /Windows Server image/);
    await rejection(t, start('img-doesnotexist'), 'NOT_FOUND', /not found/);
    t.truthy(await start(JD_IMAGES.windowsImported));
  });
});

test('rejects a missing role, an untrusted role, and a role whose policy does not cover the bucket', async (t) => {
  await withKit(async (kit) => {
    const { ossUrl } = await exportSetup(kit, 'exports');
    const start = (roleName: string) => kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl });
    await rejection(t, start('no-such-role'), 'FAILED_PRECONDITION', /does not exist/);
    await kit.iam.createRole({
      roleName: 'untrusted',
      type: 3,
      assumeRolePolicyDocument: JSON.stringify({ Version: '3', Statement: [{ Effect: 'Allow', Principal: 'jrn:iam::324100000385:root', Action: 'sts:assumeRole' }] }),
    });
    await rejection(t, start('untrusted'), 'FAILED_PRECONDITION', /not a service role trusted by the cloud-disk service/);
    await kit.exportRole([], 'no-policy-for-bucket');
    await rejection(t, start('no-policy-for-bucket'), 'FAILED_PRECONDITION', /not allowed to write to bucket exports/);
    await kit.exportRole(['other-bucket'], 'other-bucket-role');
    await rejection(t, start('other-bucket-role'), 'FAILED_PRECONDITION', /not allowed to write to bucket exports/);
  });
});

test('rejects a missing bucket, a bucket in another region, and ossUrls that are not the internal domain', async (t) => {
  await withKit(async (kit) => {
    const { roleName } = await exportSetup(kit, 'exports');
    await kit.driverFor('cn-north-1').ensureBucket({ cloud: 'jdcloud', region: 'cn-north-1', name: 'north-bucket' });
    await kit.exportRole(['exports', 'north-bucket', 'ghost'], roleName);
    const start = (ossUrl: string, ossPrefix?: string) => kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl, ossPrefix });
    const oss = kit.emulator.endpoints.jdcloud.oss;
    await rejection(t, start(`${oss}/ghost`), 'FAILED_PRECONDITION', /bucket ghost does not exist/);
    await rejection(t, start(`${oss}/north-bucket`), 'FAILED_PRECONDITION', /is in cn-north-1, but the image is in cn-east-2/);
    await rejection(t, start('https://exports.s3.cn-east-2.jdcloud-oss.com'), 'INVALID_ARGUMENT', /public domain; exportImage needs its internal domain/);
    await rejection(t, start('https://exports.s3-internal.cn-north-1.jdcloud-oss.com'), 'FAILED_PRECONDITION', /is in cn-north-1/);
    await rejection(t, start('not a url'), 'INVALID_ARGUMENT', /not a URL/);
    await rejection(t, start(`${oss}/exports`, 'has-dash'), 'INVALID_ARGUMENT', /ossPrefix "has-dash" is invalid/);
    t.truthy(await start('https://exports.s3-internal.cn-east-2.jdcloud-oss.com'));
  });
});

test('a fail-task fault ends the export failed with errorInfo and writes nothing', async (t) => {
  await withKit(
    async (kit, clock) => {
      const { ossUrl, roleName } = await exportSetup(kit);
      kit.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['jdcloud'], services: ['vm'], seed: 1 });
      const { taskId } = await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl });
      kit.emulator.faults.clear();
      clock.advance(60 * MINUTE);
      const task = await exportTask(kit, taskId);
      t.is(task.taskStatus, 'failed');
      t.regex(task.errorInfo ?? '', /export image failed/);
      t.is(task.ossObject, undefined);
      t.deepEqual(kit.emulator.inspect().buckets.find((b) => b.name === 'exports')?.objects, []);
    },
  );
});

test('a slow-task fault makes the export five times longer', async (t) => {
  await withKit(async (kit, clock) => {
    const { ossUrl, roleName } = await exportSetup(kit);
    const normal = await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl });
    kit.emulator.faults.set({ rate: 1, kinds: ['slow-task'], clouds: ['jdcloud'], services: ['vm'], seed: 1 });
    const slow = await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl });
    kit.emulator.faults.clear();
    clock.advance(6 * MINUTE);
    t.is((await exportTask(kit, normal.taskId)).taskStatus, 'finished');
    t.is((await exportTask(kit, slow.taskId)).taskStatus, 'running');
  });
});

test('throttling and 5xx faults answer in JD error shapes', async (t) => {
  await withKit(async (kit) => {
    const sign = { ...kit.emulator.credentials.jdcloud, region: 'cn-east-2', service: 'vm' };
    const endpoint = kit.emulator.endpoints.jdcloud.vm;
    kit.emulator.faults.set({ rate: 1, kinds: ['throttle'], clouds: ['jdcloud'], seed: 3 });
    const throttled = await jdRaw({ endpoint, path: vmPath('/regions/cn-east-2/imageTasks'), sign });
    t.is(throttled.status, 429);
    t.like(throttled.json?.error, { code: 429, status: 'RATE_LIMIT_EXCEEDED' });
    kit.emulator.faults.set({ rate: 1, kinds: ['5xx'], clouds: ['jdcloud'], seed: 3 });
    const failed = await jdRaw({ endpoint, path: vmPath('/regions/cn-east-2/imageTasks'), sign });
    t.is(failed.status, 503);
    t.like(failed.json?.error, { code: 503, status: 'UNAVAILABLE' });
    kit.emulator.faults.clear();
  });
});

test('an import creates a pending image that turns ready after its task finishes, and can then be exported', async (t) => {
  await withKit(async (kit, clock) => {
    const { ossUrl, roleName } = await exportSetup(kit);
    await kit.driver.storage().put('exports', 'uploads/web.qcow2', qcow2Header(8 * 1024 * 1024));
    const { imageId, taskId } = await kit.vm.importImage({
      regionId: 'cn-east-2',
      architecture: 'x86_64',
      osType: 'windows',
      platform: 'Windows Server',
      diskFormat: 'qcow2',
      systemDiskSizeGB: 40,
      imageUrl: `${kit.emulator.endpoints.jdcloud.oss}/exports/uploads/web.qcow2`,
      imageName: 'web-image',
      clientToken: 'imp-1',
    });
    t.regex(imageId, /^img-[a-z0-9]{10}$/);
    t.like(await kit.vm.describeImage('cn-east-2', imageId), { status: 'pending', imported: true, imageSource: 'private', rootDeviceType: 'cloudDisk' });
    clock.advance(30 * MINUTE);
    const { taskSet } = await kit.vm.imageTasks({ regionId: 'cn-east-2', taskAction: 'ImportImage', taskIds: [taskId] });
    t.like(taskSet[0], { taskStatus: 'finished', imageId, imageName: 'web-image' });
    t.is((await kit.vm.describeImage('cn-east-2', imageId)).status, 'ready');
    // An imported Windows image may be exported.
    t.truthy(await kit.vm.exportImage({ regionId: 'cn-east-2', imageId, roleName, ossUrl }));
  });
});

test('an import whose file is not the declared format fails with errorInfo, and its image is in error', async (t) => {
  await withKit(async (kit, clock) => {
    await exportSetup(kit);
    await kit.driver.storage().put('exports', 'uploads/web.qcow2', qcow2Header(8 * 1024 * 1024));
    const { imageId, taskId } = await kit.vm.importImage({
      regionId: 'cn-east-2',
      architecture: 'x86_64',
      osType: 'linux',
      platform: 'Other Linux',
      diskFormat: 'vhd',
      systemDiskSizeGB: 40,
      imageUrl: `${kit.emulator.endpoints.jdcloud.oss}/exports/uploads/web.qcow2`,
      imageName: 'bad-format',
    });
    clock.advance(30 * MINUTE);
    const { taskSet } = await kit.vm.imageTasks({ regionId: 'cn-east-2', taskIds: [taskId] });
    t.is(taskSet[0].taskStatus, 'failed');
    t.regex(taskSet[0].errorInfo ?? '', /the file is qcow2, not vhd/);
    t.is((await kit.vm.describeImage('cn-east-2', imageId)).status, 'error');
  });
});

test('rejects an import with values outside the documented sets', async (t) => {
  await withKit(async (kit) => {
    const base = {
      regionId: 'cn-east-2',
      architecture: 'x86_64',
      osType: 'linux',
      platform: 'Other Linux',
      diskFormat: 'qcow2',
      systemDiskSizeGB: 40,
      imageUrl: `${kit.emulator.endpoints.jdcloud.oss}/exports/a.qcow2`,
      imageName: 'ok-name',
    };
    await rejection(t, kit.vm.importImage({ ...base, architecture: 'i386' }), 'INVALID_ARGUMENT', /architecture "i386" is invalid/);
    await rejection(t, kit.vm.importImage({ ...base, systemDiskSizeGB: 45 }), 'INVALID_ARGUMENT', /multiple of 10/);
    await rejection(t, kit.vm.importImage({ ...base, imageName: 'has space' }), 'INVALID_ARGUMENT', /imageName/);
    await rejection(t, kit.vm.importImage({ ...base, imageUrl: 'https://example.com/a.qcow2' }), 'INVALID_ARGUMENT', /not a link to an object in JD OSS/);
  });
});

test('roles, tasks, images and objects survive a restart with a state folder', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'jd-state-'));
  try {
    const clock = new ManualClock();
    let kit = await startJdKit({ clock, stateDir });
    const { ossUrl, roleName } = await exportSetup(kit);
    const { taskId } = await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl, clientToken: 'persist-1' });
    await kit.stop();
    kit = await startJdKit({ clock, stateDir });
    try {
      t.is((await kit.iam.describeRole(roleName)).type, 3);
      t.is((await kit.vm.exportImage({ regionId: 'cn-east-2', imageId: JD_IMAGES.golden, roleName, ossUrl, clientToken: 'persist-1' })).taskId, taskId);
      clock.advance(60 * MINUTE);
      const task = await exportTask(kit, taskId);
      t.is(task.taskStatus, 'finished');
      t.truthy(await kit.driver.storage().head('exports', task.ossObject ?? ''));
      const snapshot = kit.emulator.inspect();
      t.true(snapshot.roles.some((role) => role.cloud === 'jdcloud' && role.name === roleName && role.attachedPolicies.length === 1));
      t.true(snapshot.images.some((image) => image.cloud === 'jdcloud' && image.id === JD_IMAGES.golden));
      t.true(snapshot.tasks.some((task) => task.cloud === 'jdcloud' && task.id === taskId && task.outcome === 'succeeded'));
    } finally {
      await kit.stop();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('the emulator publishes JD endpoints, regions, credentials and environment', async (t) => {
  await withKit(async (kit) => {
    const { endpoints, regions, credentials, accounts, env } = kit.emulator;
    t.regex(endpoints.jdcloud.vm, /^http:\/\/127\.0\.0\.1:\d+$/);
    t.true(regions.jdcloud.all.includes('cn-east-2') && regions.jdcloud.all.includes('cn-north-1'));
    t.is(regions.jdcloud.default, 'cn-east-2');
    t.regex(accounts.jdcloud, /^\d{12}$/);
    t.like(env, {
      JDCLOUD_ENDPOINT_VM: endpoints.jdcloud.vm,
      JDCLOUD_ENDPOINT_IAM: endpoints.jdcloud.iam,
      JDCLOUD_ENDPOINT_OSS: endpoints.jdcloud.oss,
      JDCLOUD_ACCESS_KEY: credentials.jdcloud.accessKeyId,
      JDCLOUD_SECRET_KEY: credentials.jdcloud.secretAccessKey,
    });
  });
});
