import { ProgressRenderer } from '../render/progress-renderer';
import { JsonRenderer, PlainRenderer, type RunRenderer } from '../render/run-renderer';
import { type ResolvedPipeline } from '../resolved-pipeline';
import { type CliIo } from './cli-io';

/** Progress bars on a terminal, plain lines otherwise, one JSON event per line with `--json`. */
export function rendererFor(io: CliIo, options: { json?: boolean }, pipeline?: ResolvedPipeline): RunRenderer {
  if (options.json) return new JsonRenderer(io.stdout);
  if (io.stdout.isTTY) {
    const ids = [...(pipeline?.exports ?? []).map((e) => `exports.${e.key}`), ...(pipeline?.imports ?? []).map((i) => `imports.${i.key}`)];
    return new ProgressRenderer(io.stdout, Math.max(12, ...ids.map((id) => id.length)));
  }
  return new PlainRenderer(io.stdout);
}
