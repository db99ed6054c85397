import { type Artifact, type TaskRef, type TaskSnapshot } from '../../model/task';
import { type EcsTaskAttribute } from './api';
import { ALL_IMAGE_STATUSES } from './constants';
import { type DriverContext } from './driver-context';
import { hasCode } from './errors';
import {
  artifactsOf,
  exportObjectPrefix,
  failureOf,
  importedImageStateOf,
  parseProgress,
  relatedItemsOf,
  taskStateOf,
} from './task-mapping';

/**
 * One normalised snapshot of an ECS export or import task (DescribeTaskAttribute).
 *
 * - Export, Finished: the artifacts are the task's `OSSObject` related items (every disk), else the bucket's objects
 *   named `<prefix>_<imageId>_…`; never guessed. Each is HEAD'd for its size.
 * - Import, Finished: `succeeded` only once DescribeImages (asked for every status) shows the new image `Available`.
 * - Failed: the `OperationProgress` ErrorCode / ErrorMsg. Deleted: `cancelled` after a cancel, `failed` otherwise.
 */
export async function describeAlicloudTask(ctx: DriverContext, ref: TaskRef): Promise<TaskSnapshot> {
  const attribute = await ctx.api.describeTaskAttribute({ regionId: ref.region || ctx.region, taskId: ref.taskId });
  const rawStatus = attribute.taskStatus ?? '';
  const cancelRequested = ref.cancelRequested === true || ctx.cancelled.has(ref.taskId);
  const state = taskStateOf(rawStatus, cancelRequested);
  const progress = parseProgress(attribute.taskProcess);
  const base = { ref, rawStatus, ...(progress !== undefined ? { progress } : {}) };

  if (state === 'failed') {
    const failure = rawStatus.toLowerCase() === 'deleted'
      ? { code: 'TaskDeleted', message: `task ${ref.taskId} was deleted without a cancel from imageport` }
      : failureOf(attribute);
    return { ...base, state, artifacts: [], message: `${failure.code}: ${failure.message}`, failure, ...importImageId(ref) };
  }
  if (state === 'cancelled') return { ...base, state, artifacts: [], message: 'cancelled', ...importImageId(ref) };
  if (ref.kind === 'import') return describeImport(ctx, ref, attribute, state, base);
  if (state !== 'succeeded') return { ...base, state, artifacts: [] };
  const artifacts = await exportArtifacts(ctx, ref, attribute);
  const missing = artifacts.filter((artifact) => artifact.sizeBytes === undefined).map((artifact) => artifact.key);
  const message = artifacts.length === 0
    ? 'task Finished but reported no OSSObject and the bucket holds none under the expected name'
    : missing.length > 0 ? `task Finished but ${missing.join(', ')} is not in the bucket` : undefined;
  return { ...base, state, progress: 100, artifacts, ...(message ? { message } : {}) };
}

function importImageId(ref: TaskRef): { imageId?: string } {
  return ref.kind === 'import' && ref.imageId ? { imageId: ref.imageId } : {};
}

async function exportArtifacts(ctx: DriverContext, ref: TaskRef, attribute: EcsTaskAttribute): Promise<Artifact[]> {
  const items = relatedItemsOf(attribute);
  const bucket = items.buckets[0] ?? ref.bucket;
  if (!bucket) return [];
  const requested = ref.format ?? 'raw';
  let keys = items.objects;
  if (keys.length === 0 && ref.imageId) {
    keys = (await ctx.storage().list(bucket, exportObjectPrefix(ref))).map((object) => object.key);
  }
  const artifacts = artifactsOf(keys, bucket, requested);
  return Promise.all(
    artifacts.map(async (artifact) => {
      const info = await ctx.storage().head(artifact.bucket, artifact.key);
      return info ? { ...artifact, sizeBytes: info.sizeBytes } : artifact;
    }),
  );
}

async function describeImport(
  ctx: DriverContext,
  ref: TaskRef,
  attribute: EcsTaskAttribute,
  state: TaskSnapshot['state'],
  base: Pick<TaskSnapshot, 'ref' | 'rawStatus' | 'progress'>,
): Promise<TaskSnapshot> {
  const imageId = ref.imageId ?? (await importedImageIdOf(ctx, ref));
  const withImage = imageId ? { imageId } : {};
  if (state !== 'succeeded') return { ...base, state, artifacts: [], ...withImage };
  if (!imageId) {
    return { ...base, state: 'running', progress: 99, artifacts: [], message: 'task Finished; the new image id is not known yet' };
  }
  const images = await ctx.api.describeImages({ regionId: ref.region || ctx.region, imageId, status: ALL_IMAGE_STATUSES });
  const image = images.find((candidate) => candidate.imageId === imageId);
  const verdict = importedImageStateOf(image);
  if (verdict.state === 'failed') {
    const failure = { code: `Image${image?.status ?? 'Failed'}`, message: `import task ${attribute.taskId ?? ref.taskId} finished but image ${imageId} is ${image?.status}` };
    return { ...base, state: 'failed', artifacts: [], imageId, message: verdict.message, failure };
  }
  return { ...base, state: verdict.state, progress: verdict.state === 'succeeded' ? 100 : 99, artifacts: [], imageId, message: verdict.message };
}

/** The image an import task creates, from DescribeTasks' ResourceId, for refs stored without it. */
async function importedImageIdOf(ctx: DriverContext, ref: TaskRef): Promise<string | undefined> {
  try {
    const page = await ctx.api.describeTasks({ regionId: ref.region || ctx.region, taskIds: ref.taskId, taskAction: 'ImportImage' });
    return page.taskSet?.task?.find((task) => task.taskId === ref.taskId)?.resourceId || undefined;
  } catch (error) {
    if (hasCode(error, 'InvalidTaskId.NotFound')) return undefined;
    throw error;
  }
}
