import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AwsExportSpec } from '../../../../lib/model/export-spec';
import { deterministicToken } from '../../../../lib/model/token';
import { TaskCancelledError, TaskFailedError, type WaitEvent } from '../../../../lib/wait';
import { startAwsEmulator, tasksWithToken, type AwsEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AwsEmulatorFixture>;

const GOLDEN = 'ami-0600d000000000001';
const BUCKET = 'golden-exports';

test.before(async (t) => {
  t.context = await startAwsEmulator();
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'aws', purpose: 'both', exportBuckets: [BUCKET] });
  await driver.ensureBucket({ cloud: 'aws', region: t.context.region, name: BUCKET });
});

test.after.always(async (t) => {
  await t.context?.stop();
});

function spec(t: ExecutionContext<AwsEmulatorFixture>, overrides: Partial<AwsExportSpec> = {}): AwsExportSpec {
  return { cloud: 'aws', region: t.context.region, imageId: GOLDEN, format: 'VMDK', bucket: BUCKET, prefix: 'exports/', ...overrides };
}

test.serial('exports an AMI to completion and reads the artifact back from S3', async (t) => {
  const driver = t.context.driver();
  const exportSpec = spec(t, { tags: { team: 'platform' }, description: 'golden' });
  t.deepEqual(driver.validateExport(exportSpec), []);
  t.deepEqual((await driver.preflightExport(exportSpec)).problems, []);
  t.deepEqual(await driver.checkExportPermissions(exportSpec), { allowed: true, verdict: 'allowed', method: 'DryRun (ExportImage)', detail: 'DryRunOperation' });
  t.is(t.context.emulator.inspect().tasks.length, 0, 'a dry run starts nothing');

  const token = deterministicToken(['test', 'export-to-completion']);
  const ref = await driver.startExport(exportSpec, token);
  t.regex(ref.taskId, /^export-ami-[0-9a-f]{17}$/);
  t.like(ref, { cloud: 'aws', kind: 'export', imageId: GOLDEN, bucket: BUCKET, prefix: 'exports/', format: 'vmdk', adopted: false, clientToken: token });

  const first = await driver.describe(ref);
  t.is(first.state, 'pending');
  t.is(first.rawStatus, 'active');

  const done = await t.context.wait(driver, ref);
  t.is(done.state, 'succeeded');
  t.is(done.progress, 100);
  const key = `exports/${ref.taskId}.vmdk`;
  const head = await driver.storage().head(BUCKET, key);
  t.truthy(head);
  t.deepEqual(done.artifacts, [{ bucket: BUCKET, key, format: 'vmdk', sizeBytes: head!.sizeBytes, uri: `s3://${BUCKET}/${key}`, disk: 'system' }]);
  const magic = await driver.storage().readRange(BUCKET, key, 0, 3);
  t.is(magic.toString('latin1'), 'KDMV', 'a real VMDK was written');
  t.is(tasksWithToken(t.context.emulator, token), 1);
});

test.serial('the same token returns the same task, also from a fresh driver: one task, not two', async (t) => {
  const token = deterministicToken(['test', 'idempotent']);
  const first = await t.context.driver().startExport(spec(t, { format: 'raw', prefix: 'idem/' }), token);
  const again = await t.context.driver().startExport(spec(t, { format: 'raw', prefix: 'idem/' }), token);
  t.is(again.taskId, first.taskId);
  t.true(again.adopted);
  t.is(tasksWithToken(t.context.emulator, token), 1);
  await t.context.wait(t.context.driver(), first);
});

test.serial('rejects the same token with different parameters as a conflict', async (t) => {
  const token = deterministicToken(['test', 'mismatch']);
  const driver = t.context.driver();
  const ref = await driver.startExport(spec(t, { format: 'vhd', prefix: 'a/' }), token);
  const error = await t.throwsAsync(driver.startExport(spec(t, { format: 'vhd', prefix: 'b/' }), token), { instanceOf: CloudError });
  t.is(error?.kind, 'conflict');
  t.is(error?.code, 'IdempotentParameterMismatch');
  t.is(tasksWithToken(t.context.emulator, token), 1);
  await t.context.wait(driver, ref);
});

test.serial('a start whose response is dropped, retried with the same token, makes one task', async (t) => {
  const token = deterministicToken(['test', 'drop-after']);
  const driver = t.context.driver({ maxAttempts: 2 });
  t.context.emulator.faults.set({ rate: 1, kinds: ['drop-after'], clouds: ['aws'], services: ['ec2'], seed: 7 });
  try {
    const error = await t.throwsAsync(driver.startExport(spec(t, { prefix: 'dropped/' }), token), { instanceOf: CloudError });
    t.is(error?.kind, 'transient');
  } finally {
    t.context.emulator.faults.clear();
  }
  t.is(tasksWithToken(t.context.emulator, token), 1, 'the lost attempts created exactly one task');
  const ref = await driver.startExport(spec(t, { prefix: 'dropped/' }), token);
  t.true(ref.adopted);
  t.is(tasksWithToken(t.context.emulator, token), 1);
  const done = await t.context.wait(driver, ref);
  t.is(done.state, 'succeeded');
});

