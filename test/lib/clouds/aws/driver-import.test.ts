import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AwsImportSpec } from '../../../../lib/model/import-spec';
import { deterministicToken } from '../../../../lib/model/token';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { TaskCancelledError, TaskFailedError } from '../../../../lib/wait';
import { startAwsEmulator, tasksWithToken, type AwsEmulatorFixture } from './emulator-fixture';

interface Context extends AwsEmulatorFixture {
  /** Key of a real VMDK disk (written by an export) in the source bucket. */
  diskKey: string;
}

const test = anyTest as TestFn<Context>;

const SOURCES = 'vm-sources';
const OTHER = 'unreadable-sources';

test.before(async (t) => {
  const fixture = await startAwsEmulator();
  const driver = fixture.driver();
  await driver.ensureRole({ cloud: 'aws', purpose: 'both', exportBuckets: [SOURCES], importBuckets: [SOURCES] });
  await driver.ensureBucket({ cloud: 'aws', region: fixture.region, name: SOURCES });
  await driver.ensureBucket({ cloud: 'aws', region: fixture.region, name: OTHER });
  // A real disk file to import: export the golden AMI as VMDK into the source bucket.
  const ref = await driver.startExport(
    { cloud: 'aws', region: fixture.region, imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: SOURCES, prefix: 'disks/' },
    deterministicToken(['import-tests', 'disk']),
  );
  const done = await fixture.wait(driver, ref);
  t.context = { ...fixture, diskKey: done.artifacts[0].key };
  await driver.storage().put(OTHER, 'disk.vmdk', await driver.storage().readRange(SOURCES, t.context.diskKey, 0, done.artifacts[0].sizeBytes! - 1));
});

test.after.always(async (t) => {
  await t.context?.stop();
});

function spec(t: ExecutionContext<Context>, overrides: Partial<AwsImportSpec> = {}): AwsImportSpec {
  return {
    cloud: 'aws',
    region: t.context.region,
    disks: [{ bucket: SOURCES, key: t.context.diskKey, format: 'VMDK' }],
    architecture: 'x86_64',
    platform: 'Linux',
    bootMode: 'bios',
    licenseType: 'BYOL',
    description: 'round trip',
    tags: { team: 'platform' },
    ...overrides,
  };
}

test.serial('imports a disk to completion and returns the new AMI, which is then exportable', async (t) => {
  const driver = t.context.driver();
  const importSpec = spec(t);
  t.deepEqual((await driver.preflightImport(importSpec)).problems, []);
  t.deepEqual(await driver.checkImportPermissions(importSpec), { allowed: true, verdict: 'allowed', method: 'DryRun (ImportImage)', detail: 'DryRunOperation' });
  const token = deterministicToken(['import-tests', 'complete']);
  const ref = await driver.startImport(importSpec, token);
  t.regex(ref.taskId, /^import-ami-[0-9a-f]{17}$/);
  t.false(ref.adopted);
  const done = await t.context.wait(driver, ref);
  t.is(done.state, 'succeeded');
  t.regex(done.imageId ?? '', /^ami-[0-9a-f]{17}$/);
  t.deepEqual(done.artifacts, []);
  const image = t.context.emulator.inspect().images.find((i) => i.id === done.imageId);
  t.like(image, { source: 'import', state: 'available' });
  const again = await driver.startImport(importSpec, token);
  t.is(again.taskId, ref.taskId);
  t.true(again.adopted);
  t.is(tasksWithToken(t.context.emulator, token), 1);
  const exportProblems = await driver.preflightExport({ cloud: 'aws', region: t.context.region, imageId: done.imageId!, format: 'RAW', bucket: SOURCES });
  t.deepEqual(exportProblems.problems, []);
});

test.serial('imports from an s3:// URL and from an EBS snapshot', async (t) => {
  const driver = t.context.driver();
  const fromUrl = spec(t, { disks: [{ url: `s3://${SOURCES}/${t.context.diskKey}`, format: 'vmdk' }] });
  t.deepEqual((await driver.preflightImport(fromUrl)).problems, []);
  const urlRef = await driver.startImport(fromUrl, deterministicToken(['import-tests', 'url']));
  t.is((await t.context.wait(driver, urlRef)).state, 'succeeded');
  const fromSnapshot = spec(t, { disks: [{ snapshotId: 'snap-0600d00000000a001' }] });
  t.deepEqual((await driver.preflightImport(fromSnapshot)).problems, []);
  const snapRef = await driver.startImport(fromSnapshot, deterministicToken(['import-tests', 'snapshot']));
  t.is((await t.context.wait(driver, snapRef)).state, 'succeeded');
});

