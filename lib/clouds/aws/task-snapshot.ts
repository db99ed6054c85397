import { type ExportImageTask, type ImportImageTask } from '@aws-sdk/client-ec2';
import { type DiskFormat } from '../../model/disk-format';
import { type Artifact, type TaskFailure, type TaskRef, type TaskSnapshot, type TaskState } from '../../model/task';

/** Status messages of an `active` task that mean it has not really started converting yet. */
const PENDING_MESSAGES = new Set(['pending', 'validating']);

/** The object key an export writes: `prefix + taskId + '.' + extension`, concatenated raw as AWS does. */
export function exportArtifactKey(prefix: string | undefined, taskId: string, format: DiskFormat): string {
  return `${prefix ?? ''}${taskId}.${format}`;
}

/** Progress from AWS's string percent (`"21"`), clamped to 0-100; `undefined` when absent or not a number. */
export function parseProgress(progress: string | undefined): number | undefined {
  if (progress === undefined || progress.trim() === '') return undefined;
  const value = Number(progress);
  if (!Number.isFinite(value)) return undefined;
  return Math.min(100, Math.max(0, value));
}

/** The failure of a task that ended `deleted` / `deleting` without a cancel: `ClientError: …` keeps its code. */
export function failureOf(status: string, statusMessage: string | undefined): TaskFailure {
  const code = /^(\w+Error)\b/.exec(statusMessage ?? '')?.[1] ?? 'TaskDeleted';
  return { code, message: statusMessage || `the task ended "${status}" without a status message` };
}

interface Observed {
  readonly state: TaskState;
  readonly progress?: number;
  readonly failure?: TaskFailure;
}

/**
 * Normalises AWS's `Status` / `StatusMessage` / `Progress` (the table in `lib/model/task.ts`): `active` is pending
 * while `pending`/`validating`, else running; `completed` succeeded; `deleting`/`deleted` cancelled when we asked
 * for it, else failed with the status message as the failure.
 */
export function observeStatus(status: string, statusMessage: string | undefined, progress: string | undefined, cancelRequested: boolean): Observed {
  switch (status) {
    case 'completed':
      return { state: 'succeeded', progress: 100 };
    case 'deleting':
    case 'deleted':
      return cancelRequested ? { state: 'cancelled', progress: parseProgress(progress) } : { state: 'failed', progress: parseProgress(progress), failure: failureOf(status, statusMessage) };
    case 'active':
    default: {
      const pending = statusMessage === undefined || PENDING_MESSAGES.has(statusMessage.toLowerCase());
      return { state: pending ? 'pending' : 'running', progress: parseProgress(progress) };
    }
  }
}

/**
 * The snapshot of an export task. `artifact` is what the driver read back from S3 for a completed task; a completed
 * task whose object is missing is reported as failed (`ArtifactMissing`), never as a guessed success.
 */
export function exportSnapshot(ref: TaskRef, task: ExportImageTask, artifact?: Artifact | 'missing'): TaskSnapshot {
  const status = task.Status ?? 'unknown';
  const observed = observeStatus(status, task.StatusMessage, task.Progress, ref.cancelRequested === true);
  const base = {
    ref,
    rawStatus: status,
    ...(task.StatusMessage !== undefined ? { message: task.StatusMessage } : {}),
    ...(observed.progress !== undefined ? { progress: observed.progress } : {}),
  };
  if (observed.state === 'succeeded') {
    if (artifact === undefined || artifact === 'missing') {
      const key = exportArtifactKey(ref.prefix, ref.taskId, ref.format ?? 'vmdk');
      return {
        ...base,
        state: 'failed',
        artifacts: [],
        failure: { code: 'ArtifactMissing', message: `the task completed but s3://${ref.bucket}/${key} does not exist` },
      };
    }
    return { ...base, state: 'succeeded', artifacts: [artifact] };
  }
  return { ...base, state: observed.state, artifacts: [], ...(observed.failure ? { failure: observed.failure } : {}) };
}

/** The snapshot of an import task; a completed one carries the new AMI id. */
export function importSnapshot(ref: TaskRef, task: ImportImageTask): TaskSnapshot {
  const status = task.Status ?? 'unknown';
  const observed = observeStatus(status, task.StatusMessage, task.Progress, ref.cancelRequested === true);
  const imageId = task.ImageId ?? ref.imageId;
  return {
    ref,
    state: observed.state,
    rawStatus: status,
    ...(task.StatusMessage !== undefined ? { message: task.StatusMessage } : {}),
    ...(observed.progress !== undefined ? { progress: observed.progress } : {}),
    artifacts: [],
    ...(imageId ? { imageId } : {}),
    ...(observed.failure ? { failure: observed.failure } : {}),
  };
}
