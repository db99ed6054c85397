import test from 'ava';
import { startEmulator, type Emulator } from '../../../emulator';
import { createS3ProtocolStorage } from '../../../lib/storage/s3-protocol-storage';
import { ExportBucket as AlicloudBucket } from '../../../pulumi/alicloud/export-bucket';
import * as alicloudExports from '../../../pulumi/alicloud/image-export';
import { ImageExportRole } from '../../../pulumi/alicloud/image-export-role';
import { ExportBucket } from '../../../pulumi/aws/export-bucket';
import { ImageExport } from '../../../pulumi/aws/image-export';
import { VmImportRole } from '../../../pulumi/aws/vm-import-role';
import * as jdcloudExports from '../../../pulumi/jdcloud/image-export';
import { applyAlicloudResources } from '../../support/pulumi-alicloud-apply';
import { applyAwsResources } from '../../support/pulumi-aws-apply';
import { findSecrets, MiniEngine, type ResourceStateEntry } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, resourceOf } from '../../support/pulumi-example-stack';
import { runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';
import { FAST_POLLING, ProviderCallError, ProviderHost } from '../../support/pulumi-provider-host';

const AWS_EXPORT = 'pulumi-nodejs:dynamic/imageport/aws:ImageExportTask';
const GOLDEN_AMI = 'ami-0600d000000000001';

/** For tests that need a finished export soon. */
let emulator: Emulator;
/** For tests that need an export still running after a few real seconds (kill mid-wait, wait timeout). */
let slow: Emulator;

test.before(async () => {
  assertRuntimeBuilt();
  // Emulated ms per real ms: an 8 GiB export (10 emulated minutes) takes about 2 real seconds at 300, 6 at 100
  // (a wide margin over the one-second waits below, however busy the machine).
  emulator = await startEmulator({ speed: 300 });
  slow = await startEmulator({ speed: 100 });
});

test.after.always(async () => {
  await emulator?.stop();
  await slow?.stop();
});

/** Declares role, bucket and one export under mocks, applies the role and bucket to the emulator, returns the export. */
async function declareAwsExport(
  target: Emulator,
  bucketName: string,
  extra: Partial<ConstructorParameters<typeof ImageExport>[1]> = {},
): Promise<RegisteredResource> {
  const run = await runUnderMocks(() => {
    const bucket = new ExportBucket('exports', { bucketName });
    const role = new VmImportRole('vmimport', { roleName: `vmimport-${bucketName}`, exportBuckets: [bucket.bucketName] });
    new ImageExport(
      'golden',
      { region: 'us-east-1', imageId: GOLDEN_AMI, format: 'VMDK', bucket: bucket.bucketName, prefix: 'exports/', roleName: role.roleName, ...extra },
      { dependsOn: [role, bucket] },
    );
  });
  await applyAwsResources(run.resources, { endpoints: target.endpoints.aws, credentials: target.credentials.aws, region: 'us-east-1' });
  return resourceOf(run.resources, AWS_EXPORT);
}

function exportTasksFor(bucket: string, target: Emulator = slow) {
  return target.inspect().tasks.filter((task) => task.kind === 'export' && task.bucket === bucket);
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test.serial('a create interrupted by killing the host, then retried in a new host, converges on one export task', async (t) => {
  const resource = await declareAwsExport(slow, 'interrupted-exports');
  const first = await ProviderHost.start({ env: { ...slow.env }, config: FAST_POLLING });
  const pending = new MiniEngine(first).create(resource);
  pending.catch(() => undefined);
  await until(() => exportTasksFor('interrupted-exports').some((task) => task.outcome === 'running'), 'the export to start');
  await first.kill();
  const interrupted = await pending.then(
    () => 'completed',
    (error: Error) => error.message,
  );
  t.regex(interrupted, /Create failed/);
  t.is(exportTasksFor('interrupted-exports').length, 1);

  const second = await ProviderHost.start({ env: { ...slow.env }, config: FAST_POLLING });
  try {
    const created = await new MiniEngine(second).create(resource);
    const tasks = exportTasksFor('interrupted-exports');
    t.is(tasks.length, 1, 'the retry adopted the running task instead of starting a second one');
    t.is(created.id, tasks[0].id);
    t.is(tasks[0].outcome, 'succeeded');
    t.true(second.logs.some((entry) => /export adopted: task /.test(entry.message)), 'the host says it adopted the task');
  } finally {
    await second.stop();
  }
});

test.serial('Alibaba Cloud (no client token): a create interrupted by killing the host adopts the running export on retry', async (t) => {
  const run = await runUnderMocks(() => {
    const bucket = new AlicloudBucket('exports', { bucketName: 'ali-interrupted' });
    const role = new ImageExportRole('export-role', { policyMode: 'scoped', buckets: [bucket.bucketName] });
    new alicloudExports.ImageExport(
      'golden',
      { region: 'cn-hangzhou', imageId: 'm-g01den0hangzhou001', bucket: bucket.bucketName, prefix: 'golden', roleName: role.roleName },
      { dependsOn: [role, bucket] },
    );
  });
  await applyAlicloudResources(run.resources, { endpoints: slow.endpoints.alicloud, credentials: slow.credentials.alicloud, region: 'cn-hangzhou' });
  const resource = resourceOf(run.resources, 'pulumi-nodejs:dynamic/imageport/alicloud:ImageExportTask');
  const aliTasks = () => slow.inspect().tasks.filter((task) => task.cloud === 'alicloud' && task.kind === 'export');

  const first = await ProviderHost.start({ env: { ...slow.env }, config: FAST_POLLING });
  const pending = new MiniEngine(first).create(resource);
  pending.catch(() => undefined);
  await until(() => aliTasks().some((task) => task.outcome === 'running'), 'the Alibaba export to start');
  await first.kill();
  await pending.catch(() => undefined);

  const second = await ProviderHost.start({ env: { ...slow.env }, config: FAST_POLLING });
  try {
    const created = await new MiniEngine(second).create(resource);
    t.is(aliTasks().length, 1, 'adopted by image and bucket: still one task');
    t.is(created.id, aliTasks()[0].id);
    t.is(created.outputs.taskState, 'succeeded');
  } finally {
    await second.stop();
  }
});

test.serial('a wait that times out records the task (partial failure); the next up resumes it; destroy of a running export cancels it', async (t) => {
  // GIVEN an export whose wait gives up after one second
  const resource = await declareAwsExport(slow, 'timeout-exports', { waitTimeout: '1s', removalPolicy: 'destroy' });
  const host = await ProviderHost.start({ env: { ...slow.env }, config: FAST_POLLING });
  const engine = new MiniEngine(host);
  try {
    // WHEN the first create times out
    const error = await t.throwsAsync(() => engine.create(resource), { instanceOf: ProviderCallError });
    // THEN the engine gets the task as a created resource with an init error, __provider included
    const failure = error!.initFailure;
    t.truthy(failure, 'ErrorResourceInitFailed details are present');
    t.regex(failure!.reasons[0], /Gave up waiting/);
    const [task] = exportTasksFor('timeout-exports');
    t.is(failure!.id, task.id);
    t.is(failure!.properties.taskState, 'running');
    t.is(typeof failure!.properties.__provider, 'string');
    const recorded: ResourceStateEntry = { urn: resource.urn, type: resource.type, name: resource.name, id: failure!.id, inputs: resource.inputs, outputs: failure!.properties };

    // WHEN destroy runs while the task is still running
    await engine.delete(recorded);
    // THEN the task was cancelled
    const [cancelled] = exportTasksFor('timeout-exports');
    t.is(cancelled.outcome, 'cancelled');

    // AND a second resource left running by a timeout is resumed by the next up (update with the same inputs)
    const again = await declareAwsExport(slow, 'resume-exports', { waitTimeout: '1s' });
    const second = await t.throwsAsync(() => engine.create(again), { instanceOf: ProviderCallError });
    const state: ResourceStateEntry = { urn: again.urn, type: again.type, name: again.name, id: second!.initFailure!.id, inputs: { ...again.inputs, waitTimeout: '2m' }, outputs: second!.initFailure!.properties };
    const resumed = await engine.retryInit(state);
    t.is(resumed.outputs.taskState, 'succeeded');
    t.is(resumed.outputs.taskId, state.id);
    t.is(exportTasksFor('resume-exports').length, 1);
    t.deepEqual(findSecrets({ secret: slow.credentials.aws.secretAccessKey }, { calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }), []);
  } finally {
    await host.stop();
  }
});

test.serial('delete with removalPolicy destroy removes the artifact of a finished export', async (t) => {
  const resource = await declareAwsExport(emulator, 'destroy-exports', { removalPolicy: 'destroy' });
  const host = await ProviderHost.start({ env: { ...emulator.env }, config: FAST_POLLING });
  try {
    const engine = new MiniEngine(host);
    const created = await engine.create(resource);
    const objects = () => emulator.inspect().buckets.find((b) => b.name === 'destroy-exports')!.objects.map((o) => o.key);
    t.true(objects().includes(String(created.outputs.objectKey)));
    await engine.delete(created);
    t.false(objects().includes(String(created.outputs.objectKey)));
    // refresh after the artifact is gone reads as drift: a blank id
    t.is(await engine.refresh(created), undefined);
    // so does a task the cloud no longer knows
    const unknownTask = { ...(created.outputs.task as Record<string, unknown>), taskId: 'export-ami-0000000000000000f' };
    t.is(await engine.refresh({ ...created, id: 'export-ami-0000000000000000f', outputs: { ...created.outputs, task: unknownTask } }), undefined);
  } finally {
    await host.stop();
  }
});

test.serial('rejects bad properties in check, naming them: a format AWS cannot write, an Alibaba prefix with a slash, a JD prefix over 32 characters', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageExport('aws-bad', { region: 'us-east-1', imageId: GOLDEN_AMI, format: 'QCOW2', bucket: 'b-aws', waitTimeout: 'soon' });
    new alicloudExports.ImageExport('ali-bad', { region: 'cn-hangzhou', imageId: 'm-bp1abcdefghijklmnopq', bucket: 'b-ali', prefix: 'golden/images' });
    new jdcloudExports.ImageExport('jd-bad', { region: 'cn-east-2', imageId: 'img-g01den0001', bucket: 'b-jd', roleName: 'image-export', prefix: 'p'.repeat(33) });
  });
  const host = await ProviderHost.start({ env: {} });
  try {
    const failuresOf = async (type: string) => (await host.check(resourceOf(run.resources, type).urn, {}, resourceOf(run.resources, type).inputs)).failures;

    const aws = await failuresOf(AWS_EXPORT);
    t.deepEqual(aws.map((f) => f.property).sort(), ['format', 'waitTimeout']);
    t.regex(aws.find((f) => f.property === 'format')!.reason, /format: "QCOW2" .*VMDK/);
    t.regex(aws.find((f) => f.property === 'waitTimeout')!.reason, /"soon" is not a duration/);

    const ali = await failuresOf('pulumi-nodejs:dynamic/imageport/alicloud:ImageExportTask');
    t.deepEqual(ali.map((f) => f.property), ['prefix']);
    t.regex(ali[0].reason, /prefix: "golden\/images"/);

    const jd = await failuresOf('pulumi-nodejs:dynamic/imageport/jdcloud:ImageExportTask');
    t.deepEqual(jd.map((f) => f.property), ['prefix']);
    t.regex(jd[0].reason, /32/);
  } finally {
    await host.stop();
  }
});

