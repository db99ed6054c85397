import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type ResolvedPipeline } from '../../../../lib/pipeline/resolved-pipeline';
import { applyPipeline } from '../../../../lib/pipeline/run/apply-runner';
import { CloudAccess } from '../../../../lib/pipeline/run/cloud-access';
import { destroyPipeline } from '../../../../lib/pipeline/run/destroy-runner';
import { type RunEvent } from '../../../../lib/pipeline/run/run-events';
import { exportToken } from '../../../../lib/pipeline/plan/spec-changes';
import { StateStore } from '../../../../lib/pipeline/state/state-store';
import { VirtualClock } from '../../../../lib/wait/clock';
import { check } from '../pipeline-test-support';
import { FakeCloud, type FakeCloudOptions } from './fake-cloud';

function pipelineOf(text: string): ResolvedPipeline {
  const result = check(text);
  if (!result.pipeline) throw new Error(result.issues.map((issue) => `${issue.path}: ${issue.rule}`).join('\n'));
  return result.pipeline;
}

const FOUR_EXPORTS = `name: runner
clouds:
  aws: { region: us-east-1, concurrency: 2 }
roles:
  r: { cloud: aws }
buckets:
  b: { cloud: aws, name: runner-bucket }
exports:
  one: { cloud: aws, imageId: ami-00000000000000001, format: vmdk, bucket: b, role: r }
  two: { cloud: aws, imageId: ami-00000000000000002, format: vmdk, bucket: b, role: r }
  three: { cloud: aws, imageId: ami-00000000000000003, format: vmdk, bucket: b, role: r }
  four: { cloud: aws, imageId: ami-00000000000000004, format: vmdk, bucket: b, role: r }
`;

const created: string[] = [];
test.after.always(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});

async function harness(text: string, options: FakeCloudOptions = {}) {
  const pipeline = pipelineOf(text);
  const fake = new FakeCloud(options);
  const dir = await mkdtemp(join(tmpdir(), 'imageport-runner-'));
  created.push(dir);
  const file = join(dir, 'state.json');
  const clouds = new CloudAccess(pipeline.clouds, async (cloud, connection) => fake.driver(cloud, connection.region));
  const events: RunEvent[] = [];
  const run = async (current = pipeline) => {
    const store = await StateStore.open(file, current.name);
    try {
      return await applyPipeline({
        pipeline: current,
        store,
        clouds,
        checkArtifact: async () => ({ errors: [], warnings: [] }),
        report: (event) => events.push(event),
        wait: { clock: new VirtualClock(), minIntervalMs: 1000, maxIntervalMs: 5000 },
      });
    } finally {
      await store.close();
    }
  };
  const destroy = async (current = pipeline) => {
    const store = await StateStore.open(file, current.name);
    try {
      return await destroyPipeline({ pipeline: current, store, clouds, report: (event) => events.push(event), wait: { clock: new VirtualClock(), minIntervalMs: 1000 } });
    } finally {
      await store.close();
    }
  };
  return { pipeline, fake, file, events, run, destroy };
}

