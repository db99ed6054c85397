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
  /**
   * When the task is expected to end (clock milliseconds): when progress would reach 99. Clouds end tasks from 98-99
   * (AWS, JD) or report 100 only with the end state (Alibaba), so 99 is where the end is most likely.
   */
  readonly finishAtMs: number;
  /** The earliest plausible finish, given how uncertain the estimate is. */
  readonly earliestFinishAtMs: number;
  /** The latest plausible finish (progress 100 at the slowest plausible rate); past it the estimate was wrong. */
  readonly latestFinishAtMs: number;
  /** When progress was (extrapolated to be) 0: the task's apparent start. */
  readonly startAtMs: number;
  /** Percentage points of progress seen since the first reading (more = more trustworthy). */
  readonly evidencePoints: number;
  /** Progress changes seen; 1 means the rate could only be measured from the first reading (queueing included). */
  readonly steps: number;
}

/** Weight, in readings, of the prior assumption that progress is reported in coarse steps. */
const STEP_PRIOR_READINGS = 2;

/** The progress the end is expected at (see {@link ProgressEstimate.finishAtMs}). */
const FINISH_PROGRESS = 99;

/** A rate whose relative error (timing and integer rounding) is at most this is precise enough to be the recent rate. */
const MAX_RATE_ERROR = 0.25;

/** Smallest relative uncertainty of an extrapolation: a steady task can still change speed. */
const BASE_UNCERTAINTY = 0.1;

/** Consecutive steady segments, read as current values, that prove a cloud reports current progress. */
const STEADY_SEGMENTS = 3;
/** Points a segment needs to take part in that proof (fewer: integer rounding hides the rate). */
const STEADY_MIN_POINTS = 5;
/** Tolerance of the proof, beyond integer rounding, on the log of the ratio of two segments' rates. */
const STEADY_TOLERANCE = 0.05;

/** The rate over a stretch of progress and how precise it is. */
interface Segment {
  /** Points per millisecond. */
  readonly rate: number;
  /** Relative error: timing of both ends over the length, plus integer rounding (1 / points). */
  readonly error: number;
}

/**
 * The progress readings of one task, reduced to what estimating its finish needs: the first reading and, for each
 * new value, the poll that first saw it and the poll before.
 *
 * Clouds report progress coarsely: AWS jumps (0, then 21, then 85) and reports nothing once completed, JD reports
 * integers, Alibaba a `"45%"` string that drivers parse. A value is only known to have appeared between two polls:
 * it is placed back from the poll that saw it by a share of the gap (up to half, less as readings show the cloud
 * refreshes often), never by more than half the shortest gap over which progress was seen to move (the cloud
 * refreshes at least that often), and not at all once the readings proved to be current values (three steady
 * segments in a row). Progress that goes backwards (a new phase) starts a new history.
 */
