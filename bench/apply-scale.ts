/**
 * `imageport apply` at scale: a pipeline of many exports across the three clouds, each cloud limited by its
 * `concurrency` quota, run by the built CLI as a child process against an emulator started in this process (real
 * HTTP, real drivers, real time scaled by the emulator's `speed`; the catalog is cloned so every export has an image
 * of its own: AWS and Alibaba Cloud allow one running export per image).
 *
 * Figures: the apply's wall time against the bound `max over clouds of ceil(N / quota) × task time` (what perfect
 * scheduling with instant detection would take), and the apply process's peak RSS (`/usr/bin/time -v`, else
 * `/proc/<pid>/status` VmHWM sampled). Targets: ratio under 1.15, peak RSS under 200 MB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator';
import { type CloudId } from '../lib/model/cloud';
import { GOLDEN_IMAGES } from './emulator-exports';
import { repositoryRoot } from './repository-root';

/** Exports and quota of one cloud. */
export interface CloudLoad {
  /** Exports on this cloud. */
  readonly exports: number;
  /** The pipeline's `concurrency` for this cloud (the emulator enforces the same quota). */
  readonly concurrency: number;
}

/** Options of {@link runApplyScaleBench}. */
export interface ApplyScaleOptions {
  /** Exports and quota per cloud. @default - AWS 35 at 5, Alibaba Cloud 35 at 5, JD Cloud 30 at 10 (100 exports) */
  readonly load?: Readonly<Record<CloudId, CloudLoad>>;
  /** Real seconds each export takes. @default 20 */
  readonly taskSeconds?: number;
  /** Emulated length of each export, minutes (the emulator's speed follows). @default 10 */
  readonly emulatedTaskMinutes?: number;
  /** The CLI to run. @default - `dist/bin/imageport.js` of this repository (run `npm run build` first) */
  readonly cliPath?: string;
  /** Node options before the CLI path (tests run the sources with `--import <tsx loader>`). @default - none */
  readonly nodeArgs?: readonly string[];
}

/** Result of {@link runApplyScaleBench}. */
export interface ApplyScaleReport {
  /** Exports and quota per cloud. */
  readonly load: Readonly<Record<CloudId, CloudLoad>>;
  /** Exports in all. */
  readonly exports: number;
  /** Real time one export takes, ms. */
  readonly taskMs: number;
  /** The emulator's speed-up. */
  readonly speed: number;
  /** Wall time of the apply process (spawn → exit), ms. */
  readonly wallMs: number;
  /** max over clouds of ceil(exports / concurrency) × taskMs. */
  readonly boundMs: number;
  /** wallMs / boundMs; target under 1.15. */
  readonly ratio: number;
  /** Peak resident set size of the apply process, bytes. */
  readonly peakRssBytes: number;
  /** How the peak was read. */
  readonly rssSource: '/usr/bin/time -v' | '/proc VmHWM (sampled)';
  /** Exit code of the apply. */
  readonly exitCode: number;
  /** Entries the apply reported as succeeded. */
  readonly succeeded: number;
  /** Export tasks the emulator saw succeed. */
  readonly emulatorSucceeded: number;
  /** The first few failed entries and problems, for the report. */
  readonly failures: readonly string[];
  /** Where the wall time went. */
  readonly timeline: ApplyTimeline;
  /** Both targets met and every export succeeded. */
  readonly targetsMet: boolean;
}

/** Ratio target. */
export const APPLY_RATIO_TARGET = 1.15;
/** Peak RSS target, bytes. */
export const APPLY_RSS_TARGET_BYTES = 200 * 1024 * 1024;

const DEFAULT_LOAD: Readonly<Record<CloudId, CloudLoad>> = {
  aws: { exports: 35, concurrency: 5 },
  alicloud: { exports: 35, concurrency: 5 },
  jdcloud: { exports: 30, concurrency: 10 },
};

const REGIONS: Readonly<Record<CloudId, string>> = { aws: 'us-east-1', alicloud: 'cn-hangzhou', jdcloud: 'cn-east-2' };

