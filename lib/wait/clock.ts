/**
 * A source of time and a way to wait. The waiter only ever reads time and sleeps through a `Clock`, so tests and
 * benchmarks run hours of polling in milliseconds with a {@link VirtualClock}.
 */
export interface Clock {
  /** Current time in milliseconds (epoch milliseconds for {@link systemClock}; any origin for a virtual clock). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds; rejects with `signal.reason` when the signal aborts first (or is already
   * aborted).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Longest single `setTimeout` Node accepts (2^31 - 1 ms); longer sleeps are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let remaining = Math.max(0, ms);
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        if (timer) clearTimeout(timer);
        reject(signal?.reason);
      };
      const step = (): void => {
        const chunk = Math.min(remaining, MAX_TIMER_MS);
        remaining -= chunk;
        timer = setTimeout(() => {
          if (remaining > 0) {
            step();
            return;
          }
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, chunk);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      step();
    });
  },
};

/** Options of a {@link VirtualClock}. */
export interface VirtualClockOptions {
  /**
   * Advance time by itself: whenever sleepers are pending and the program has nothing else to do (the microtask
   * queue has drained, checked with one `setImmediate` turn), jump to the earliest sleeper's wake time and wake it.
   * With `false`, only {@link VirtualClock.advance} moves time.
   * @default true
   */
  readonly autoAdvance?: boolean;
}

interface Sleeper {
  readonly wakeAt: number;
  readonly sequence: number;
  readonly resolve: () => void;
}

/**
 * A deterministic clock for tests and simulations. `sleep()` never waits for real time (no `setTimeout`): virtual
 * time jumps to the earliest pending wake time once the program is idle (one `setImmediate` turn, after the microtask
 * queue drained). Concurrent sleepers wake one at a time in order of wake time (ties in the order they went to
 * sleep), and each sees `now()` equal to its own wake time. Code that awaits real I/O between sleeps may let virtual
 * time move on meanwhile: drive such code with `autoAdvance: false` and {@link VirtualClock.advance}.
 */
export class VirtualClock implements Clock {
  private current: number;
  private sequence = 0;
  private readonly sleepers: Sleeper[] = [];
  private readonly autoAdvance: boolean;
  private pumpScheduled = false;

  /**
   * @param startMs virtual time at creation
   * @param options how time advances
   */
  constructor(startMs = 0, options: VirtualClockOptions = {}) {
    this.current = startMs;
    this.autoAdvance = options.autoAdvance ?? true;
  }

  /** Current virtual time. */
  public now(): number {
    return this.current;
  }

  /** Number of sleepers not yet woken. */
  public get pendingSleepers(): number {
    return this.sleepers.length;
  }

  /** Sleeps in virtual time; see the class description for the order of wake-ups. */
  public sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        sequence: this.sequence++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const index = this.sleepers.indexOf(sleeper);
        if (index >= 0) this.sleepers.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.insert(sleeper);
      this.schedulePump();
    });
  }

  /**
   * Moves time forward by `ms`, waking (in order) every sleeper due by then. Their continuations run after this
   * call returns and see the final time.
   */
  public advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance(ms): ms must be a number >= 0, got ${String(ms)}`);
    const target = this.current + ms;
    while (this.sleepers.length > 0 && this.sleepers[0].wakeAt <= target) {
      const sleeper = this.sleepers.shift() as Sleeper;
      this.current = Math.max(this.current, sleeper.wakeAt);
      sleeper.resolve();
    }
    this.current = target;
  }

  private insert(sleeper: Sleeper): void {
    let index = this.sleepers.length;
    while (index > 0 && this.sleepers[index - 1].wakeAt > sleeper.wakeAt) index--;
    this.sleepers.splice(index, 0, sleeper);
  }

  private schedulePump(): void {
    if (!this.autoAdvance || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      const next = this.sleepers.shift();
      if (!next) return;
      this.current = Math.max(this.current, next.wakeAt);
      next.resolve();
      if (this.sleepers.length > 0) this.schedulePump();
    });
  }
}
