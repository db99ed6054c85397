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
  t.is(estimate?.evidencePoints, 45);
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
