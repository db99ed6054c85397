/** A progress value and when it was first seen. */
export interface ProgressChange {
  /** Progress, 0-100. */
  readonly progress: number;
  /** The poll that first saw this value (clock milliseconds). */
  readonly seenAtMs: number;
  /** The poll before it, which still saw an older value: the value appeared in between. @default - unknown */
  readonly notSeenAtMs?: number;
}

/** What the progress history says about the rest of the task. */
export interface ProgressEstimate {
  /** Recent progress rate, in percentage points per millisecond. */
  readonly ratePerMs: number;
  /** When progress is expected to reach 100 (clock milliseconds). */
  readonly finishAtMs: number;
  /** The earliest plausible finish, given how uncertain the estimate is. */
  readonly earliestFinishAtMs: number;
  /** The latest plausible finish; past it the estimate was wrong. */
  readonly latestFinishAtMs: number;
  /** When progress was (extrapolated to be) 0: the task's apparent start. */
  readonly startAtMs: number;
  /** How many percentage points of observed progress back the rate (more = more trustworthy). */
  readonly evidencePoints: number;
  /** How many progress changes back the rate; 1 means it was measured from the first reading. */
  readonly steps: number;
}

/** Progress points a rate looks back over: recent enough to follow a task that speeds up or slows down. */
const RATE_WINDOW_POINTS = 50;

/** Weight, in readings, of the prior assumption that progress is reported in coarse steps. */
const STEP_PRIOR_READINGS = 2;

/** How much the drift of the recent rate from the long-run rate widens the finish window. */
const DRIFT_WEIGHT = 1;

/** Relative uncertainty of an extrapolation, by the evidence behind the rate. */
function rateUncertainty(evidencePoints: number): number {
  if (evidencePoints >= 25) return 0.2;
  if (evidencePoints >= 10) return 0.3;
  return 0.5;
}


/**
 * The progress readings of one task, reduced to what estimating its finish needs: the first reading and, for each
 * new value, the poll that first saw it and the poll before.
 *
 * Clouds report progress coarsely: AWS jumps (0, then 21, then 85) and reports nothing once completed, JD reports
 * integers, Alibaba a `"45%"` string that drivers parse. A value is only known to have appeared between two polls,
 * so it is placed halfway between them, and that half-gap widens the estimate's window. Progress that goes
 * backwards (a new phase) starts a new history.
 */
export class ProgressHistory {
  private first?: ProgressChange;
  private changes: ProgressChange[] = [];
  private latest?: ProgressChange;
  private readingsSinceFirstChange = 0;
  private unchangedReadings = 0;

  /** Records one reading; `undefined` progress (not reported) is ignored. */
  public record(atMs: number, progress: number | undefined): void {
    if (progress === undefined || !Number.isFinite(progress)) return;
    const value = Math.min(100, Math.max(0, progress));
    const previous = this.latest;
    this.latest = { progress: value, seenAtMs: atMs };
    if (!this.first || !previous || value < previous.progress) {
      this.first = this.latest;
      this.changes = [];
      this.readingsSinceFirstChange = 0;
      this.unchangedReadings = 0;
      return;
    }
    if (this.changes.length > 0) {
      this.readingsSinceFirstChange++;
      if (value === previous.progress) this.unchangedReadings++;
    }
    if (value > previous.progress) {
      this.changes.push({ progress: value, seenAtMs: atMs, notSeenAtMs: previous.seenAtMs });
    }
  }

  /**
   * How far back from the poll that first saw a value the value most likely appeared, as a share of the gap to the
   * poll before. A cloud that reports current progress (every poll sees a new value) gives 0: the value is as old
   * as the poll. A cloud that reports in coarse steps (many polls see the same value) gives up to 0.5: the step
   * could have happened anywhere in the gap.
   */
  private get stepLagShare(): number {
    // Until readings show otherwise, assume coarse steps: wrongly assuming current values costs lag, wrongly
    // assuming steps only costs an early poll.
    const prior = STEP_PRIOR_READINGS;
    return 0.5 * ((this.unchangedReadings + prior) / (this.readingsSinceFirstChange + prior));
  }

  /** When a value most likely appeared. */
  private appearedAt(change: ProgressChange): number {
    if (change.notSeenAtMs === undefined) return change.seenAtMs;
    return change.seenAtMs - this.stepLagShare * (change.seenAtMs - change.notSeenAtMs);
  }

  /** The latest reading. */
  public get last(): ProgressChange | undefined {
    return this.latest;
  }

  /**
   * Estimates the finish from the readings so far, or `undefined` when progress has not moved yet.
   *
   * The rate runs from an anchor to the last change. The anchor is chosen among the earlier changes within the
   * last 50 points of progress (so the rate follows a task that speeds up or slows down, and skips queueing time
   * before the task started moving) as the one whose timing is most precise relative to its distance; with only one
   * change, it is the first reading. When progress has not moved since the last change, the rate is lowered so that
   * the next step (the average step seen so far) would not yet have been reached by `nowMs`: a task that sits on
   * one value pushes its own finish estimate out.
   */
  public estimate(nowMs: number): ProgressEstimate | undefined {
    const first = this.first;
    if (!first || this.changes.length === 0) return undefined;
    const last = this.changes[this.changes.length - 1];
    const lastAt = this.appearedAt(last);
    const lastHalfGap = last.seenAtMs - lastAt;
    let anchor: ProgressChange = first;
    let timingError = Infinity;
    const candidates = this.changes.length >= 2 ? this.changes.slice(0, -1) : [first];
    for (const candidate of candidates) {
      const distance = lastAt - this.appearedAt(candidate);
      if (distance <= 0) continue;
      const error = (candidate.seenAtMs - this.appearedAt(candidate) + lastHalfGap) / distance;
      const inWindow = last.progress - candidate.progress <= RATE_WINDOW_POINTS;
      const bestInWindow = last.progress - anchor.progress <= RATE_WINDOW_POINTS;
      if (timingError === Infinity || (inWindow && (!bestInWindow || error < timingError))) {
        anchor = candidate;
        timingError = error;
      }
    }
    const anchorAt = this.appearedAt(anchor);
    const evidence = last.progress - anchor.progress;
    if (evidence <= 0 || lastAt <= anchorAt) return undefined;
    let rate = evidence / (lastAt - anchorAt);
    const averageStep = (last.progress - first.progress) / this.changes.length;
    if (nowMs > last.seenAtMs) {
      const ceiling = (last.progress + averageStep - anchor.progress) / (nowMs - anchorAt);
      rate = Math.min(rate, ceiling);
    }
    const toGo = (100 - last.progress) / rate;
    const finishAt = lastAt + toGo;
    // A rate that drifted from the long-run one may drift again: widen the window by the drift seen so far.
    const origin = this.changes.length >= 2 ? this.changes[0] : first;
    const longRun = (last.progress - origin.progress) / (lastAt - this.appearedAt(origin));
    const drift = anchor !== origin && longRun > 0 ? Math.abs(rate / longRun - 1) : 0;
    const spread = lastHalfGap + Math.max(timingError, rateUncertainty(evidence), DRIFT_WEIGHT * drift) * toGo;
    return {
      ratePerMs: rate,
      finishAtMs: finishAt,
      earliestFinishAtMs: finishAt - spread,
      latestFinishAtMs: finishAt + spread,
      startAtMs: anchorAt - anchor.progress / rate,
      evidencePoints: evidence,
      steps: anchor === first ? this.changes.length : this.changes.length - this.changes.indexOf(anchor) - 1,
    };
  }
}
