import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { CloudError } from '../../lib/model/cloud-error';
import { isTerminalState, type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import {
  TaskCancelledError,
  TaskFailedError,
  waitForTask,
  WaitRetriesExhaustedError,
  WaitTimeoutError,
  type WaitEvent,
} from '../../lib/wait';
import { hostInfo, hostWarn } from './host-log';
import { pollIntervals } from './host-settings';

/** How a wait ended without an error: the task succeeded, or the wait gave up while the task goes on. */
export type WaitOutcome =
  | { readonly kind: 'succeeded'; readonly snapshot: TaskSnapshot }
  | { readonly kind: 'incomplete'; readonly snapshot: TaskSnapshot; readonly message: string };

/** True for a cloud error saying the thing does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'not-found';
}

/** A waiter event handler that logs each new state line (ephemeral) and stalls (warning) from the host. */
export function progressLogger(label: string): (event: WaitEvent) => void {
  let lastLine = '';
  return (event) => {
    if (event.type === 'snapshot') {
      const { snapshot } = event;
      const progress = snapshot.progress === undefined ? '' : ` ${snapshot.progress}%`;
      const message = snapshot.message ? ` (${snapshot.message})` : '';
      const line = `${label}: ${snapshot.state}${progress}${message}`;
      if (line !== lastLine) void hostInfo(line, true);
      lastLine = line;
    } else if (event.type === 'stalled') {
      void hostWarn(`${label}: no progress for ${Math.round(event.stalledForMs / 60000)} min (${event.snapshot.rawStatus})`);
    }
  };
}

/** The waiter's defaults, to keep one configured bound consistent with the other. */
const WAITER_MIN_INTERVAL_MS = 2000;
const WAITER_MAX_INTERVAL_MS = 300_000;

/** The stack config's poll bounds for the shared waiter, completed so that min <= max whichever one was set. */
export function pollBounds(): { minIntervalMs?: number; maxIntervalMs?: number } {
  const { minIntervalMs, maxIntervalMs } = pollIntervals();
  if (minIntervalMs === undefined && maxIntervalMs === undefined) return {};
  const min = minIntervalMs ?? Math.min(WAITER_MIN_INTERVAL_MS, maxIntervalMs ?? WAITER_MIN_INTERVAL_MS);
  return { minIntervalMs: min, maxIntervalMs: Math.max(min, maxIntervalMs ?? WAITER_MAX_INTERVAL_MS) };
}

/**
 * Waits for a task with the shared waiter. Resolves `succeeded`, or `incomplete` when the wait gave up (deadline,
 * or describe failing over and over) while the task goes on. Rejects when the task failed or was cancelled.
 *
 * @param driver the cloud
 * @param ref the task
 * @param timeoutMs deadline of the wait
 */
export async function waitOn(driver: CloudDriver, ref: TaskRef, timeoutMs: number): Promise<WaitOutcome> {
  const label = `${ref.kind} ${ref.taskId}`;
  try {
    const snapshot = await waitForTask(() => driver.describe(ref), {
      timeoutMs,
      ...pollBounds(),
      taskLabel: `${ref.cloud} ${label}`,
      onEvent: progressLogger(label),
    });
    return { kind: 'succeeded', snapshot };
  } catch (error) {
    if ((error instanceof WaitTimeoutError || error instanceof WaitRetriesExhaustedError) && error.lastSnapshot) {
      return { kind: 'incomplete', snapshot: error.lastSnapshot, message: error.message };
    }
    throw error;
  }
}

/**
 * Brings a task to an end for `delete`: nothing to do when it is gone or has ended; otherwise cancel it and wait
 * until it ends. Where the cloud cannot cancel (JD Cloud), waits for the task's own end, so that what it writes can
 * be removed afterwards. Resolves with the final snapshot, or `undefined` when the task is gone.
 *
 * @throws an error naming the task when it is still running at the deadline
 */
export async function endTask(driver: CloudDriver, ref: TaskRef, timeoutMs: number): Promise<TaskSnapshot | undefined> {
  let snapshot: TaskSnapshot;
  try {
    snapshot = await driver.describe(ref);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (isTerminalState(snapshot.state)) return snapshot;
  const outcome = await driver.cancel(ref);
  const target: TaskRef = outcome === 'cancelled' ? { ...ref, cancelRequested: true } : ref;
  await hostInfo(
    outcome === 'not-cancellable'
      ? `${ref.kind} ${ref.taskId} cannot be cancelled on this cloud: waiting for it to end`
      : `${ref.kind} ${ref.taskId}: cancel ${outcome === 'cancelled' ? 'requested' : 'not needed (already ended)'}`,
  );
  let ended: WaitOutcome;
  try {
    ended = await waitOn(driver, target, timeoutMs);
  } catch (error) {
    if (error instanceof TaskCancelledError || error instanceof TaskFailedError) return error.snapshot;
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (ended.kind === 'incomplete') throw new Error(`cannot delete ${ref.kind} ${ref.taskId} yet: ${ended.message}`);
  return ended.snapshot;
}
