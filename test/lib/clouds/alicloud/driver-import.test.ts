import anyTest, { type TestFn } from 'ava';
import { buildDiskImage } from '../../../../emulator/disk/build-disk-image';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AlicloudImportSpec } from '../../../../lib/model/import-spec';
import { deterministicToken } from '../../../../lib/model/token';
import { type WaitEvent } from '../../../../lib/wait';
import { layoutToBuffer } from '../../../emulator/alicloud/disk-bytes';
import { startAlicloudEmulator, type AlicloudEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AlicloudEmulatorFixture>;
const SOURCES = 'import-sources';

test.beforeEach(async (t) => {
  t.context = await startAlicloudEmulator();
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'import', policyMode: 'scoped', importBuckets: [SOURCES] });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: SOURCES });
  await driver.storage().put(SOURCES, 'disks/system.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: 4 * 1024 * 1024 })));
  await driver.storage().put(SOURCES, 'disks/data.vmdk', layoutToBuffer(buildDiskImage('vmdk', { virtualSizeBytes: 2 * 1024 * 1024 })));
});

test.afterEach.always(async (t) => {
  await t.context?.stop();
});

function spec(overrides: Partial<AlicloudImportSpec> = {}): AlicloudImportSpec {
  return {
    cloud: 'alicloud',
    region: 'cn-hangzhou',
    disks: [
      { bucket: SOURCES, key: 'disks/system.qcow2', format: 'qcow2', sizeGiB: 20 },
      { bucket: SOURCES, key: 'disks/data.vmdk', format: 'vmdk', sizeGiB: 10 },
    ],
    imageName: 'imported-golden',
    platform: 'Ubuntu',
    osType: 'linux',
    bootMode: 'bios',
    tags: { team: 'infra' },
    ...overrides,
  };
}

test('imports to completion: succeeded only once DescribeImages shows the image Available', async (t) => {
  const driver = t.context.driver();
  t.deepEqual(driver.validateImport(spec()), []);
  t.deepEqual((await driver.preflightImport(spec())).problems, []);
  t.deepEqual(await driver.checkImportPermissions(spec()), { allowed: true, verdict: 'allowed', method: 'DryRun (ImportImage)', detail: 'DRYRUN.SUCCESS' });
  const token = deterministicToken(['test', 'alicloud-import']);
  const ref = await driver.startImport(spec(), token);
  t.like(ref, { cloud: 'alicloud', kind: 'import', clientToken: token });
  t.regex(ref.imageId ?? '', /^m-/);
  const events: WaitEvent[] = [];
  const done = await t.context.wait(driver, ref, events);
  t.like(done, { state: 'succeeded', imageId: ref.imageId, progress: 100 });
  const snapshots = events.flatMap((event) => (event.type === 'snapshot' ? [event.snapshot] : []));
  t.true(
    snapshots.some((snapshot) => snapshot.rawStatus === 'Finished' && snapshot.state === 'running'),
    'the task finished while the image was still Creating, and the waiter kept waiting',
  );
  const image = t.context.emulator.inspect().images.find((entry) => entry.id === ref.imageId);
  t.like(image, { state: 'Available', source: 'import', name: 'imported-golden' });
});

test('the same token starts one import, not two', async (t) => {
  const token = deterministicToken(['test', 'alicloud-import-twice']);
  const first = await t.context.driver().startImport(spec(), token);
  const second = await t.context.driver().startImport(spec(), token);
  t.is(second.taskId, first.taskId);
  t.is(second.imageId, first.imageId);
  t.is(t.context.emulator.inspect().tasks.length, 1);
});

test('preflightImport names each missing source, bucket region and role problem before anything starts', async (t) => {
  const driver = t.context.driver();
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-shanghai', name: 'far-sources' });
  await driver.deleteRole({ cloud: 'alicloud', purpose: 'import', policyMode: 'scoped', importBuckets: [SOURCES] });
  const report = await driver.preflightImport(
    spec({
      disks: [
        { bucket: SOURCES, key: 'disks/missing.qcow2' },
        { bucket: 'far-sources', key: 'x.raw' },
        { bucket: SOURCES, key: 'disks/system.qcow2', sizeGiB: 1 },
      ],
    }),
  );
  t.deepEqual(report.problems.map((p) => p.code), ['bucket.region', 'source.missing', 'role.missing']);
  t.deepEqual(t.context.emulator.inspect().tasks, []);
});

test('preflightImport finds a scoped role that does not cover the source bucket', async (t) => {
  const driver = t.context.driver();
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'more-sources' });
  await driver.storage().put('more-sources', 'a.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: 1024 * 1024 })));
  const report = await driver.preflightImport(spec({ disks: [{ bucket: 'more-sources', key: 'a.qcow2' }] }));
  t.deepEqual(report.problems.map((p) => p.code), ['role.permission']);
  t.regex(report.problems[0].message, /more-sources/);
  const error = await t.throwsAsync(driver.startImport(spec({ disks: [{ bucket: 'more-sources', key: 'a.qcow2' }] }), 'tok'), { instanceOf: CloudError });
  t.is(error?.code, 'NoSetRoletoECSServiceAcount', 'ECS agrees with the preflight');
});

test('startImport surfaces ECS refusals verbatim: a declared format that is not the file, a missing object', async (t) => {
  const driver = t.context.driver();
  const mismatch = await t.throwsAsync(driver.startImport(spec({ disks: [{ bucket: SOURCES, key: 'disks/system.qcow2', format: 'vhd' }] }), 'tok'), { instanceOf: CloudError });
  t.is(mismatch?.code, 'InvalidImageFormat.Malformed');
  const missing = await t.throwsAsync(driver.startImport(spec({ disks: [{ bucket: SOURCES, key: 'nope.raw' }] }), 'tok'), { instanceOf: CloudError });
  t.is(missing?.code, 'InvalidOSSObject.NotFound');
  t.is(missing?.kind, 'not-found');
});

test('cancelling an import ends it cancelled', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startImport(spec(), 'tok');
  t.is(await driver.cancel(ref), 'cancelled');
  t.is((await driver.describe(ref)).state, 'cancelled');
});
