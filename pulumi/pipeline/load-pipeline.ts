import { loadValidPipelineSync } from '../../lib/pipeline/load-pipeline';
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
  return loadValidPipelineSync(file);
}
