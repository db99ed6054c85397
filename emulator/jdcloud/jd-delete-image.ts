import { positionAt } from '../core/task-timeline';
import { failedPrecondition, invalidArgument, notFound } from './jd-response';
import { type JdVmWorld } from './jd-vm-world';

/**
 * `DELETE /v1/regions/{regionId}/images/{imageId}` (`deleteSnapshot=true|false` in the query, default false), with
 * the rules of the JD API doc: only private images, and only when no task is in progress on the image (an import
 * still creating it, an export reading it). A missing image is `NOT_FOUND`. The refusal codes are the emulator's
 * choice (`FAILED_PRECONDITION`; the live ones are UNCONFIRMED). Answers with no `result`.
 */
export function deleteImage(world: JdVmWorld, region: string, imageId: string, query: URLSearchParams): undefined {
  world.assertRegion(region);
  const deleteSnapshot = query.get('deleteSnapshot');
  if (deleteSnapshot !== null && deleteSnapshot !== 'true' && deleteSnapshot !== 'false') {
    throw invalidArgument(`deleteSnapshot "${deleteSnapshot}" is invalid: true or false`);
  }
  const image = world.image(region, imageId);
  if (!image) throw notFound(`image ${imageId} not found in ${region}`);
  if (image.imageSource !== 'private') throw failedPrecondition(`image ${imageId} is a ${image.imageSource} image: only private images can be deleted`);
  const now = world.clock.now();
  const exporting = Object.values(world.state.exportTasks).some((task) => task.imageId === imageId && positionAt(task.plan, now).outcome === 'running');
  if (image.status === 'pending' || exporting) {
    throw failedPrecondition(`image ${imageId} has a task in progress (${exporting ? 'an export' : 'its import'}): a private image can be deleted only when no task is processing it`);
  }
  if (world.state.images[imageId]) delete world.state.images[imageId];
  else world.state.deletedImages.push(imageId);
  world.markDirty();
  return undefined;
}
