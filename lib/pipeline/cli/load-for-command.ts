import { resolve } from 'node:path';
import { rulesFor } from '../../clouds/rules';
import { loadPipelineFile } from '../load-pipeline';
import { formatPipelineIssue } from '../pipeline-issue';
import { type ResolvedPipeline } from '../resolved-pipeline';
import { DEFAULT_STATE_FILE } from '../state/state-store';
import { type CliIo, CliError } from './cli-io';

/** Loads and checks a pipeline file for a command; prints every problem and throws when there is one. */
export async function loadForCommand(file: string, io: CliIo): Promise<ResolvedPipeline> {
  const loaded = await loadPipelineFile(file, { rulesFor }).catch((error: unknown) => {
    throw new CliError((error as Error).message);
  });
  if (!loaded.pipeline) {
    for (const issue of loaded.issues) io.stderr.write(`${formatPipelineIssue(file, issue)}\n`);
    throw new CliError(`${file}: ${loaded.issues.length} problem${loaded.issues.length === 1 ? '' : 's'}; nothing was done`);
  }
  return loaded.pipeline;
}

/** The state file a command uses: `--state`, else `.imageport/state.json` in the working directory. */
export function stateFileFor(option: string | undefined, io: CliIo): string {
  return resolve(io.cwd ?? process.cwd(), option ?? DEFAULT_STATE_FILE);
}

/** Refuses a state file that belongs to another pipeline (two pipelines sharing the default state would collide). */
export function checkStateOwner(statePipeline: string, pipeline: ResolvedPipeline, stateFile: string): void {
  if (statePipeline !== '' && statePipeline !== pipeline.name) {
    throw new CliError(
      `state file ${stateFile} belongs to pipeline "${statePipeline}", not "${pipeline.name}": give this pipeline its own state with --state`,
    );
  }
}
