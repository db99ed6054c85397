import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { CloudError } from '../../lib/model/cloud-error';
import { type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import { type OnEventRequest } from './cloudformation-event';
import { outbound } from './outbound';
import { exportObjectKey, Prop } from './resource-properties';
import { isTaskId, kindOf, taskRefOf, text } from './task-specs';

/**
 * Delete of a task resource (`task` or `start` stage): cancels the task if it still runs (a task EC2 no longer
 * knows is fine). Under the destroy policy, an export's file is deleted; an import's AMI is deleted when the
 * import finished anyway (the cancel came too late), since no `image` resource holds that AMI yet. An AMI an
 * `image` resource holds is deleted by that resource's own Delete; deleting it twice is harmless.
 */
export async function deleteTask(event: OnEventRequest, region: string): Promise<void> {
  if (!isTaskId(event.PhysicalResourceId)) return;
  const kind = kindOf(event.ResourceType);
  const driver = outbound.driver(region);
  const ref = taskRefOf(kind, event.PhysicalResourceId, event.ResourceProperties, region);
  await ignoreNotFound(() => driver.cancel(ref));
  if (kind === 'export' && text(event.ResourceProperties, Prop.removalPolicy) === 'destroy') {
    const bucket = text(event.ResourceProperties, Prop.bucket);
    const format = text(event.ResourceProperties, Prop.format);
    if (bucket && format) await driver.storage().delete(bucket, exportObjectKey(text(event.ResourceProperties, Prop.prefix), ref.taskId, format));
  }
  if (kind === 'import' && text(event.ResourceProperties, Prop.imageRemovalPolicy) === 'destroy') {
    const snapshot = await ignoreNotFound(() => driver.describe({ ...ref, cancelRequested: true }));
    if (snapshot?.state === 'succeeded' && snapshot.imageId) await driver.deleteImage(snapshot.imageId);
  }
}

/** Describes a task, `undefined` when the cloud no longer knows it. */
export async function describeIfKnown(driver: CloudDriver, ref: TaskRef): Promise<TaskSnapshot | undefined> {
  return ignoreNotFound(() => driver.describe(ref));
}

async function ignoreNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CloudError && error.kind === 'not-found') return undefined;
    throw error;
  }
}
