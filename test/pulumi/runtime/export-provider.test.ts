import test from 'ava';
import { createS3ProtocolStorage } from '../../../lib/storage/s3-protocol-storage';
import { ExportBucket as AlicloudBucket } from '../../../pulumi/alicloud/export-bucket';
import * as alicloudExports from '../../../pulumi/alicloud/image-export';
import { ImageExportRole } from '../../../pulumi/alicloud/image-export-role';
import { ExportBucket } from '../../../pulumi/aws/export-bucket';
import { ImageExport } from '../../../pulumi/aws/image-export';
import { VmImportRole } from '../../../pulumi/aws/vm-import-role';
import { ExportBucket as JdcloudBucket } from '../../../pulumi/jdcloud/export-bucket';
import * as jdcloudExports from '../../../pulumi/jdcloud/image-export';
import { ImageExportRole as JdcloudExportRole } from '../../../pulumi/jdcloud/image-export-role';
import { applyAlicloudResources } from '../../support/pulumi-alicloud-apply';
import { applyAwsResources } from '../../support/pulumi-aws-apply';
import { awsTaskTags } from '../../support/pulumi-cloud-tags';
import { dynamicResources, findSecrets, MiniEngine, type ResourceStateEntry } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, resourceOf } from '../../support/pulumi-example-stack';
import { startHostFixture, waitUntil, type HostFixture } from '../../support/pulumi-host-fixture';
import { runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';
import { ProviderCallError, type ProviderHost } from '../../support/pulumi-provider-host';

const AWS_EXPORT = 'pulumi-nodejs:dynamic/imageport/aws:ImageExportTask';
const GOLDEN_AMI = 'ami-0600d000000000001';

/**
 * One emulator on a steerable clock and one shared host for the whole file. Tests that need a task to stay running
 * (a killed host, a wait that times out) freeze the clock instead of relying on a slow emulator and wide margins.
 */
let fx: HostFixture;

test.before(async () => {
  assertRuntimeBuilt();
  fx = await startHostFixture(600, true);
});

test.afterEach.always(() => {
  fx.clock.run();
  fx.emulator.faults.clear();
});

test.after.always(async () => {
  await fx?.stop();
});

/** Declares role, bucket and one export under mocks, applies the role and bucket to the emulator, returns the export. */
async function declareAwsExport(bucketName: string, extra: Partial<ConstructorParameters<typeof ImageExport>[1]> = {}): Promise<RegisteredResource> {
  const run = await runUnderMocks(() => {
    const bucket = new ExportBucket('exports', { bucketName });
    const role = new VmImportRole('vmimport', { roleName: `vmimport-${bucketName}`, exportBuckets: [bucket.bucketName] });
    new ImageExport(
      'golden',
      { region: 'us-east-1', imageId: GOLDEN_AMI, format: 'VMDK', bucket: bucket.bucketName, prefix: 'exports/', roleName: role.roleName, ...extra },
      { dependsOn: [role, bucket] },
    );
  });
  await applyAwsResources(run.resources, { endpoints: fx.emulator.endpoints.aws, credentials: fx.emulator.credentials.aws, region: 'us-east-1' });
  return resourceOf(run.resources, AWS_EXPORT);
}

function exportTasksFor(bucket: string) {
  return fx.emulator.inspect().tasks.filter((task) => task.kind === 'export' && task.bucket === bucket);
}

/** The messages a host logged after `mark` (an earlier `host.logs.length`). */
function messagesSince(host: ProviderHost, mark: number): string[] {
  return host.logs.slice(mark).map((entry) => entry.message);
}

/** Lets time run again, an hour ahead: whatever runs finishes at the next poll. */
function finishNow(): void {
  fx.clock.advance(3_600_000);
  fx.clock.run();
}

/** Starts a create in a host of its own, waits until `started` holds, then kills that host (a crashed `pulumi up`). */
async function crashDuringCreate(t: { regex(value: string, pattern: RegExp): void }, resource: RegisteredResource, started: () => boolean, what: string): Promise<void> {
  const doomed = await fx.spareHost();
  const pending = new MiniEngine(doomed).create(resource);
  pending.catch(() => undefined);
  await waitUntil(started, what);
  await doomed.kill();
  const interrupted = await pending.then(
    () => 'completed',
    (error: Error) => error.message,
  );
  t.regex(interrupted, /Create failed/);
}

test.serial('a create interrupted by killing the host, then retried in a new host, converges on one export task', async (t) => {
  const resource = await declareAwsExport('interrupted-exports');
  fx.clock.freeze();
  await crashDuringCreate(t, resource, () => exportTasksFor('interrupted-exports').length === 1, 'the export to start');

  const mark = fx.host.logs.length;
  const retry = fx.engine.create(resource);
  await waitUntil(() => messagesSince(fx.host, mark).some((m) => /export adopted: task /.test(m)), 'the retry to adopt the running task');
  finishNow();
  const created = await retry;
  const tasks = exportTasksFor('interrupted-exports');
  t.is(tasks.length, 1, 'the retry adopted the running task instead of starting a second one');
  t.is(created.id, tasks[0].id);
  t.is(tasks[0].outcome, 'succeeded');
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
  await applyAlicloudResources(run.resources, { endpoints: fx.emulator.endpoints.alicloud, credentials: fx.emulator.credentials.alicloud, region: 'cn-hangzhou' });
  const resource = resourceOf(run.resources, 'pulumi-nodejs:dynamic/imageport/alicloud:ImageExportTask');
  const aliTasks = () => fx.emulator.inspect().tasks.filter((task) => task.cloud === 'alicloud' && task.kind === 'export');

  fx.clock.freeze();
  await crashDuringCreate(t, resource, () => aliTasks().length === 1, 'the Alibaba export to start');
  const mark = fx.host.logs.length;
  const retry = fx.engine.create(resource);
  await waitUntil(() => messagesSince(fx.host, mark).some((m) => /export adopted: task /.test(m)), 'the retry to adopt the running export');
  finishNow();
  const created = await retry;
  t.is(aliTasks().length, 1, 'adopted by image and bucket: still one task');
  t.is(created.id, aliTasks()[0].id);
  t.is(created.outputs.taskState, 'succeeded');
});

test.serial('a crash during a retry attempt (after a failed task) is resumed: the preflight knows the running task carries a later token of this resource', async (t) => {
  const resource = await declareAwsExport('preflight-retry-exports');
  // GIVEN a first create whose task failed
  fx.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['aws'], services: ['ec2'], seed: 7 });
  await t.throwsAsync(() => fx.engine.create(resource), { message: /failed/ });
  fx.emulator.faults.clear();
  // AND a retry that started the second task (second token) and crashed while it ran
  fx.clock.freeze();
  await crashDuringCreate(t, resource, () => exportTasksFor('preflight-retry-exports').length === 2, 'the retry to start its second task');

  // WHEN the next up creates again
  const mark = fx.host.logs.length;
  const retry = fx.engine.create(resource);
  await waitUntil(() => messagesSince(fx.host, mark).some((m) => /export adopted: task /.test(m)), 'the second retry to adopt the running task');
  finishNow();
  const created = await retry;

  // THEN it is not refused ("an export of the AMI is already running"): it adopts the second task
  const tasks = exportTasksFor('preflight-retry-exports');
  t.deepEqual(tasks.map((task) => task.outcome).sort(), ['failed', 'succeeded']);
  t.is(created.id, tasks.find((task) => task.outcome === 'succeeded')!.id);
  const messages = messagesSince(fx.host, mark);
  t.true(messages.some((m) => /carries this resource's token of attempt 2/.test(m)), messages.join('\n'));
  t.true(messages.some((m) => /has ended failed: starting a new one/.test(m)));
});

test.serial('a wait that times out records the task (partial failure); the next up resumes it; destroy of a running export cancels it', async (t) => {
  // GIVEN an export whose wait gives up after one second, with the task standing still
  const resource = await declareAwsExport('timeout-exports', { waitTimeout: '1s', removalPolicy: 'destroy' });
  fx.clock.freeze();
  // WHEN the first create times out
  const error = await t.throwsAsync(() => fx.engine.create(resource), { instanceOf: ProviderCallError });
  // THEN the engine gets the task as a created resource with an init error, __provider included
  const failure = error!.initFailure;
  t.truthy(failure, 'ErrorResourceInitFailed details are present');
  t.regex(failure!.reasons[0], /Gave up waiting/);
  const [task] = exportTasksFor('timeout-exports');
  t.is(failure!.id, task.id);
  t.not(failure!.properties.taskState, 'succeeded');
  t.is(typeof failure!.properties.__provider, 'string');
  const recorded: ResourceStateEntry = { urn: resource.urn, type: resource.type, name: resource.name, id: failure!.id, inputs: resource.inputs, outputs: failure!.properties };

  // WHEN destroy runs while the task is still running: once the cancel is asked for, time moves on
  const mark = fx.host.logs.length;
  const destroyed = fx.engine.delete(recorded);
  await waitUntil(() => messagesSince(fx.host, mark).some((m) => /cancel requested/.test(m)), 'the cancel');
  fx.clock.run();
  await destroyed;
  // THEN the task was cancelled
  t.is(exportTasksFor('timeout-exports')[0].outcome, 'cancelled');

  // AND a second resource left running by a timeout is resumed by the next up (update with the same inputs)
  const again = await declareAwsExport('resume-exports', { waitTimeout: '1s' });
  fx.clock.freeze();
  const second = await t.throwsAsync(() => fx.engine.create(again), { instanceOf: ProviderCallError });
  fx.clock.run();
  const state: ResourceStateEntry = { urn: again.urn, type: again.type, name: again.name, id: second!.initFailure!.id, inputs: { ...again.inputs, waitTimeout: '2m' }, outputs: second!.initFailure!.properties };
  const resumed = await fx.engine.retryInit(state);
  t.is(resumed.outputs.taskState, 'succeeded');
  t.is(resumed.outputs.taskId, state.id);
  t.is(exportTasksFor('resume-exports').length, 1);
  t.deepEqual(findSecrets({ secret: fx.emulator.credentials.aws.secretAccessKey }, { calls: fx.engine.calls, logs: fx.host.logs, out: fx.host.stdout + fx.host.stderr }), []);
});

test.serial('new tags update the AWS export task in place: the cloud holds them, no new task starts', async (t) => {
  const resource = await declareAwsExport('tagged-exports', { tags: { team: 'a', stage: 'dev' } });
  const created = await fx.engine.create(resource);
  const userTags = async () => Object.fromEntries(Object.entries(await awsTaskTags(fx.emulator, 'export', created.id)).filter(([key]) => !key.startsWith('imageport:')));
  t.deepEqual(await userTags(), { team: 'a', stage: 'dev' });

  const tagged = await fx.engine.update(created, { ...resource.inputs, tags: { team: 'b', owner: 'ops' } });
  t.is(tagged.kind, 'updated');
  t.deepEqual(tagged.diff.replaces, []);
  t.deepEqual(await userTags(), { team: 'b', owner: 'ops' }, 'the task carries exactly the new tags');
  t.true(Object.keys(await awsTaskTags(fx.emulator, 'export', created.id)).some((key) => key.startsWith('imageport:')), "imageport's own token tag stays");
  t.like(tagged.state.outputs, { taskId: created.id, tags: { team: 'b', owner: 'ops' } });

  const { tags: _dropped, ...withoutTags } = resource.inputs;
  const untagged = await fx.engine.update(tagged.state, withoutTags);
  t.is(untagged.kind, 'updated');
  t.deepEqual(await userTags(), {});
  t.is(exportTasksFor('tagged-exports').length, 1, 'no new task');
});

test.serial('JD Cloud: a create retried after its task failed starts a new task (JD replays a token without saying so); a tag change JD cannot apply is a warning', async (t) => {
  const run = await runUnderMocks(() => {
    const bucket = new JdcloudBucket('exports', { bucketName: 'jd-retry-exports', region: 'cn-east-2' });
    const role = new JdcloudExportRole('role', { roleName: 'jd-retry-export', exportBuckets: [bucket.bucketName] });
    new jdcloudExports.ImageExport('golden', { region: 'cn-east-2', imageId: 'img-g01den0001', bucket: bucket.bucketName, roleName: role.roleName, prefix: 'retry' });
  });
  const dynamic = dynamicResources(run.resources);
  for (const type of ['Bucket', 'ServiceRole', 'Policy', 'RolePolicyAttachment']) await fx.engine.create(resourceOf(dynamic, `pulumi-nodejs:dynamic/imageport/jdcloud:${type}`));
  const resource = resourceOf(dynamic, 'pulumi-nodejs:dynamic/imageport/jdcloud:ImageExportTask');
  const jdTasks = () => fx.emulator.inspect().tasks.filter((task) => task.cloud === 'jdcloud' && task.kind === 'export' && task.bucket === 'jd-retry-exports');

  fx.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['jdcloud'], services: ['vm'], seed: 3 });
  await t.throwsAsync(() => fx.engine.create(resource), { message: /failed/ });
  fx.emulator.faults.clear();
  t.is(jdTasks().length, 1);

  const mark = fx.host.logs.length;
  const created = await fx.engine.create(resource);
  t.deepEqual(jdTasks().map((task) => task.outcome).sort(), ['failed', 'succeeded']);
  t.is(created.id, jdTasks().find((task) => task.outcome === 'succeeded')!.id);
  t.true(messagesSince(fx.host, mark).some((m) => /has ended failed: starting a new one/.test(m)));

  // Check refuses tags on JD; a state that has some (or a driver that cannot tag) reaches update: a warning, not a failure.
  const warned = fx.host.logs.length;
  const outputs = await fx.host.update(resource.urn, created.id, created.outputs, { ...created.inputs, tags: { team: 'b' } });
  t.deepEqual(outputs.tags, { team: 'b' });
  const warning = fx.host.logs.slice(warned).find((entry) => entry.severity === 'WARNING');
  t.regex(warning?.message ?? '', /jdcloud cannot tag this export: the new tags are recorded in the Pulumi state only/);
  t.is(jdTasks().length, 2, 'no new task');
});

