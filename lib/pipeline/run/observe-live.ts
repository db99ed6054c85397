import { type Artifact } from '../../model/task';
import { type LiveTask, type LiveView } from '../plan/plan-types';
import { type PipelineState, type TaskRecord } from '../state/pipeline-state';
import { type CloudAccess } from './cloud-access';

/**
 * Asks the clouds about every recorded task before planning: describes tasks that were running (or whose start was
 * never confirmed, when a task reference exists), and checks that the artifacts of succeeded exports are still in
 * their buckets (drift). A cloud that cannot be reached gives an `error` entry, never a failure of the plan.
 */
export async function observeLive(state: PipelineState, clouds: CloudAccess, options: { checkArtifacts?: boolean } = {}): Promise<LiveView> {
  const records: [string, TaskRecord][] = [
    ...Object.entries(state.exports).map(([key, record]) => [`exports/${key}`, record] as [string, TaskRecord]),
    ...Object.entries(state.imports).map(([key, record]) => [`imports/${key}`, record] as [string, TaskRecord]),
  ];
  const view = new Map<string, LiveTask>();
  await Promise.all(
    records.map(async ([id, record]) => {
      const live = await observeRecord(record, clouds, options.checkArtifacts ?? true);
      if (live) view.set(id, live);
    }),
  );
  return view;
}

async function observeRecord(record: TaskRecord, clouds: CloudAccess, checkArtifacts: boolean): Promise<LiveTask | undefined> {
  try {
    if ((record.status === 'running' || record.status === 'starting') && record.task) {
      const driver = await clouds.driver(record.cloud, record.task.region);
      return { snapshot: await driver.describe(record.task) };
    }
    if (checkArtifacts && record.kind === 'export' && record.status === 'succeeded' && record.artifacts && record.artifacts.length > 0) {
      const driver = await clouds.driver(record.cloud, record.spec.region);
      const storage = driver.storage();
      const missing: Artifact[] = [];
      for (const artifact of record.artifacts) {
        if (!(await storage.head(artifact.bucket, artifact.key))) missing.push(artifact);
      }
      return missing.length > 0 ? { missingArtifacts: missing } : undefined;
    }
    return undefined;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
