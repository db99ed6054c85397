import { setMaxListeners } from 'node:events';

/**
 * Turns the first SIGINT/SIGTERM into an abort (waits stop; tasks keep running in the clouds; the state keeps them
 * for the next run) and lets a second one end the process at once.
 */
export function abortOnSignals(onFirst: () => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  // Every waiting entry listens on this one signal (a slot in its cloud's queue, a sleep, a describe in flight) and
  // stops listening when its wait ends: a pipeline of many entries is not a leak, so Node's warning at 11 is noise.
  setMaxListeners(0, controller.signal);
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    onFirst();
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
