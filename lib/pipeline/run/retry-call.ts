import { systemClock } from '../../wait/clock';
import { classifyRetryableError, retryDelayMs } from '../../wait/retry-policy';
import { type WaitSettings } from './wait-settings';

/** Attempts of an idempotent call before its throttling or transient error is reported. */
export const CALL_ATTEMPTS = 6;

/**
 * Runs an idempotent cloud call (ensure a role or bucket, preflight, a start with its idempotency token, a cancel)
 * and retries it on throttling and transient errors with the waiter's backoff policy (the shared
 * `lib/wait/retry-policy`), so one throttled request does not fail a whole entry. Other errors are thrown at once.
 */
export async function retryCall<T>(call: () => Promise<T>, wait: WaitSettings = {}, signal?: AbortSignal): Promise<T> {
  const clock = wait.clock ?? systemClock;
  const minIntervalMs = Math.max(1, wait.minIntervalMs ?? 2000);
  const maxIntervalMs = Math.max(minIntervalMs, Math.min(wait.maxIntervalMs ?? 60_000, 60_000));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const reason = classifyRetryableError(error);
      if (!reason || attempt >= CALL_ATTEMPTS || signal?.aborted) throw error;
      await clock.sleep(retryDelayMs(reason, attempt, { minIntervalMs, maxIntervalMs, random: Math.random }), signal);
    }
  }
}
