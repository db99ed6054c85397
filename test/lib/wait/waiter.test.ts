import test from 'ava';
import { CloudError } from '../../../lib/model/cloud-error';
import { VirtualClock } from '../../../lib/wait/clock';
import {
  TaskCancelledError,
  TaskFailedError,
  TaskStalledError,
  WaitRetriesExhaustedError,
  WaitTimeoutError,
} from '../../../lib/wait/errors';
import { type WaitEvent, waitForTask } from '../../../lib/wait/waiter';
import { seededRandom } from '../../../bench/poller-figures';
import { CLOUD_TIMELINES, linearTask, phasedTask, scripted, snapshot } from './helpers';

const throttled = (): CloudError =>
  new CloudError({
    cloud: 'aws',
    operation: 'DescribeExportImageTasks',
    code: 'RequestLimitExceeded',
    message: 'Request limit exceeded.',
    kind: 'throttling',
    httpStatus: 503,
  });

const networkError = (): Error => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

const gaps = (calls: readonly number[]): number[] => calls.slice(1).map((at, i) => at - calls[i]);

test('resolves with the succeeded snapshot and reports each snapshot', async (t) => {
  const clock = new VirtualClock();
  const done = snapshot('succeeded', { artifacts: [] });
  const { describe, calls } = scripted(() => clock.now(), [
    snapshot('pending', { progress: 0, message: 'validating' }),
    snapshot('running', { progress: 40, message: 'converting' }),
    done,
  ]);
  const events: WaitEvent[] = [];
  const result = await waitForTask(describe, { clock, onEvent: (e) => events.push(e), random: () => 0.5 });
  t.is(result, done);
  t.is(calls.length, 3);
  t.deepEqual(
    events.map((e) => e.type),
    ['snapshot', 'snapshot', 'snapshot'],
  );
  const last = events[2];
  t.true(last.type === 'snapshot' && last.nextPollInMs === undefined);
  const first = events[0];
  t.true(first.type === 'snapshot' && first.nextPollInMs === calls[1] - calls[0]);
});

test('fails with TaskFailedError carrying the cloud failure code and message', async (t) => {
  const clock = new VirtualClock();
  const failed = snapshot('failed', {
    rawStatus: 'failed',
    failure: { code: 'ImageExportFailed', message: 'the disk could not be read' },
  });
  const { describe } = scripted(() => clock.now(), [snapshot('running', { progress: 10 }), failed]);
  const error = await t.throwsAsync(waitForTask(describe, { clock }), { instanceOf: TaskFailedError });
  t.is(error?.snapshot, failed);
  t.is(error?.failureCode, 'ImageExportFailed');
  t.is(error?.failureMessage, 'the disk could not be read');
  t.regex(error?.message ?? '', /export-ami-0123456789abcdef0.*failed: ImageExportFailed: the disk could not be read/);
});

test('fails at once on an AWS task that ends deleted without a cancel (mapped to failed), instead of hanging', async (t) => {
  const clock = new VirtualClock();
  const { describe, calls } = scripted(() => clock.now(), [
    snapshot('running', { progress: 85, message: 'converting' }),
    snapshot('failed', {
      rawStatus: 'deleted',
      message: 'ClientError: Unknown OS / Missing OS files.',
      failure: { code: 'ClientError', message: 'ClientError: Unknown OS / Missing OS files.' },
    }),
  ]);
  const error = await t.throwsAsync(waitForTask(describe, { clock, timeoutMs: 3_600_000 }), {
    instanceOf: TaskFailedError,
  });
  t.is(calls.length, 2);
  t.true(clock.now() < 60_000, 'returned on the first poll that saw it, long before the deadline');
  t.regex(error?.message ?? '', /status "deleted"/);
});

test('fails with TaskCancelledError when the task is cancelled', async (t) => {
  const clock = new VirtualClock();
  const { describe } = scripted(() => clock.now(), [snapshot('running'), snapshot('cancelled')]);
  const error = await t.throwsAsync(waitForTask(describe, { clock }), { instanceOf: TaskCancelledError });
  t.regex(error?.message ?? '', /export task export-ami-0123456789abcdef0 in eu-west-1 was cancelled/);
});

