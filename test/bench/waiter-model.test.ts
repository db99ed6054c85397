import test from 'ava';
import { formatWaiterModelReport, runWaiterModel, syntheticTask, seededRandom } from '../../bench/waiter-model';

test('the waiter model runs small, deterministically, and compares both pollers', async (t) => {
  const options = { durationsMinutes: [1, 10], tasksPerCase: 3, seed: 42 };
  const first = await runWaiterModel(options);
  const second = await runWaiterModel(options);
  t.deepEqual(first, second, 'same options, same figures');
  t.is(first.cases.length, 6);
  for (const c of first.cases) {
    t.true(c.waiter.meanCalls > 0 && c.fixed.meanCalls > 0);
    t.true(c.waiter.meanLagMs >= 0 && c.fixed.meanLagMs >= 0);
    t.true(c.fixed.maxLagMs < 5000, 'the fixed poller lags less than its interval');
    if (c.durationMinutes === 10) t.true(c.callRatio < 0.25, `${c.curve}: ratio ${c.callRatio}`);
  }
  const table = formatWaiterModelReport(first);
  t.regex(table, /^\| curve \|/);
  t.regex(table, /\| jdcloud \| 10 min \| 3 \|/);
});

test('synthetic tasks follow each cloud\'s reporting style', (t) => {
  const random = seededRandom(3);
  const aws = syntheticTask('aws', 600_000, random);
  t.is(aws.describeAt(0).message, 'validating');
  t.is(aws.describeAt(600_000).progress, undefined, 'a completed AWS export reports no progress');
  t.is(aws.describeAt(600_000).rawStatus, 'completed');
  const jd = syntheticTask('jdcloud', 600_000, random);
  const readings = [100_000, 200_000, 300_000, 400_000, 500_000].map((at) => jd.describeAt(at).progress ?? -1);
  t.true(readings.every((p, i) => Number.isInteger(p) && (i === 0 || p > readings[i - 1])));
  t.is(jd.describeAt(599_999).state, 'running');
  t.is(jd.describeAt(600_000).state, 'succeeded');
});
