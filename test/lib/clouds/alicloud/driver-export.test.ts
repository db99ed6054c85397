import anyTest, { type TestFn } from 'ava';
import { gunzipSync } from 'node:zlib';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AlicloudExportSpec } from '../../../../lib/model/export-spec';
import { deterministicToken } from '../../../../lib/model/token';
import { TaskCancelledError, TaskFailedError, type WaitEvent } from '../../../../lib/wait';
import { IMAGES, startAlicloudEmulator, type AlicloudEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AlicloudEmulatorFixture>;
const BUCKET = 'golden-exports';
const OTHER_BUCKET = 'other-exports';

test.beforeEach(async (t) => {
  t.context = await startAlicloudEmulator();
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: BUCKET });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: OTHER_BUCKET });
});

test.afterEach.always(async (t) => {
  await t.context?.stop();
});

function spec(overrides: Partial<AlicloudExportSpec> = {}): AlicloudExportSpec {
  return { cloud: 'alicloud', region: 'cn-hangzhou', imageId: IMAGES.golden, bucket: BUCKET, prefix: 'golden', ...overrides };
}

test('exports an image to completion: validate, preflight, dry run, start, wait, artifact read back from OSS', async (t) => {
  const driver = t.context.driver();
  t.deepEqual(driver.validateExport(spec()), []);
  t.deepEqual((await driver.preflightExport(spec())).problems, []);
  t.deepEqual(await driver.checkExportPermissions(spec()), { allowed: true, verdict: 'allowed', method: 'DryRun (ExportImage)', detail: 'DryRunOperation' });
  t.is(t.context.emulator.inspect().tasks.length, 0, 'neither preflight nor the dry run starts a task');

  const token = deterministicToken(['test', 'alicloud-export']);
  const ref = await driver.startExport(spec(), token);
  t.like(ref, { cloud: 'alicloud', kind: 'export', imageId: IMAGES.golden, bucket: BUCKET, prefix: 'golden', format: 'raw', adopted: false, clientToken: token });
  const first = await driver.describe(ref);
  t.like(first, { state: 'pending', rawStatus: 'Waiting', artifacts: [] });

  const events: WaitEvent[] = [];
  const done = await t.context.wait(driver, ref, events);
  t.is(done.state, 'succeeded');
  t.is(done.rawStatus, 'Finished');
  t.is(done.progress, 100);
  const key = `golden_${IMAGES.golden}_system.raw.tar.gz`;
  const head = await driver.storage().head(BUCKET, key);
  t.truthy(head);
  t.deepEqual(done.artifacts, [{ bucket: BUCKET, key, format: 'raw.tar.gz', sizeBytes: head!.sizeBytes, uri: `oss://${BUCKET}/${key}`, disk: 'system' }]);
  t.deepEqual([...(await driver.storage().readRange(BUCKET, key, 0, 1))], [0x1f, 0x8b], 'a real tar.gz was written');
  t.true(events.some((event) => event.type === 'snapshot' && event.snapshot.state === 'running'), 'the waiter saw it Processing');
});

test('a second startExport for the same image and bucket adopts the running task: one task, not two', async (t) => {
  const first = await t.context.driver().startExport(spec(), 'tok-1');
  const again = await t.context.driver().startExport(spec(), 'tok-2');
  t.is(again.taskId, first.taskId);
  t.true(again.adopted);
  t.is(t.context.emulator.inspect().tasks.length, 1);
  const done = await t.context.wait(t.context.driver(), again);
  t.is(done.state, 'succeeded');
});

test('rejects an export of an image already being exported to another bucket, as a conflict naming the task', async (t) => {
  const first = await t.context.driver().startExport(spec(), 'tok');
  const error = await t.throwsAsync(t.context.driver().startExport(spec({ bucket: OTHER_BUCKET }), 'tok'), { instanceOf: CloudError });
  t.is(error?.code, 'ImageIsExporting');
  t.is(error?.kind, 'conflict');
  t.true(error?.message.includes(first.taskId));
  t.is(t.context.emulator.inspect().tasks.length, 1);
});

test('a dropped ExportImage response is retried into ImageIsExporting and resolved by adoption: one task', async (t) => {
  const { emulator } = t.context;
  const inner = t.context.sdkApi('cn-hangzhou', { sleep: async () => emulator.faults.clear() });
  const api = {
    ...inner,
    exportImage: async (params: Parameters<typeof inner.exportImage>[0]) => {
      emulator.faults.set({ rate: 1, kinds: ['drop-after'], clouds: ['alicloud'], services: ['ecs'], seed: 3 });
      return inner.exportImage(params);
    },
  };
  const ref = await t.context.driver({ api }).startExport(spec(), 'tok');
  t.true(ref.adopted);
  t.is(emulator.inspect().tasks.length, 1);
  t.is(emulator.inspect().tasks[0].id, ref.taskId);
});

test('exports every disk in qcow2 where ImageFormat is honoured, with names read from the task', async (t) => {
  const driver = t.context.driver({ region: 'ap-southeast-1' });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'ap-southeast-1', name: 'sg-exports' });
  const sgSpec = spec({ region: 'ap-southeast-1', imageId: IMAGES.goldenSingapore, bucket: 'sg-exports', format: 'qcow2', prefix: undefined });
  t.deepEqual((await driver.preflightExport(sgSpec)).problems, []);
  const done = await t.context.wait(driver, await driver.startExport(sgSpec, 'tok'));
  t.deepEqual(
    done.artifacts.map((a) => [a.key, a.format, a.disk, a.sizeBytes! > 0]),
    [
      [`${IMAGES.goldenSingapore}_system.qcow2`, 'qcow2', 'system', true],
      [`${IMAGES.goldenSingapore}_data_xvdb.qcow2`, 'qcow2', 'data-xvdb', true],
    ],
  );
  const magic = await driver.storage().readRange('sg-exports', done.artifacts[0].key, 0, 3);
  t.is(magic.toString('latin1'), 'QFI\xfb');
});