test.serial('reads credentials and endpoints from the stack config when the environment has none, and never echoes them', async (t) => {
  const resource = await declareAwsExport(emulator, 'config-exports');
  const { accessKeyId, secretAccessKey } = emulator.credentials.aws;
  const config = {
    ...FAST_POLLING,
    'imageport:credentials': JSON.stringify({ aws: { accessKeyId, secretAccessKey } }),
    'imageport:endpoints': JSON.stringify({ aws: emulator.endpoints.aws }),
  };
  // No AWS_* variable at all: endpoints and keys come only from the config.
  const host = await ProviderHost.start({ env: {}, config });
  try {
    const engine = new MiniEngine(host);
    const created = await engine.create(resource);
    t.is(created.outputs.taskState, 'succeeded');
    t.deepEqual(
      findSecrets({ 'secret key': secretAccessKey, 'access key id': accessKeyId }, { calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }),
      [],
    );
  } finally {
    await host.stop();
  }
});

test.serial('rejects malformed imageport stack config on the first call, naming the key and never its text', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageExport('golden', { region: 'us-east-1', imageId: GOLDEN_AMI, format: 'VMDK', bucket: 'b' });
  });
  const resource = resourceOf(run.resources, AWS_EXPORT);
  const config = { 'imageport:credentials': '{"aws": {"accessKeyId": "AKIAEXAMPLE", "secretAccessKey": 42}}' };
  const host = await ProviderHost.start({ env: {}, config });
  try {
    const error = await t.throwsAsync(() => host.check(resource.urn, {}, resource.inputs));
    t.regex(error!.message, /imageport:credentials\.aws must have string accessKeyId and secretAccessKey/);
    t.notRegex(error!.message + host.stderr + host.stdout, /AKIAEXAMPLE/);
  } finally {
    await host.stop();
  }
});

