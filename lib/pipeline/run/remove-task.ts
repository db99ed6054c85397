import { type CloudDriver } from '../../clouds/cloud-driver';
import { type Artifact, type TaskRef } from '../../model/task';
import { waitForTask } from '../../wait/waiter';
import { type TaskRecord } from '../state/pipeline-state';
import { type CloudAccess } from './cloud-access';
import { retryCall } from './retry-call';
import { type WaitSettings } from './wait-settings';

/** What removing a recorded task did. */
export interface TaskRemoval {
  /** Human-readable steps taken (`cancelled export-ami-1`, `deleted s3://b/k`, `kept s3://b/k (removal: retain)`). */
  readonly steps: string[];
  /** Problems that leave something behind. */
  readonly problems: string[];
}

/** How {@link removeTask} works. */
export interface RemoveTaskOptions {
  /** Drivers. */
  readonly clouds: CloudAccess;
  /** What to do with exported objects or an imported image. */
  readonly removal: 'retain' | 'destroy';
  /** How long to wait for a cancelled (or uncancellable) task to end. */
  readonly deleteTimeoutMs: number;
  /** How to poll. */
  readonly wait: WaitSettings;
  /** Stops waiting. @default - not abortable */
  readonly signal?: AbortSignal;
  /** Receives each step as it happens (waiting for a task's end can take long). @default - steps are only returned */
  readonly onStep?: (step: string) => void;
}

/**
 * Removes what one recorded export or import left: cancels the task when it still runs and waits for it to end
 * (JD Cloud cannot cancel: its task runs to its end, and this waits for that, as the JD driver documents), then,
 * when the removal policy is `destroy`, deletes the exported objects (an export's default is to keep them, like an
 * S3 bucket's RETAIN) or the imported image with its snapshots (an import's default is to delete it).
 */
export async function removeTask(record: TaskRecord, options: RemoveTaskOptions): Promise<TaskRemoval> {
  const steps: string[] = [];
  const problems: string[] = [];
  const step = (text: string): void => {
    steps.push(text);
    options.onStep?.(text);
  };
  let artifacts: Artifact[] = record.kind === 'export' ? [...(record.artifacts ?? [])] : [];
  let imageId = record.kind === 'import' ? record.imageId : undefined;
  const driver = await options.clouds.driver(record.cloud, record.task?.region ?? record.spec.region);

  if ((record.status === 'running' || record.status === 'starting') && record.task) {
    const ended = await endTask(driver, record.task, options, step, problems);
    if (ended?.artifacts) artifacts = [...artifacts, ...ended.artifacts.filter((a) => !artifacts.some((b) => b.key === a.key && b.bucket === a.bucket))];
    if (ended?.imageId) imageId = ended.imageId;
  } else if (record.status === 'starting') {
    step('its start was never confirmed: if the cloud started it, that task runs on');
  }

  if (record.kind === 'export') {
    for (const artifact of artifacts) {
      if (options.removal === 'destroy') {
        try {
          await retryCall(() => driver.storage().delete(artifact.bucket, artifact.key), options.wait, options.signal);
          step(`deleted ${artifact.uri}`);
        } catch (error) {
          problems.push(`could not delete ${artifact.uri}: ${(error as Error).message}`);
        }
      } else {
        step(`kept ${artifact.uri} (removal: retain)`);
      }
    }
  } else if (imageId) {
    if (options.removal === 'destroy') {
      try {
        const outcome = await retryCall(() => driver.deleteImage(imageId), options.wait, options.signal);
        step(outcome === 'deleted' ? `deleted image ${imageId}` : `image ${imageId} was already gone`);
      } catch (error) {
        problems.push(`could not delete image ${imageId}: ${(error as Error).message}`);
      }
    } else {
      step(`kept image ${imageId} (removal: retain)`);
    }
  }
  return { steps, problems };
}

async function endTask(
  driver: CloudDriver,
  task: TaskRef,
  options: RemoveTaskOptions,
  step: (text: string) => void,
  problems: string[],
): Promise<{ artifacts?: readonly Artifact[]; imageId?: string } | undefined> {
  let ref: TaskRef = task;
  try {
    const outcome = await retryCall(() => driver.cancel(task), options.wait, options.signal);
    if (outcome === 'cancelled') {
      ref = { ...task, cancelRequested: true };
      step(`cancelled ${task.taskId}`);
    } else if (outcome === 'not-cancellable') {
      step(`${task.taskId} cannot be cancelled on this cloud: waiting for it to end`);
    } else {
      step(`${task.taskId} had already ended`);
    }
  } catch (error) {
    problems.push(`could not cancel ${task.taskId}: ${(error as Error).message}`);
    return undefined;
  }
  try {
    const snapshot = await waitForTask(() => driver.describe(ref), { ...options.wait, timeoutMs: options.deleteTimeoutMs, signal: options.signal, taskLabel: task.taskId });
    step(`${task.taskId} ended succeeded`);
    return { artifacts: snapshot.artifacts, imageId: snapshot.imageId };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TaskCancelledError' || name === 'TaskFailedError') {
      step(`${task.taskId} ended ${name === 'TaskCancelledError' ? 'cancelled' : 'failed'}`);
      return undefined;
    }
    problems.push(`${task.taskId} did not end: ${(error as Error).message}`);
    return undefined;
  }
}
