import test from 'ava';
import { emulatorFor, runCli, workspace } from './cli-harness';

// Throttling, 5xx answers and answers lost after the cloud acted (the case a client token exists for): apply still
// ends with every export done exactly once.
test('apply survives throttling, 5xx and lost answers with exactly one task per export', async (t) => {
  const { emulator, env } = await emulatorFor(3000);
  t.teardown(() => emulator.stop());
  emulator.faults.set({ rate: 0.2, kinds: ['throttle', '5xx', 'drop-after'], seed: 2 });
  const dir = await workspace(t);
  const run = await runCli(['apply', 'pipelines/quickstart.yaml'], { cwd: dir, env, timeoutMs: 150_000 });
  emulator.faults.clear();
  t.is(run.code, 0, run.stdout + run.stderr);
  const counts: Record<string, number> = {};
  for (const task of emulator.inspect().tasks) if (task.kind === 'export') counts[task.cloud] = (counts[task.cloud] ?? 0) + 1;
  t.deepEqual(counts, { aws: 1, alicloud: 1, jdcloud: 1 });
});
