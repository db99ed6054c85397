import { renderTable } from '../render/output-stream';
import { pipelineStatus } from '../run/pipeline-status';
import { StateStore } from '../state/state-store';
import { type CliIo } from './cli-io';
import { type CommandSeams } from './apply-command';
import { openClouds, type CloudOptions } from './cloud-session';
import { checkStateOwner, loadForCommand, stateFileFor } from './load-for-command';

/** Options of `imageport status`. */
export interface StatusCommandOptions extends CloudOptions {
  /** State file. @default .imageport/state.json */
  readonly state?: string;
  /** Print JSON. @default false */
  readonly json?: boolean;
}

/** `imageport status FILE`: the tasks in the state file and what the clouds say about them now. */
export async function statusCommand(file: string, options: StatusCommandOptions, io: CliIo, seams: CommandSeams = {}): Promise<number> {
  const pipeline = await loadForCommand(file, io);
  const stateFile = stateFileFor(options.state, io);
  const state = await StateStore.read(stateFile, pipeline.name);
  checkStateOwner(state.pipeline, pipeline, stateFile);
  const session = await openClouds(pipeline, stateFile, options, seams.driverFactory);
  try {
    const rows = await pipelineStatus(state, session.clouds);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ pipeline: pipeline.name, stateFile, roles: Object.keys(state.roles), buckets: Object.keys(state.buckets), tasks: rows })}\n`);
      return 0;
    }
    if (rows.length === 0) io.stdout.write(`No tasks in ${stateFile}.\n`);
    else io.stdout.write(renderTable(['ENTRY', 'CLOUD', 'TASK', 'RECORDED', 'NOW', 'RESULT'], rows.map((row) => [row.entry, row.cloud, row.taskId ?? '-', row.recorded, row.live, row.result || '-'])));
    const roles = Object.entries(state.roles).map(([key, role]) => `${key} (${role.spec.cloud} ${role.spec.roleName}${role.createdByPipeline ? '' : ', existed before'})`);
    const buckets = Object.entries(state.buckets).map(([key, bucket]) => `${key} (${bucket.spec.cloud} ${bucket.spec.name}${bucket.createdByPipeline ? '' : ', existed before'})`);
    if (roles.length > 0) io.stdout.write(`Roles: ${roles.join(', ')}\n`);
    if (buckets.length > 0) io.stdout.write(`Buckets: ${buckets.join(', ')}\n`);
    return 0;
  } finally {
    await session.close();
  }
}
