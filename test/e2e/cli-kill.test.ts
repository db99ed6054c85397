import test, { type ExecutionContext } from 'ava';
import { type Emulator } from '../../emulator';
import { startEmulator } from '../../emulator';
import { cliEnv, collect, emulatorFor, readState, runCli, startCli, until, workspace } from './cli-harness';

// apply is killed with SIGKILL at several points; the next apply must finish with exactly one task per export in
// the emulator (never a second export of the same image). The emulator runs in this process, so it outlives the
// killed CLI, like a real cloud does.
const SPEED = 120;
const FILE = 'pipelines/quickstart.yaml';

function exportTasksPerCloud(emulator: Emulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of emulator.inspect().tasks) if (task.kind === 'export') counts[task.cloud] = (counts[task.cloud] ?? 0) + 1;
  return counts;
}

async function killWhen(dir: string, env: NodeJS.ProcessEnv, condition: () => Promise<boolean>): Promise<void> {
  const child = startCli(['apply', FILE], { cwd: dir, env });
  const ended = collect(child, 120_000);
  let exited = false;
  void ended.then(() => (exited = true));
  await until(async () => exited || (await condition()), 60_000);
  if (exited) throw new Error(`apply ended before the kill point: ${JSON.stringify(await ended)}`);
  child.kill('SIGKILL');
  const run = await ended;
  if (run.signal !== 'SIGKILL') throw new Error(`apply was not killed: ${JSON.stringify(run)}`);
}

async function resumeAndCheck(t: ExecutionContext, dir: string, env: NodeJS.ProcessEnv, emulator: Emulator): Promise<void> {
  const resumed = await runCli(['apply', FILE], { cwd: dir, env, timeoutMs: 120_000 });
  t.is(resumed.code, 0, resumed.stdout + resumed.stderr);
  t.regex(resumed.stdout, /Apply complete: 3 succeeded\./);
  t.deepEqual(exportTasksPerCloud(emulator), { aws: 1, alicloud: 1, jdcloud: 1 });
  const state = await readState(dir);
  t.deepEqual(Object.values(state?.exports ?? {}).map((record) => record.status), ['succeeded', 'succeeded', 'succeeded']);
  const again = await runCli(['apply', FILE], { cwd: dir, env });
  t.regex(again.stdout, /No changes\./);
  t.deepEqual(exportTasksPerCloud(emulator), { aws: 1, alicloud: 1, jdcloud: 1 });
}

test.serial('killed during role creation, the next apply finishes with one task per export', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  await killWhen(dir, env, async () => emulator.inspect().roles.length > 0 && Object.keys((await readState(dir))?.roles ?? {}).length < 3);
  await resumeAndCheck(t, dir, env, emulator);
});

test.serial('killed right after a start was recorded (before or after the call), the token makes the retry safe', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  // The window between recording a start and recording its task is one request long: if the poll misses it, the
  // kill lands right after (a task recorded as running). The runner tests cover a 'starting' record exactly.
  await killWhen(dir, env, async () => Object.values((await readState(dir))?.exports ?? {}).some((record) => record.status === 'starting' || record.status === 'running'));
  await resumeAndCheck(t, dir, env, emulator);
});

test.serial('killed after the state recorded the running tasks, the next apply resumes the waits', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  await killWhen(dir, env, async () => Object.values((await readState(dir))?.exports ?? {}).filter((record) => record.status === 'running').length >= 2);
  const plan = await runCli(['plan', FILE], { cwd: dir, env });
  t.regex(plan.stdout, /> export "golden-/, 'the plan shows the running tasks as resumed');
  await resumeAndCheck(t, dir, env, emulator);
});

test.serial('killed mid-wait, the next apply resumes the waits', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  await killWhen(dir, env, async () => emulator.inspect().tasks.some((task) => (task.progress ?? 0) >= 30 && task.outcome === 'running'));
  await resumeAndCheck(t, dir, env, emulator);
});

test.serial('a second apply while one runs fails fast, naming the lock', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  const first = startCli(['apply', FILE], { cwd: dir, env });
  const firstRun = collect(first, 120_000);
  await until(async () => (await readState(dir)) !== undefined);
  const started = Date.now();
  const second = await runCli(['apply', FILE], { cwd: dir, env });
  t.is(second.code, 1);
  t.regex(second.stderr, /another imageport run holds the state lock \S+\.imageport\/state\.json\.lock \(process \d+ on /);
  t.true(Date.now() - started < 20_000, 'fails fast');
  const done = await firstRun;
  t.is(done.code, 0, done.stdout + done.stderr);
  t.deepEqual(exportTasksPerCloud(emulator), { aws: 1, alicloud: 1, jdcloud: 1 });
});

test.serial('destroy after a killed apply cancels the running tasks (JD Cloud cannot cancel: destroy waits for its end)', async (t) => {
  // A virtual clock the test moves by hand: tasks stand still until destroy has asked for the cancels, so JD's task
  // is certainly still running when destroy reaches it.
  let now = Date.now();
  const emulator = await startEmulator({ clock: { now: () => now } });
  t.teardown(() => emulator.stop());
  const env = cliEnv(emulator.env);
  const dir = await workspace(t);
  await killWhen(dir, env, async () => Object.values((await readState(dir))?.exports ?? {}).filter((record) => record.status === 'running').length === 3);
  t.true(emulator.inspect().tasks.every((task) => task.outcome === 'running'), 'the kill happened while all three ran');

  const child = startCli(['destroy', FILE], { cwd: dir, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = collect(child, 120_000);
  await until(() => /golden-aws: cancelled/.test(output) && /golden-alicloud: cancelled/.test(output) && /golden-jdcloud: \S+ cannot be cancelled on this cloud: waiting for it to end/.test(output));
  let done = false;
  void ended.then(() => (done = true));
  while (!done) {
    now += 30_000; // thirty emulated seconds per tick: JD's task ends, the cancels complete
    await new Promise((r) => setTimeout(r, 20));
  }
  const destroy = await ended;
  t.is(destroy.code, 0, output + destroy.stderr);
  const outcomes = Object.fromEntries(emulator.inspect().tasks.map((task) => [task.cloud, task.outcome]));
  t.deepEqual(outcomes, { aws: 'cancelled', alicloud: 'cancelled', jdcloud: 'succeeded' });
  t.regex(output, /golden-jdcloud: kept oss:\/\/imageport-quickstart-jdcloud\/\S+\.qcow2 \(removal: retain\)/);
  t.deepEqual((await readState(dir))?.exports, {});
  t.deepEqual(emulator.inspect().roles, []);
});
