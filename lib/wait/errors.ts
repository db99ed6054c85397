import { CLOUD_NAMES } from '../model/cloud';
import { type TaskSnapshot } from '../model/task';

/** Formats a duration for a message: `45s`, `12m 5s`, `2h 3m`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return seconds > 0 ? `${minutes}m ${seconds}s` : `${minutes}m`;
  return `${seconds}s`;
}

/** Names a task for a message: `AWS export task export-ami-0123 in us-east-1`. */
export function describeTask(snapshot: TaskSnapshot): string {
  const { ref } = snapshot;
  return `${CLOUD_NAMES[ref.cloud] ?? ref.cloud} ${ref.kind} task ${ref.taskId} in ${ref.region}`;
}

/** Describes where a task was last seen: `status "active" (converting), progress 45%`. */
export function describeLastState(snapshot: TaskSnapshot): string {
  const message = snapshot.message ? ` (${snapshot.message})` : '';
  const progress = snapshot.progress === undefined ? '' : `, progress ${snapshot.progress}%`;
  return `status "${snapshot.rawStatus}"${message}${progress}`;
}

/** Base class of the errors {@link waitForTask} rejects with (besides the abort reason and non-retryable errors). */
export abstract class WaitError extends Error {
  /** The last snapshot seen, when any describe call succeeded. */
  public readonly lastSnapshot?: TaskSnapshot;

  /**
   * @param message what happened and what to do
   * @param lastSnapshot the last snapshot seen
   * @param options standard error options (`cause`)
   */
  protected constructor(message: string, lastSnapshot: TaskSnapshot | undefined, options?: ErrorOptions) {
    super(message, options);
    this.lastSnapshot = lastSnapshot;
  }
}

/** The task ended `failed`. Carries the snapshot and the cloud's failure code and message. */
export class TaskFailedError extends WaitError {
  /** The failed snapshot. */
  public readonly snapshot: TaskSnapshot;
  /** The cloud's failure code (or a synthetic one such as `TaskDeleted`). */
  public readonly failureCode: string;
  /** The cloud's failure message. */
  public readonly failureMessage: string;

  /** @param snapshot the snapshot with `state: 'failed'` */
  constructor(snapshot: TaskSnapshot) {
    const code = snapshot.failure?.code ?? snapshot.rawStatus;
    const text = snapshot.failure?.message ?? snapshot.message ?? 'the cloud gave no reason';
    super(
      `${describeTask(snapshot)} failed: ${code}: ${text} (last ${describeLastState(snapshot)}). ` +
        'Fix the cause named by the cloud, then start a new task.',
      snapshot,
    );
    this.name = 'TaskFailedError';
    this.snapshot = snapshot;
    this.failureCode = code;
    this.failureMessage = text;
  }
}

/** The task ended `cancelled` (someone cancelled it, or the cloud expired it). */
export class TaskCancelledError extends WaitError {
  /** The cancelled snapshot. */
  public readonly snapshot: TaskSnapshot;

  /** @param snapshot the snapshot with `state: 'cancelled'` */
  constructor(snapshot: TaskSnapshot) {
    super(
      `${describeTask(snapshot)} was cancelled (last ${describeLastState(snapshot)}). ` +
        'Start a new task if the result is still wanted.',
      snapshot,
    );
    this.name = 'TaskCancelledError';
    this.snapshot = snapshot;
  }
}

/** The deadline passed while the task was still running. The task itself goes on. */
export class WaitTimeoutError extends WaitError {
  /** How long the wait lasted. */
  public readonly elapsedMs: number;
  /** The deadline that was configured. */
  public readonly timeoutMs: number;

  /**
   * @param details the last snapshot (if any), the elapsed time, the configured timeout, the task label and the last
   * error when the final attempts failed
   */
  constructor(details: {
    readonly lastSnapshot?: TaskSnapshot;
    readonly elapsedMs: number;
    readonly timeoutMs: number;
    readonly taskLabel?: string;
    readonly lastError?: unknown;
  }) {
    const { lastSnapshot, elapsedMs, timeoutMs } = details;
    const subject = lastSnapshot ? describeTask(lastSnapshot) : (details.taskLabel ?? 'the task');
    const last = lastSnapshot ? `; last ${describeLastState(lastSnapshot)}` : '; no status was ever read';
    const lastError = details.lastError instanceof Error ? `; last error: ${details.lastError.message}` : '';
    super(
      `Gave up waiting for ${subject} after ${formatDuration(elapsedMs)} (timeout ${formatDuration(timeoutMs)})` +
        `${last}${lastError}. The task may still be running: wait again with a longer timeout, or cancel it.`,
      lastSnapshot,
      details.lastError === undefined ? undefined : { cause: details.lastError },
    );
    this.name = 'WaitTimeoutError';
    this.elapsedMs = elapsedMs;
    this.timeoutMs = timeoutMs;
  }
}

/** Progress, status and message did not change for the stall period, and `failOnStall` was set. */
export class TaskStalledError extends WaitError {
  /** The snapshot at which the stall was detected. */
  public readonly snapshot: TaskSnapshot;
  /** How long nothing changed. */
  public readonly stalledForMs: number;

  /**
   * @param snapshot the current snapshot
   * @param stalledForMs how long nothing changed
   */
  constructor(snapshot: TaskSnapshot, stalledForMs: number) {
    super(
      `${describeTask(snapshot)} made no progress for ${formatDuration(stalledForMs)} ` +
        `(${describeLastState(snapshot)}). The task was left running: check it in the cloud console, ` +
        'cancel it, or wait again with a longer stall period.',
      snapshot,
    );
    this.name = 'TaskStalledError';
    this.snapshot = snapshot;
    this.stalledForMs = stalledForMs;
  }
}

/** Describing the task failed with retryable errors too many times in a row. The last error is the `cause`. */
export class WaitRetriesExhaustedError extends WaitError {
  /** How many describe calls failed in a row. */
  public readonly attempts: number;
  /** The last error. */
  public readonly lastError: unknown;

  /**
   * @param details number of failed attempts, the last error, the last snapshot and a task label
   */
  constructor(details: {
    readonly attempts: number;
    readonly lastError: unknown;
    readonly lastSnapshot?: TaskSnapshot;
    readonly taskLabel?: string;
  }) {
    const subject = details.lastSnapshot ? describeTask(details.lastSnapshot) : (details.taskLabel ?? 'the task');
    const reason = details.lastError instanceof Error ? details.lastError.message : String(details.lastError);
    super(
      `Could not read the status of ${subject}: ${details.attempts} attempts in a row failed; last error: ${reason}. ` +
        'The task may still be running: check connectivity and quotas, then wait again.',
      details.lastSnapshot,
      { cause: details.lastError },
    );
    this.name = 'WaitRetriesExhaustedError';
    this.attempts = details.attempts;
    this.lastError = details.lastError;
  }
}
