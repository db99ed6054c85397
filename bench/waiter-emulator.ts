/**
 * The shared waiter against a fixed 5-second poller (the CDK Provider framework's default `queryInterval`) on real
 * emulator export tasks of 1, 10 and 60 minutes on the three clouds: each poller calls the real driver's `describe`
 * against the real emulator over loopback, and one `VirtualClock` drives both the emulator's task timelines and the
 * pollers' sleeps, so an hour of polling costs well under a second of compute per poller.
 *
 * Each case runs several tasks (more for 1-minute tasks, whose target compares lags) with lengths drawn within ±10 %
 * of the nominal length (seeded); both pollers see a task of the same length, started the same way. Figures: describe calls (counted at the driver) and detection lag
 * (task end → the poller returns), mean and worst.
 */
import { startEmulator } from '../emulator';
import { type CloudId } from '../lib/model/cloud';
import { isTerminalState, type TaskRef, type TaskSnapshot } from '../lib/model/task';
import { VirtualClock } from '../lib/wait/clock';
import { waitForTask } from '../lib/wait/waiter';
import { prepareExportBench, type ExportBench } from './emulator-exports';
import { formatWaiterTable, judgeCase, LONG_TASK_MINUTES, type CaseVerdict, type PollerFigures, type PollRun, seededRandom, summarizeRuns } from './poller-figures';

/** Options of {@link runWaiterEmulatorBench}. */
export interface WaiterEmulatorOptions {
  /** Nominal task lengths, in minutes. @default [1, 10, 60] */
  readonly durationsMinutes?: readonly number[];
  /** Clouds to run. @default ['aws', 'alicloud', 'jdcloud'] */
  readonly clouds?: readonly CloudId[];
  /** Tasks per (cloud, length) case for tasks of 10 minutes and longer. @default 6 */
  readonly tasksPerCase?: number;
  /**
   * Tasks per case for shorter tasks: their target compares lags, and the fixed poller's lag is spread evenly over
   * 0-5 s, so its mean needs more tasks to settle (they are cheap: about 13 calls each).
   * @default 30
   */
  readonly tasksPerShortCase?: number;
  /** Seed of the task lengths and of the waiter's jitter. @default 1 */
  readonly seed?: number;
  /** Gap of the fixed poller, ms. @default 5000 (the CDK Provider default) */
  readonly fixedIntervalMs?: number;
}

/** One (cloud, length) case. */
export interface WaiterEmulatorCase extends CaseVerdict {
  /** The cloud. */
  readonly cloud: CloudId;
  /** Nominal task length, minutes. */
  readonly durationMinutes: number;
  /** Tasks run with each poller. */
  readonly tasks: number;
  /** The adaptive waiter. */
  readonly waiter: PollerFigures;
  /** The fixed poller. */
  readonly fixed: PollerFigures;
}

/** Result of {@link runWaiterEmulatorBench}. */
export interface WaiterEmulatorReport {
  /** One entry per (cloud, length). */
  readonly cases: readonly WaiterEmulatorCase[];
  /** Every case meets its target on the means. */
  readonly allTargetsMet: boolean;
  /** Every case meets its target on the worst task too. */
  readonly allTargetsMetWorstCase: boolean;
  /** Describe calls made in all, both pollers. */
  readonly totalDescribeCalls: number;
  /** Real time the run took, ms. */
  readonly elapsedMs: number;
}

const DEFAULT_CLOUDS: readonly CloudId[] = ['aws', 'alicloud', 'jdcloud'];

