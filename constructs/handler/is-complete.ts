import { type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import { WaitTimeoutError, waitForTask } from '../../lib/wait';
import { taskAttributes } from './attributes';
import { type IsCompleteRequest, type IsCompleteResponse } from './cloudformation-event';
import { isInPlaceUpdate, lambdaRegion } from './on-event';
import { outbound } from './outbound';
import { Prop } from './resource-properties';
import { kindOf, stageOf, taskRefOf, text } from './task-specs';

/** Environment variable: how long one isComplete call may wait on the task, in milliseconds (0: one poll). */
export const IS_COMPLETE_BUDGET_ENV = 'IMAGEPORT_IS_COMPLETE_BUDGET_MS';
const DEFAULT_BUDGET_MS = 20_000;

/**
 * isComplete of the Provider framework: a short bounded wait on the task with the core waiter (one poll when the
 * budget is 0). Complete with the task's attributes when it succeeded; not complete while it runs (the framework
 * calls again after its query interval); a failure with the cloud's reason when the task failed or was cancelled.
 * Delete, an in-place Update, and the `start` and `image` stages are complete at once.
 */
export async function isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const stage = stageOf(event.ResourceProperties);
  if (stage === 'start' || stage === 'image') return { IsComplete: true };
  const kind = kindOf(event.ResourceType);
  // An in-place Update started nothing: onEvent's response already carries the attributes.
  if (stage === 'task' && isInPlaceUpdate(kind, event)) return { IsComplete: true };

  const region = lambdaRegion();
  const taskId = stage === 'result' ? text(event.ResourceProperties, Prop.taskId) : event.PhysicalResourceId;
  if (!taskId) throw new Error(`${event.LogicalResourceId}: no task id to wait on`);
  const driver = outbound.driver(region);
  const ref: TaskRef = taskRefOf(kind, taskId, event.ResourceProperties, region);
  const budget = Number(process.env[IS_COMPLETE_BUDGET_ENV] ?? DEFAULT_BUDGET_MS);
  let snapshot: TaskSnapshot;
  try {
    snapshot = await waitForTask(() => driver.describe(ref), {
      timeoutMs: Number.isFinite(budget) && budget >= 0 ? budget : DEFAULT_BUDGET_MS,
      // The framework already spaces the calls by its query interval: look at the task at once.
      initialDelayMs: 0,
      minIntervalMs: 2_000,
      maxIntervalMs: 10_000,
      taskLabel: `${kind} task ${taskId}`,
    });
  } catch (error) {
    if (error instanceof WaitTimeoutError) return { IsComplete: false };
    throw error;
  }
  return { IsComplete: true, Data: await taskAttributes(driver, ref, event.ResourceProperties, snapshot) };
}
