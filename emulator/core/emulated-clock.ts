import { type Clock } from '../types';

/** Options of {@link EmulatedClock}. */
export interface EmulatedClockOptions {
  /** Emulated milliseconds per real millisecond. @default 60 */
  readonly speed?: number;
  /** A virtual clock to read instead of scaled real time. @default - scaled real time */
  readonly virtual?: Clock;
  /** Emulated time to resume from (a restart with a state folder). @default - the real time now */
  readonly resumeAt?: number;
  /** Source of real time, monotonic milliseconds (tests). @default performance.now */
  readonly realMs?: () => number;
}

/**
 * The emulator's notion of time. Task timelines read it, never `Date.now()`.
 *
 * Either a virtual clock (tests move it by hand) or real time scaled by `speed`, starting at `resumeAt`, so a
 * restarted emulator continues its timeline where the last run saved it instead of jumping.
 */
export class EmulatedClock implements Clock {
  /** Emulated ms per real ms (1 when a virtual clock drives time). */
  public readonly speed: number;
  /** True when a virtual clock drives time (no timers are needed: state is evaluated when read). */
  public readonly isVirtual: boolean;
  private readonly virtual: Clock | undefined;
  private readonly origin: number;
  private readonly realOrigin: number;
  private readonly realMs: () => number;

  public constructor(options: EmulatedClockOptions = {}) {
    const speed = assertValidSpeed(options.speed ?? 60);
    this.speed = options.virtual ? 1 : speed;
    this.virtual = options.virtual;
    this.isVirtual = options.virtual !== undefined;
    this.realMs = options.realMs ?? (() => performance.now());
    this.realOrigin = this.realMs();
    this.origin = options.resumeAt ?? Date.now();
  }

  /** Current emulated time, epoch ms. */
  public now(): number {
    if (this.virtual) return this.virtual.now();
    return Math.floor(this.origin + (this.realMs() - this.realOrigin) * this.speed);
  }

  /** Real milliseconds until the emulated clock reaches `at` (0 when already there; Infinity with a virtual clock). */
  public realDelayUntil(at: number): number {
    if (this.virtual) return Number.POSITIVE_INFINITY;
    return Math.max(0, (at - this.now()) / this.speed);
  }
}

/** Returns `speed` when it is a positive finite number; throws naming the value otherwise. */
export function assertValidSpeed(speed: unknown): number {
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
    throw new Error(`speed must be a positive number of emulated ms per real ms, got ${JSON.stringify(speed)}`);
  }
  return speed;
}
