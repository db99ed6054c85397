import { isTerminalState, type TaskRef } from '../../lib/model/task';
import { nextPollDelayMs, ProgressHistory } from '../../lib/wait';
import { taskAttributes } from './attributes';
import { lambdaRegion } from './on-event';
import { outbound } from './outbound';

/** Shortest and longest gap between two polls of the long-wait poller. */
const MIN_INTERVAL_MS = 30_000;
const MAX_INTERVAL_MS = 600_000;
/** Progress readings carried from one poll to the next (enough for the progress estimate). */
const MAX_READINGS = 40;

/** The state the Step Functions poller carries from one poll to the next (its execution input to start with). */
export interface PollerInput {
  /** The task. */
  readonly Ref: TaskRef;
  /** Format, bucket and prefix, for the export's attributes. */
  readonly Properties: Record<string, string>;
  /** The WaitCondition handle URL. */
  readonly SignalUrl: string;
  /** When the wait started (epoch ms). */
  readonly StartedMs: number;
  /** When to give up, cancel the task and signal failure (epoch ms). */
  readonly DeadlineMs: number;
  /** Progress readings so far, `[epoch ms, progress]`. */
  readonly Readings: readonly (readonly [number, number])[];
  /** The previous gap, before jitter. @default - first poll */
  readonly PreviousDelayMs?: number;
}

/** What one poll returns: the carried state, whether the poller is done, and how long to wait. */
export interface PollerOutput extends PollerInput {
  /** True once the WaitCondition has been signalled. */
  readonly Done: boolean;
  /** Seconds before the next poll. */
  readonly WaitSeconds: number;
}

/** The catch path: the poll kept failing; `Input` is the execution input, `Failure` the Step Functions error. */
export interface PollerFailureInput {
  /** The execution input. */
  readonly Input: PollerInput;
  /** `{ Error, Cause }` from Step Functions. */
  readonly Failure: { readonly Error?: string; readonly Cause?: string };
}

/**
 * One poll of the long-wait strategy's Step Functions poller. When the task has ended, signals the WaitCondition
 * (SUCCESS with the attributes as `Data`, or FAILURE with the cloud's reason) and returns `Done`; past the deadline,
 * cancels the task and signals FAILURE; otherwise returns how long to wait, from the core waiter's adaptive
 * schedule fed with the progress readings carried in the state.
 */
export async function poll(event: PollerInput | PollerFailureInput): Promise<PollerOutput> {
  if ('Failure' in event) {
    const cause = event.Failure.Cause ?? event.Failure.Error ?? 'unknown error';
    await signal(event.Input, 'FAILURE', `Polling ${event.Input.Ref.taskId} failed: ${firstLine(cause)}`, '');
    return { ...event.Input, Done: true, WaitSeconds: 0 };
  }
  const driver = outbound.driver(event.Ref.region || lambdaRegion());
  const snapshot = await driver.describe(event.Ref);
  const now = Date.now();
  if (isTerminalState(snapshot.state)) {
    if (snapshot.state === 'succeeded') {
      const attributes = await taskAttributes(driver, event.Ref, event.Properties, snapshot);
      await signal(event, 'SUCCESS', `${event.Ref.kind} task ${event.Ref.taskId} completed`, JSON.stringify(attributes));
    } else {
      const reason = snapshot.failure ? `${snapshot.failure.code}: ${snapshot.failure.message}` : (snapshot.message ?? snapshot.rawStatus);
      await signal(event, 'FAILURE', `${event.Ref.kind} task ${event.Ref.taskId} ${snapshot.state}: ${reason}`, '');
    }
    return { ...event, Done: true, WaitSeconds: 0 };
  }
  if (now >= event.DeadlineMs) {
    await driver.cancel({ ...event.Ref, cancelRequested: true });
    const minutes = Math.round((event.DeadlineMs - event.StartedMs) / 60_000);
    await signal(event, 'FAILURE', `${event.Ref.kind} task ${event.Ref.taskId} did not finish within ${minutes} minutes; it was cancelled`, '');
    return { ...event, Done: true, WaitSeconds: 0 };
  }
  const readings = [...event.Readings, [now, snapshot.progress ?? Number.NaN] as const]
    .filter(([, progress]) => Number.isFinite(progress))
    .slice(-MAX_READINGS);
  const history = new ProgressHistory();
  for (const [at, progress] of readings) history.record(at, progress);
  const delayMs = nextPollDelayMs({
    nowMs: now,
    waitStartedMs: event.StartedMs,
    estimate: history.estimate(now),
    previousDelayMs: event.PreviousDelayMs,
    minIntervalMs: MIN_INTERVAL_MS,
    maxIntervalMs: MAX_INTERVAL_MS,
  });
  const untilDeadline = Math.max(1_000, event.DeadlineMs - now);
  return {
    ...event,
    Readings: readings,
    PreviousDelayMs: delayMs,
    Done: false,
    WaitSeconds: Math.max(1, Math.ceil(Math.min(delayMs, untilDeadline) / 1000)),
  };
}

async function signal(input: PollerInput, status: 'SUCCESS' | 'FAILURE', reason: string, data: string): Promise<void> {
  await outbound.signalWaitCondition(input.SignalUrl, { Status: status, Reason: reason.slice(0, 4000), UniqueId: input.Ref.taskId, Data: data });
}

function firstLine(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errorMessage?: string };
    if (parsed.errorMessage) return parsed.errorMessage.split('\n')[0];
  } catch {
    // not JSON: plain text
  }
  return text.split('\n')[0];
}
