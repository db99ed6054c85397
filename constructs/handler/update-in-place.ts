import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { CloudError } from '../../lib/model/cloud-error';
import { type TaskRef } from '../../lib/model/task';
import { exportAttributes } from './attributes';
import { type OnEventRequest, type OnEventResponse } from './cloudformation-event';
import { describeIfKnown } from './delete-task';
import { outbound } from './outbound';
import { Attr } from './resource-properties';
import { kindOf, stageOf, tagsChanged, tagsOf, taskRefOf } from './task-specs';

/**
 * An Update that changes nothing replace-forcing (tags, description, timeout, removal policy): starts no task.
 * Changed tags are applied to the task in place (`updateTags`: the task's tags become exactly the new set, and a
 * finished import's AMI gets them too). The response carries the task's attributes again, since CloudFormation
 * replaces a resource's attributes with those of its last response.
 */
export async function updateInPlace(event: OnEventRequest & { PhysicalResourceId: string }, region: string): Promise<OnEventResponse> {
  const kind = kindOf(event.ResourceType);
  const taskId = event.PhysicalResourceId;
  const driver = outbound.driver(region);
  const ref = taskRefOf(kind, taskId, event.ResourceProperties, region);
  if (tagsChanged(event)) await retag(driver, ref, tagsOf(event.ResourceProperties), event.LogicalResourceId);
  if (kind === 'export' && stageOf(event.ResourceProperties) === 'task') {
    return { PhysicalResourceId: taskId, Data: await exportAttributes(driver, ref, event.ResourceProperties) };
  }
  const data: Record<string, string> = { [Attr.taskId]: taskId };
  if (kind === 'import') {
    const imageId = (await describeIfKnown(driver, ref))?.imageId;
    if (imageId) data[Attr.imageId] = imageId;
  }
  return { PhysicalResourceId: taskId, Data: data };
}

/**
 * Re-tags a task. A task EC2 no longer knows (it keeps finished tasks for a limited time: 7 days for imports)
 * cannot carry tags any more: that is logged, and the Update goes on, rather than leaving the stack unable to
 * change a tag ever again.
 */
async function retag(driver: CloudDriver, ref: TaskRef, tags: Readonly<Record<string, string>>, logicalId: string): Promise<void> {
  try {
    await driver.updateTags(ref, tags);
  } catch (error) {
    if (!(error instanceof CloudError && error.kind === 'not-found')) throw error;
    console.warn(`${logicalId}: ${ref.kind} task ${ref.taskId} is no longer known to EC2, so its tags were not updated (${error.message})`);
  }
}
