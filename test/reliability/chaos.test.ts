import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { FAULT_KINDS, startEmulator } from '../../emulator';
import { type RunResult } from '../../lib/pipeline/run/run-events';
import { cliEnv, readState, runCli } from '../e2e/cli-harness';
import { chaosPipeline, GOLDEN_VIRTUAL_SIZE_BYTES, writeCloneCatalog } from './support/chaos-world';
import { duplicateStarts, orphanTasks, readBack, recordedTasks, taskOf, uploadSeedObjects } from './support/emulator-world';
import { replayLine, seedFrom } from './support/seeded-random';

// Chaos: 60 exports and imports over the three clouds, `imageport apply` as a child process against an emulator in
// this process that injects 20 % faults of every kind on every cloud and service. Afterwards the emulator is asked
// what really happened, and that is held against the CLI's result and its state file.
const SEED = seedFrom('IMAGEPORT_CHAOS_SEED');
const SPEED = 1200; // a 10-minute export takes half a second
const FAULT_RATE = 0.2;

test('60 exports and imports under 20 % faults: one task per entry, no orphan, every artifact verified or the cloud error reported', async (t) => {
  const line = replayLine('IMAGEPORT_CHAOS_SEED', SEED, 'test/reliability/chaos.test.ts');
  t.log(line);
  console.log(`chaos: ${line}`);

  const dir = await mkdtemp(join(tmpdir(), 'imageport-chaos-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const pipeline = chaosPipeline('chaos');
  writeCloneCatalog(join(dir, 'catalog'), pipeline.cloneCounts);
  await writeFile(join(dir, 'pipeline.yaml'), pipeline.text);
  t.is(pipeline.exports.length + pipeline.imports.length, 60);

  const emulator = await startEmulator({ catalogDir: join(dir, 'catalog'), speed: SPEED });
  t.teardown(() => emulator.stop());
  await uploadSeedObjects(emulator, pipeline.seedObjects);
  emulator.faults.set({ rate: FAULT_RATE, kinds: FAULT_KINDS, seed: SEED });

  const run = await runCli(['apply', 'pipeline.yaml', '--json'], { cwd: dir, env: cliEnv(emulator.env), timeoutMs: 150_000 });
  emulator.faults.clear();
  const context = `${line}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr\n${run.stderr.slice(-4000)}`;
  t.not(run.signal, 'SIGKILL', `apply did not end in time\n${context}`);
  const resultLine = run.stdout.trim().split('\n').reverse().find((candidate) => candidate.startsWith('{"type":"result"'));
  if (!resultLine) return t.fail(`apply printed no result\n${context}`);
  const result = JSON.parse(resultLine) as RunResult & { type: 'result' };
  t.is(run.code, result.ok ? 0 : 1, context);
  t.is(run.stderr.trim(), '', 'nothing on stderr: no warning, no stack');

  const snapshot = emulator.inspect();
  const state = await readState(dir);
  const records = recordedTasks(state);

  // No duplicate: one task per start (token, or image + bucket + key where the cloud has no token), and one per entry.
  t.deepEqual(duplicateStarts(snapshot.tasks), [], `duplicate tasks\n${context}`);
  // No orphan: every task in the emulator is in the state file.
  t.deepEqual(orphanTasks(snapshot.tasks, state), [], `tasks the state file does not know\n${context}`);
  t.is(new Set(records.flatMap(({ record }) => (record.task ? [`${record.cloud} ${record.task.taskId}`] : []))).size, records.filter(({ record }) => record.task).length, 'no two entries share a task');

  const results = new Map(result.entries.map((entry) => [entry.entry, entry]));
  t.is(results.size, 60, 'the result names every entry');
  const problems: string[] = [];
  let verified = 0;
  let cloudFailures = 0;
  for (const planned of [...pipeline.exports.map((e) => ({ ...e, kind: 'export' as const })), ...pipeline.imports.map((i) => ({ ...i, kind: 'import' as const }))]) {
    const id = `${planned.kind}s.${planned.key}`;
    const entry = results.get(id);
    const record = records.find((candidate) => candidate.entry === id)?.record;
    const task = record ? taskOf(snapshot.tasks, record) : undefined;
    if (!entry) {
      problems.push(`${id}: missing from the result`);
      continue;
    }
    if (entry.outcome === 'succeeded') {
      // The state agrees, the emulator agrees, and the artifact reads back as what was asked for.
      if (record?.status !== 'succeeded') problems.push(`${id}: succeeded, but the state says ${record?.status}`);
      if (task?.outcome !== 'succeeded') problems.push(`${id}: succeeded, but the emulator's task ${record?.task?.taskId} is ${task?.outcome}`);
      if (planned.kind === 'export') {
        const artifacts = record?.kind === 'export' ? (record.artifacts ?? []) : [];
        if (artifacts.length === 0) problems.push(`${id}: succeeded without artifacts`);
        for (const artifact of artifacts) {
          const back = await readBack(emulator, planned.cloud, artifact.bucket, artifact.key);
          const expected = artifact.format === 'raw.tar.gz' ? 'raw.tar.gz' : planned.format === 'raw' && planned.cloud === 'alicloud' ? 'raw.tar.gz' : planned.format;
          if (back.format !== expected) problems.push(`${id}: ${artifact.uri} reads back as ${back.format}, not ${expected}`);
          if (artifact.format !== expected) problems.push(`${id}: ${artifact.uri} recorded as ${artifact.format}, not ${expected}`);
          if ((artifact.disk ?? 'system') === 'system' && back.virtualSizeBytes !== GOLDEN_VIRTUAL_SIZE_BYTES) {
            problems.push(`${id}: ${artifact.uri} has virtual size ${back.virtualSizeBytes}, not ${GOLDEN_VIRTUAL_SIZE_BYTES}`);
          }
          if (artifact.sizeBytes !== undefined && artifact.sizeBytes !== back.sizeBytes) problems.push(`${id}: ${artifact.uri} recorded ${artifact.sizeBytes} bytes, holds ${back.sizeBytes}`);
          if (!snapshot.buckets.some((bucket) => bucket.name === artifact.bucket && bucket.objects.some((object) => object.key === artifact.key))) {
            problems.push(`${id}: ${artifact.uri} is not in the emulator's bucket`);
          }
        }
        verified++;
      } else {
        const imageId = record?.kind === 'import' ? record.imageId : undefined;
        if (!imageId || imageId !== task?.imageId) problems.push(`${id}: state image ${imageId}, emulator task image ${task?.imageId}`);
        if (!snapshot.images.some((image) => image.id === imageId && image.source === 'import')) problems.push(`${id}: image ${imageId} is not in the emulator`);
        if (entry.imageId !== imageId) problems.push(`${id}: result image ${entry.imageId}, state image ${imageId}`);
      }
    } else if (entry.outcome === 'failed' && task && task.outcome === 'failed') {
      // The cloud's own failure message reaches the result unchanged, and the state records it.
      cloudFailures++;
      if (!task.message || !entry.error?.includes(task.message)) problems.push(`${id}: the emulator says ${JSON.stringify(task.message)}, the result ${JSON.stringify(entry.error)}`);
      // The emulator's inspect() shows Alibaba's ErrorCode and ErrorMsg as "code: message".
      const recorded = record?.failure ? [record.failure.message, `${record.failure.code}: ${record.failure.message}`] : [];
      if (record?.status !== 'failed' || !recorded.includes(task.message ?? '')) problems.push(`${id}: the state records ${record?.status} ${JSON.stringify(record?.failure)}`);
    } else if (entry.outcome === 'skipped') {
      // Only an import whose export did not succeed may be skipped.
      const source = planned.kind === 'import' && 'fromExport' in planned && planned.fromExport ? results.get(`exports.${planned.fromExport}`) : undefined;
      if (!source || source.outcome === 'succeeded') problems.push(`${id}: skipped (${entry.error}) though nothing it depends on failed`);
      if (task) problems.push(`${id}: skipped, yet the emulator has its task ${task.id}`);
    } else {
      problems.push(`${id}: ${entry.outcome} (${entry.error ?? 'no error'}); state ${record?.status ?? 'none'}, emulator ${task ? `${task.id} ${task.outcome} ${task.message ?? ''}` : 'no task'}`);
    }
  }
  t.deepEqual(problems, [], context);
  t.log(`${verified} exports verified, ${cloudFailures} failures reported by the clouds, ${snapshot.tasks.length} tasks in the emulator`);
  t.true(verified >= 30, `most exports succeed under 20 % faults (${verified})`);
});