test('retries throttling and network errors with back-off, then succeeds', async (t) => {
  const clock = new VirtualClock();
  const { describe, calls } = scripted(() => clock.now(), [
    throttled(),
    throttled(),
    networkError(),
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    snapshot('succeeded'),
  ]);
  const retries: Extract<WaitEvent, { type: 'retry' }>[] = [];
  const result = await waitForTask(describe, {
    clock,
    random: () => 0.5,
    onEvent: (e) => e.type === 'retry' && retries.push(e),
  });
  t.is(result.state, 'succeeded');
  t.deepEqual(
    retries.map((r) => r.attempt),
    [1, 2, 3, 4],
  );
  t.deepEqual(gaps(calls), retries.map((r) => r.delayMs));
  t.true(retries[1].delayMs > retries[0].delayMs, 'throttling backs off');
  t.true(retries[0].delayMs > 2000, 'throttling starts above the shortest gap');
  t.true(retries.every((r) => r.delayMs >= 2000), 'never below minIntervalMs');
});

test('fails with WaitRetriesExhaustedError after maxConsecutiveErrors retryable errors in a row', async (t) => {
  const clock = new VirtualClock();
  const last = networkError();
  const { describe, calls } = scripted(() => clock.now(), [throttled(), networkError(), last]);
  const error = await t.throwsAsync(waitForTask(describe, { clock, maxConsecutiveErrors: 3, taskLabel: 'export-ami-x' }), {
    instanceOf: WaitRetriesExhaustedError,
  });
  t.is(calls.length, 3);
  t.is(error?.attempts, 3);
  t.is(error?.cause, last);
  t.regex(error?.message ?? '', /export-ami-x: 3 attempts in a row failed; last error: read ECONNRESET/);
});

test('a successful poll resets the count of consecutive errors', async (t) => {
  const clock = new VirtualClock();
  const { describe } = scripted(() => clock.now(), [
    throttled(),
    throttled(),
    snapshot('running', { progress: 10 }),
    throttled(),
    throttled(),
    snapshot('succeeded'),
  ]);
  t.is((await waitForTask(describe, { clock, maxConsecutiveErrors: 3 })).state, 'succeeded');
});

test('rejects with a non-retryable error as is, without retrying', async (t) => {
  const clock = new VirtualClock();
  const denied = new CloudError({
    cloud: 'aws',
    operation: 'DescribeExportImageTasks',
    code: 'UnauthorizedOperation',
    message: 'You are not authorized to perform this operation.',
    kind: 'denied',
  });
  const first = scripted(() => clock.now(), [denied]);
  t.is(await t.throwsAsync(waitForTask(first.describe, { clock })), denied);
  t.is(first.calls.length, 1);

  const bug = new TypeError('cannot read properties of undefined');
  const second = scripted(() => clock.now(), [bug]);
  t.is(await t.throwsAsync(waitForTask(second.describe, { clock })), bug);
});

test('fails with WaitTimeoutError at the deadline, with the last poll at the deadline and no sleep past it', async (t) => {
  const clock = new VirtualClock(1_000_000);
  const running = snapshot('running', { progress: 5, message: 'converting' });
  const { describe, calls } = scripted(() => clock.now(), [running]);
  const error = await t.throwsAsync(waitForTask(describe, { clock, timeoutMs: 600_000 }), {
    instanceOf: WaitTimeoutError,
  });
  t.is(calls[calls.length - 1], 1_600_000, 'the last poll happens exactly at the deadline');
  t.is(clock.now(), 1_600_000, 'never slept past the deadline');
  t.is(error?.elapsedMs, 600_000);
  t.is(error?.timeoutMs, 600_000);
  t.is(error?.lastSnapshot, running);
  t.regex(error?.message ?? '', /after 10m \(timeout 10m\); last status "active" \(converting\), progress 5%/);
});

