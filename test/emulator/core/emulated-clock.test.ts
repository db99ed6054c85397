import test from 'ava';
import { EmulatedClock } from '../../../emulator/core/emulated-clock';

test('clock: scaled real time from the resume point; a virtual clock is read as is', (t) => {
  let real = 500;
  const clock = new EmulatedClock({ speed: 60, resumeAt: 1_000_000, realMs: () => real });
  t.is(clock.now(), 1_000_000);
  real += 1_000;
  t.is(clock.now(), 1_060_000);
  t.is(clock.realDelayUntil(1_120_000), 1_000);
  t.false(clock.isVirtual);
  const virtual = new EmulatedClock({ virtual: { now: () => 42 } });
  t.is(virtual.now(), 42);
  t.true(virtual.isVirtual);
  t.is(virtual.realDelayUntil(100), Number.POSITIVE_INFINITY);
});

test('rejects a speed that is not a positive finite number', (t) => {
  for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.throws(() => new EmulatedClock({ speed }), { message: /speed must be a positive number/ });
  }
});
