import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { type TaskRef } from '../../lib/model/task';
import { hostInfo, hostWarn } from './host-log';
import { sameValue } from './properties';
import { isNotFound } from './task-wait';

/** True when the `tags` input changed between the recorded state and the new inputs (unset = no tags). */
export function tagsChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return !sameValue(olds.tags ?? {}, news.tags ?? {});
}

/**
 * Brings a task's tags in line with the new `tags` input, in place (the driver's `updateTags`: AWS tags the task
 * and a finished import's AMI, Alibaba Cloud an import's image), starting nothing. A cloud that cannot tag the task
 * (`not-supported`: JD Cloud, Alibaba exports) gets a warning in the `pulumi up` output, and so does a task the
 * cloud no longer knows (EC2 forgets tasks after 7 days): the new tags are then only recorded in the state.
 *
 * @param driver the task's cloud
 * @param ref the task
 * @param tags the new tags (unset: none)
 */
export async function retag(driver: CloudDriver, ref: TaskRef, tags: unknown): Promise<void> {
  const wanted = (tags ?? {}) as Record<string, string>;
  try {
    const outcome = await driver.updateTags(ref, wanted);
    if (outcome === 'updated') {
      await hostInfo(`${ref.kind} ${ref.taskId}: tags updated in place (${Object.keys(wanted).length} tag(s))`);
    } else {
      await hostWarn(`${ref.kind} ${ref.taskId}: ${ref.cloud} cannot tag this ${ref.kind}: the new tags are recorded in the Pulumi state only`);
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await hostWarn(`${ref.kind} ${ref.taskId}: ${ref.cloud} no longer knows this task: the new tags are recorded in the Pulumi state only`);
  }
}