test.serial('a create retried after its task failed starts a new task instead of replaying the failed one', async (t) => {
  const resource = await declareAwsExport(emulator, 'retry-exports');
  const host = await ProviderHost.start({ env: { ...emulator.env }, config: FAST_POLLING });
  try {
    const engine = new MiniEngine(host);
    emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['aws'], services: ['ec2'], seed: 7 });
    const failed = await t.throwsAsync(() => engine.create(resource)).finally(() => emulator.faults.clear());
    t.regex(failed!.message, /failed/);
    t.is(exportTasksFor('retry-exports', emulator).length, 1);

    // The same inputs give the same token; the provider sees the replayed task has failed and moves to the next one.
    const created = await engine.create(resource);
    const tasks = exportTasksFor('retry-exports', emulator);
    t.deepEqual(tasks.map((task) => task.outcome).sort(), ['failed', 'succeeded']);
    t.is(created.id, tasks.find((task) => task.outcome === 'succeeded')!.id);
    t.not(created.outputs.clientToken, tasks.find((task) => task.outcome === 'failed')!.clientToken);
    t.true(host.logs.some((entry) => /has ended failed: starting a new one/.test(entry.message)));
  } finally {
    await host.stop();
  }
});

test.serial('replacing back to earlier inputs whose artifact was destroyed exports again rather than reuse the old task', async (t) => {
  const first = await declareAwsExport(emulator, 'back-exports', { removalPolicy: 'destroy' });
  const host = await ProviderHost.start({ env: { ...emulator.env }, config: FAST_POLLING });
  try {
    const engine = new MiniEngine(host);
    const a = await engine.create(first);
    const b = await engine.update(a, { ...first.inputs, prefix: 'other/' });
    t.is(b.kind, 'replaced');
    const back = await engine.update(b.state, first.inputs);
    t.is(back.kind, 'replaced');
    t.not(back.state.id, a.id, 'the task of the first create lost its artifact: a new export ran');
    const keys = emulator.inspect().buckets.find((bucket) => bucket.name === 'back-exports')!.objects.map((o) => o.key);
    t.true(keys.includes(String(back.state.outputs.objectKey)));
    t.is(exportTasksFor('back-exports', emulator).length, 3);
  } finally {
    await host.stop();
  }
});