test.serial('delete with removalPolicy destroy removes the artifact of a finished export', async (t) => {
  const resource = await declareAwsExport('destroy-exports', { removalPolicy: 'destroy' });
  const created = await fx.engine.create(resource);
  const objects = () => fx.emulator.inspect().buckets.find((b) => b.name === 'destroy-exports')!.objects.map((o) => o.key);
  t.true(objects().includes(String(created.outputs.objectKey)));
  await fx.engine.delete(created);
  t.false(objects().includes(String(created.outputs.objectKey)));
  // refresh after the artifact is gone reads as drift: a blank id
  t.is(await fx.engine.refresh(created), undefined);
  // so does a task the cloud no longer knows
  const unknownTask = { ...(created.outputs.task as Record<string, unknown>), taskId: 'export-ami-0000000000000000f' };
  t.is(await fx.engine.refresh({ ...created, id: 'export-ami-0000000000000000f', outputs: { ...created.outputs, task: unknownTask } }), undefined);
});

test.serial('rejects bad properties in check, naming them: a format AWS cannot write, an Alibaba prefix with a slash or a client token, a JD prefix over 32 characters, an unknown endpoint service', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageExport('aws-bad', { region: 'us-east-1', imageId: GOLDEN_AMI, format: 'QCOW2', bucket: 'b-aws', waitTimeout: 'soon', endpoints: { ec3: 'http://127.0.0.1:1', s3: 'ftp://x' } });
    new alicloudExports.ImageExport('ali-bad', { region: 'cn-hangzhou', imageId: 'm-bp1abcdefghijklmnopq', bucket: 'b-ali', prefix: 'golden/images', clientToken: 'my-token' });
    new jdcloudExports.ImageExport('jd-bad', { region: 'cn-east-2', imageId: 'img-g01den0001', bucket: 'b-jd', roleName: 'image-export', prefix: 'p'.repeat(33) });
  });
  const failuresOf = async (type: string) => (await fx.host.check(resourceOf(run.resources, type).urn, {}, resourceOf(run.resources, type).inputs)).failures;

  const aws = await failuresOf(AWS_EXPORT);
  t.deepEqual(aws.map((f) => f.property).sort(), ['endpoints.ec3', 'endpoints.s3', 'format', 'waitTimeout']);
  t.regex(aws.find((f) => f.property === 'format')!.reason, /format: "QCOW2" .*VMDK/);
  t.regex(aws.find((f) => f.property === 'waitTimeout')!.reason, /"soon" is not a duration/);
  t.regex(aws.find((f) => f.property === 'endpoints.ec3')!.reason, /"ec3" is not a aws service imageport calls \(allowed: ec2, iam, s3, sts\)/);
  t.regex(aws.find((f) => f.property === 'endpoints.s3')!.reason, /"ftp:\/\/x" must be an http\(s\) URL/);

  const ali = await failuresOf('pulumi-nodejs:dynamic/imageport/alicloud:ImageExportTask');
  t.deepEqual(ali.map((f) => f.property).sort(), ['prefix', 'requestedClientToken']);
  t.regex(ali.find((f) => f.property === 'prefix')!.reason, /prefix: "golden\/images"/);
  t.regex(ali.find((f) => f.property === 'requestedClientToken')!.reason, /clientToken: "my-token" .*no client token/);

  const jd = await failuresOf('pulumi-nodejs:dynamic/imageport/jdcloud:ImageExportTask');
  t.deepEqual(jd.map((f) => f.property), ['prefix']);
  t.regex(jd[0].reason, /32/);
});