export class ProgressHistory {
  private first?: ProgressChange;
  private changes: ProgressChange[] = [];
  private latest?: ProgressChange;
  private readingsSinceFirstChange = 0;
  private unchangedReadings = 0;
  private shortestMovingGapMs = Infinity;
  private readsCurrentValues = false;

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
      this.shortestMovingGapMs = Infinity;
      this.readsCurrentValues = false;
      return;
    }
    if (this.changes.length > 0) {
      this.readingsSinceFirstChange++;
      if (value === previous.progress) this.unchangedReadings++;
    }
    if (value > previous.progress) {
      this.changes.push({ progress: value, seenAtMs: atMs, notSeenAtMs: previous.seenAtMs });
      this.shortestMovingGapMs = Math.min(this.shortestMovingGapMs, atMs - previous.seenAtMs);
      this.readsCurrentValues ||= this.lastSegmentsSteady();
    }
  }

  /** The latest reading. */
  public get last(): ProgressChange | undefined {
    return this.latest;
  }

  /**
   * How far back from the poll that first saw a value the value most likely appeared, as a share of the gap to the
   * poll before. A cloud that reports current progress (every poll sees a new value) gives 0: the value is as old
   * as the poll. A cloud that reports in coarse steps (many polls see the same value) gives up to 0.5: the step
   * could have happened anywhere in the gap.
   */
  private get stepLagShare(): number {
    if (this.readsCurrentValues) return 0;
    // Until readings show otherwise, assume coarse steps: wrongly assuming current values costs lag, wrongly
    // assuming steps only costs an early poll.
    const prior = STEP_PRIOR_READINGS;
    return 0.5 * ((this.unchangedReadings + prior) / (this.readingsSinceFirstChange + prior));
  }

  /** When a value most likely appeared. */
  private appearedAt(change: ProgressChange): number {
    if (change.notSeenAtMs === undefined) return change.seenAtMs;
    const lag = this.stepLagShare * (change.seenAtMs - change.notSeenAtMs);
    return change.seenAtMs - Math.min(lag, 0.5 * this.shortestMovingGapMs);
  }

  /**
   * True when the last {@link STEADY_SEGMENTS} segments between changes, each of at least
   * {@link STEADY_MIN_POINTS} points and read as current values, show one rate within integer rounding: a cloud
   * that reported in steps would show them as jumps. Once true, it stays true for this history (a current-progress
   * cloud may still change speed between phases).
   */
  private lastSegmentsSteady(): boolean {
    if (this.changes.length < STEADY_SEGMENTS + 1) return false;
    const recent = this.changes.slice(-(STEADY_SEGMENTS + 1));
    let previous: { rate: number; rounding: number } | undefined;
    for (let i = 1; i < recent.length; i++) {
      const points = recent[i].progress - recent[i - 1].progress;
      if (points < STEADY_MIN_POINTS) return false;
      const current = { rate: points / (recent[i].seenAtMs - recent[i - 1].seenAtMs), rounding: 1 / points };
      if (previous && Math.abs(Math.log(current.rate / previous.rate)) > current.rounding + previous.rounding + STEADY_TOLERANCE) {
        return false;
      }
      previous = current;
    }
    return true;
  }

  /** The rate from one change to a later one, and its relative error; `undefined` when it cannot be measured. */
  private segment(from: ProgressChange, to: ProgressChange): Segment | undefined {
    const fromAt = this.appearedAt(from);
    const toAt = this.appearedAt(to);
    const points = to.progress - from.progress;
    if (points <= 0 || toAt <= fromAt) return undefined;
    const timing = (from.seenAtMs - fromAt + (to.seenAtMs - toAt)) / (toAt - fromAt);
    return { rate: points / (toAt - fromAt), error: timing + 1 / points };
  }

  /**
   * Estimates the finish from the readings so far, or `undefined` when progress has not moved yet.
   *
   * The rate is the recent one: from the latest earlier change that gives a precise enough rate (relative error at
   * most 0.25, else the most precise one) to the last change; the first reading is used only while there is a single
   * change (it may include queueing). The window around the expected finish is that error, at least 10 %, widened
   * by how much the rate drifted from the segment before it beyond both errors: a task that changed speed once may
   * change again. When progress has not moved since the last change, the rate is lowered so that the next step (the
   * average step seen so far) would not yet have been reached by `nowMs`: a task that sits on one value pushes its
   * own finish estimate out.
   */
  public estimate(nowMs: number): ProgressEstimate | undefined {
    const first = this.first;
    if (!first || this.changes.length === 0) return undefined;
    const last = this.changes[this.changes.length - 1];
    const lastAt = this.appearedAt(last);
    const lastHalfGap = last.seenAtMs - lastAt;
    const anchors = this.changes.length >= 2 ? this.changes.slice(0, -1) : [first];
    let anchorIndex = -1;
    let recent: Segment | undefined;
    for (let i = anchors.length - 1; i >= 0; i--) {
      const candidate = this.segment(anchors[i], last);
      if (!candidate) continue;
      if (!recent || candidate.error < recent.error) {
        recent = candidate;
        anchorIndex = i;
      }
      if (candidate.error <= MAX_RATE_ERROR) break;
    }
    if (!recent) return undefined;
    const anchor = anchors[anchorIndex];
    let drift = 0;
    for (let j = anchorIndex - 1; j >= 0; j--) {
      const before = this.segment(anchors[j], anchor);
      if (!before || (before.error > MAX_RATE_ERROR && j > 0)) continue;
      drift = Math.max(0, Math.abs(Math.log(recent.rate / before.rate)) - (recent.error + before.error));
      break;
    }
    const anchorAt = this.appearedAt(anchor);
    let rate = recent.rate;
    if (nowMs > last.seenAtMs) {
      const averageStep = (last.progress - first.progress) / this.changes.length;
      rate = Math.min(rate, (last.progress + averageStep - anchor.progress) / (nowMs - anchorAt));
    }
    const toFinish = Math.max(0, FINISH_PROGRESS - last.progress) / rate;
    const toHundred = (100 - last.progress) / rate;
    const uncertainty = Math.max(BASE_UNCERTAINTY, recent.error, drift);
    const finishAt = lastAt + toFinish;
    return {
      ratePerMs: rate,
      finishAtMs: finishAt,
      earliestFinishAtMs: finishAt - lastHalfGap - uncertainty * toFinish,
      latestFinishAtMs: lastAt + toHundred * (1 + uncertainty) + lastHalfGap,
      startAtMs: anchorAt - anchor.progress / rate,
      evidencePoints: last.progress - first.progress,
      steps: this.changes.length,
    };
  }
}