test.serial('an artifact that fails verification keeps the resource with its task; the next up checks it again', async (t) => {
  const resource = await declareAwsExport(emulator, 'verify-exports');
  const host = await ProviderHost.start({ env: { ...emulator.env }, config: FAST_POLLING });
  try {
    const engine = new MiniEngine(host);
    const created = await engine.create(resource);
    t.is(created.outputs.verification, 'passed');

    // The file is replaced by something that is not a VMDK; a state whose last check failed is checked again.
    const s3 = createS3ProtocolStorage({ cloud: 'aws', region: 'us-east-1', endpoint: emulator.endpoints.aws.s3, credentials: emulator.credentials.aws });
    await s3.put('verify-exports', String(created.outputs.objectKey), Buffer.alloc(4096, 0x41));
    const error = await t.throwsAsync(() => engine.retryInit({ ...created, outputs: { ...created.outputs, verification: 'failed' } }), { instanceOf: ProviderCallError });
    t.regex(error!.message, /finished but its artifact failed verification: s3:\/\/verify-exports\/exports\/export-ami-[0-9a-f]+\.vmdk: .*vmdk/);
    t.is(error!.initFailure?.id, created.id);
    t.is(error!.initFailure?.properties.verification, 'failed');
  } finally {
    await host.stop();
  }
});
