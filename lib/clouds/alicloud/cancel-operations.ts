import { isTerminalState, type TaskRef } from '../../model/task';
import { type CancelOutcome } from '../cloud-driver';
import { type DriverContext } from './driver-context';
import { hasCode } from './errors';
import { taskStateOf } from './task-mapping';

/**
 * Cancels an ECS export or import task with CancelTask. `InvalidTaskId.IncorrectTaskStatus` on a task that has ended
 * gives `already-ended`; on a task still running (CancelTask refused it) the error is thrown.
 */
export async function cancelAlicloudTask(ctx: DriverContext, ref: TaskRef): Promise<CancelOutcome> {
  const regionId = ref.region || ctx.region;
  try {
    await ctx.api.cancelTask({ regionId, taskId: ref.taskId });
  } catch (error) {
    if (!hasCode(error, 'InvalidTaskId.IncorrectTaskStatus')) throw error;
    const attribute = await ctx.api.describeTaskAttribute({ regionId, taskId: ref.taskId });
    if (isTerminalState(taskStateOf(attribute.taskStatus, true))) return 'already-ended';
    throw error;
  }
  ctx.cancelled.add(ref.taskId);
  return 'cancelled';
}
