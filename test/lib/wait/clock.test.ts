import test from 'ava';
import { systemClock, VirtualClock } from '../../../lib/wait/clock';

test('virtual sleepers wake in order of wake time, each at its own time', async (t) => {
  const clock = new VirtualClock(1000);
  const woken: [string, number][] = [];
  const sleep = (name: string, ms: number): Promise<void> =>
    clock.sleep(ms).then(() => {
      woken.push([name, clock.now()]);
    });
  await Promise.all([sleep('c', 300), sleep('a', 100), sleep('b', 200), sleep('a2', 100)]);
  t.deepEqual(woken, [
    ['a', 1100],
    ['a2', 1100],
    ['b', 1200],
    ['c', 1300],
  ]);
});

test('a woken sleeper that sleeps again is ordered with the others', async (t) => {
  const clock = new VirtualClock();
  const order: string[] = [];
  const loop = async (name: string, gap: number, times: number): Promise<void> => {
    for (let i = 0; i < times; i++) {
      await clock.sleep(gap);
      order.push(`${name}@${clock.now()}`);
    }
  };
  await Promise.all([loop('fast', 100, 3), loop('slow', 250, 1)]);
  t.deepEqual(order, ['fast@100', 'fast@200', 'slow@250', 'fast@300']);
});

test('advance() wakes only the sleepers due by then', async (t) => {
  const clock = new VirtualClock(0, { autoAdvance: false });
  let early = false;
  let late = false;
  void clock.sleep(50).then(() => (early = true));
  void clock.sleep(500).then(() => (late = true));
  clock.advance(100);
  await new Promise((resolve) => setImmediate(resolve));
  t.true(early);
  t.false(late);
  t.is(clock.now(), 100);
  t.is(clock.pendingSleepers, 1);
});

test('rejects advance() by a negative amount', (t) => {
  t.throws(() => new VirtualClock().advance(-1), { instanceOf: RangeError, message: /ms must be a number >= 0, got -1/ });
});

test('rejects an aborted virtual sleep with the reason, and forgets it', async (t) => {
  const clock = new VirtualClock(0, { autoAdvance: false });
  const controller = new AbortController();
  const sleeping = clock.sleep(1000, controller.signal);
  controller.abort(new Error('stop'));
  await t.throwsAsync(sleeping, { message: 'stop' });
  t.is(clock.pendingSleepers, 0);
  const already = new AbortController();
  already.abort(new Error('before'));
  await t.throwsAsync(clock.sleep(10, already.signal), { message: 'before' });
});

test('the system clock sleeps for real and can be aborted', async (t) => {
  const started = Date.now();
  await systemClock.sleep(20);
  t.true(Date.now() - started >= 15);
  const controller = new AbortController();
  const sleeping = systemClock.sleep(60_000, controller.signal);
  controller.abort(new Error('stop'));
  await t.throwsAsync(sleeping, { message: 'stop' });
});
