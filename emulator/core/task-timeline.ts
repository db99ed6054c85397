import { type TaskOutcome } from '../types';

/** One phase of a task: a named stretch of its emulated duration with a progress range. */
export interface TimelinePhase {
  /** Phase name; the cloud module maps it to its raw status / message (`converting`, `Processing`). */
  readonly name: string;
  /** Share of the task's duration spent in this phase (shares are normalised, they need not add up to 1). */
  readonly share: number;
  /** Progress at the start and at the end of the phase (0-100), interpolated linearly in between. */
  readonly progress: readonly [number, number];
}

/**
 * A task's whole life as plain JSON (so it persists): when it started, how long it takes, its phases, and the
 * events that end it early. Evaluated lazily with {@link positionAt}: nothing ticks, the clock is read.
 */
export interface TimelinePlan {
  /** Emulated start time, epoch ms. */
  readonly startedAt: number;
  /** Emulated duration of a successful run, ms. */
  readonly durationMs: number;
  /** Phases in order. */
  readonly phases: readonly TimelinePhase[];
  /** When set, the task fails once this share of its duration has passed. @default - the task does not fail */
  readonly failAtShare?: number;
  /** Emulated time of a cancel request. @default - not cancelled */
  readonly cancelledAt?: number;
  /** Emulated ms a cancelled task spends stopping (AWS `deleting`) before it ends. @default 0 */
  readonly cancelTailMs?: number;
  /** Emulated ms a failed task spends stopping before it ends. @default 0 */
  readonly failureTailMs?: number;
}

/** Where a task stands at one instant. */
export interface TimelinePosition {
  /** Normalised outcome: `running` until the task ends (a stopping task is already `failed` / `cancelled`). */
  readonly outcome: TaskOutcome;
  /** Name of the current phase; for an ended task, the phase it was in when it ended (the last one on success). */
  readonly phase: string;
  /** Index of that phase. */
  readonly phaseIndex: number;
  /** Progress 0-100 (integer), frozen when the task fails or is cancelled. */
  readonly progress: number;
  /** True while a failed or cancelled task is still stopping (its tail). */
  readonly stopping: boolean;
  /** Emulated time the task ended or will end (including a stopping tail); undefined while it runs with no end in sight. */
  readonly endsAt: number | undefined;
  /** Emulated time of the next visible change (phase boundary, failure, end of tail), or undefined when none is due. */
  readonly nextChangeAt: number | undefined;
}

/** Multiplies a plan's duration (the `slow-task` fault). */
export function slowedDown(plan: TimelinePlan, factor: number): TimelinePlan {
  return { ...plan, durationMs: Math.round(plan.durationMs * factor) };
}

/** Records a cancel request at `at`. The caller checks first that the task is still running. */
export function cancelledPlan(plan: TimelinePlan, at: number): TimelinePlan {
  return { ...plan, cancelledAt: at };
}

/** Emulated time at which phase `index` starts. */
export function phaseStartsAt(plan: TimelinePlan, index: number): number {
  const total = totalShare(plan);
  let share = 0;
  for (let i = 0; i < index && i < plan.phases.length; i++) share += plan.phases[i].share;
  return plan.startedAt + (plan.durationMs * share) / total;
}

/** Evaluates a plan at emulated time `now`. Pure: the same plan and instant always give the same position. */
export function positionAt(plan: TimelinePlan, now: number): TimelinePosition {
  if (plan.phases.length === 0) throw new Error('a timeline needs at least one phase');
  const successAt = plan.startedAt + plan.durationMs;
  const failAt = plan.failAtShare === undefined ? undefined : plan.startedAt + plan.durationMs * clampShare(plan.failAtShare);
  const stops: Array<{ at: number; outcome: 'failed' | 'cancelled'; tail: number }> = [];
  if (failAt !== undefined && failAt < successAt) stops.push({ at: failAt, outcome: 'failed', tail: plan.failureTailMs ?? 0 });
  if (plan.cancelledAt !== undefined && plan.cancelledAt < successAt) {
    stops.push({ at: plan.cancelledAt, outcome: 'cancelled', tail: plan.cancelTailMs ?? 0 });
  }
  stops.sort((a, b) => a.at - b.at);
  const stop = stops[0];

  if (stop && now >= stop.at) {
    const frozen = runningPosition(plan, stop.at);
    const endsAt = stop.at + stop.tail;
    const stopping = now < endsAt;
    return {
      outcome: stop.outcome,
      phase: frozen.phase,
      phaseIndex: frozen.phaseIndex,
      progress: frozen.progress,
      stopping,
      endsAt,
      nextChangeAt: stopping ? endsAt : undefined,
    };
  }
  if (now >= successAt) {
    const last = plan.phases.length - 1;
    return {
      outcome: 'succeeded',
      phase: plan.phases[last].name,
      phaseIndex: last,
      progress: 100,
      stopping: false,
      endsAt: successAt,
      nextChangeAt: undefined,
    };
  }
  const running = runningPosition(plan, now);
  const nextBoundary = running.phaseIndex + 1 < plan.phases.length ? phaseStartsAt(plan, running.phaseIndex + 1) : successAt;
  const nextChangeAt = stop ? Math.min(stop.at, nextBoundary) : nextBoundary;
  return { ...running, outcome: 'running', stopping: false, endsAt: stop ? undefined : successAt, nextChangeAt };
}

function runningPosition(plan: TimelinePlan, now: number): { phase: string; phaseIndex: number; progress: number } {
  const total = totalShare(plan);
  const elapsedShare = plan.durationMs <= 0 ? total : (Math.max(0, now - plan.startedAt) / plan.durationMs) * total;
  let start = 0;
  for (let i = 0; i < plan.phases.length; i++) {
    const phase = plan.phases[i];
    const end = start + phase.share;
    if (elapsedShare < end || i === plan.phases.length - 1) {
      const within = phase.share <= 0 ? 1 : Math.min(1, Math.max(0, (elapsedShare - start) / phase.share));
      const [from, to] = phase.progress;
      return { phase: phase.name, phaseIndex: i, progress: Math.floor(from + (to - from) * within) };
    }
    start = end;
  }
  /* istanbul ignore next: the loop always returns on the last phase */
  throw new Error('unreachable');
}

function totalShare(plan: TimelinePlan): number {
  const total = plan.phases.reduce((sum, phase) => sum + Math.max(0, phase.share), 0);
  return total > 0 ? total : 1;
}

function clampShare(share: number): number {
  return Math.min(1, Math.max(0, share));
}