test.serial('preflight names missing sources, a missing source bucket and a missing snapshot', async (t) => {
  const found = await t.context.driver().preflightImport(
    spec(t, {
      disks: [
        { bucket: SOURCES, key: 'disks/missing.vmdk', format: 'VMDK' },
        { bucket: 'no-such-source-bucket', key: 'x.vmdk', format: 'VMDK' },
        { snapshotId: 'snap-0123456789abcdef0' },
      ],
    }),
  );
  const codes = found.problems.map((p) => p.code);
  t.true(codes.includes('source.missing'), codes.join());
  t.true(codes.includes('source.bucket-missing'), codes.join());
  t.true(codes.includes('source.snapshot-missing'), codes.join());
  t.regex(found.problems.find((p) => p.code === 'source.missing')!.message, /s3:\/\/vm-sources\/disks\/missing\.vmdk does not exist/);
});

test.serial('preflight names the role missing s3:GetObject on a source bucket it was not scoped to', async (t) => {
  const found = await t.context.driver().preflightImport(spec(t, { disks: [{ bucket: OTHER, key: 'disk.vmdk', format: 'VMDK' }] }));
  const messages = found.problems.map((p) => p.message);
  t.true(found.problems.every((p) => p.code === 'role.permission'), JSON.stringify(found.problems));
  t.true(messages.some((m) => m.includes(`lacks s3:GetObject on bucket "${OTHER}" (arn:aws:s3:::${OTHER}/disk.vmdk)`)), messages.join('\n'));
  const before = t.context.emulator.inspect().tasks.length;
  const error = await t.throwsAsync(
    t.context.driver({ maxAttempts: 1 }).startImport(spec(t, { disks: [{ bucket: OTHER, key: 'disk.vmdk', format: 'VMDK' }] }), 'ip-unreadable'),
    { instanceOf: CloudError },
  );
  t.regex(error!.message, /does not exist or does not have sufficient permissions/);
  t.is(t.context.emulator.inspect().tasks.length, before);
});

test.serial('a disk that does not match its declared format fails during validation with the ClientError', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startImport(spec(t, { disks: [{ bucket: SOURCES, key: t.context.diskKey, format: 'VHD' }] }), deterministicToken(['import-tests', 'wrong-format']));
  const error = await t.throwsAsync(t.context.wait(driver, ref), { instanceOf: TaskFailedError });
  t.regex(error!.message, /ClientError: Disk validation failed/);
});

test.serial('cancels a running import', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startImport(spec(t), deterministicToken(['import-tests', 'cancel']));
  t.is(await driver.cancel(ref), 'cancelled');
  await t.throwsAsync(t.context.wait(driver, { ...ref, cancelRequested: true }), { instanceOf: TaskCancelledError });
  t.is(await driver.cancel(ref), 'already-ended');
});

test.serial('rejects bad input before any call, listing every problem, with nothing left behind', async (t) => {
  const driver = t.context.driver();
  const before = t.context.emulator.inspect().tasks.length;
  const bad = spec(t, { bootMode: 'uefi-preferred', usageOperation: 'RunInstances', osType: 'linux', disks: [{ bucket: SOURCES, key: 'k' }] } as Partial<AwsImportSpec>);
  for (const call of [() => driver.startImport(bad, 'ip-bad'), () => driver.preflightImport(bad), () => driver.checkImportPermissions(bad)]) {
    const error = await t.throwsAsync(call(), { instanceOf: SpecValidationError });
    t.deepEqual(
      error!.issues.map((i) => i.code),
      ['field.unsupported', 'required', 'boot-mode.uefi-preferred', 'usage-operation.exclusive'],
    );
  }
  t.is(t.context.emulator.inspect().tasks.length, before);
  await t.throwsAsync(driver.startImport(spec(t), 'token with spaces and ümlauts'), { message: /clientToken: .* must be printable ASCII/ });
  await t.throwsAsync(driver.startImport(spec(t, { dryRun: true }), 'ip-dry'), { message: /dryRun: true is set: a dry run starts nothing; call checkImportPermissions/ });
  t.is(t.context.emulator.inspect().tasks.length, before);
});

test.serial('describe of an unknown import task is a not-found CloudError', async (t) => {
  const error = await t.throwsAsync(
    t.context.driver().describe({ cloud: 'aws', region: t.context.region, kind: 'import', taskId: 'import-ami-0123456789abcdef0' }),
    { instanceOf: CloudError },
  );
  t.is(error?.kind, 'not-found');
});
