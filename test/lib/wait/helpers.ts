import { type TaskSnapshot, type TaskState } from '../../../lib/model/task';

/** A snapshot of a fake AWS export task. */
export function snapshot(
  state: TaskState,
  fields: Partial<Omit<TaskSnapshot, 'state' | 'ref'>> = {},
): TaskSnapshot {
  return {
    ref: { cloud: 'aws', region: 'eu-west-1', kind: 'export', taskId: 'export-ami-0123456789abcdef0' },
    state,
    rawStatus: state === 'succeeded' ? 'completed' : state === 'failed' || state === 'cancelled' ? 'deleted' : 'active',
    artifacts: [],
    ...fields,
  };
}

/** A describe function that returns the scripted results in turn (the last one repeats) and records call times. */
export function scripted(
  now: () => number,
  steps: readonly (TaskSnapshot | Error | (() => TaskSnapshot))[],
): { describe: () => Promise<TaskSnapshot>; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    describe: async () => {
      const step = steps[Math.min(calls.length, steps.length - 1)];
      calls.push(now());
      if (step instanceof Error) throw step;
      return typeof step === 'function' ? step() : step;
    },
  };
}

/** A task that runs linearly for `durationMs` from time 0, reporting integer progress (JD style). */
export function linearTask(now: () => number, durationMs: number): () => Promise<TaskSnapshot> {
  return async () => {
    const at = now();
    if (at >= durationMs) return snapshot('succeeded', { progress: 100, rawStatus: 'finished' });
    return snapshot('running', { progress: Math.floor((100 * at) / durationMs), rawStatus: 'running' });
  };
}

/** One phase of a {@link phasedTask}: a share of its length and the progress range it reports (floored). */
export interface TaskPhase {
  /** Raw status reported during the phase. */
  readonly rawStatus: string;
  /** Share of the task's length. */
  readonly share: number;
  /** Progress at the start and the end of the phase. */
  readonly progress: readonly [number, number];
}

/**
 * Export timelines as the clouds report them (reference notes and emulator README): AWS `validating` at 0, then
 * `converting` 5→80, `updating` 80→99, `completed` without progress; Alibaba `Waiting` then `Processing` 0→100;
 * JD `pending` then `running` 1→99.
 */
export const CLOUD_TIMELINES: Readonly<Record<'aws' | 'alicloud' | 'jdcloud', readonly TaskPhase[]>> = {
  aws: [
    { rawStatus: 'validating', share: 0.05, progress: [0, 0] },
    { rawStatus: 'converting', share: 0.6, progress: [5, 80] },
    { rawStatus: 'updating', share: 0.35, progress: [80, 99] },
  ],
  alicloud: [
    { rawStatus: 'Waiting', share: 0.1, progress: [0, 0] },
    { rawStatus: 'Processing', share: 0.9, progress: [0, 100] },
  ],
  jdcloud: [
    { rawStatus: 'pending', share: 0.1, progress: [0, 0] },
    { rawStatus: 'running', share: 0.9, progress: [1, 99] },
  ],
};

/** A task that moves through `phases` over `durationMs` from time 0, then succeeds (AWS-style: without progress). */
export function phasedTask(now: () => number, durationMs: number, phases: readonly TaskPhase[]): () => Promise<TaskSnapshot> {
  return async () => {
    const at = now();
    if (at >= durationMs) return snapshot('succeeded');
    let start = 0;
    for (const phase of phases) {
      const end = start + phase.share * durationMs;
      if (at < end) {
        const [from, to] = phase.progress;
        const progress = Math.floor(from + ((to - from) * (at - start)) / (end - start));
        return snapshot(from === to && from === 0 ? 'pending' : 'running', { rawStatus: phase.rawStatus, progress });
      }
      start = end;
    }
    return snapshot('running', { progress: 99 });
  };
}
