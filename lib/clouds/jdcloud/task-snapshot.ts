import { type Artifact, type TaskRef, type TaskSnapshot, type TaskState } from '../../model/task';
import { type ImageTaskInfo, type JdImage } from './vm-client';

/** JD `taskStatus` → normalised state. An unknown status reads as `running` (it is not an end). */
export function jdTaskState(taskStatus: string): TaskState {
  switch (taskStatus.toLowerCase()) {
    case 'pending':
      return 'pending';
    case 'running':
      return 'running';
    case 'finished':
      return 'succeeded';
    case 'failed':
      return 'failed';
    default:
      return 'running';
  }
}

/**
 * The object key inside `bucket` of one `ossObject` entry. JD documents it as an object name; a full URL
 * (`https://<bucket>.s3-internal…/<key>` or path-style `<endpoint>/<bucket>/<key>`) is reduced to its key.
 */
export function objectKeyOf(entry: string, bucket: string): string {
  if (!/^https?:\/\//i.test(entry)) return entry.replace(/^\/+/, '');
  const url = new URL(entry);
  const path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  if (url.hostname.startsWith(`${bucket}.`)) return path;
  return path.startsWith(`${bucket}/`) ? path.slice(bucket.length + 1) : path;
}

/**
 * The files a finished export wrote, from the task's `ossObjects` (every disk, system first) or `ossObject` (system
 * disk). Never guessed: a task that names no object has no artifacts.
 */
export function exportArtifacts(task: ImageTaskInfo, bucket: string, sizes?: ReadonlyMap<string, number>): Artifact[] {
  const names = task.ossObjects && task.ossObjects.length > 0 ? task.ossObjects : task.ossObject ? [task.ossObject] : [];
  return names.map((name, index) => {
    const key = objectKeyOf(name, bucket);
    const size = sizes?.get(key);
    return {
      bucket,
      key,
      format: 'qcow2' as const,
      uri: `oss://${bucket}/${key}`,
      disk: index === 0 ? 'system' : `data-${index}`,
      ...(size === undefined ? {} : { sizeBytes: size }),
    };
  });
}

/** One export snapshot from its task (artifacts only once `finished`). */
export function exportSnapshot(ref: TaskRef, task: ImageTaskInfo, sizes?: ReadonlyMap<string, number>): TaskSnapshot {
  const state = jdTaskState(task.taskStatus);
  const message = task.errorInfo ?? task.message;
  return {
    ref,
    state,
    rawStatus: task.taskStatus,
    artifacts: state === 'succeeded' && ref.bucket ? exportArtifacts(task, ref.bucket, sizes) : [],
    ...(task.progress === undefined ? {} : { progress: Math.max(0, Math.min(100, task.progress)) }),
    ...(message ? { message } : {}),
    ...(state === 'failed' ? { failure: { code: 'ExportImageFailed', message: message ?? 'the export task failed' } } : {}),
  };
}

/**
 * One import snapshot. The import succeeds only when the task is `finished` **and** the new image is `ready`; a
 * finished task whose image is still being created reads as `running` (progress from the image, at most 99), and an
 * image in `error` as `failed`.
 */
export function importSnapshot(ref: TaskRef, task: ImageTaskInfo, image?: JdImage): TaskSnapshot {
  const imageId = task.imageId ?? ref.imageId;
  const base = { ref, artifacts: [] as Artifact[], ...(imageId ? { imageId } : {}) };
  const taskState = jdTaskState(task.taskStatus);
  const message = task.errorInfo ?? task.message;
  if (taskState !== 'succeeded') {
    return {
      ...base,
      state: taskState,
      rawStatus: task.taskStatus,
      ...(task.progress === undefined ? {} : { progress: Math.max(0, Math.min(100, task.progress)) }),
      ...(message ? { message } : {}),
      ...(taskState === 'failed' ? { failure: { code: 'ImportImageFailed', message: message ?? 'the import task failed' } } : {}),
    };
  }
  const imageStatus = image?.status ?? 'pending';
  const rawStatus = `finished/image ${imageStatus}`;
  if (imageStatus === 'ready') return { ...base, state: 'succeeded', rawStatus, progress: 100 };
  if (imageStatus === 'error' || imageStatus === 'deleting') {
    return {
      ...base,
      state: 'failed',
      rawStatus,
      failure: { code: 'ImageNotReady', message: `the imported image ${imageId ?? ''} is ${imageStatus}`.replace('  ', ' ') },
    };
  }
  const imageProgress = Number(image?.progress);
  const progress = Number.isFinite(imageProgress) ? Math.min(99, Math.max(0, imageProgress)) : 99;
  return { ...base, state: 'running', rawStatus, progress, message: `waiting for image ${imageId ?? ''} to be ready`.trim() };
}
