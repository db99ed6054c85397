/**
 * Figures shared by the waiter benchmarks (the emulator run and the deterministic model): calls and detection lag
 * of one poller over a set of tasks, and the targets for a pair of pollers.
 *
 * Targets: for tasks of 10 minutes and longer, at most a tenth of the fixed poller's calls with a detection lag
 * under 2 % of the task's length; for 1-minute tasks, a lag no worse than the fixed poller's.
 */

/** Calls and detection lag of one poller on one task. */
export interface PollRun {
  /** Describe calls made. */
  readonly calls: number;
  /** Task end → the poller saw it, in milliseconds. */
  readonly lagMs: number;
  /** The task's length, in milliseconds. */
  readonly durationMs: number;
}

/** Calls and lag of one poller over the tasks of one case. */
export interface PollerFigures {
  /** Mean describe calls per task. */
  readonly meanCalls: number;
  /** Most describe calls on one task. */
  readonly maxCalls: number;
  /** Mean detection lag (task end → wait returns), in milliseconds. */
  readonly meanLagMs: number;
  /** Worst detection lag, in milliseconds. */
  readonly maxLagMs: number;
  /** Mean lag as a share of the task's length (0.01 = 1 %). */
  readonly meanLagShare: number;
  /** Worst lag as a share of the task's length. */
  readonly maxLagShare: number;
}

/** The verdict on one case: the adaptive waiter against the fixed poller on the same tasks. */
export interface CaseVerdict {
  /** Waiter mean calls / fixed mean calls. */
  readonly callRatio: number;
  /** The worst per-task ratio of waiter calls to fixed calls (tasks paired in order). */
  readonly worstCallRatio: number;
  /** True when the case meets its target on the means. */
  readonly meetsTarget: boolean;
  /** True when it also meets it on the worst task (worst call ratio, worst lag). */
  readonly meetsTargetWorstCase: boolean;
  /** The target, in words. */
  readonly target: string;
}

/** Tasks at least this long (in minutes) have the "tenth of the calls, lag under 2 %" target. */
export const LONG_TASK_MINUTES = 10;
/** Largest waiter/fixed call ratio for long tasks. */
export const CALL_RATIO_TARGET = 0.1;
/** Largest lag, as a share of the task's length, for long tasks. */
export const LAG_SHARE_TARGET = 0.02;

/** Sums up runs of one poller. Throws on an empty list. */
export function summarizeRuns(runs: readonly PollRun[]): PollerFigures {
  if (runs.length === 0) throw new Error('summarizeRuns: no runs');
  const shares = runs.map((run) => run.lagMs / run.durationMs);
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    meanCalls: mean(runs.map((run) => run.calls)),
    maxCalls: Math.max(...runs.map((run) => run.calls)),
    meanLagMs: mean(runs.map((run) => run.lagMs)),
    maxLagMs: Math.max(...runs.map((run) => run.lagMs)),
    meanLagShare: mean(shares),
    maxLagShare: Math.max(...shares),
  };
}

/**
 * Judges a case. `waiterRuns[i]` and `fixedRuns[i]` are the two pollers on tasks of the same length. Long tasks
 * (≥ 10 minutes): calls ≤ 10 % of the fixed poller's and lag < 2 % of the length; short tasks: lag ≤ the fixed
 * poller's (mean against mean, worst against worst).
 */
export function judgeCase(durationMinutes: number, waiterRuns: readonly PollRun[], fixedRuns: readonly PollRun[]): CaseVerdict {
  const waiter = summarizeRuns(waiterRuns);
  const fixed = summarizeRuns(fixedRuns);
  const callRatio = waiter.meanCalls / fixed.meanCalls;
  const worstCallRatio = Math.max(...waiterRuns.map((run, i) => run.calls / fixedRuns[Math.min(i, fixedRuns.length - 1)].calls));
  if (durationMinutes >= LONG_TASK_MINUTES) {
    return {
      callRatio,
      worstCallRatio,
      meetsTarget: callRatio <= CALL_RATIO_TARGET && waiter.meanLagShare < LAG_SHARE_TARGET,
      meetsTargetWorstCase: worstCallRatio <= CALL_RATIO_TARGET && waiter.maxLagShare < LAG_SHARE_TARGET,
      target: `calls <= ${100 * CALL_RATIO_TARGET} % of fixed, lag < ${100 * LAG_SHARE_TARGET} % of length`,
    };
  }
  return {
    callRatio,
    worstCallRatio,
    meetsTarget: waiter.meanLagMs <= fixed.meanLagMs,
    meetsTargetWorstCase: waiter.maxLagMs <= fixed.maxLagMs,
    target: 'lag <= fixed poller lag',
  };
}

/** mulberry32: a small, fast, seeded generator (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Formats milliseconds as seconds with one decimal: `12.3s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Formats a share as a percentage with two decimals: `1.23%`. */
export function percent(share: number): string {
  return `${(100 * share).toFixed(2)}%`;
}

/** One row of a waiter table: a case's verdict, its figures and what it is. */
export interface WaiterTableRow extends CaseVerdict {
  /** What the first column names (a cloud, a curve). */
  readonly label: string;
  /** Nominal task length, minutes. */
  readonly durationMinutes: number;
  /** Tasks run with each poller. */
  readonly tasks: number;
  /** The adaptive waiter. */
  readonly waiter: PollerFigures;
  /** The fixed poller. */
  readonly fixed: PollerFigures;
}

/**
 * Renders waiter cases as the Markdown table both waiter benchmarks print.
 * @param firstColumn heading of the label column (`cloud`, `curve`)
 * @param rows the cases
 */
export function formatWaiterTable(firstColumn: string, rows: readonly WaiterTableRow[]): string {
  const header = [
    `| ${firstColumn} | length | tasks | calls waiter / fixed (mean) | ratio mean / worst | lag waiter mean / worst | lag fixed mean / worst | target (mean / worst) |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const lines = rows.map((c) =>
    [
      '',
      ` ${c.label} `,
      ` ${c.durationMinutes} min `,
      ` ${c.tasks} `,
      ` ${c.waiter.meanCalls.toFixed(1)} / ${c.fixed.meanCalls.toFixed(1)} `,
      ` ${c.callRatio.toFixed(3)} / ${c.worstCallRatio.toFixed(3)} `,
      ` ${seconds(c.waiter.meanLagMs)} (${percent(c.waiter.meanLagShare)}) / ${seconds(c.waiter.maxLagMs)} (${percent(c.waiter.maxLagShare)}) `,
      ` ${seconds(c.fixed.meanLagMs)} / ${seconds(c.fixed.maxLagMs)} `,
      ` ${c.meetsTarget ? 'pass' : '**MISS**'} / ${c.meetsTargetWorstCase ? 'pass' : '**MISS**'} (${c.target}) `,
      '',
    ].join('|'),
  );
  return [...header, ...lines].join('\n');
}