test.serial('throttling and 5xx on describe are retried until the task ends', async (t) => {
  const driver = t.context.driver({ maxAttempts: 1 });
  const ref = await driver.startExport(spec(t, { format: 'vhd', prefix: 'flaky/' }), deterministicToken(['test', 'flaky']));
  t.context.emulator.faults.set({ rate: 0.5, kinds: ['throttle', '5xx'], clouds: ['aws'], services: ['ec2'], seed: 42 });
  const events: WaitEvent[] = [];
  try {
    const done = await t.context.wait(driver, ref, events);
    t.is(done.state, 'succeeded');
  } finally {
    t.context.emulator.faults.clear();
  }
  const retries = events.filter((e) => e.type === 'retry');
  t.true(retries.length > 0, 'faults were injected and retried');
  const kinds = new Set(retries.map((e) => (e.type === 'retry' && e.error instanceof CloudError ? e.error.kind : 'other')));
  t.true([...kinds].every((k) => k === 'throttling' || k === 'transient'), [...kinds].join());
});

test.serial('cancels a running export; the task ends cancelled and cancel again says already-ended', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startExport(spec(t, { prefix: 'cancelled/' }), deterministicToken(['test', 'cancel']));
  t.is(await driver.cancel(ref), 'cancelled');
  const cancelledRef = { ...ref, cancelRequested: true };
  const error = await t.throwsAsync(t.context.wait(driver, cancelledRef), { instanceOf: TaskCancelledError });
  t.truthy(error);
  t.is(await driver.cancel(cancelledRef), 'already-ended');
  t.is((await driver.storage().list(BUCKET, 'cancelled/')).length, 0, 'no partial object left behind');
});

test.serial('a finished export cannot be cancelled: already-ended', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startExport(spec(t, { format: 'raw', prefix: 'finished/' }), deterministicToken(['test', 'finished']));
  await t.context.wait(driver, ref);
  t.is(await driver.cancel(ref), 'already-ended');
});

test.serial('a task that fails (deleted without a cancel) is failed with the status message', async (t) => {
  const driver = t.context.driver();
  t.context.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['aws'], services: ['ec2'], seed: 1 });
  let ref;
  try {
    ref = await driver.startExport(spec(t, { prefix: 'failing/' }), deterministicToken(['test', 'fail']));
  } finally {
    t.context.emulator.faults.clear();
  }
  const error = await t.throwsAsync(t.context.wait(driver, ref), { instanceOf: TaskFailedError });
  t.regex(error!.message, /ClientError/);
  const snapshot = await driver.describe(ref);
  t.is(snapshot.state, 'failed');
  t.is(snapshot.failure?.code, 'ClientError');
});

test.serial('describe of a task id that does not exist is a not-found CloudError', async (t) => {
  const driver = t.context.driver();
  const error = await t.throwsAsync(
    driver.describe({ cloud: 'aws', region: t.context.region, kind: 'export', taskId: 'export-ami-0123456789abcdef0', bucket: BUCKET, format: 'vmdk' }),
    { instanceOf: CloudError },
  );
  t.is(error?.kind, 'not-found');
  t.regex(error!.message, /export task export-ami-0123456789abcdef0 does not exist in us-east-1/);
});

test.serial('a completed export whose object was deleted reads as failed: ArtifactMissing', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startExport(spec(t, { format: 'vhd', prefix: 'drift/' }), deterministicToken(['test', 'drift']));
  await t.context.wait(driver, ref);
  await driver.storage().delete(BUCKET, `drift/${ref.taskId}.vhd`);
  const snapshot = await driver.describe(ref);
  t.is(snapshot.state, 'failed');
  t.is(snapshot.failure?.code, 'ArtifactMissing');
});

test.serial('describe from a bare task id (an imported reference) finds the bucket, prefix and format', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startExport(spec(t, { format: 'VHD', prefix: 'bare/' }), deterministicToken(['test', 'bare']));
  await t.context.wait(driver, ref);
  const bare = { cloud: 'aws' as const, region: t.context.region, kind: 'export' as const, taskId: ref.taskId };
  const snapshot = await driver.describe(bare);
  t.is(snapshot.state, 'succeeded');
  t.like(snapshot.artifacts[0], { bucket: BUCKET, key: `bare/${ref.taskId}.vhd`, format: 'vhd' });
  t.like(snapshot.ref, { bucket: BUCKET, prefix: 'bare/', format: 'vhd' });
});
