import { drainAndRemove } from '../../lib/clouds/jdcloud/drain-and-remove';
import { type JdcloudDriver } from '../../lib/clouds/jdcloud/driver';
import { type TaskRef } from '../../lib/model/task';
import { hostInfo } from './host-log';
import { isNotFound, pollBounds, progressLogger } from './task-wait';

/**
 * Deletes a JD Cloud export, which cannot be cancelled: waits for the task to end (success or failure) with the
 * JD driver's `drainAndRemove`, then, with `removeArtifacts`, removes every object the task names (also the part
 * file of a failed task). A task that no longer exists needs nothing.
 *
 * @param driver the JD driver
 * @param ref the export task
 * @param timeoutMs deadline of the wait
 * @param removeArtifacts the resource's removal policy is `destroy`
 */
export async function drainJdcloudExport(driver: JdcloudDriver, ref: TaskRef, timeoutMs: number, removeArtifacts: boolean): Promise<void> {
  await hostInfo(`export ${ref.taskId}: JD Cloud cannot cancel an export; waiting for it to end${removeArtifacts ? ', then removing what it wrote' : ''}`);
  try {
    const { removedKeys } = await drainAndRemove(driver, ref, {
      timeoutMs,
      removeArtifacts,
      ...pollBounds(),
      onEvent: progressLogger(`export ${ref.taskId}`),
    });
    for (const key of removedKeys) await hostInfo(`export ${ref.taskId}: deleted oss://${ref.bucket}/${key}`);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
}