test('cancel ends the task cancelled; a second cancel reports already-ended', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startExport(spec(), 'tok');
  t.is(await driver.cancel(ref), 'cancelled');
  const error = await t.throwsAsync(t.context.wait(driver, ref), { instanceOf: TaskCancelledError });
  t.is(error?.snapshot.rawStatus, 'Deleted');
  t.is(await driver.cancel(ref), 'already-ended');
  t.is((await t.context.driver().describe({ ...ref, cancelRequested: true })).state, 'cancelled');
  t.is((await t.context.driver().describe(ref)).state, 'failed', 'a fresh driver without the cancel flag reads Deleted as a failure');
});

test('a task that fails inside ECS surfaces its ErrorCode through the waiter', async (t) => {
  const driver = t.context.driver();
  const api = t.context.sdkApi();
  const failing = {
    ...api,
    exportImage: async (params: Parameters<typeof api.exportImage>[0]) => {
      t.context.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['alicloud'], services: ['ecs'], seed: 1 });
      try {
        return await api.exportImage(params);
      } finally {
        t.context.emulator.faults.clear();
      }
    },
  };
  const ref = await t.context.driver({ api: failing }).startExport(spec(), 'tok');
  const error = await t.throwsAsync(t.context.wait(driver, ref), { instanceOf: TaskFailedError });
  t.is(error?.failureCode, 'ExportImageFailed');
  t.is(error?.snapshot.rawStatus, 'Failed');
});

test('throttling and 5xx on polls are retried: the export still completes', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startExport(spec(), 'tok');
  t.context.emulator.faults.set({ rate: 0.4, kinds: ['throttle', '5xx'], clouds: ['alicloud'], services: ['ecs', 'oss'], seed: 42 });
  const done = await t.context.wait(driver, ref);
  t.context.emulator.faults.clear();
  t.is(done.state, 'succeeded');
  t.is(done.artifacts.length, 1);
});

test('describe reports an artifact that disappeared from the bucket (drift)', async (t) => {
  const driver = t.context.driver();
  const done = await t.context.wait(driver, await driver.startExport(spec(), 'tok'));
  await driver.storage().delete(BUCKET, done.artifacts[0].key);
  const again = await driver.describe(done.ref);
  t.is(again.artifacts[0].sizeBytes, undefined);
  t.regex(again.message ?? '', /not in the bucket/);
});

const REFUSED: [string, Partial<AlicloudExportSpec>, string, CloudError['kind']][] = [
  ['a Marketplace-derived image', { imageId: IMAGES.marketplace }, 'ImageNotSupported', 'invalid'],
  ['an image with encrypted snapshots', { imageId: IMAGES.encrypted }, 'ImageNotSupported', 'invalid'],
  ['five data disks', { imageId: IMAGES.fiveDataDisks }, 'InvalidImage.DiskAmountOrSize', 'invalid'],
  ['a 501 GiB data disk', { imageId: IMAGES.bigDataDisk }, 'InvalidImage.DiskAmountOrSize', 'invalid'],
  ['Windows Server', { imageId: IMAGES.windows }, 'ImageNotSupported', 'invalid'],
  ['an image not Available', { imageId: IMAGES.unavailable }, 'IncorrectImageStatus', 'conflict'],
  ['a missing image', { imageId: 'm-missing' }, 'InvalidImageId.NotFound', 'not-found'],
  ['qcow2 where ImageFormat is not honoured', { format: 'qcow2' }, 'InvalidImageFormat.RegionNotSupported', 'invalid'],
  ['a missing bucket', { bucket: 'no-such-bucket' }, 'InvalidOSSBucket.NotFound', 'not-found'],
  ['a role that does not exist', { roleName: 'NoSuchRole' }, 'NoSetRoletoECSServiceAcount', 'denied'],
];

for (const [what, overrides, code, kind] of REFUSED) {
  test(`startExport of ${what} fails with ${code} (${kind}) and a message that says what to do`, async (t) => {
    const error = await t.throwsAsync(t.context.driver().startExport(spec(overrides), 'tok'), { instanceOf: CloudError });
    t.is(error?.code, code);
    t.is(error?.kind, kind);
    t.regex(error?.message ?? '', /what to do: /);
    t.is(t.context.emulator.inspect().tasks.length, 0);
  });
}

test('gunzipped RAW artifact holds a tar whose member is the raw disk with an MBR', async (t) => {
  const driver = t.context.driver();
  const done = await t.context.wait(driver, await driver.startExport(spec(), 'tok'));
  const artifact = done.artifacts[0];
  const bytes = await driver.storage().readRange(BUCKET, artifact.key, 0, artifact.sizeBytes! - 1);
  const tar = gunzipSync(bytes);
  t.is(tar.subarray(257, 262).toString(), 'ustar');
  t.deepEqual([...tar.subarray(512 + 510, 512 + 512)], [0x55, 0xaa], 'boot signature of the raw disk');
});
