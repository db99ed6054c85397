import { type TaskSnapshot } from '../model/task';
import { type Clock, systemClock } from './clock';
import {
  TaskCancelledError,
  TaskFailedError,
  TaskStalledError,
  WaitRetriesExhaustedError,
  WaitTimeoutError,
} from './errors';
import { jitterDelayMs, nextPollDelayMs, type PollScheduleTuning } from './poll-schedule';
import { ProgressHistory } from './progress-history';
import { classifyRetryableError, retryDelayMs } from './retry-policy';

/** How {@link waitForTask} waits. */
export interface WaitOptions {
  /** Deadline of the whole wait, in milliseconds. The last poll happens at the deadline. @default 3600000 (1 hour) */
  readonly timeoutMs?: number;
  /** Aborts the wait (not the task); the wait rejects with `signal.reason`. @default - not abortable */
  readonly signal?: AbortSignal;
  /** Source of time and sleep. @default systemClock */
  readonly clock?: Clock;
  /** Shortest gap between two polls, in milliseconds. @default 2000 */
  readonly minIntervalMs?: number;
  /**
   * Wait this long before the first poll (Terraform's `Delay`): a task that was just started is not done yet, and
   * the back-off continues from this gap. Pass 0 to read the state at once, e.g. when resuming a wait on a task that
   * may already have ended.
   * @default - minIntervalMs
   */
  readonly initialDelayMs?: number;
  /** Longest gap between two polls, in milliseconds. @default 300000 (5 minutes) */
  readonly maxIntervalMs?: number;
  /** No change in progress, raw status or message for this long means stalled. @default 1800000 (30 minutes) */
  readonly stallAfterMs?: number;
  /** Reject with `TaskStalledError` on a stall instead of only reporting it. @default false */
  readonly failOnStall?: boolean;
  /** Retryable describe errors in a row before giving up with `WaitRetriesExhaustedError`. @default 10 */
  readonly maxConsecutiveErrors?: number;
  /**
   * Receives progress events. It runs synchronously inside the wait: an exception it throws ends the wait.
   * @default - no events
   */
  readonly onEvent?: (event: WaitEvent) => void;
  /** Jitter source, uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Names the task in errors raised before any snapshot was read. @default - "the task" */
  readonly taskLabel?: string;
  /** Tuning of the adaptive schedule (benchmarks). @default - the tuned defaults of `PollScheduleTuning` */
  readonly schedule?: PollScheduleTuning;
}

/** A progress event of {@link waitForTask}. */
export type WaitEvent =
  /** A snapshot was read; `nextPollInMs` is the gap before the next poll (absent when the wait ends here). */
  | { readonly type: 'snapshot'; readonly snapshot: TaskSnapshot; readonly nextPollInMs?: number }
  /** A describe call failed with a retryable error; the wait retries after `delayMs`. */
  | { readonly type: 'retry'; readonly error: unknown; readonly attempt: number; readonly delayMs: number }
  /** Nothing changed for `stalledForMs` (sent once per stall period). */
  | { readonly type: 'stalled'; readonly snapshot: TaskSnapshot; readonly stalledForMs: number };

interface Settings {
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly minIntervalMs: number;
  readonly initialDelayMs: number;
  readonly maxIntervalMs: number;
  readonly stallAfterMs: number;
  readonly failOnStall: boolean;
  readonly maxConsecutiveErrors: number;
  readonly random: () => number;
}

