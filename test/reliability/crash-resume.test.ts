import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { startEmulator, type Emulator, type TaskSnapshotJson } from '../../emulator';
import { parseState, type PipelineState } from '../../lib/pipeline/state/pipeline-state';
import { cliEnv, collect, runCli, startCli } from '../e2e/cli-harness';
import { chaosPipeline, writeCloneCatalog, type ChaosShape } from './support/chaos-world';
import { duplicateStarts, recordedTasks, taskOf } from './support/emulator-world';
import { randomInt, replayLine, seededRandom, seedFrom, type Random } from './support/seeded-random';

// Crash and resume: `imageport apply` (a child process) is killed with SIGKILL at random points, over and over; the
// emulator runs in this process and outlives it, like a real cloud. After every kill the state file must be whole and
// must know every task the clouds started; every rerun resumes, and the last one converges to exactly one task per
// entry, all succeeded, and a state file that agrees with the emulator.
const SEED = seedFrom('IMAGEPORT_CRASH_SEED');
const KILLS = 24;
const KILLS_PER_PIPELINE = 6;
const SPEED = 3000; // a 10-minute export takes a fifth of a second
const SHAPE: ChaosShape = {
  exports: { aws: 3, alicloud: 3, jdcloud: 2 },
  chainedImports: { aws: 1, alicloud: 1, jdcloud: 1 },
  seededImports: { aws: 0, alicloud: 0, jdcloud: 0 },
};
const ENTRIES = 11;
const MAX_PIPELINES = 12;

/** Where a run is killed: after its n-th `--json` event, after a delay, or once the state file changed n times. */
type KillPoint = { readonly after: 'event'; readonly count: number } | { readonly after: 'ms'; readonly ms: number } | { readonly after: 'state-writes'; readonly count: number };

/** A kill point; later reruns of a pipeline have less left to do, so their points come earlier. */
function drawKillPoint(random: Random, round: number): KillPoint {
  const shrink = (max: number) => Math.max(3, Math.floor(max / (round + 1)));
  const kind = random();
  if (kind < 0.35) return { after: 'event', count: randomInt(random, 1, shrink(45)) };
  if (kind < 0.65) return { after: 'state-writes', count: randomInt(random, 1, shrink(40)) };
  return { after: 'ms', ms: randomInt(random, 100, 600 + shrink(3000)) };
}

function describe(point: KillPoint): string {
  return point.after === 'ms' ? `${point.ms} ms after the start` : `after ${point.count} ${point.after === 'event' ? 'events' : 'state writes'}`;
}

