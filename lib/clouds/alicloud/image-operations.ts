import { CloudError } from '../../model/cloud-error';
import { type TaskRef } from '../../model/task';
import { SpecValidationError } from '../../model/validation-issue';
import { type DeleteImageOutcome, type UpdateTagsOutcome } from '../cloud-driver';
import { type EcsImage } from './api';
import { ALL_IMAGE_STATUSES, SOURCE_IMPORT } from './constants';
import { describeAlicloudTask } from './describe-operations';
import { type DriverContext } from './driver-context';
import { checkAlicloudTags } from './import-rules';
import { IssueCollector } from './rule-helpers';

/** Image statuses of an import that has not finished: DeleteImage refuses them (`ImageIsCreating`/`ImageIsImporting`). */
const NOT_READY = new Set(['Creating', 'Waiting']);

/** True for the tags an update never removes: imageport's own (`imageport:*`) and the cloud's (`acs:*`, `aliyun*`). */
export function isReservedAlicloudTagKey(key: string): boolean {
  return key.startsWith('imageport:') || /^(acs:|aliyun)/i.test(key);
}

async function findImage(ctx: DriverContext, imageId: string): Promise<EcsImage | undefined> {
  const images = await ctx.api.describeImages({ regionId: ctx.region, imageId, status: ALL_IMAGE_STATUSES });
  return images.find((image) => image.imageId === imageId);
}

/** True when DescribeImages (asked for every status) shows the image in the driver's region. */
export async function alicloudImageExists(ctx: DriverContext, imageId: string): Promise<boolean> {
  return (await findImage(ctx, imageId)) !== undefined;
}

/**
 * Deletes a custom image (DescribeImages first, since ECS silently ignores DeleteImage of an image that does not
 * exist): a missing image is `not-found`; another account's or a public image is refused with `ImageNotOwned`; an
 * image still `Creating`/`Waiting` (its import has not finished) is refused with `ImageNotReady`. No delete call is
 * made in those cases. ECS's own refusals (`ImageIsExporting`, `ImageUseShared`, …) come back as its `CloudError`.
 */
export async function deleteAlicloudImage(ctx: DriverContext, imageId: string): Promise<DeleteImageOutcome> {
  if (typeof imageId !== 'string' || !/^m-[0-9a-z]+$/.test(imageId)) {
    throw new SpecValidationError(`Alibaba Cloud deletion of image ${String(imageId)}`, [
      { field: 'imageId', value: imageId, rule: 'must be an ECS custom image id: "m-" followed by lowercase letters and digits', code: 'imageId.format' },
    ]);
  }
  const image = await findImage(ctx, imageId);
  if (!image) return 'not-found';
  if (image.imageOwnerAlias !== 'self') {
    throw new CloudError({
      cloud: 'alicloud',
      operation: 'deleteImage',
      code: 'ImageNotOwned',
      message: `${imageId} is a${image.imageOwnerAlias ? ` ${image.imageOwnerAlias}` : 'n unowned'} image, not a custom image of this account (ImageOwnerAlias self): imageport deletes only its own imports; nothing was deleted`,
      kind: 'invalid',
    });
  }
  if (image.status && NOT_READY.has(image.status)) {
    throw new CloudError({
      cloud: 'alicloud',
      operation: 'deleteImage',
      code: 'ImageNotReady',
      message: `${imageId} is still ${image.status}: ECS cannot delete an image whose import has not finished; wait for the import task to end (or cancel it), then delete again`,
      kind: 'conflict',
    });
  }
  await ctx.api.deleteImage({ regionId: ctx.region, imageId });
  return 'deleted';
}

/**
 * Sets the tags of an import's image to exactly `tags` (TagResources, then UntagResources; ResourceType `image`),
 * keeping imageport's and the cloud's reserved keys. ExportImage takes no tags: `not-supported` for exports.
 */
export async function updateAlicloudTags(ctx: DriverContext, task: TaskRef, tags: Readonly<Record<string, string>>): Promise<UpdateTagsOutcome> {
  const issues = new IssueCollector(SOURCE_IMPORT);
  if (task.cloud !== 'alicloud') issues.add('cloud', task.cloud, 'must be "alicloud" for the Alibaba Cloud driver', 'cloud.mismatch');
  if (task.region !== ctx.region) issues.add('region', task.region, `does not match the driver's region (${ctx.region}): images and tasks are regional`, 'region.mismatch');
  if (tags === undefined || tags === null) issues.add('tags', tags, 'is required: the full set of tags the image should carry ({} removes all)', 'required');
  checkAlicloudTags(issues, tags);
  if (issues.issues.length > 0) throw new SpecValidationError(`Alibaba Cloud tag update of task ${String(task.taskId)}`, issues.issues);
  if (task.kind === 'export') return 'not-supported';
  const imageId = task.imageId ?? (await describeAlicloudTask(ctx, task)).imageId;
  const image = imageId ? await findImage(ctx, imageId) : undefined;
  if (!imageId || !image) {
    throw new CloudError({
      cloud: 'alicloud',
      operation: 'updateTags',
      code: 'InvalidImageId.NotFound',
      message: `the image of import task ${task.taskId} (${imageId ?? 'not known'}) does not exist in ${ctx.region}: nothing to tag`,
      kind: 'not-found',
    });
  }
  const current = new Map((image.tags?.tag ?? []).map((tag) => [tag.tagKey ?? '', tag.tagValue ?? '']));
  const set = Object.entries(tags)
    .filter(([key, value]) => current.get(key) !== value)
    .map(([key, value]) => ({ key, value }));
  const remove = [...current.keys()].filter((key) => key !== '' && !(key in tags) && !isReservedAlicloudTagKey(key));
  const target = { regionId: ctx.region, resourceType: 'image' as const, resourceIds: [imageId] };
  if (set.length > 0) await ctx.api.tagResources({ ...target, tags: set });
  if (remove.length > 0) await ctx.api.untagResources({ ...target, tagKeys: remove });
  return 'updated';
}
