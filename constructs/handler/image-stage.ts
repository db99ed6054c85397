import { type OnEventRequest, type OnEventResponse } from './cloudformation-event';
import { describeIfKnown } from './delete-task';
import { outbound } from './outbound';
import { Attr, Prop } from './resource-properties';
import { isAmiId, text } from './task-specs';

/**
 * The `image` resource of an import: the AMI the import created, with the AMI id as physical id.
 *
 * - Create, and an Update that names another task (the import was replaced): reads the finished import's AMI id;
 *   a new id on Update makes CloudFormation delete the old AMI's resource.
 * - Any other Update (the removal policy): keeps the id, reading nothing (EC2 keeps import tasks only 7 days).
 * - Delete: under the destroy policy, deregisters the AMI and deletes its snapshots (`deleteImage`; an AMI that
 *   is already gone is fine); under retain, nothing.
 */
export async function onImageEvent(event: OnEventRequest, region: string): Promise<OnEventResponse> {
  const taskId = text(event.ResourceProperties, Prop.taskId);
  if (event.RequestType === 'Delete') {
    if (isAmiId(event.PhysicalResourceId) && text(event.ResourceProperties, Prop.imageRemovalPolicy) === 'destroy') {
      await outbound.driver(region).deleteImage(event.PhysicalResourceId);
    }
    return {};
  }
  const sameTask = event.RequestType === 'Update' && text(event.OldResourceProperties ?? {}, Prop.taskId) === taskId;
  if (sameTask && isAmiId(event.PhysicalResourceId)) {
    return { PhysicalResourceId: event.PhysicalResourceId, Data: { [Attr.imageId]: event.PhysicalResourceId, [Attr.taskId]: taskId ?? '' } };
  }
  if (!taskId) throw new Error(`${event.LogicalResourceId}: the ${Prop.taskId} property is missing`);
  const snapshot = await describeIfKnown(outbound.driver(region), { cloud: 'aws', region, kind: 'import', taskId });
  if (!snapshot) throw new Error(`${event.LogicalResourceId}: import task ${taskId} is unknown to EC2 (it keeps import tasks for 7 days)`);
  if (snapshot.state !== 'succeeded' || !snapshot.imageId || !isAmiId(snapshot.imageId)) {
    throw new Error(`${event.LogicalResourceId}: import task ${taskId} has not produced an AMI (state ${snapshot.state}${snapshot.message ? `: ${snapshot.message}` : ''})`);
  }
  return { PhysicalResourceId: snapshot.imageId, Data: { [Attr.imageId]: snapshot.imageId, [Attr.taskId]: taskId } };
}
