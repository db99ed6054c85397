import { type TaskRef, type TaskSnapshot } from '../../model/task';
import { TaskFailedError } from '../../wait/errors';
import { waitForTask, type WaitOptions } from '../../wait/waiter';
import { type JdcloudDriver } from './driver';
import { objectKeyOf } from './task-snapshot';

/** Options of {@link drainAndRemove}: how to wait, and whether to remove what the export wrote. */
export interface DrainAndRemoveOptions extends WaitOptions {
  /** Delete the objects the export wrote once it has ended (the user chose a destroy removal policy). @default false */
  readonly removeArtifacts?: boolean;
}

/** What {@link drainAndRemove} saw and did. */
export interface DrainAndRemoveResult {
  /** The task's final snapshot (`succeeded` or `failed`). */
  readonly snapshot: TaskSnapshot;
  /** Keys deleted from the export bucket (empty unless `removeArtifacts`). */
  readonly removedKeys: readonly string[];
}

/**
 * Deletes a JD export the way the lifecycle's delete must on a cloud without a cancel API: wait for the task to
 * end (success or failure both count), then, when asked, remove every object the task names (`ossObjects` /
 * `ossObject`, also those of a failed task, which may have written part of a file). Waiting uses the shared
 * waiter, so it has the same deadline, abort signal and retry behaviour as every other wait.
 *
 * @param driver the JD driver
 * @param task the export task
 * @param options waiter options and `removeArtifacts`
 * @throws WaitTimeoutError and the waiter's other errors, except a failed task, which is an ordinary end here
 */
export async function drainAndRemove(
  driver: JdcloudDriver,
  task: TaskRef,
  options: DrainAndRemoveOptions = {},
): Promise<DrainAndRemoveResult> {
  if (task.kind !== 'export') throw new Error(`drainAndRemove handles exports; task ${task.taskId} is an ${task.kind}`);
  let snapshot: TaskSnapshot;
  try {
    snapshot = await waitForTask(() => driver.describe(task), { taskLabel: `JD export task ${task.taskId}`, ...options });
  } catch (error) {
    if (!(error instanceof TaskFailedError)) throw error;
    snapshot = error.snapshot;
  }
  if (!options.removeArtifacts || !task.bucket) return { snapshot, removedKeys: [] };

  const { taskSet } = await driver.vm.imageTasks({ regionId: task.region, taskAction: 'ExportImage', taskIds: [task.taskId] });
  const info = taskSet.find((t) => t.taskId === task.taskId);
  const names = new Set<string>([...(info?.ossObjects ?? []), ...(info?.ossObject ? [info.ossObject] : [])]);
  for (const artifact of snapshot.artifacts) names.add(artifact.key);
  const bucket = task.bucket;
  const keys = [...new Set([...names].map((name) => objectKeyOf(name, bucket)))];
  const store = driver.storageIn(task.region);
  for (const key of keys) await store.delete(bucket, key);
  return { snapshot, removedKeys: keys };
}
