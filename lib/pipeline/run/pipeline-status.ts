import { type CloudId } from '../../model/cloud';
import { type PipelineState } from '../state/pipeline-state';
import { type CloudAccess } from './cloud-access';
import { observeLive } from './observe-live';

/** One row of `imageport status`. */
export interface StatusRow {
  /** Entry id (`exports.golden-aws`). */
  readonly entry: string;
  /** The cloud. */
  readonly cloud: CloudId;
  /** The cloud's task id. @default - not started */
  readonly taskId?: string;
  /** What the state says. */
  readonly recorded: string;
  /** What the cloud says now (`running 45%`, `succeeded`), or why it could not be asked. */
  readonly live: string;
  /** Where the result is: artifact URIs or the new image. */
  readonly result: string;
}

/** The tasks in the state and their live state, one row each (roles and buckets are summarised apart). */
export async function pipelineStatus(state: PipelineState, clouds: CloudAccess): Promise<StatusRow[]> {
  const live = await observeLive(state, clouds);
  const rows: StatusRow[] = [];
  for (const [field, records] of [['exports', state.exports], ['imports', state.imports]] as const) {
    for (const [key, record] of Object.entries(records)) {
      const observed = live.get(`${field}/${key}`);
      let now = record.status === 'succeeded' ? 'succeeded' : record.status;
      if (observed?.snapshot) {
        const s = observed.snapshot;
        now = `${s.state}${s.progress !== undefined && s.state !== 'succeeded' ? ` ${s.progress}%` : ''} (${s.rawStatus}${s.message ? `: ${s.message}` : ''})`;
      } else if (observed?.missingArtifacts?.length) {
        now = `drifted: ${observed.missingArtifacts.map((a) => a.uri).join(', ')} missing`;
      } else if (observed?.error) {
        now = `unknown (${observed.error})`;
      }
      const result =
        record.kind === 'export'
          ? (record.artifacts ?? []).map((artifact: { uri: string }) => artifact.uri).join(', ')
          : (record.imageId ?? '');
      rows.push({
        entry: `${field}.${key}`,
        cloud: record.cloud,
        ...(record.task ? { taskId: record.task.taskId } : {}),
        recorded: record.status + (record.failure ? ` (${record.failure.code})` : ''),
        live: now,
        result,
      });
    }
  }
  return rows;
}
