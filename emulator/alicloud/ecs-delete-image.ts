import { AcsApiError, missingParameter } from './acs-error';
import { type EcsContext } from './ecs-context';
import { imageStatus, regionOf, taskView } from './ecs-tasks';

type Params = ReadonlyMap<string, string>;

/**
 * DeleteImage (`RegionId`, `ImageId`, `Force`, `DryRun`) for the account's custom images. As documented, a custom
 * image that does not exist is ignored (success). Refused with the documented 403 codes: an image whose import is
 * still running (`ImageIsImporting`), one still `Creating`/`Waiting` after it (`ImageIsCreating`), one being exported
 * (`ImageIsExporting`). Another account's or a public image answers `InvalidImageId.NotFound` (the live code is
 * UNCONFIRMED). The image's snapshots stay, as on ECS.
 */
export function deleteImage(ctx: EcsContext, params: Params): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const imageId = params.get('ImageId');
  if (!imageId) throw missingParameter('ImageId');
  const force = params.get('Force');
  if (force !== undefined && force !== 'true' && force !== 'false') throw new AcsApiError(400, 'InvalidParameter', 'The specified parameter "Force" is not valid.');
  const image = ctx.state.images[imageId];
  if (image && image.region === region && image.ownerAlias !== 'self') {
    throw new AcsApiError(404, 'InvalidImageId.NotFound', 'The specified ImageId does not exist.');
  }
  const mine = image && image.region === region ? image : undefined;
  if (mine) {
    const now = ctx.now();
    const importTask = mine.importTaskId ? ctx.state.tasks[mine.importTaskId] : undefined;
    if (importTask && taskView(importTask, now).running) throw new AcsApiError(403, 'ImageIsImporting', 'The specified Image is importing.');
    const status = imageStatus(ctx, mine).status;
    if (status === 'Creating' || status === 'Waiting') throw new AcsApiError(403, 'ImageIsCreating', 'The specified image is being created.');
    const exporting = Object.values(ctx.state.tasks).some((task) => task.action === 'ExportImage' && task.imageId === imageId && taskView(task, now).running);
    if (exporting) throw new AcsApiError(403, 'ImageIsExporting', 'The specified Image is exporting. Please cancel task first.');
  }
  if (params.get('DryRun') === 'true') throw new AcsApiError(400, 'DryRunOperation', 'Request validation has been passed with DryRun flag set.');
  if (mine) {
    delete ctx.state.images[imageId];
    ctx.markDirty();
  }
  return {};
}