test.serial('reads credentials and endpoints from the stack config when the environment has none, and never echoes them', async (t) => {
  const resource = await declareAwsExport('config-exports');
  const { accessKeyId, secretAccessKey } = fx.emulator.credentials.aws;
  const config = {
    'imageport:minPollInterval': '100ms',
    'imageport:maxPollInterval': '500ms',
    'imageport:credentials': JSON.stringify({ aws: { accessKeyId, secretAccessKey } }),
    'imageport:endpoints': JSON.stringify({ aws: fx.emulator.endpoints.aws }),
  };
  // No AWS_* variable at all: endpoints and keys come only from the config.
  const host = await fx.startHost({ env: {}, config });
  const engine = new MiniEngine(host);
  const created = await engine.create(resource);
  t.is(created.outputs.taskState, 'succeeded');
  t.deepEqual(
    findSecrets({ 'secret key': secretAccessKey, 'access key id': accessKeyId }, { calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }),
    [],
  );

  // A malformed config is refused on the first call, naming the key and never its text.
  const malformed = await fx.startHost({ env: {}, config: { 'imageport:credentials': '{"aws": {"accessKeyId": "AKIAEXAMPLE", "secretAccessKey": 42}}' } });
  const error = await t.throwsAsync(() => malformed.check(resource.urn, {}, resource.inputs));
  t.regex(error!.message, /imageport:credentials\.aws must have string accessKeyId and secretAccessKey/);
  t.notRegex(error!.message + malformed.stderr + malformed.stdout, /AKIAEXAMPLE/);
});

