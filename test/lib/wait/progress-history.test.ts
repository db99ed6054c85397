import test from 'ava';
import { ProgressHistory } from '../../../lib/wait/progress-history';

test('no estimate until progress moves', (t) => {
  const history = new ProgressHistory();
  t.is(history.estimate(0), undefined);
  history.record(0, 0);
  history.record(5000, 0);
  history.record(6000, undefined);
  t.is(history.estimate(6000), undefined);
});

test('estimates the finish of a task reporting current progress', (t) => {
  const history = new ProgressHistory();
  // 1 point every 6 s: finishes at 600 s.
  for (let at = 0; at <= 300_000; at += 30_000) history.record(at, at / 6000);
  const estimate = history.estimate(300_000);
  t.truthy(estimate);
  t.true(Math.abs((estimate?.finishAtMs ?? 0) - 600_000) < 20_000, `finish ${estimate?.finishAtMs}`);
  t.true((estimate?.earliestFinishAtMs ?? 0) < (estimate?.finishAtMs ?? 0));
  t.true((estimate?.latestFinishAtMs ?? 0) > (estimate?.finishAtMs ?? 0));
  t.is(estimate?.evidencePoints, 50, 'points seen since the first reading');
});

test('a task that sits on one value pushes its own finish out', (t) => {
  const history = new ProgressHistory();
  history.record(0, 0);
  history.record(60_000, 10);
  history.record(120_000, 20);
  const fresh = history.estimate(120_000)?.finishAtMs ?? 0;
  history.record(400_000, 20);
  const stale = history.estimate(400_000)?.finishAtMs ?? 0;
  t.true(stale > fresh + 300_000, `fresh ${fresh}, stale ${stale}`);
});

test('progress that goes backwards starts a new history', (t) => {
  const history = new ProgressHistory();
  history.record(0, 50);
  history.record(10_000, 90);
  history.record(20_000, 5);
  t.is(history.estimate(20_000), undefined);
  history.record(30_000, 15);
  t.is(history.estimate(30_000)?.steps, 1);
});

test('readings out of range are clamped to 0-100', (t) => {
  const history = new ProgressHistory();
  history.record(0, -5);
  history.record(1000, 140);
  t.is(history.last?.progress, 100);
});

/** Readings of a task that reports current progress `progressAt(t)` (integer, floored) at the given poll times. */
function readings(history: ProgressHistory, times: readonly number[], progressAt: (atMs: number) => number): void {
  for (const at of times) history.record(at, Math.floor(progressAt(at)));
}

test('the end is expected when progress would reach 99, and is plausible up to 100 at the slowest rate', (t) => {
  const history = new ProgressHistory();
  // 1 point per 6 s from 0: 99 at 594 s, 100 at 600 s.
  readings(history, [0, 60_000, 150_000, 240_000, 330_000], (at) => at / 6000);
  const estimate = history.estimate(330_000);
  t.truthy(estimate);
  t.true(Math.abs((estimate?.finishAtMs ?? 0) - 594_000) < 6_000, `finish ${estimate?.finishAtMs}`);
  t.true((estimate?.latestFinishAtMs ?? 0) > 600_000);
});

test('readings that prove to be current values are placed at the poll that saw them: the finish is exact', (t) => {
  const steady = new ProgressHistory();
  // Queued for 60 s, then 1 point per 5.4 s (JD-like), polled at uneven, widening gaps.
  const progressAt = (at: number) => Math.max(0, (at - 60_000) / 5400);
  readings(steady, [0, 2000, 8000, 26_000, 80_000, 150_000, 260_000, 420_000], progressAt);
  const estimate = steady.estimate(420_000);
  const trueFinish = 60_000 + 99 * 5400;
  t.true(Math.abs((estimate?.finishAtMs ?? 0) - trueFinish) < 0.02 * trueFinish, `finish ${estimate?.finishAtMs} vs ${trueFinish}`);
  t.true((estimate?.earliestFinishAtMs ?? 0) > 420_000, 'the window starts after now: the next poll can wait');
  // The same values seen only twice carry no proof: the last value is placed back into its gap, finishing earlier.
  const unproven = new ProgressHistory();
  readings(unproven, [0, 150_000, 420_000], progressAt);
  t.true((unproven.estimate(420_000)?.finishAtMs ?? Infinity) < (estimate?.finishAtMs ?? 0) - 10_000);
});

test('a value seen after a long gap is placed back by at most half the shortest gap over which progress moved', (t) => {
  const history = new ProgressHistory();
  history.record(0, 0);
  history.record(10_000, 5); // moved over a 10 s gap: the cloud refreshes at least every 10 s
  history.record(20_000, 10);
  history.record(220_000, 60); // a 200 s gap
  const estimate = history.estimate(220_000);
  // Placed at most 5 s back: the finish is near 220 s + 39 points at the observed rate, not ~100 s earlier.
  const rate = estimate?.ratePerMs ?? 0;
  t.true((estimate?.finishAtMs ?? 0) >= 215_000 + 39 / rate - 1, `finish ${estimate?.finishAtMs}`);
});

test('after a slower phase begins, the finish follows the recent rate; the window reaches back to the old rate until the new one is confirmed', (t) => {
  const history = new ProgressHistory();
  // AWS-like: converting 5 -> 80 at 1 point per 4.8 s until 390 s, then updating at 1 point per 11 s.
  const progressAt = (at: number) => (at < 30_000 ? 0 : at < 390_000 ? 5 + (at - 30_000) / 4800 : 80 + (at - 390_000) / 11_000);
  readings(history, [0, 2000, 8000, 26_000, 80_000, 150_000, 200_000, 300_000, 390_000, 470_000], progressAt);
  const slowFinish = 390_000 + 19 * 11_000; // 599 s
  const first = history.estimate(470_000);
  t.true(Math.abs((first?.finishAtMs ?? 0) - slowFinish) < 0.03 * slowFinish, `finish ${first?.finishAtMs} vs ${slowFinish}`);
  const fastFinish = 470_000 + (99 - Math.floor(progressAt(470_000))) * 4800;
  t.true((first?.earliestFinishAtMs ?? Infinity) < fastFinish, 'one slow segment: a return to the fast rate stays plausible');
  readings(history, [530_000], progressAt);
  const confirmed = history.estimate(530_000);
  t.true(Math.abs((confirmed?.finishAtMs ?? 0) - slowFinish) < 0.03 * slowFinish, `finish ${confirmed?.finishAtMs} vs ${slowFinish}`);
  t.true((confirmed?.earliestFinishAtMs ?? 0) > 530_000 + (99 - Math.floor(progressAt(530_000))) * 4800, 'two slow segments agree: the window narrows');
});