/** Runs the benchmark on a fresh emulator and returns the figures (deterministic for given options). */
export async function runWaiterEmulatorBench(options: WaiterEmulatorOptions = {}): Promise<WaiterEmulatorReport> {
  const started = performance.now();
  const durations = options.durationsMinutes ?? [1, 10, 60];
  const clouds = options.clouds ?? DEFAULT_CLOUDS;
  const tasksPerCase = options.tasksPerCase ?? 6;
  const fixedIntervalMs = options.fixedIntervalMs ?? 5000;
  const seed = options.seed ?? 1;
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  // The length of the next export the emulator starts: set just before each start.
  let nextDurationMs = 60_000;
  const emulator = await startEmulator({ clock, exportDurationMs: () => nextDurationMs });
  const cases: WaiterEmulatorCase[] = [];
  let totalDescribeCalls = 0;
  try {
    for (const cloud of clouds) {
      const bench = await prepareExportBench(emulator, cloud);
      // Separate streams: task lengths do not change when the waiter's use of randomness changes.
      const lengths = seededRandom(seed ^ hash(cloud));
      const jitter = seededRandom((seed ^ hash(cloud)) + 0x9e3779b9);
      for (const minutes of durations) {
        const waiterRuns: PollRun[] = [];
        const fixedRuns: PollRun[] = [];
        const tasks = minutes >= LONG_TASK_MINUTES ? tasksPerCase : (options.tasksPerShortCase ?? 30);
        for (let i = 0; i < tasks; i++) {
          const durationMs = Math.round(minutes * 60_000 * (0.9 + 0.2 * lengths()));
          const label = `${minutes}m${i}`;
          const start = async (poller: string): Promise<{ ref: TaskRef; endsAt: number }> => {
            nextDurationMs = durationMs;
            const startedAt = clock.now();
            const ref = await bench.driver.startExport(bench.spec(`b${label}${poller}`), `bench-${cloud}-${label}-${poller}`);
            if (clock.now() !== startedAt) throw new Error('virtual time moved while starting an export: the bench must run one poller at a time');
            return { ref, endsAt: startedAt + durationMs };
          };
          waiterRuns.push(await pollAdaptive(bench, clock, await start('w'), durationMs, jitter));
          fixedRuns.push(await pollFixed(bench, clock, await start('f'), durationMs, fixedIntervalMs));
        }
        totalDescribeCalls += [...waiterRuns, ...fixedRuns].reduce((sum, run) => sum + run.calls, 0);
        cases.push({
          cloud,
          durationMinutes: minutes,
          tasks,
          waiter: summarizeRuns(waiterRuns),
          fixed: summarizeRuns(fixedRuns),
          ...judgeCase(minutes, waiterRuns, fixedRuns),
        });
      }
    }
  } finally {
    await emulator.stop();
  }
  return {
    cases,
    allTargetsMet: cases.every((c) => c.meetsTarget),
    allTargetsMetWorstCase: cases.every((c) => c.meetsTargetWorstCase),
    totalDescribeCalls,
    elapsedMs: performance.now() - started,
  };
}

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (Math.imul(h, 31) + char.charCodeAt(0)) >>> 0;
  return h;
}

function checkSucceeded(snapshot: TaskSnapshot): void {
  if (snapshot.state !== 'succeeded') throw new Error(`bench export ${snapshot.ref.taskId} ended ${snapshot.state} (${snapshot.rawStatus})`);
}

/** The shared waiter with its default settings (2 s to 5 min gaps), as every front end uses it. */
async function pollAdaptive(bench: ExportBench, clock: VirtualClock, task: { ref: TaskRef; endsAt: number }, durationMs: number, random: () => number): Promise<PollRun> {
  let calls = 0;
  const done = await waitForTask(
    () => {
      calls++;
      return bench.driver.describe(task.ref);
    },
    { clock, random, timeoutMs: 6 * durationMs + 3_600_000, stallAfterMs: 24 * 3_600_000, taskLabel: task.ref.taskId },
  );
  checkSucceeded(done);
  return { calls, lagMs: clock.now() - task.endsAt, durationMs };
}

/** A fixed poller: describe, then sleep `intervalMs`, until the task ends (the CDK Provider's isComplete loop). */
async function pollFixed(bench: ExportBench, clock: VirtualClock, task: { ref: TaskRef; endsAt: number }, durationMs: number, intervalMs: number): Promise<PollRun> {
  let calls = 0;
  for (;;) {
    calls++;
    const snapshot = await bench.driver.describe(task.ref);
    if (isTerminalState(snapshot.state)) {
      checkSucceeded(snapshot);
      return { calls, lagMs: clock.now() - task.endsAt, durationMs };
    }
    await clock.sleep(intervalMs);
  }
}

/** Renders the report as a Markdown table. */
export function formatWaiterEmulatorReport(report: WaiterEmulatorReport): string {
  return formatWaiterTable('cloud', report.cases.map((c) => ({ ...c, label: c.cloud })));
}

if (require.main === module) {
  runWaiterEmulatorBench({ tasksPerCase: Number(process.env.BENCH_TASKS ?? 6) })
    .then((report) => {
      console.log(formatWaiterEmulatorReport(report));
      console.log(`${report.totalDescribeCalls} describe calls in ${(report.elapsedMs / 1000).toFixed(1)} s`);
      process.exitCode = report.allTargetsMet ? 0 : 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
