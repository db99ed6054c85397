import test from 'ava';
import { formatWaiterEmulatorReport, runWaiterEmulatorBench } from '../../bench/waiter-emulator';

// The emulator benchmark in a tiny configuration: real drivers, real emulator, one virtual clock.

test('the emulator benchmark runs both pollers on every cloud, deterministically in virtual time', async (t) => {
  const options = { durationsMinutes: [1], tasksPerCase: 1, tasksPerShortCase: 1, seed: 3 };
  const first = await runWaiterEmulatorBench(options);
  const second = await runWaiterEmulatorBench(options);
  t.deepEqual(
    first.cases.map((c) => c.cloud),
    ['aws', 'alicloud', 'jdcloud'],
  );
  t.deepEqual(first.cases, second.cases, 'calls and lags depend only on virtual time and the seeds');
  for (const c of first.cases) {
    t.true(c.waiter.meanCalls >= 2 && c.waiter.meanCalls < c.fixed.meanCalls, `${c.cloud}: ${c.waiter.meanCalls} vs ${c.fixed.meanCalls}`);
    // A 54-66 s task polled every 5 s from 0: 12 to 15 calls, and a lag under one interval.
    t.true(c.fixed.meanCalls >= 12 && c.fixed.meanCalls <= 15, `${c.cloud}: fixed calls ${c.fixed.meanCalls}`);
    t.true(c.fixed.maxLagMs >= 0 && c.fixed.maxLagMs < 5000);
    t.true(c.waiter.maxLagMs >= 0 && c.waiter.maxLagMs < 60_000);
  }
  t.is(first.totalDescribeCalls, first.cases.reduce((sum, c) => sum + c.waiter.meanCalls + c.fixed.meanCalls, 0));
  const table = formatWaiterEmulatorReport(first);
  t.regex(table, /^\| cloud \| length \|/);
  t.regex(table, /\| jdcloud \| 1 min \| 1 \|/);
});
