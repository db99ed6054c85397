import { type ProgressEstimate } from './progress-history';

/**
 * Tuning of the adaptive schedule. The defaults were tuned on the emulator's task timelines (`bench/waiter-emulator.ts`)
 * and checked against the synthetic curves of `bench/waiter-model.ts`.
 */
export interface PollScheduleTuning {
  /**
   * Near the expected finish, poll every this fraction of the task's estimated length: it bounds the detection lag
   * to about this share of the task.
   * @default 0.01
   */
  readonly finishGranularity?: number;
  /**
   * Without usable progress, each gap is this many times the previous one (geometric back-off).
   * @default 3
   */
  readonly noProgressGrowth?: number;
  /**
   * Without usable progress, a gap is at most this fraction of the time waited so far, so the lag stays a bounded
   * share of the wait even with no progress at all.
   * @default 3
   */
  readonly noProgressElapsedFraction?: number;
  /**
   * When the task runs past its expected finish, gaps grow to this fraction of the overrun.
   * @default 0.1
   */
  readonly overrunFraction?: number;
  /**
   * An estimate backed by fewer percentage points of observed progress than this (or by a single step) is weak:
   * the gap is also capped by the no-progress back-off.
   * @default 10
   */
  readonly weakEvidencePoints?: number;
  /**
   * Before the expected finish, one gap covers at most this share of the time left to it.
   * @default 0.85
   */
  readonly approachShare?: number;
}

/** What the schedule bases the next gap on. */
export interface PollScheduleInput {
  /** Now (clock milliseconds). */
  readonly nowMs: number;
  /** When the wait started. */
  readonly waitStartedMs: number;
  /** The progress estimate, when progress has moved. */
  readonly estimate?: ProgressEstimate;
  /** The previous gap (before jitter). @default - this is the first gap */
  readonly previousDelayMs?: number;
  /** Shortest gap. */
  readonly minIntervalMs: number;
  /** Longest gap. */
  readonly maxIntervalMs: number;
}

/**
 * The gap before the next poll, without jitter, clamped to `[minIntervalMs, maxIntervalMs]`.
 *
 * - No usable progress: geometric back-off from `minIntervalMs`, at most three times the time waited so far.
 * - Progress moving, before the expected finish: go at most `approachShare` of the way to it and never past the
 *   earliest plausible finish, so the estimate is refined on the way; land on the expected finish when it is
 *   within one granule (1 % of the estimated task length). Weak evidence also keeps the back-off cap.
 * - Past the expected finish: one granule, growing with the overrun once the estimate proves wrong.
 */
export function nextPollDelayMs(input: PollScheduleInput, tuning: PollScheduleTuning = {}): number {
  const finishGranularity = tuning.finishGranularity ?? 0.01;
  const growth = tuning.noProgressGrowth ?? 3;
  const elapsedFraction = tuning.noProgressElapsedFraction ?? 3;
  const overrunFraction = tuning.overrunFraction ?? 0.1;
  const weakEvidence = tuning.weakEvidencePoints ?? 10;
  const approachShare = tuning.approachShare ?? 0.85;
  const { nowMs, estimate, minIntervalMs, maxIntervalMs } = input;
  const clamp = (ms: number): number => Math.min(maxIntervalMs, Math.max(minIntervalMs, ms));

  const grown = input.previousDelayMs === undefined ? minIntervalMs : input.previousDelayMs * growth;
  const backOff = Math.min(grown, Math.max(minIntervalMs, elapsedFraction * (nowMs - input.waitStartedMs)));
  if (!estimate) return clamp(backOff);

  // The task's length as far as the lag goes: a rate that changed makes the extrapolated start unreliable, and the
  // task is at least as long as the wait (shorter when the wait began after the task).
  const estimatedLength = Math.max(0, Math.min(estimate.finishAtMs - estimate.startAtMs, estimate.finishAtMs - input.waitStartedMs));
  const granule = Math.max(minIntervalMs, finishGranularity * estimatedLength);
  const toFinish = estimate.finishAtMs - nowMs;
  if (toFinish <= 0) {
    // Past the expected finish: every granule while the estimate is still plausible, then growing with the overrun.
    return clamp(Math.max(granule, overrunFraction * -toFinish));
  }
  // Before it: never past the earliest plausible finish, and at most a share of the way to the expected one, so the
  // estimate is refined on the way; weak evidence also keeps the back-off cap.
  const toWindow = estimate.earliestFinishAtMs - nowMs;
  let gap = Math.max(granule, Math.min(approachShare * toFinish, toWindow > granule ? toWindow : Infinity));
  if (toFinish <= granule) gap = toFinish;
  if (estimate.evidencePoints < weakEvidence || estimate.steps < 2) gap = Math.min(gap, Math.max(granule, backOff));
  return clamp(gap);
}

/**
 * Applies jitter to a gap: a uniform factor in `[1 - ratio, 1 + ratio)`, then clamps to `[min, max]`. Spreads
 * parallel waits so they do not poll in lockstep.
 */
export function jitterDelayMs(
  delayMs: number,
  random: () => number,
  bounds: { readonly minIntervalMs: number; readonly maxIntervalMs: number; readonly ratio?: number },
): number {
  const ratio = bounds.ratio ?? 0.1;
  const factor = 1 - ratio + 2 * ratio * random();
  return Math.min(bounds.maxIntervalMs, Math.max(bounds.minIntervalMs, Math.round(delayMs * factor)));
}
