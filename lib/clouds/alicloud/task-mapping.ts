import { normalizeDiskFormat, type DiskFormat } from '../../model/disk-format';
import { type Artifact, type TaskFailure, type TaskRef, type TaskState } from '../../model/task';
import { type EcsImage, type EcsTaskAttribute } from './api';

/**
 * Normalises an ECS task status (`TaskStatus` of DescribeTasks / DescribeTaskAttribute):
 * Waiting, Paused → pending; Processing → running; Finished → succeeded; Failed → failed; Deleted → cancelled after
 * a cancel, failed otherwise. Any other value (undocumented) counts as running, so a waiter keeps waiting rather than
 * failing on a new intermediate status.
 *
 * @param status the raw status
 * @param cancelRequested true when imageport asked to cancel the task
 */
export function taskStateOf(status: string | undefined, cancelRequested: boolean): TaskState {
  switch ((status ?? '').toLowerCase()) {
    case 'waiting':
    case 'paused':
    case '':
      return 'pending';
    case 'finished':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'deleted':
      return cancelRequested ? 'cancelled' : 'failed';
    default:
      return 'running';
  }
}

/** Parses `TaskProcess` (`"45%"`, `"45"`) to 0-100; `undefined` when absent or unreadable. */
export function parseProgress(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!match) return undefined;
  return Math.max(0, Math.min(100, Math.round(Number(match[1]))));
}

/** The `RelatedItem`s of one `OperationProgress`, by name (a name can repeat: every disk has an `OSSObject`). */
export interface RelatedItems {
  /** `OSSBucket` values. */
  readonly buckets: string[];
  /** `OSSObject` values. */
  readonly objects: string[];
  /** `ImageFormat` values. */
  readonly formats: string[];
}

/** Every `RelatedItem` of a DescribeTaskAttribute answer, gathered across its `OperationProgress` entries. */
export function relatedItemsOf(attribute: EcsTaskAttribute): RelatedItems {
  const items: RelatedItems = { buckets: [], objects: [], formats: [] };
  for (const progress of attribute.operationProgressSet?.operationProgress ?? []) {
    for (const item of progress.relatedItemSet?.relatedItem ?? []) {
      if (!item.value) continue;
      const name = (item.name ?? '').toLowerCase();
      if (name === 'ossbucket') items.buckets.push(item.value);
      else if (name === 'ossobject') items.objects.push(item.value);
      else if (name === 'imageformat') items.formats.push(item.value);
    }
  }
  return items;
}

/** The failure a Failed task reports: the first `OperationProgress` with an ErrorCode, else a generic one. */
export function failureOf(attribute: EcsTaskAttribute): TaskFailure {
  for (const progress of attribute.operationProgressSet?.operationProgress ?? []) {
    if (progress.errorCode || progress.errorMsg) {
      return { code: progress.errorCode || 'TaskFailed', message: progress.errorMsg || `task ${attribute.taskId ?? ''} failed` };
    }
  }
  return { code: 'TaskFailed', message: `task ${attribute.taskId ?? ''} ended ${attribute.taskStatus ?? 'Failed'} without an error code` };
}

/** Format of an exported object, from its name: `….raw.tar.gz` → `raw.tar.gz`, `….qcow2` → `qcow2`, else `fallback`. */
export function artifactFormatOf(key: string, fallback: DiskFormat): DiskFormat {
  if (/\.raw\.tar\.gz$/i.test(key)) return 'raw.tar.gz';
  const extension = /\.([A-Za-z0-9]+)$/.exec(key)?.[1];
  return normalizeDiskFormat(extension) ?? fallback;
}

/**
 * Which disk an exported object holds, from its name (user guide: names contain `system` for the system disk,
 * `data` and the mount point for data disks): `system`, `data-xvdb`; a lone object is the system disk.
 */
export function artifactDiskOf(key: string, objectCount: number): string {
  const base = key.slice(key.lastIndexOf('/') + 1);
  if (/_system(?:[._]|$)/i.test(base)) return 'system';
  const data = /_data[_-]?([A-Za-z0-9]+)/i.exec(base);
  if (data) return `data-${data[1]}`;
  return objectCount === 1 ? 'system' : base;
}

/**
 * The artifacts a finished export reports in its `OSSObject` related items (never guessed), without sizes.
 *
 * @param keys the object keys (from the task, or from listing the bucket)
 * @param bucket the bucket they are in
 * @param requested the format asked for, used when a name has no known extension
 */
export function artifactsOf(keys: readonly string[], bucket: string, requested: DiskFormat): Artifact[] {
  const fallback: DiskFormat = requested === 'raw' ? 'raw.tar.gz' : requested;
  const unique = [...new Set(keys)];
  return unique.map((key) => ({
    bucket,
    key,
    format: artifactFormatOf(key, fallback),
    uri: `oss://${bucket}/${key}`,
    disk: artifactDiskOf(key, unique.length),
  }));
}

/**
 * The prefix of the names ECS gives an export's objects: `<OSSPrefix>_<ImageId>_` (`<ImageId>_` without a prefix).
 * Used only to list the bucket when a finished task names no object.
 */
export function exportObjectPrefix(ref: Pick<TaskRef, 'prefix' | 'imageId'>): string {
  return ref.prefix ? `${ref.prefix}_${ref.imageId ?? ''}_` : `${ref.imageId ?? ''}_`;
}

/**
 * Normalises the image an import creates: Available → succeeded; CreateFailed, UnAvailable, Deprecated → failed;
 * anything else (Creating, Waiting, not visible yet) → running.
 */
export function importedImageStateOf(image: EcsImage | undefined): { state: TaskState; message: string } {
  const status = image?.status;
  if (!image || !status) return { state: 'running', message: 'task finished; the new image is not visible in DescribeImages yet' };
  if (status === 'Available') return { state: 'succeeded', message: 'image Available' };
  if (status === 'CreateFailed' || status === 'UnAvailable' || status === 'Deprecated') {
    return { state: 'failed', message: `the new image is ${status}` };
  }
  return { state: 'running', message: `task finished; image ${status}${image.progress ? ` (${image.progress})` : ''}` };
}