/** Checks the numeric options and fills defaults; throws one `RangeError` listing every bad option. */
function resolveSettings(options: WaitOptions): Settings {
  const settings: Settings = {
    timeoutMs: options.timeoutMs ?? 3_600_000,
    clock: options.clock ?? systemClock,
    minIntervalMs: options.minIntervalMs ?? 2000,
    initialDelayMs: options.initialDelayMs ?? options.minIntervalMs ?? 2000,
    maxIntervalMs: options.maxIntervalMs ?? 300_000,
    stallAfterMs: options.stallAfterMs ?? 1_800_000,
    failOnStall: options.failOnStall ?? false,
    maxConsecutiveErrors: options.maxConsecutiveErrors ?? 10,
    random: options.random ?? Math.random,
  };
  const problems: string[] = [];
  const check = (field: keyof Settings, ok: boolean, rule: string): void => {
    if (!ok) problems.push(`${field}: ${String(settings[field])} ${rule}`);
  };
  const nonNegative = (value: number): boolean => Number.isFinite(value) && value >= 0;
  check('timeoutMs', nonNegative(settings.timeoutMs), 'must be a finite number >= 0');
  check('minIntervalMs', Number.isFinite(settings.minIntervalMs) && settings.minIntervalMs > 0, 'must be a finite number > 0');
  check('initialDelayMs', nonNegative(settings.initialDelayMs), 'must be a finite number >= 0');
  check(
    'maxIntervalMs',
    Number.isFinite(settings.maxIntervalMs) && settings.maxIntervalMs >= settings.minIntervalMs,
    `must be a finite number >= minIntervalMs (${settings.minIntervalMs})`,
  );
  check('stallAfterMs', Number.isFinite(settings.stallAfterMs) && settings.stallAfterMs > 0, 'must be a finite number > 0');
  check(
    'maxConsecutiveErrors',
    Number.isInteger(settings.maxConsecutiveErrors) && settings.maxConsecutiveErrors >= 0,
    'must be an integer >= 0',
  );
  if (problems.length > 0) throw new RangeError(`Invalid wait options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return settings;
}

/** Runs `describe()`, rejecting early with the abort reason when the signal aborts first. */
function describeOnce(describe: () => Promise<TaskSnapshot>, signal: AbortSignal | undefined): Promise<TaskSnapshot> {
  let pending: Promise<TaskSnapshot>;
  try {
    pending = Promise.resolve(describe());
  } catch (error) {
    pending = Promise.reject(error);
  }
  if (!signal) return pending;
  return new Promise<TaskSnapshot>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (snapshot) => {
        signal.removeEventListener('abort', onAbort);
        resolve(snapshot);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Detects "nothing changed for a stall period" and says when to report it (once per period). */
class StallTracker {
  private key?: string;
  private changedAt = 0;
  private reported = 0;

  constructor(private readonly stallAfterMs: number) {}

  /** Returns how long the task has been stalled when a new stall period was just completed, else `undefined`. */
  public observe(nowMs: number, snapshot: TaskSnapshot): number | undefined {
    const key = JSON.stringify([snapshot.progress ?? null, snapshot.rawStatus, snapshot.message ?? null]);
    if (key !== this.key) {
      this.key = key;
      this.changedAt = nowMs;
      this.reported = 0;
      return undefined;
    }
    const stalledFor = nowMs - this.changedAt;
    if (stalledFor < this.stallAfterMs * (this.reported + 1)) return undefined;
    this.reported = Math.floor(stalledFor / this.stallAfterMs);
    return stalledFor;
  }
}

/**
 * Polls `describe` until the task ends, and resolves with the `succeeded` snapshot.
 *
 * The first poll comes after `initialDelayMs` (by default the shortest gap). Polling is adaptive: short gaps at first,
 * then spaced by the observed progress rate so the next poll lands near the expected finish, with geometric back-off
 * when there is no usable progress and jitter on every gap; gaps stay within `[minIntervalMs, maxIntervalMs]` and
 * never run past the deadline, where a last poll is made.
 *
 * Retryable describe errors (throttling and transient `CloudError`s, dropped connections) are retried with capped
 * exponential back-off and jitter, harder for throttling; any other error is rethrown as is.
 *
 * @returns the `succeeded` snapshot
 * @throws TaskFailedError when the task ends `failed` (AWS `deleted` without a cancel arrives as `failed`)
 * @throws TaskCancelledError when it ends `cancelled`
 * @throws WaitTimeoutError when the deadline passes (the task keeps running)
 * @throws TaskStalledError on a stall with `failOnStall`
 * @throws WaitRetriesExhaustedError after `maxConsecutiveErrors` retryable errors in a row
 * @throws the abort reason when `signal` aborts
 */
export async function waitForTask(
  describe: () => Promise<TaskSnapshot>,
  options: WaitOptions = {},
): Promise<TaskSnapshot> {
  const settings = resolveSettings(options);
  const { clock, minIntervalMs, maxIntervalMs, random } = settings;
  const { signal, onEvent } = options;
  const emit = (event: WaitEvent): void => onEvent?.(event);
  if (signal?.aborted) throw signal.reason;

  const startedAt = clock.now();
  const deadline = startedAt + settings.timeoutMs;
  const history = new ProgressHistory();
  const stall = new StallTracker(settings.stallAfterMs);
  let lastSnapshot: TaskSnapshot | undefined;
  let consecutiveErrors = 0;
  let previousDelayMs: number | undefined;
  if (settings.initialDelayMs > 0) {
    await clock.sleep(Math.min(settings.initialDelayMs, settings.timeoutMs), signal);
    previousDelayMs = settings.initialDelayMs;
  }

  for (;;) {
    let snapshot: TaskSnapshot;
    try {
      snapshot = await describeOnce(describe, signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const reason = classifyRetryableError(error);
      if (!reason) throw error;
      consecutiveErrors++;
      if (consecutiveErrors >= settings.maxConsecutiveErrors) {
        throw new WaitRetriesExhaustedError({
          attempts: consecutiveErrors,
          lastError: error,
          lastSnapshot,
          taskLabel: options.taskLabel,
        });
      }
      const now = clock.now();
      if (now >= deadline) {
        throw new WaitTimeoutError({
          lastSnapshot,
          elapsedMs: now - startedAt,
          timeoutMs: settings.timeoutMs,
          taskLabel: options.taskLabel,
          lastError: error,
        });
      }
      const delayMs = Math.min(
        deadline - now,
        retryDelayMs(reason, consecutiveErrors, { minIntervalMs, maxIntervalMs, random }),
      );
      emit({ type: 'retry', error, attempt: consecutiveErrors, delayMs });
      await clock.sleep(delayMs, signal);
      continue;
    }
    consecutiveErrors = 0;
    lastSnapshot = snapshot;
    const now = clock.now();

    if (snapshot.state === 'succeeded' || snapshot.state === 'failed' || snapshot.state === 'cancelled') {
      emit({ type: 'snapshot', snapshot });
      if (snapshot.state === 'failed') throw new TaskFailedError(snapshot);
      if (snapshot.state === 'cancelled') throw new TaskCancelledError(snapshot);
      return snapshot;
    }

    history.record(now, snapshot.progress);
    const stalledForMs = stall.observe(now, snapshot);
    if (stalledForMs !== undefined && settings.failOnStall) {
      emit({ type: 'snapshot', snapshot });
      emit({ type: 'stalled', snapshot, stalledForMs });
      throw new TaskStalledError(snapshot, stalledForMs);
    }
    if (now >= deadline) {
      emit({ type: 'snapshot', snapshot });
      if (stalledForMs !== undefined) emit({ type: 'stalled', snapshot, stalledForMs });
      throw new WaitTimeoutError({ lastSnapshot, elapsedMs: now - startedAt, timeoutMs: settings.timeoutMs });
    }

    const baseDelayMs = nextPollDelayMs(
      { nowMs: now, waitStartedMs: startedAt, estimate: history.estimate(now), previousDelayMs, minIntervalMs, maxIntervalMs },
      options.schedule,
    );
    previousDelayMs = baseDelayMs;
    const delayMs = Math.min(deadline - now, jitterDelayMs(baseDelayMs, random, { minIntervalMs, maxIntervalMs }));
    emit({ type: 'snapshot', snapshot, nextPollInMs: delayMs });
    if (stalledForMs !== undefined) emit({ type: 'stalled', snapshot, stalledForMs });
    await clock.sleep(delayMs, signal);
  }
}