async function readStateText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Starts apply and kills it at `point`; resolves with whether the kill happened (false: the run ended first). */
async function applyAndKill(dir: string, env: NodeJS.ProcessEnv, point: KillPoint): Promise<{ killed: boolean; code: number | null; output: string }> {
  const stateFile = join(dir, '.imageport', 'state.json');
  const serialAtStart = (await readStateText(stateFile).then((text) => (text ? parseState(text, stateFile).serial : 0))) ?? 0;
  const child = startCli(['apply', 'pipeline.yaml', '--json'], { cwd: dir, env });
  let events = 0;
  let ended = false;
  let kill: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => {
    kill = () => {
      if (!ended && child.exitCode === null) child.kill('SIGKILL');
      resolve();
    };
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    events += chunk.toString().split('\n').length - 1;
    if (point.after === 'event' && events >= point.count) kill();
  });
  const run = collect(child, 120_000).then((result) => {
    ended = true;
    return result;
  });
  if (point.after === 'ms') setTimeout(kill, point.ms);
  if (point.after === 'state-writes') {
    void (async () => {
      while (!ended) {
        const text = await readStateText(stateFile);
        if (text) {
          try {
            if (parseState(text, stateFile).serial - serialAtStart >= point.count) return kill();
          } catch {
            // a half-written file would be a finding, but the check after the kill reports it
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    })();
  }
  const result = await Promise.race([run, killed.then(() => run)]);
  return { killed: result.signal === 'SIGKILL', code: result.code, output: result.stdout + result.stderr };
}

/** What must hold after any kill: a whole state file that knows every task the emulator has. */
async function checkAfterKill(t: ExecutionContext, emulator: Emulator, dir: string, label: string): Promise<PipelineState | undefined> {
  const stateFile = join(dir, '.imageport', 'state.json');
  const text = await readStateText(stateFile);
  let state: PipelineState | undefined;
  try {
    state = text === undefined ? undefined : parseState(text, stateFile);
  } catch (error) {
    t.fail(`${label}: the state file is not whole: ${(error as Error).message}`);
    return undefined;
  }
  const tasks = emulator.inspect().tasks.filter((task) => belongsTo(task, dir));
  t.deepEqual(duplicateStarts(tasks), [], `${label}: a second task for one start`);
  const unknown = tasks.filter((task) => !knownToState(task, state));
  t.deepEqual(unknown.map((task) => `${task.cloud} ${task.kind} ${task.id} ${task.imageId ?? ''}`), [], `${label}: tasks the state file does not know (the start was not recorded before the call)`);
  return state;
}

/** Tasks of one pipeline: its buckets carry the pipeline's name (the workspace folder's suffix). */
function belongsTo(task: TaskSnapshotJson, dir: string): boolean {
  const name = dir.slice(dir.lastIndexOf('-') + 1);
  return (task.bucket ?? '').startsWith(`${name}-`) || (task.key ?? '').includes(`${name}-`);
}

/** A task the state names by id, or one a `starting` record will find again (same token, or same image and bucket). */
function knownToState(task: TaskSnapshotJson, state: PipelineState | undefined): boolean {
  return recordedTasks(state).some(({ record }) => {
    if (record.cloud !== task.cloud || record.kind !== task.kind) return false;
    if (record.task) return record.task.taskId === task.id;
    if (record.status !== 'starting') return false;
    if (task.clientToken) return task.clientToken === record.token;
    return record.kind === 'export' && record.spec.imageId === task.imageId && record.spec.bucket === task.bucket;
  });
}

test('apply killed with SIGKILL at random points, 24 times: every rerun resumes, the last converges to one task per entry', async (t) => {
  const line = replayLine('IMAGEPORT_CRASH_SEED', SEED, 'test/reliability/crash-resume.test.ts');
  t.log(line);
  console.log(`crash-resume: ${line}`);
  const random = seededRandom(SEED);
  const root = await mkdtemp(join(tmpdir(), 'imageport-crash-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const pipelines = Array.from({ length: MAX_PIPELINES }, (_, index) => chaosPipeline(`crash${index}`, { shape: SHAPE, firstImage: index * 3, ownRoles: true }));
  writeCloneCatalog(join(root, 'catalog'), pipelines[pipelines.length - 1].cloneCounts);
  const emulator = await startEmulator({ catalogDir: join(root, 'catalog'), speed: SPEED });
  t.teardown(() => emulator.stop());
  const env = cliEnv(emulator.env);

  let kills = 0;
  const history: string[] = [];
  for (const [index, pipeline] of pipelines.entries()) {
    if (kills >= KILLS) break;
    const dir = join(root, `ws-${pipeline.name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'pipeline.yaml'), pipeline.text);
    for (let round = 0; round < KILLS_PER_PIPELINE && kills < KILLS; round++) {
      const point = drawKillPoint(random, round);
      const outcome = await applyAndKill(dir, env, point);
      const label = `${line}\npipeline ${index}, run ${round + 1}, killed ${describe(point)}`;
      history.push(`${pipeline.name} run ${round + 1}: ${outcome.killed ? `killed ${describe(point)}` : `ended (${outcome.code}) before ${describe(point)}`}`);
      if (process.env.IMAGEPORT_TEST_TRACE) console.log(new Date().toISOString(), history[history.length - 1]);
      if (!outcome.killed) {
        t.is(outcome.code, 0, `${label}: a run that was not killed must succeed\n${outcome.output.slice(-3000)}`);
        break;
      }
      kills++;
      await checkAfterKill(t, emulator, dir, label);
    }
    // The rerun converges: everything succeeded, one task per entry, state and emulator agree; one more apply is a no-op.
    const final = await runCli(['apply', 'pipeline.yaml'], { cwd: dir, env, timeoutMs: 120_000 });
    if (process.env.IMAGEPORT_TEST_TRACE) console.log(new Date().toISOString(), `${pipeline.name} converging run: ${final.code}`);
    const label = `${line}\n${history.slice(-KILLS_PER_PIPELINE).join('\n')}`;
    t.is(final.code, 0, `${label}\n${final.stdout.slice(-3000)}${final.stderr}`);
    const state = await checkAfterKill(t, emulator, dir, `${label}\nafter the converging run`);
    const tasks = emulator.inspect().tasks.filter((task) => belongsTo(task, dir));
    const records = recordedTasks(state);
    t.is(records.length, ENTRIES, label);
    t.deepEqual(
      records.filter(({ record }) => record.status !== 'succeeded' || taskOf(tasks, record)?.outcome !== 'succeeded').map(({ entry, record }) => `${entry} ${record.status} ${taskOf(tasks, record)?.outcome}`),
      [],
      `${label}: every entry succeeded, in the state and in the emulator`,
    );
    t.is(tasks.length, ENTRIES, `${label}: exactly one task per entry`);
    const again = await runCli(['apply', 'pipeline.yaml'], { cwd: dir, env });
    t.regex(again.stdout, /No changes\./, label);
    t.is(emulator.inspect().tasks.filter((task) => belongsTo(task, dir)).length, ENTRIES, `${label}: a converged pipeline starts nothing`);
  }
  t.log(history.join('\n'));
  t.true(kills >= 20, `at least 20 kills (${kills}):\n${history.join('\n')}`);
});
