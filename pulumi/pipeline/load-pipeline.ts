import { readFileSync } from 'node:fs';
import { rulesFor } from '../../lib/clouds/rules';
import { checkPipelineText } from '../../lib/pipeline/load-pipeline';
import { formatPipelineIssue } from '../../lib/pipeline/pipeline-issue';
import { type ResolvedPipeline } from '../../lib/pipeline/resolved-pipeline';

/**
 * Reads and checks a YAML pipeline with the core's loader (schema, references, each cloud's rules), for a Pulumi
 * program to declare with {@link PipelineResources}. Synchronous, so a program needs no top-level `await`.
 *
 * @param file path of the pipeline file
 * @returns the resolved pipeline
 * @throws Error listing every problem, one per line as `file:line:col: path: value rule`, when the file is invalid
 */
export function loadPipeline(file: string): ResolvedPipeline {
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
