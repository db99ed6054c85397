/**
 * CLI start-up benchmark: `imageport --help` and `imageport validate <quickstart>` against `node -e 0`, several runs
 * each, median wall time. Target: both under 4x `node -e 0` (the CLI loads no cloud SDK for these, and validates
 * with a pre-generated schema validator). Needs a build (`npm run build`): it runs `dist/bin/imageport.js`.
 *
 * Run alone with `node dist/bench/cli-startup.js`, or call {@link measureCliStartup} from `bench/run.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Medians of one measurement, in milliseconds, and the ratios to bare Node. */
export interface CliStartupResult {
  /** Runs per command. */
  readonly runs: number;
  /** Median of `node -e 0`. */
  readonly nodeMs: number;
  /** Median of `imageport --help`. */
  readonly helpMs: number;
  /** Median of `imageport validate examples/pipelines/quickstart.yaml`. */
  readonly validateMs: number;
  /** helpMs / nodeMs. */
  readonly helpRatio: number;
  /** validateMs / nodeMs. */
  readonly validateRatio: number;
  /** The target ratio. */
  readonly target: number;
  /** True when both ratios are under the target. */
  readonly ok: boolean;
}

/** Where the built CLI and the repository are, from either `bench/` or `dist/bench/`. */
function locate(): { cli: string; repo: string } {
  const built = basename(dirname(__dirname)) === 'dist';
  const repo = built ? join(__dirname, '..', '..') : join(__dirname, '..');
  return { cli: join(repo, 'dist', 'bin', 'imageport.js'), repo };
}

function timeRun(args: readonly string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${String(result.status)}`);
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Measures start-up: the three commands are interleaved run by run (so load on the machine affects them alike),
 * after one warm-up run each.
 */
export function measureCliStartup(options: { runs?: number; target?: number } = {}): CliStartupResult {
  const runs = options.runs ?? 15;
  const target = options.target ?? 4;
  const { cli, repo } = locate();
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const commands: Record<'node' | 'help' | 'validate', string[]> = {
    node: ['-e', '0'],
    help: [cli, '--help'],
    validate: [cli, 'validate', join('examples', 'pipelines', 'quickstart.yaml')],
  };
  const samples: Record<keyof typeof commands, number[]> = { node: [], help: [], validate: [] };
  for (const args of Object.values(commands)) timeRun(args, repo);
  for (let run = 0; run < runs; run++) {
    for (const [name, args] of Object.entries(commands) as [keyof typeof commands, string[]][]) samples[name].push(timeRun(args, repo));
  }
  const nodeMs = median(samples.node);
  const helpMs = median(samples.help);
  const validateMs = median(samples.validate);
  const helpRatio = helpMs / nodeMs;
  const validateRatio = validateMs / nodeMs;
  return { runs, nodeMs, helpMs, validateMs, helpRatio, validateRatio, target, ok: helpRatio < target && validateRatio < target };
}

if (require.main === module) {
  const result = measureCliStartup({ runs: Number(process.env.BENCH_RUNS ?? 15) });
  console.log(JSON.stringify(result, null, 2));
  process.exitCode = result.ok ? 0 : 1;
}