test('fails with WaitTimeoutError when only errors were seen until the deadline', async (t) => {
  const clock = new VirtualClock();
  const { describe } = scripted(() => clock.now(), [throttled()]);
  const error = await t.throwsAsync(
    waitForTask(describe, { clock, timeoutMs: 30_000, maxConsecutiveErrors: 100, taskLabel: 't-123' }),
    { instanceOf: WaitTimeoutError },
  );
  t.is(clock.now(), 30_000);
  t.regex(error?.message ?? '', /t-123 .*no status was ever read; last error: .*RequestLimitExceeded/);
});

test('rejects with the abort reason when aborted before the start', async (t) => {
  const clock = new VirtualClock();
  const controller = new AbortController();
  const reason = new Error('user pressed Ctrl-C');
  controller.abort(reason);
  const { describe, calls } = scripted(() => clock.now(), [snapshot('running')]);
  t.is(await t.throwsAsync(waitForTask(describe, { clock, signal: controller.signal })), reason);
  t.is(calls.length, 0);
});

test('the first poll waits initialDelayMs (by default the shortest gap); 0 polls at once', async (t) => {
  for (const [options, firstAt] of [
    [{}, 2000],
    [{ minIntervalMs: 5000 }, 5000],
    [{ initialDelayMs: 30_000 }, 30_000],
    [{ initialDelayMs: 0 }, 0],
  ] as const) {
    const clock = new VirtualClock();
    const { describe, calls } = scripted(() => clock.now(), [snapshot('succeeded')]);
    await waitForTask(describe, { clock, ...options });
    t.deepEqual(calls, [firstAt], JSON.stringify(options));
  }
});

test('rejects with the abort reason when aborted during the initial delay, before any poll', async (t) => {
  const clock = new VirtualClock(0, { autoAdvance: false });
  const controller = new AbortController();
  const { describe, calls } = scripted(() => clock.now(), [snapshot('running')]);
  const waiting = waitForTask(describe, { clock, signal: controller.signal });
  while (clock.pendingSleepers === 0) await new Promise((resolve) => setImmediate(resolve));
  const reason = new Error('stop');
  controller.abort(reason);
  t.is(await t.throwsAsync(waiting), reason);
  t.is(calls.length, 0);
});

test('rejects with the abort reason when aborted during a sleep', async (t) => {
  const clock = new VirtualClock(0, { autoAdvance: false });
  const controller = new AbortController();
  const { describe, calls } = scripted(() => clock.now(), [snapshot('running', { progress: 1 })]);
  const waiting = waitForTask(describe, { clock, signal: controller.signal, initialDelayMs: 0 });
  while (clock.pendingSleepers === 0) await new Promise((resolve) => setImmediate(resolve));
  const reason = new Error('stop');
  controller.abort(reason);
  t.is(await t.throwsAsync(waiting), reason);
  t.is(calls.length, 1);
  t.is(clock.pendingSleepers, 0, 'the sleeper was removed');
});

test('rejects with the abort reason when aborted while describe hangs', async (t) => {
  const clock = new VirtualClock();
  const controller = new AbortController();
  let started = false;
  const waiting = waitForTask(
    () => {
      started = true;
      return new Promise(() => undefined);
    },
    { clock, signal: controller.signal, initialDelayMs: 0 },
  );
  t.true(started);
  const reason = new Error('stop');
  controller.abort(reason);
  t.is(await t.throwsAsync(waiting), reason);
});

test('reports a stall once per stall period', async (t) => {
  const clock = new VirtualClock();
  const stuck = snapshot('running', { progress: 40, message: 'converting' });
  const { describe } = scripted(() => clock.now(), [snapshot('running', { progress: 10 }), stuck]);
  const stalls: Extract<WaitEvent, { type: 'stalled' }>[] = [];
  await t.throwsAsync(
    waitForTask(describe, {
      clock,
      timeoutMs: 35 * 60_000,
      stallAfterMs: 10 * 60_000,
      maxIntervalMs: 60_000,
      onEvent: (e) => e.type === 'stalled' && stalls.push(e),
    }),
    { instanceOf: WaitTimeoutError },
  );
  t.is(stalls.length, 3, 'one event per 10-minute period in ~35 minutes');
  stalls.forEach((stall, i) => {
    t.true(stall.stalledForMs >= (i + 1) * 10 * 60_000);
    t.true(stall.stalledForMs < (i + 1) * 10 * 60_000 + 60_000);
    t.is(stall.snapshot.progress, 40);
  });
});