/** The i-th clone of a cloud's golden image (ids that pass each cloud's id rules). */
export function cloneImageId(cloud: CloudId, index: number): string {
  if (cloud === 'aws') return `ami-0be${index.toString(16).padStart(14, '0')}`;
  if (cloud === 'alicloud') return `m-bench0hangzhou${String(index).padStart(4, '0')}`;
  return `img-bench${String(index).padStart(5, '0')}`;
}

/** Writes a catalog folder: the default catalog plus `count[cloud]` clones of each golden image. */
export function writeBenchCatalog(directory: string, counts: Readonly<Record<CloudId, number>>): void {
  const source = join(repositoryRoot(), 'emulator', 'catalog');
  mkdirSync(directory, { recursive: true });
  for (const file of readdirSync(source).filter((name) => name.endsWith('.json'))) {
    const catalog = JSON.parse(readFileSync(join(source, file), 'utf8')) as { images: Array<Record<string, unknown>> };
    const cloud = file.replace(/\.json$/, '') as CloudId;
    const idField = cloud === 'aws' ? 'id' : 'imageId';
    const golden = catalog.images.find((image) => image[idField] === GOLDEN_IMAGES[cloud]);
    if (golden && counts[cloud]) {
      for (let i = 0; i < counts[cloud]; i++) catalog.images.push({ ...structuredClone(golden), [idField]: cloneImageId(cloud, i) });
    }
    writeFileSync(join(directory, file), JSON.stringify(catalog, null, 2));
  }
}