test.serial('a create retried after its task failed starts a new task instead of replaying the failed one', async (t) => {
  const resource = await declareAwsExport('retry-exports');
  fx.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['aws'], services: ['ec2'], seed: 7 });
  const failed = await t.throwsAsync(() => fx.engine.create(resource));
  fx.emulator.faults.clear();
  t.regex(failed!.message, /failed/);
  t.is(exportTasksFor('retry-exports').length, 1);

  // The same inputs give the same token; the provider sees the replayed task has failed and moves to the next one.
  const mark = fx.host.logs.length;
  const created = await fx.engine.create(resource);
  const tasks = exportTasksFor('retry-exports');
  t.deepEqual(tasks.map((task) => task.outcome).sort(), ['failed', 'succeeded']);
  t.is(created.id, tasks.find((task) => task.outcome === 'succeeded')!.id);
  t.not(created.outputs.clientToken, tasks.find((task) => task.outcome === 'failed')!.clientToken);
  t.true(messagesSince(fx.host, mark).some((m) => /has ended failed: starting a new one/.test(m)));
});

test.serial('replacing back to earlier inputs whose artifact was destroyed exports again rather than reuse the old task', async (t) => {
  const first = await declareAwsExport('back-exports', { removalPolicy: 'destroy' });
  const a = await fx.engine.create(first);
  const b = await fx.engine.update(a, { ...first.inputs, prefix: 'other/' });
  t.is(b.kind, 'replaced');
  const back = await fx.engine.update(b.state, first.inputs);
  t.is(back.kind, 'replaced');
  t.not(back.state.id, a.id, 'the task of the first create lost its artifact: a new export ran');
  const keys = fx.emulator.inspect().buckets.find((bucket) => bucket.name === 'back-exports')!.objects.map((o) => o.key);
  t.true(keys.includes(String(back.state.outputs.objectKey)));
  t.is(exportTasksFor('back-exports').length, 3);
});

test.serial('an artifact that fails verification keeps the resource with its task; the next up checks it again', async (t) => {
  const resource = await declareAwsExport('verify-exports');
  const created = await fx.engine.create(resource);
  t.is(created.outputs.verification, 'passed');

  // The file is replaced by something that is not a VMDK; a state whose last check failed is checked again.
  const s3 = createS3ProtocolStorage({ cloud: 'aws', region: 'us-east-1', endpoint: fx.emulator.endpoints.aws.s3, credentials: fx.emulator.credentials.aws });
  await s3.put('verify-exports', String(created.outputs.objectKey), Buffer.alloc(4096, 0x41));
  const error = await t.throwsAsync(() => fx.engine.retryInit({ ...created, outputs: { ...created.outputs, verification: 'failed' } }), { instanceOf: ProviderCallError });
  t.regex(error!.message, /finished but its artifact failed verification: s3:\/\/verify-exports\/exports\/export-ami-[0-9a-f]+\.vmdk: .*vmdk/);
  t.is(error!.initFailure?.id, created.id);
  t.is(error!.initFailure?.properties.verification, 'failed');
});
