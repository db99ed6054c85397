/**
 * Synth cost of the CDK constructs and size of their handler bundle.
 *
 * Synthesizes a stack with 50 `ImageExport`s and, side by side, the same stack with 50 plain `CustomResource`s on
 * one Provider (what a hand-written custom resource costs), several runs each, interleaved, after a warm-up; reports
 * the medians and their ratio. Targets: ratio under 1.3; handler bundle under 100 KB.
 *
 * Each run is timed twice: wall clock, and the CPU time of this process (user + system). Synth is single-threaded
 * CPU work, so on an idle machine both agree; on a shared machine the CPU time is what other processes do not
 * inflate, and the ratio is taken from it. Both medians are printed.
 *
 * Run: `npx tsx bench/cdk-synth.ts` (after `npm run build`, which makes the handler bundle).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, CustomResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ExportFormat, ImageExport, ImageExportBucket } from '../constructs';
import { handlerAssetPath } from '../constructs/private/handler-asset';

/** Options of {@link runCdkSynthBench}. */
export interface CdkSynthBenchOptions {
  /** Resources per stack. @default 50 */
  readonly resources?: number;
  /** Measured runs of each stack. @default 21 */
  readonly runs?: number;
}

/** Figures of {@link runCdkSynthBench}. */
export interface CdkSynthBenchReport {
  /** Resources per stack. */
  readonly resources: number;
  /** Synth times of the `ImageExport` stack, ms of CPU time. */
  readonly exportRunsMs: readonly number[];
  /** Synth times of the plain `CustomResource` stack, ms of CPU time. */
  readonly plainRunsMs: readonly number[];
  /** Median of `exportRunsMs`. */
  readonly exportMedianMs: number;
  /** Median of `plainRunsMs`. */
  readonly plainMedianMs: number;
  /** Median wall-clock synth time of the `ImageExport` stack, ms. */
  readonly exportWallMedianMs: number;
  /** Median wall-clock synth time of the plain stack, ms. */
  readonly plainWallMedianMs: number;
  /** `exportMedianMs / plainMedianMs` (CPU time); target under 1.3. */
  readonly ratio: number;
  /** The same ratio of the wall-clock medians. */
  readonly wallRatio: number;
  /** Size of `dist/lambda/image-task/index.js`; target under 100 KB. */
  readonly bundleBytes: number;
  /** Both targets met. */
  readonly targetsMet: boolean;
}

const RATIO_TARGET = 1.3;
/** Untimed synth pairs before measuring. */
const WARM_UP_PAIRS = 4;
const BUNDLE_TARGET_BYTES = 100 * 1024;

function synthExports(resources: number): void {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'imageport-bench-')) });
  const stack = new Stack(app, 'Exports', { env: { account: '123456789012', region: 'eu-west-1' } });
  const bucket = new ImageExportBucket(stack, 'Bucket');
  for (let i = 0; i < resources; i++) {
    new ImageExport(stack, `Export${i}`, { image: 'ami-0123456789abcdef0', format: ExportFormat.VMDK, bucket, prefix: `exports/${i}/`, tags: { index: String(i) } });
  }
  app.synth();
  rmSync(app.outdir, { recursive: true, force: true });
}

function synthPlain(resources: number): void {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'imageport-bench-')) });
  const stack = new Stack(app, 'Plain', { env: { account: '123456789012', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const code = lambda.Code.fromAsset(handlerAssetPath());
  const handler = (id: string, entry: string) => new lambda.Function(stack, id, { code, handler: entry, runtime: lambda.Runtime.NODEJS_24_X });
  const provider = new cr.Provider(stack, 'Provider', { onEventHandler: handler('OnEvent', 'index.onEvent'), isCompleteHandler: handler('IsComplete', 'index.isComplete') });
  for (let i = 0; i < resources; i++) {
    new CustomResource(stack, `Export${i}`, {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::Plain',
      properties: { ImageId: 'ami-0123456789abcdef0', Format: 'VMDK', Bucket: bucket.bucketName, Prefix: `exports/${i}/`, Tags: { index: String(i) } },
    });
  }
  app.synth();
  rmSync(app.outdir, { recursive: true, force: true });
}

/** One run: wall-clock and CPU milliseconds. */
function timed(run: () => void): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs the synth comparison and measures the bundle. */
export function runCdkSynthBench(options: CdkSynthBenchOptions = {}): CdkSynthBenchReport {
  const resources = options.resources ?? 50;
  const runs = options.runs ?? 21;
  // Warm-up: module loading, asset hashing caches, JIT. One pair left the plain stack's times falling for several
  // more runs (the JIT was still compiling its paths), which moved the ratio by up to 0.1 between runs.
  for (let i = 0; i < WARM_UP_PAIRS; i++) {
    synthExports(resources);
    synthPlain(resources);
  }
  const exportRuns: { wallMs: number; cpuMs: number }[] = [];
  const plainRuns: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    exportRuns.push(timed(() => synthExports(resources)));
    plainRuns.push(timed(() => synthPlain(resources)));
  }
  const exportRunsMs = exportRuns.map((r) => r.cpuMs);
  const plainRunsMs = plainRuns.map((r) => r.cpuMs);
  const exportMedianMs = median(exportRunsMs);
  const plainMedianMs = median(plainRunsMs);
  const exportWallMedianMs = median(exportRuns.map((r) => r.wallMs));
  const plainWallMedianMs = median(plainRuns.map((r) => r.wallMs));
  const ratio = exportMedianMs / plainMedianMs;
  const bundleBytes = statSync(join(handlerAssetPath(), 'index.js')).size;
  return {
    resources,
    exportRunsMs,
    plainRunsMs,
    exportMedianMs,
    plainMedianMs,
    exportWallMedianMs,
    plainWallMedianMs,
    ratio,
    wallRatio: exportWallMedianMs / plainWallMedianMs,
    bundleBytes,
    targetsMet: ratio < RATIO_TARGET && bundleBytes < BUNDLE_TARGET_BYTES,
  };
}

/** The report as text: medians side by side, the ratio, the bundle size, and whether each target was met. */
export function formatCdkSynthReport(report: CdkSynthBenchReport): string {
  const ms = (values: readonly number[]) => values.map((v) => v.toFixed(0)).join(', ');
  return [
    `CDK synth, ${report.resources} resources per stack (median of ${report.exportRunsMs.length} interleaved runs, CPU time; wall clock in brackets):`,
    `  ImageExport       ${report.exportMedianMs.toFixed(0).padStart(6)} ms (${report.exportWallMedianMs.toFixed(0)} ms)   runs: ${ms(report.exportRunsMs)}`,
    `  CustomResource    ${report.plainMedianMs.toFixed(0).padStart(6)} ms (${report.plainWallMedianMs.toFixed(0)} ms)   runs: ${ms(report.plainRunsMs)}`,
    `  ratio             ${report.ratio.toFixed(2).padStart(6)} (${report.wallRatio.toFixed(2)})   ${report.ratio < RATIO_TARGET ? 'met' : 'MISSED'} (target < ${RATIO_TARGET})`,
    `handler bundle      ${(report.bundleBytes / 1024).toFixed(1).padStart(6)} KiB  ${report.bundleBytes < BUNDLE_TARGET_BYTES ? 'met' : 'MISSED'} (target < 100 KB)`,
  ].join('\n');
}

if (require.main === module) {
  try {
    const report = runCdkSynthBench();
    console.log(formatCdkSynthReport(report));
    process.exitCode = report.targetsMet ? 0 : 1;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