test('a change of message alone ends a stall', async (t) => {
  const clock = new VirtualClock();
  let calls = 0;
  const stalls: WaitEvent[] = [];
  await t.throwsAsync(
    waitForTask(
      async () => {
        calls++;
        return snapshot('running', { progress: 40, message: calls % 20 === 0 ? 'updating' : 'converting' });
      },
      {
        clock,
        timeoutMs: 60 * 60_000,
        stallAfterMs: 30 * 60_000,
        maxIntervalMs: 30_000,
        onEvent: (e) => e.type === 'stalled' && stalls.push(e),
      },
    ),
    { instanceOf: WaitTimeoutError },
  );
  t.is(stalls.length, 0);
});

test('fails with TaskStalledError on a stall with failOnStall', async (t) => {
  const clock = new VirtualClock();
  const stuck = snapshot('running', { progress: 40, message: 'converting' });
  const { describe } = scripted(() => clock.now(), [stuck]);
  const error = await t.throwsAsync(
    waitForTask(describe, { clock, stallAfterMs: 5 * 60_000, failOnStall: true }),
    { instanceOf: TaskStalledError },
  );
  t.true((error?.stalledForMs ?? 0) >= 5 * 60_000);
  t.true(clock.now() < 10 * 60_000);
  t.regex(error?.message ?? '', /made no progress for \d+m( \d+s)? \(status "active" \(converting\), progress 40%\)/);
});

test('gaps stay within [minIntervalMs, maxIntervalMs] and back off to the cap without progress', async (t) => {
  const clock = new VirtualClock();
  const { describe, calls } = scripted(() => clock.now(), [snapshot('running', { message: 'converting' })]);
  await t.throwsAsync(
    waitForTask(describe, { clock, timeoutMs: 3 * 3_600_000, minIntervalMs: 5000, maxIntervalMs: 120_000, random: () => 0.5 }),
    { instanceOf: WaitTimeoutError },
  );
  const all = gaps(calls).slice(0, -1);
  t.true(all.every((gap) => gap >= 5000 && gap <= 120_000), `gaps: ${all.join(', ')}`);
  t.is(calls[0], 5000, 'the first poll after the shortest gap');
  t.true(all.slice(-10).every((gap) => gap >= 0.9 * 120_000), 'backed off to the cap');
  t.deepEqual(all.slice(0, 5), [15_000, 45_000, 120_000, 120_000, 120_000], 'geometric back-off from the initial delay, at most 3x the time waited');
});

test('jitter changes the gaps but keeps them within the bounds', async (t) => {
  const run = async (random: () => number): Promise<number[]> => {
    const clock = new VirtualClock();
    const { describe, calls } = scripted(() => clock.now(), [snapshot('running')]);
    await t.throwsAsync(waitForTask(describe, { clock, random, timeoutMs: 3_600_000, maxIntervalMs: 300_000 }));
    return gaps(calls).slice(0, -1);
  };
  const low = await run(() => 0);
  const high = await run(() => 0.999999);
  t.true([...low, ...high].every((gap) => gap >= 2000 && gap <= 300_000));
  t.notDeepEqual(low, high);
  t.true(low[3] < high[3]);
});

test('parallel waits with jitter do not poll in lockstep', async (t) => {
  const clock = new VirtualClock();
  let seed = 7;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const pollTimes: number[][] = [];
  await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const { describe, calls } = scripted(() => clock.now(), [snapshot('running')]);
      pollTimes[i] = calls;
      await waitForTask(describe, { clock, random, timeoutMs: 1_800_000 }).catch(() => undefined);
    }),
  );
  const fifthPolls = new Set(pollTimes.map((calls) => calls[5]));
  t.true(fifthPolls.size >= 15, `distinct times of the 6th poll: ${fifthPolls.size} of 20`);
});