/** The pipeline YAML: one role and one bucket per cloud, and the exports. */
export function applyScalePipeline(load: Readonly<Record<CloudId, CloudLoad>>): string {
  const clouds = Object.keys(load) as CloudId[];
  const lines = ['name: bench-apply-scale', 'clouds:'];
  for (const cloud of clouds) lines.push(`  ${cloud}:`, `    region: ${REGIONS[cloud]}`, `    concurrency: ${load[cloud].concurrency}`);
  lines.push('roles:');
  const roleNames: Record<CloudId, string> = { aws: 'vmimport', alicloud: 'AliyunECSImageExportDefaultRole', jdcloud: 'imageport-export' };
  for (const cloud of clouds) lines.push(`  ${cloud}-role:`, `    cloud: ${cloud}`, `    roleName: ${roleNames[cloud]}`);
  lines.push('buckets:');
  for (const cloud of clouds) lines.push(`  ${cloud}-bucket:`, `    cloud: ${cloud}`, `    name: imageport-bench-scale-${cloud}`);
  lines.push('exports:');
  for (const cloud of clouds) {
    for (let i = 0; i < load[cloud].exports; i++) {
      lines.push(`  ${cloud}-${i}:`, `    cloud: ${cloud}`, `    imageId: ${cloneImageId(cloud, i)}`, `    bucket: ${cloud}-bucket`, `    role: ${cloud}-role`);
      if (cloud === 'aws') lines.push('    format: vmdk', `    prefix: scale/${i}/`);
      if (cloud === 'alicloud') lines.push('    format: raw', '    prefix: scale');
      if (cloud === 'jdcloud') lines.push('    prefix: scale');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** This process's environment without anything that would point a child at a real cloud. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(AWS_|ALIBABA_CLOUD_|ALICLOUD_|JDCLOUD_)/.test(key)) env[key] = value;
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

/** Resident memory of a fresh Node process after loading each module (MB), next to a bare `node` (`''`). */
export function moduleLoadRss(modules: readonly string[]): Array<{ readonly module: string; readonly rssMb: number }> {
  return ['', ...modules].map((module) => {
    const script = `${module ? `require(${JSON.stringify(module)});` : ''}process.stdout.write(String(process.memoryUsage().rss))`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: repositoryRoot(), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`node -e require(${module}) failed: ${result.stderr}`);
    return { module, rssMb: Number(result.stdout) / 1024 / 1024 };
  });
}

/** Reads the `result` line of `apply --json`: entries that succeeded, and what failed. */
export function applyResult(stdout: string): { succeeded: number; failures: string[] } {
  const line = stdout.trim().split('\n').reverse().find((candidate) => candidate.startsWith('{"type":"result"'));
  if (!line) return { succeeded: 0, failures: ['apply printed no result line'] };
  const result = JSON.parse(line) as { entries?: Array<{ entry: string; outcome: string; error?: string }>; problems?: string[] };
  const entries = result.entries ?? [];
  const failures = [
    ...entries.filter((entry) => entry.outcome !== 'succeeded').map((entry) => `${entry.entry}: ${entry.outcome}${entry.error ? ` (${entry.error})` : ''}`),
    ...(result.problems ?? []),
  ];
  return { succeeded: entries.filter((entry) => entry.outcome === 'succeeded').length, failures: failures.slice(0, 5) };
}

/** Where the apply's wall time went, from the time each `--json` event line arrived (ms since spawn). */
export interface ApplyTimeline {
  /** Spawn → the `plan` event: Node start-up, loading the pipeline, observing the state. */
  readonly startupMs: number;
  /** `plan` → the first `task-start`: roles and buckets, the first preflight and start. */
  readonly setupMs: number;
  /** `plan` → the last `resource` event: buckets and roles ensured (one after the other, SDKs loaded on first use). */
  readonly resourcesMs: number;
  /** Mean detection lag: the `succeeded` snapshot arrived this long after start + task time. */
  readonly meanDetectMs: number;
  /** Worst detection lag. */
  readonly maxDetectMs: number;
  /** Mean time from the `succeeded` snapshot to the entry's `task-end` (artifact check, state write). */
  readonly meanFinishMs: number;
  /** Mean time from one entry's end to the next start on the same cloud (slot hand-over, preflight, start call). */
  readonly meanHandoverMs: number;
  /** The last `task-end` → process exit. */
  readonly exitMs: number;
}

/** Reads the event lines of `apply --json` with their arrival times and says where the time went. */
export function applyTimeline(events: ReadonlyArray<{ readonly atMs: number; readonly line: string }>, taskMs: number, wallMs: number): ApplyTimeline {
  const parsed = events.flatMap(({ atMs, line }) => {
    try {
      return [{ atMs, event: JSON.parse(line) as { type: string; entry?: string; cloud?: string; state?: string } }];
    } catch {
      return [];
    }
  });
  const at = (type: string) => parsed.find((item) => item.event.type === type)?.atMs ?? Number.NaN;
  const starts = new Map<string, number>();
  const detects = new Map<string, number>();
  const ends = new Map<string, { atMs: number; cloud: string }>();
  const startsByCloud = new Map<string, number[]>();
  for (const { atMs, event } of parsed) {
    if (event.type === 'task-start' && event.entry) {
      starts.set(event.entry, atMs);
      startsByCloud.set(event.cloud ?? '', [...(startsByCloud.get(event.cloud ?? '') ?? []), atMs]);
    }
    if (event.type === 'task-progress' && event.state === 'succeeded' && event.entry && !detects.has(event.entry)) detects.set(event.entry, atMs);
    if (event.type === 'task-end' && event.entry) ends.set(event.entry, { atMs, cloud: event.cloud ?? '' });
  }
  const detectLags = [...detects].map(([entry, atMs]) => atMs - ((starts.get(entry) ?? Number.NaN) + taskMs)).filter(Number.isFinite);
  const finishes = [...detects].map(([entry, atMs]) => (ends.get(entry)?.atMs ?? Number.NaN) - atMs).filter(Number.isFinite);
  // A start that came after an end on its cloud took over that end's slot: pair the k-th later start with the k-th end.
  const handovers: number[] = [];
  for (const [cloud, cloudStarts] of startsByCloud) {
    const cloudEnds = [...ends.values()].filter((end) => end.cloud === cloud).map((end) => end.atMs).sort((a, b) => a - b);
    const waiting = [...cloudStarts].sort((a, b) => a - b).filter((start) => start > (cloudEnds[0] ?? Infinity));
    waiting.forEach((start, k) => {
      if (k < cloudEnds.length && start >= cloudEnds[k]) handovers.push(start - cloudEnds[k]);
    });
  }
  const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
  const lastEnd = Math.max(...[...ends.values()].map((end) => end.atMs));
  return {
    startupMs: at('plan'),
    setupMs: at('task-start') - at('plan'),
    resourcesMs: Math.max(...parsed.filter((item) => item.event.type === 'resource').map((item) => item.atMs)) - at('plan'),
    meanDetectMs: mean(detectLags),
    maxDetectMs: detectLags.length ? Math.max(...detectLags) : Number.NaN,
    meanFinishMs: mean(finishes),
    meanHandoverMs: mean(handovers),
    exitMs: wallMs - lastEnd,
  };
}

interface ChildRun {
  readonly exitCode: number;
  readonly wallMs: number;
  readonly stdout: string;
  readonly lines: ReadonlyArray<{ readonly atMs: number; readonly line: string }>;
  readonly peakRssBytes: number;
  readonly rssSource: ApplyScaleReport['rssSource'];
}

/** Runs `node args` as a child, timing it and reading its peak RSS. */
function runMeasured(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ChildRun> {
  const timeTool = '/usr/bin/time';
  const useTime = existsSync(timeTool);
  const command = useTime ? timeTool : process.execPath;
  const argv = useTime ? ['-v', process.execPath, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const lines: Array<{ atMs: number; line: string }> = [];
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      const atMs = Number(process.hrtime.bigint() - start) / 1e6;
      const parts = (pending + text).split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) lines.push({ atMs, line });
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let sampledKb = 0;
    // Without /usr/bin/time, sample the child's high-water mark (the node process is the child itself then).
    const sampler = useTime
      ? undefined
      : setInterval(() => {
          try {
            const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) sampledKb = Math.max(sampledKb, Number(match[1]));
          } catch {
            // the process is gone
          }
        }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      if (sampler) clearInterval(sampler);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const timed = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (useTime && !timed) {
        reject(new Error(`could not read the peak RSS from /usr/bin/time -v; stderr:\n${stderr.slice(-2000)}`));
        return;
      }
      const peakKb = timed ? Number(timed[1]) : sampledKb;
      if (pending.trim()) lines.push({ atMs: wallMs, line: pending });
      resolve({ exitCode: code ?? -1, wallMs, stdout, lines, peakRssBytes: peakKb * 1024, rssSource: useTime ? '/usr/bin/time -v' : '/proc VmHWM (sampled)' });
    });
  });
}

