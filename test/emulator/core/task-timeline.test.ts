import test from 'ava';
import fc from 'fast-check';
import { cancelledPlan, phaseStartsAt, positionAt, slowedDown, type TimelinePlan } from '../../../emulator/core/task-timeline';

const plan: TimelinePlan = {
  startedAt: 1_000,
  durationMs: 100_000,
  phases: [
    { name: 'validating', share: 0.1, progress: [0, 0] },
    { name: 'converting', share: 0.5, progress: [5, 80] },
    { name: 'updating', share: 0.4, progress: [80, 99] },
  ],
  cancelTailMs: 5_000,
  failureTailMs: 0,
};

test('timeline: phases follow their shares, progress interpolates, the end is success at 100', (t) => {
  t.like(positionAt(plan, 1_000), { outcome: 'running', phase: 'validating', progress: 0, nextChangeAt: 11_000 });
  t.like(positionAt(plan, 11_000), { outcome: 'running', phase: 'converting', progress: 5 });
  t.like(positionAt(plan, 36_000), { outcome: 'running', phase: 'converting', progress: 42 });
  t.like(positionAt(plan, 61_000), { outcome: 'running', phase: 'updating', progress: 80, nextChangeAt: 101_000 });
  t.like(positionAt(plan, 101_000), { outcome: 'succeeded', phase: 'updating', progress: 100, endsAt: 101_000, nextChangeAt: undefined });
  t.is(phaseStartsAt(plan, 2), 61_000);
  t.like(positionAt(plan, 0), { outcome: 'running', phase: 'validating', progress: 0 }, 'before the start it is at the start');
});

test('timeline: progress never decreases and the outcome never leaves a final state', (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 250_000 }), { minLength: 2, maxLength: 30 }), fc.option(fc.double({ min: 0, max: 1, noNaN: true })), (instants, failAt) => {
      const subject: TimelinePlan = failAt === null ? plan : { ...plan, failAtShare: failAt };
      const sorted = [...instants].sort((a, b) => a - b);
      let previous = positionAt(subject, sorted[0]);
      for (const instant of sorted.slice(1)) {
        const next = positionAt(subject, instant);
        if (next.progress < previous.progress) return false;
        if (previous.outcome !== 'running' && next.outcome !== previous.outcome) return false;
        previous = next;
      }
      return true;
    }),
  );
  t.pass();
});

test('timeline: a failure freezes progress where it happened', (t) => {
  const failing = { ...plan, failAtShare: 0.35 };
  t.like(positionAt(failing, 35_999), { outcome: 'running' });
  t.like(positionAt(failing, 36_000), { outcome: 'failed', phase: 'converting', progress: 42, stopping: false, endsAt: 36_000 });
  t.like(positionAt(failing, 500_000), { outcome: 'failed', progress: 42 });
});

test('timeline: a cancel goes through its stopping tail, then ends; a cancel after success changes nothing', (t) => {
  const cancelled = cancelledPlan(plan, 50_000);
  t.like(positionAt(cancelled, 49_999), { outcome: 'running' });
  t.like(positionAt(cancelled, 52_000), { outcome: 'cancelled', stopping: true, nextChangeAt: 55_000 });
  t.like(positionAt(cancelled, 55_000), { outcome: 'cancelled', stopping: false });
  t.like(positionAt(cancelledPlan(plan, 200_000), 250_000), { outcome: 'succeeded' });
});

test('timeline: slowing down multiplies the duration', (t) => {
  const slow = slowedDown(plan, 5);
  t.is(slow.durationMs, 500_000);
  t.like(positionAt(slow, 101_000), { outcome: 'running', phase: 'converting' });
  t.like(positionAt(slow, 501_000), { outcome: 'succeeded' });
});

test('rejects a timeline without phases', (t) => {
  t.throws(() => positionAt({ ...plan, phases: [] }, 0), { message: /at least one phase/ });
});