test('the adaptive schedule makes few polls with a small lag on a linear task', async (t) => {
  for (const minutes of [10, 60]) {
    const clock = new VirtualClock();
    const durationMs = minutes * 60_000;
    let calls = 0;
    const describe = linearTask(() => clock.now(), durationMs);
    await waitForTask(
      () => {
        calls++;
        return describe();
      },
      { clock, random: () => 0.5 },
    );
    const lagMs = clock.now() - durationMs;
    const fixedPollerCalls = durationMs / 5000 + 1;
    t.true(calls <= 0.15 * fixedPollerCalls, `${minutes} min: ${calls} calls vs ${fixedPollerCalls} for a 5 s poller`);
    t.true(lagMs >= 0 && lagMs <= 0.02 * durationMs, `${minutes} min: lag ${lagMs} ms`);
  }
});

test('on the clouds\' export timelines, 10-minute tasks cost about a tenth of a 5 s poller\'s calls and every end is seen within 2 %', async (t) => {
  // Deterministic: seeded task lengths (9-11 min) and jitter. The tasks' phases are the clouds' own (helpers.ts).
  for (const cloud of ['aws', 'alicloud', 'jdcloud'] as const) {
    const lengths = seededRandom(11);
    const jitter = seededRandom(12);
    let calls = 0;
    let fixedCalls = 0;
    for (let task = 0; task < 10; task++) {
      const durationMs = Math.round(600_000 * (0.9 + 0.2 * lengths()));
      const clock = new VirtualClock();
      const describe = phasedTask(() => clock.now(), durationMs, CLOUD_TIMELINES[cloud]);
      await waitForTask(
        () => {
          calls++;
          return describe();
        },
        { clock, random: jitter, timeoutMs: 3 * durationMs },
      );
      fixedCalls += Math.ceil(durationMs / 5000) + 1;
      const lagMs = clock.now() - durationMs;
      t.true(lagMs >= 0 && lagMs < 0.02 * durationMs, `${cloud} task ${task}: lag ${lagMs} ms of ${durationMs}`);
    }
    t.true(calls / fixedCalls <= 0.1, `${cloud}: ${calls} calls vs ${fixedCalls} for a 5 s poller`);
  }
});

test('on 1-minute tasks the lag is no worse than a 5 s poller\'s', async (t) => {
  for (const cloud of ['aws', 'alicloud', 'jdcloud'] as const) {
    const lengths = seededRandom(21);
    const jitter = seededRandom(22);
    let lagMs = 0;
    let fixedLagMs = 0;
    for (let task = 0; task < 30; task++) {
      const durationMs = Math.round(60_000 * (0.9 + 0.2 * lengths()));
      const clock = new VirtualClock();
      await waitForTask(phasedTask(() => clock.now(), durationMs, CLOUD_TIMELINES[cloud]), { clock, random: jitter, timeoutMs: 3 * durationMs });
      lagMs += clock.now() - durationMs;
      fixedLagMs += Math.ceil(durationMs / 5000) * 5000 - durationMs;
    }
    t.true(lagMs <= fixedLagMs, `${cloud}: waiter lag ${lagMs} ms in all, 5 s poller ${fixedLagMs} ms`);
  }
});

test('rejects invalid options, naming every bad one', async (t) => {
  const error = await t.throwsAsync(
    waitForTask(async () => snapshot('succeeded'), {
      timeoutMs: -1,
      minIntervalMs: 0,
      initialDelayMs: -5,
      maxConsecutiveErrors: 1.5,
    }),
    { instanceOf: RangeError },
  );
  t.regex(error?.message ?? '', /timeoutMs: -1 must be a finite number >= 0/);
  t.regex(error?.message ?? '', /minIntervalMs: 0 must be a finite number > 0/);
  t.regex(error?.message ?? '', /initialDelayMs: -5 must be a finite number >= 0/);
  t.regex(error?.message ?? '', /maxConsecutiveErrors: 1.5 must be an integer >= 0/);
});
