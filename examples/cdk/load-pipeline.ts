import { loadValidPipelineSync } from '../../lib/pipeline/load-pipeline';
import { type ResolvedPipeline } from '../../lib/pipeline/resolved-pipeline';

/**
 * Reads and checks a YAML pipeline with the core's loader (schema, references, each cloud's rules): the same checks
 * as `imageport validate`. Synchronous, as a CDK app's top level is.
 *
 * @param file path of the pipeline file
 * @throws Error listing every problem, one per line as `file:line:col: path: value rule`, when the file is invalid
 */
export function loadPipelineForCdk(file: string): ResolvedPipeline {
  return loadValidPipelineSync(file);
}
