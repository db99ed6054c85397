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
