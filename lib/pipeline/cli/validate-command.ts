import { rulesFor } from '../../clouds/rules';
import { loadPipelineFile } from '../load-pipeline';
import { formatPipelineIssue } from '../pipeline-issue';
import { type CliIo, CliError } from './cli-io';

/**
 * `imageport validate FILE`: every problem at once, sorted by line (`file:line:col: path: value rule (allowed) [cloud
 * rule]`), schema, references and each cloud's rules. Loads no cloud SDK. Returns the exit code (0 valid, 1 not).
 */
export async function validateCommand(file: string, options: { json?: boolean }, io: CliIo): Promise<number> {
  const loaded = await loadPipelineFile(file, { rulesFor }).catch((error: unknown) => {
    throw new CliError((error as Error).message);
  });
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ file, valid: loaded.issues.length === 0, issues: loaded.issues })}\n`);
    return loaded.issues.length === 0 ? 0 : 1;
  }
  for (const issue of loaded.issues) io.stdout.write(`${formatPipelineIssue(file, issue)}\n`);
  if (loaded.issues.length === 0) {
    const pipeline = loaded.pipeline!;
    io.stdout.write(`${file}: valid (${pipeline.exports.length} export${pipeline.exports.length === 1 ? '' : 's'}, ${pipeline.imports.length} import${pipeline.imports.length === 1 ? '' : 's'})\n`);
    return 0;
  }
  io.stdout.write(`${file}: ${loaded.issues.length} problem${loaded.issues.length === 1 ? '' : 's'}\n`);
  return 1;
}