test('runs every export within the cloud quota and records them', async (t) => {
  const { fake, run, file } = await harness(FOUR_EXPORTS);
  const result = await run();
  t.true(result.ok);
  t.is(result.entries.length, 4);
  t.is(fake.maxRunning, 2, 'never more tasks at once than the cloud quota');
  t.is(fake.tasks.size, 4);
  const state = await StateStore.read(file, 'runner');
  t.deepEqual(Object.values(state.exports).map((record) => record.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  t.is(result.artifacts.length, 4);
  t.true(fake.calls.includes('ensureRole vmimport'));
  t.true(fake.calls.includes('ensureBucket runner-bucket'));
});

test('a failed task does not stop the others; the result says which failed and why', async (t) => {
  const { fake, run, file } = await harness(FOUR_EXPORTS, { failingImages: ['ami-00000000000000002'] });
  const result = await run();
  t.false(result.ok);
  t.deepEqual(
    result.entries.map((entry) => [entry.entry, entry.outcome]),
    [['exports.one', 'succeeded'], ['exports.two', 'failed'], ['exports.three', 'succeeded'], ['exports.four', 'succeeded']],
  );
  t.is(result.entries[1].error, 'ClientError: Disk validation failed');
  t.is(fake.tasks.size, 4);
  const state = await StateStore.read(file, 'runner');
  t.is(state.exports.two.status, 'failed');
  t.deepEqual(state.exports.two.failure, { code: 'ClientError', message: 'Disk validation failed' });
});

test('a second run does nothing; a failed entry is retried as a new task (a new generation, so a new token)', async (t) => {
  const { fake, run } = await harness(FOUR_EXPORTS, { failingImages: ['ami-00000000000000002'] });
  await run();
  const calls = fake.calls.length;
  const second = await run();
  t.deepEqual(
    second.entries.map((entry) => entry.outcome),
    ['succeeded', 'failed', 'succeeded', 'succeeded'],
  );
  const starts = fake.calls.slice(calls).filter((call) => call.startsWith('start'));
  t.is(starts.length, 1, 'only the failed entry starts again');
  t.is(fake.tasks.size, 5, 'with a new token: a new task, not a replay of the failed one');
});

test('preflight problems fail the entry before anything starts', async (t) => {
  const { fake, run } = await harness(FOUR_EXPORTS, { refusedImages: ['ami-00000000000000003'] });
  const result = await run();
  const three = result.entries.find((entry) => entry.entry === 'exports.three')!;
  t.is(three.outcome, 'failed');
  t.is(three.error, 'preflight: image ami-00000000000000003 has encrypted snapshots (export an unencrypted copy)');
  t.is(fake.tasks.size, 3);
});

test('an import of a failed export is skipped, not started', async (t) => {
  const text = `name: chain
clouds:
  aws: { region: us-east-1 }
buckets:
  b: { cloud: aws, name: chain-bucket }
exports:
  first: { cloud: aws, imageId: ami-00000000000000009, format: vmdk, bucket: b }
imports:
  back:
    cloud: aws
    disks: [ { fromExport: first } ]
`;
  const failing = await harness(text, { failingImages: ['ami-00000000000000009'] });
  const failed = await failing.run();
  t.deepEqual(failed.entries.map((entry) => [entry.entry, entry.outcome]), [['exports.first', 'failed'], ['imports.back', 'skipped']]);
  t.is(failed.entries[1].error, 'exports.first did not succeed');

  const working = await harness(text);
  const result = await working.run();
  t.true(result.ok);
  const importTask = [...working.fake.tasks.values()].find((task) => task.kind === 'import')!;
  const exported = result.entries[0].artifacts![0];
  t.deepEqual((importTask.spec as unknown as { disks: unknown[] }).disks, [{ format: 'vmdk', bucket: 'chain-bucket', key: exported.key }], 'the import reads the file the export wrote');
  t.regex(result.entries[1].imageId ?? '', /^ami-/);
});

test('reports progress, starts and ends as events', async (t) => {
  const { run, events } = await harness(FOUR_EXPORTS);
  await run();
  t.is(events[0].type, 'plan');
  t.is(events.filter((event) => event.type === 'task-start').length, 4);
  t.true(events.filter((event) => event.type === 'task-progress').length >= 4);
  t.is(events.filter((event) => event.type === 'task-end').length, 4);
});

test('destroy cancels a running task, keeps retained files and deletes destroy-policy files, then roles and empty buckets', async (t) => {
  const text = FOUR_EXPORTS.replace('four: { cloud: aws, imageId: ami-00000000000000004, format: vmdk, bucket: b, role: r }', 'four: { cloud: aws, imageId: ami-00000000000000004, format: vmdk, bucket: b, role: r, removal: destroy }');
  const { fake, run, destroy } = await harness(text);
  await run();
  t.is(fake.objects.get('runner-bucket')?.size, 4);
  const result = await destroy();
  t.true(result.ok);
  t.is(fake.objects.get('runner-bucket')?.size, 3, 'only the removal: destroy export is deleted');
  t.true(fake.objects.has('runner-bucket'), 'a bucket holding retained exports is kept');
  t.false(fake.roles.has('vmimport'));
});

test('destroy of a task that cannot be cancelled waits for it to end', async (t) => {
  const text = FOUR_EXPORTS.replace('bucket: b, role: r }', 'bucket: b, role: r, removal: destroy }');
  const { fake, destroy, file } = await harness(text, { cancellable: false, describesToFinish: 4 });
  const driver = fake.driver('aws', 'us-east-1');
  const spec = pipelineOf(text).exports[0].spec;
  const ref = await driver.startExport(spec, 'tok');
  const store = await StateStore.open(file, 'runner');
  await store.update((state) => ({
    ...state,
    exports: { one: { kind: 'export', cloud: 'aws', spec, token: 'tok', digest: 'd', generation: 1, removal: 'destroy', status: 'running', task: ref, startedAt: '2024-01-01T00:00:00Z' } },
  }));
  await store.close();
  const result = await destroy();
  t.true(result.ok, JSON.stringify(result));
  t.true(fake.calls.includes(`cancel ${ref.taskId}`));
  t.is(fake.objects.get('runner-bucket')?.size ?? 0, 0, 'the file the task wrote at its end is deleted (removal: destroy)');
});

test('tags update in place on the cloud, without a new task', async (t) => {
  const { fake, run } = await harness(FOUR_EXPORTS);
  await run();
  const tasks = fake.tasks.size;
  const tagged = pipelineOf(FOUR_EXPORTS.replace('one: { cloud: aws, imageId: ami-00000000000000001, format: vmdk, bucket: b, role: r }', 'one: { cloud: aws, imageId: ami-00000000000000001, format: vmdk, bucket: b, role: r, tags: { team: platform } }'));
  const result = await run(tagged);
  t.true(result.ok);
  t.is(fake.tasks.size, tasks, 'no new task');
  t.is(fake.calls.filter((call) => call.startsWith('updateTags')).length, 1);
  t.regex(fake.calls.find((call) => call.startsWith('updateTags'))!, /\{"team":"platform"\}/);
});

test('destroy deletes an imported image by default, and keeps it with removal: retain', async (t) => {
  const text = `name: imports
clouds:
  aws: { region: us-east-1 }
buckets:
  b: { cloud: aws, name: import-bucket, existing: true }
imports:
  gone: { cloud: aws, disks: [ { bucket: b, key: a.vmdk, format: vmdk } ] }
  kept: { cloud: aws, removal: retain, disks: [ { bucket: b, key: b.vmdk, format: vmdk } ] }
`;
  const { fake, run, destroy } = await harness(text);
  const result = await run();
  t.true(result.ok);
  t.is(fake.images.size, 2);
  const removed = await destroy();
  t.true(removed.ok, JSON.stringify(removed));
  t.is(fake.images.size, 1);
  const keptImage = result.entries.find((entry) => entry.entry === 'imports.kept')!.imageId!;
  t.true(fake.images.has(keptImage));
  t.false(fake.calls.some((call) => call.startsWith('ensureBucket') || call.startsWith('deleteBucket')), 'an existing bucket is never created or deleted');
});

test('a start recorded but never confirmed is replayed with the same token: the task started before the crash is adopted', async (t) => {
  const { fake, run, file, pipeline } = await harness(FOUR_EXPORTS);
  const entry = pipeline.exports[0];
  const token = exportToken('runner', entry.key, entry.spec, 1);
  // The crash: the cloud started the task (the answer was lost), the state says only "starting".
  await fake.driver('aws', 'us-east-1').startExport(entry.spec, token);
  const store = await StateStore.open(file, 'runner');
  await store.update((state) => ({
    ...state,
    exports: { one: { kind: 'export', cloud: 'aws', spec: entry.spec, token, digest: 'd', generation: 1, removal: 'retain', status: 'starting', startedAt: '2024-01-01T00:00:00Z' } },
  }));
  await store.close();
  const result = await run();
  t.true(result.ok);
  t.is(fake.tasks.size, 4, 'one task per export: the first was adopted, not started twice');
  t.is(fake.calls.filter((call) => call === `start export ${token}`).length, 2, 'the replay used the same token');
});
