import test from 'ava';
import { jitterDelayMs, nextPollDelayMs } from '../../../lib/wait/poll-schedule';
import { type ProgressEstimate } from '../../../lib/wait/progress-history';

const bounds = { minIntervalMs: 2000, maxIntervalMs: 300_000 };

test('jitter moves a gap by at most ±10 %', (t) => {
  t.is(jitterDelayMs(10_000, () => 0, bounds), 9000);
  t.is(jitterDelayMs(10_000, () => 0.5, bounds), 10_000);
  t.is(jitterDelayMs(10_000, () => 0.999999, bounds), 11_000);
  for (let r = 0; r < 1; r += 0.01) {
    const gap = jitterDelayMs(50_000, () => r, bounds);
    t.true(gap >= 45_000 && gap <= 55_000);
  }
});

test('jitter never leaves [minIntervalMs, maxIntervalMs]', (t) => {
  t.is(jitterDelayMs(2000, () => 0, bounds), 2000);
  t.is(jitterDelayMs(300_000, () => 0.999, bounds), 300_000);
});

test('without progress the gap backs off geometrically, at most three times the time waited so far', (t) => {
  const input = { nowMs: 100_000, waitStartedMs: 0, ...bounds };
  t.is(nextPollDelayMs({ ...input, nowMs: 0 }), 2000, 'first gap is the shortest');
  t.is(nextPollDelayMs({ ...input, previousDelayMs: 8000 }), 24_000);
  t.is(nextPollDelayMs({ ...input, nowMs: 6000, previousDelayMs: 8000 }), 18_000, 'capped by the time waited');
  t.is(nextPollDelayMs({ ...input, nowMs: 10_000_000, previousDelayMs: 250_000 }), 300_000, 'capped by maxIntervalMs');
});

const estimate = (fields: Partial<ProgressEstimate>): ProgressEstimate => ({
  ratePerMs: 50 / 300_000,
  startAtMs: 0,
  finishAtMs: 600_000,
  earliestFinishAtMs: 560_000,
  latestFinishAtMs: 640_000,
  evidencePoints: 50,
  steps: 5,
  ...fields,
});

test('with a strong estimate the gap heads for the earliest plausible finish', (t) => {
  const gap = nextPollDelayMs({ nowMs: 300_000, waitStartedMs: 0, estimate: estimate({}), ...bounds });
  t.is(gap, 255_000, '85 % of the way to the expected finish');
  const near = nextPollDelayMs({ nowMs: 500_000, waitStartedMs: 0, estimate: estimate({}), ...bounds });
  t.is(near, 60_000, 'not past the earliest plausible finish');
});

test('near and past the expected finish the gap is one granule (1 % of the task), then grows with the overrun', (t) => {
  const input = { waitStartedMs: 0, estimate: estimate({}), ...bounds };
  t.is(nextPollDelayMs({ ...input, nowMs: 597_000 }), 3000, 'lands on the expected finish');
  t.is(nextPollDelayMs({ ...input, nowMs: 600_000 }), 6000, 'one granule');
  t.is(nextPollDelayMs({ ...input, nowMs: 1_200_000 }), 60_000, 'a tenth of the overrun');
});

test('a weak estimate keeps the back-off cap', (t) => {
  const weak = estimate({ evidencePoints: 3, steps: 1, earliestFinishAtMs: 500_000 });
  t.is(nextPollDelayMs({ nowMs: 20_000, waitStartedMs: 0, estimate: weak, previousDelayMs: 8000, ...bounds }), 24_000);
});

test('the granule is 1 % of the task as long as the wait says, even when an extrapolated start says longer', (t) => {
  // A rate that slowed down extrapolates the start far back (here to -600 s): the granule stays 1 % of the 600 s waited.
  const slowed = estimate({ startAtMs: -600_000, finishAtMs: 600_000, earliestFinishAtMs: 599_000 });
  t.is(nextPollDelayMs({ nowMs: 600_000, waitStartedMs: 0, estimate: slowed, ...bounds }), 6000);
});
