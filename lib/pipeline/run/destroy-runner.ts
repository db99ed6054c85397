import { type CloudId } from '../../model/cloud';
import { DEFAULT_DELETE_TIMEOUT_MS, type ResolvedPipeline } from '../resolved-pipeline';
import { type TaskRecord } from '../state/pipeline-state';
import { type StateStore } from '../state/state-store';
import { deleteBucketIfEmpty, errorMessage } from './apply-runner';
import { type CloudAccess } from './cloud-access';
import { removeTask } from './remove-task';
import { retryCall } from './retry-call';
import { type EntryResult, type RunReporter, type RunResult } from './run-events';
import { type WaitSettings } from './wait-settings';

/** Everything `destroy` needs. */
export interface DestroyOptions {
  /** The pipeline file, when it could be read: its `removal` and `timeouts.delete` win over the recorded ones. @default - the recorded policies */
  readonly pipeline?: ResolvedPipeline;
  /** The state, opened and locked. */
  readonly store: StateStore;
  /** Drivers per cloud. */
  readonly clouds: CloudAccess;
  /** Receives progress. */
  readonly report: RunReporter;
  /** How to poll while waiting for cancelled tasks to end. @default - the waiter's defaults */
  readonly wait?: WaitSettings;
  /** Stops waiting. @default - not abortable */
  readonly signal?: AbortSignal;
}

/**
 * Removes what the pipeline created: cancels running tasks (JD Cloud: waits for them to end), deletes exported
 * objects only where the removal policy is `destroy` (retained otherwise), then deletes the buckets the pipeline
 * created when they are empty, and the roles it created. Roles and buckets that existed before are left alone.
 * Whatever cannot be removed stays in the state, so `destroy` can be run again.
 */
export async function destroyPipeline(options: DestroyOptions): Promise<RunResult> {
  const { store, clouds, report } = options;
  const problems: string[] = [];
  const entries: EntryResult[] = [];
  const records: ['exports' | 'imports', string, TaskRecord][] = [
    ...Object.entries(store.state.exports).map(([key, record]) => ['exports', key, record] as ['exports', string, TaskRecord]),
    ...Object.entries(store.state.imports).map(([key, record]) => ['imports', key, record] as ['imports', string, TaskRecord]),
  ];
  await Promise.all(
    records.map(async ([field, key, record]) => {
      const entry = (field === 'exports' ? options.pipeline?.exports : options.pipeline?.imports)?.find((e) => e.key === key);
      const removal = entry?.removal ?? record.removal;
      const id = `${field}.${key}`;
      const result = await removeTask(record, {
        clouds,
        removal,
        deleteTimeoutMs: entry?.deleteTimeoutMs ?? DEFAULT_DELETE_TIMEOUT_MS,
        wait: options.wait ?? {},
        signal: options.signal,
        onStep: (step) => report({ type: 'log', level: 'info', message: `${id}: ${step}` }),
      }).catch((error: unknown) => ({ steps: [], problems: [errorMessage(error)] }));
      const base = { entry: id, kind: record.kind, cloud: record.cloud, ...(record.task ? { taskId: record.task.taskId } : {}) };
      if (result.problems.length > 0) {
        problems.push(...result.problems.map((problem) => `${id}: ${problem}`));
        const failed: EntryResult = { ...base, outcome: 'failed', error: result.problems.join('; ') };
        entries.push(failed);
        report({ type: 'task-end', ...failed });
        return;
      }
      await store.update((state) => ({ ...state, [field]: omit<TaskRecord>(state[field], key) }));
      const removed: EntryResult = { ...base, outcome: 'succeeded', destroyed: true };
      entries.push(removed);
      report({ type: 'task-end', ...removed });
    }),
  );

  for (const [key, record] of Object.entries(store.state.buckets)) {
    try {
      if (!record.createdByPipeline) {
        report({ type: 'resource', resource: 'bucket', key, cloud: record.spec.cloud, action: 'kept', detail: `${record.spec.name}: it existed before the pipeline` });
      } else {
        const outcome = await deleteBucketIfEmpty(clouds, record.spec, options.wait);
        report({ type: 'resource', resource: 'bucket', key, cloud: record.spec.cloud, action: outcome.deleted ? 'deleted' : 'kept', detail: outcome.detail });
      }
      await store.update((state) => ({ ...state, buckets: omit(state.buckets, key) }));
    } catch (error) {
      failResource(problems, report, 'bucket', key, record.spec.cloud, error);
    }
  }
  for (const [key, record] of Object.entries(store.state.roles)) {
    try {
      if (record.createdByPipeline) {
        const driver = await clouds.driver(record.spec.cloud, record.region || undefined);
        await retryCall(() => driver.deleteRole(record.spec), options.wait, options.signal);
      }
      report({ type: 'resource', resource: 'role', key, cloud: record.spec.cloud, action: record.createdByPipeline ? 'deleted' : 'kept', detail: record.spec.roleName });
      await store.update((state) => ({ ...state, roles: omit(state.roles, key) }));
    } catch (error) {
      failResource(problems, report, 'role', key, record.spec.cloud, error);
    }
  }
  return { command: 'destroy', ok: problems.length === 0, entries, artifacts: [], problems };
}

function failResource(problems: string[], report: RunReporter, resource: 'role' | 'bucket', key: string, cloud: CloudId, error: unknown): void {
  problems.push(`${resource}s.${key}: ${errorMessage(error)}`);
  report({ type: 'resource', resource, key, cloud, action: 'failed', detail: errorMessage(error) });
}

function omit<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