/** Runs the benchmark: emulator here, `imageport apply` as a child process; cleans up after itself. */
export async function runApplyScaleBench(options: ApplyScaleOptions = {}): Promise<ApplyScaleReport> {
  const load = options.load ?? DEFAULT_LOAD;
  const clouds = Object.keys(load) as CloudId[];
  const taskMs = (options.taskSeconds ?? 20) * 1000;
  const emulatedTaskMs = (options.emulatedTaskMinutes ?? 10) * 60_000;
  const speed = emulatedTaskMs / taskMs;
  const cli = options.cliPath ?? join(repositoryRoot(), 'dist', 'bin', 'imageport.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const work = mkdtempSync(join(tmpdir(), 'imageport-bench-apply-'));
  try {
    const counts = Object.fromEntries(clouds.map((cloud) => [cloud, load[cloud].exports])) as Record<CloudId, number>;
    writeBenchCatalog(join(work, 'catalog'), counts);
    writeFileSync(join(work, 'pipeline.yaml'), applyScalePipeline(load));
    const emulator = await startEmulator({
      catalogDir: join(work, 'catalog'),
      speed,
      exportDurationMs: () => emulatedTaskMs,
      quotas: { awsConcurrentTasks: load.aws?.concurrency ?? 5, alicloudConcurrentExports: load.alicloud?.concurrency ?? 5 },
    });
    let run: ChildRun;
    let emulatorSucceeded: number;
    try {
      run = await runMeasured([...(options.nodeArgs ?? []), cli, 'apply', 'pipeline.yaml', '--state', join(work, 'state.json'), '--json'], {
        cwd: work,
        env: { ...childEnv(), ...emulator.env },
      });
      emulatorSucceeded = emulator.inspect().tasks.filter((task) => task.kind === 'export' && task.outcome === 'succeeded').length;
    } finally {
      await emulator.stop().catch(() => undefined);
    }
    const result = applyResult(run.stdout);
    const exports = clouds.reduce((sum, cloud) => sum + load[cloud].exports, 0);
    const boundMs = Math.max(...clouds.map((cloud) => Math.ceil(load[cloud].exports / load[cloud].concurrency) * taskMs));
    const ratio = run.wallMs / boundMs;
    return {
      load,
      exports,
      taskMs,
      speed,
      wallMs: run.wallMs,
      boundMs,
      ratio,
      peakRssBytes: run.peakRssBytes,
      rssSource: run.rssSource,
      exitCode: run.exitCode,
      succeeded: result.succeeded,
      emulatorSucceeded,
      failures: result.failures,
      timeline: applyTimeline(run.lines, taskMs, run.wallMs),
      targetsMet: run.exitCode === 0 && result.succeeded === exports && ratio < APPLY_RATIO_TARGET && run.peakRssBytes < APPLY_RSS_TARGET_BYTES,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Renders the report as Markdown lines. */
export function formatApplyScaleReport(report: ApplyScaleReport): string {
  const clouds = Object.keys(report.load) as CloudId[];
  const load = clouds.map((cloud) => `${cloud} ${report.load[cloud].exports} at concurrency ${report.load[cloud].concurrency}`).join(', ');
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const lines = [
    `| figure | value | target | result |`,
    `| --- | ---: | --- | --- |`,
    `| exports | ${report.exports} (${load}) | all succeed | ${report.succeeded === report.exports ? 'pass' : '**MISS**'} (${report.succeeded} succeeded; emulator: ${report.emulatorSucceeded}) |`,
    `| task time | ${(report.taskMs / 1000).toFixed(0)} s (emulator speed ${report.speed}) | | |`,
    `| bound: max ceil(N / quota) × task time | ${(report.boundMs / 1000).toFixed(1)} s | | |`,
    `| apply wall time | ${(report.wallMs / 1000).toFixed(1)} s | | |`,
    `| wall / bound | ${report.ratio.toFixed(3)} | < ${APPLY_RATIO_TARGET} | ${report.ratio < APPLY_RATIO_TARGET ? 'pass' : '**MISS**'} |`,
    `| peak RSS of the apply process | ${mb(report.peakRssBytes)} (${report.rssSource}) | < 200 MB | ${report.peakRssBytes < APPLY_RSS_TARGET_BYTES ? 'pass' : '**MISS**'} |`,
  ];
  const t = report.timeline;
  const sec = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
  lines.push(
    '',
    `Where the time went (from the arrival of each \`--json\` event): start-up to the plan ${sec(t.startupMs)}; buckets and roles ` +
      `ensured ${sec(t.resourcesMs)} after it, the first export started ${sec(t.setupMs)} after it; per export: detection lag ${sec(t.meanDetectMs)} mean (${sec(t.maxDetectMs)} worst), ` +
      `artifact check and state write ${sec(t.meanFinishMs)}, slot hand-over to the next start ${sec(t.meanHandoverMs)}; ` +
      `last entry to exit ${sec(t.exitMs)}.`,
  );
  if (report.failures.length > 0) lines.push('', `Failures (first ${report.failures.length}): ${report.failures.map((f) => `\`${f}\``).join('; ')}`);
  return lines.join('\n');
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  runApplyScaleBench(quick ? { load: { aws: { exports: 5, concurrency: 5 }, alicloud: { exports: 5, concurrency: 5 }, jdcloud: { exports: 5, concurrency: 5 } }, taskSeconds: 10 } : {})
    .then((report) => {
      console.log(formatApplyScaleReport(report));
      process.exitCode = report.targetsMet ? 0 : 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
