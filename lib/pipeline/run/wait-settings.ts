import { type Clock } from '../../wait/clock';

/** How the runner polls: passed to the shared waiter. */
export interface WaitSettings {
  /** Shortest gap between polls. @default - the waiter's default (2 s) */
  readonly minIntervalMs?: number;
  /** Longest gap between polls. @default - the waiter's default (5 min) */
  readonly maxIntervalMs?: number;
  /** No change for this long is reported as a stall. @default - the waiter's default (30 min) */
  readonly stallAfterMs?: number;
  /** Time source. @default - the system clock */
  readonly clock?: Clock;
}
