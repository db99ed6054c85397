import { readFileSync } from 'node:fs';
import { rulesFor } from '../../lib/clouds/rules';
import { checkPipelineText } from '../../lib/pipeline/load-pipeline';
import { formatPipelineIssue } from '../../lib/pipeline/pipeline-issue';
import { type ResolvedPipeline } from '../../lib/pipeline/resolved-pipeline';

/**
 * Reads and checks a YAML pipeline with the core's loader (schema, references, each cloud's rules): the same checks
 * as `imageport validate`. Synchronous, as a CDK app's top level is.
 *
 * @param file path of the pipeline file
 * @throws Error listing every problem, one per line as `file:line:col: path: value rule`, when the file is invalid
 */
export function loadPipelineForCdk(file: string): ResolvedPipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read pipeline ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const loaded = checkPipelineText(text, file, { rulesFor });
  if (!loaded.pipeline) {
    throw new Error(`pipeline ${file} is invalid:\n${loaded.issues.map((issue) => `  ${formatPipelineIssue(file, issue)}`).join('\n')}`);
  }
  return loaded.pipeline;
}
