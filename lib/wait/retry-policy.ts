import { CloudError } from '../model/cloud-error';

/** Why an error is worth retrying: throttling backs off harder than a transient fault. */
export type RetryReason = 'throttling' | 'transient';

/** Low-level network error codes (Node `net`/`dns`, undici) that mean "try again". */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const TRANSIENT_MESSAGES = /socket hang up|network socket disconnected|read ECONNRESET|other side closed/i;

/**
 * Says whether `error` is worth retrying and why: a {@link CloudError} with kind `throttling` or `transient`, or a
 * low-level network error (ECONNRESET, socket hang up, ETIMEDOUT…), also when wrapped as another error's `cause`.
 * Everything else (`undefined`) must be rethrown at once.
 */
export function classifyRetryableError(error: unknown): RetryReason | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof CloudError) {
      if (current.kind === 'throttling') return 'throttling';
      return current.kind === 'transient' ? 'transient' : undefined;
    }
    if (typeof current !== 'object') return undefined;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return 'transient';
    if (typeof message === 'string' && TRANSIENT_MESSAGES.test(message)) return 'transient';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Settings of {@link retryDelayMs}. */
export interface RetryDelaySettings {
  /** Shortest delay. */
  readonly minIntervalMs: number;
  /** Longest delay. */
  readonly maxIntervalMs: number;
  /** Uniform random number in [0, 1). */
  readonly random: () => number;
}

/** Growth per attempt and the longest delay, by reason. Throttling starts higher and grows faster. */
const BACKOFF = {
  transient: { firstMultiple: 1, factor: 2, capMs: 60_000 },
  throttling: { firstMultiple: 2, factor: 3, capMs: 300_000 },
} as const;

/**
 * Delay before retry number `attempt` (1-based): capped exponential backoff with ±25 % jitter, never below
 * `minIntervalMs` nor above `maxIntervalMs`. Transient faults: `min × 2^(n-1)`, capped at 1 minute; throttling:
 * `2·min × 3^(n-1)`, capped at 5 minutes.
 */
export function retryDelayMs(reason: RetryReason, attempt: number, settings: RetryDelaySettings): number {
  const policy = BACKOFF[reason];
  const base = settings.minIntervalMs * policy.firstMultiple * policy.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(base, policy.capMs, settings.maxIntervalMs);
  const jittered = capped * (0.75 + 0.5 * settings.random());
  return Math.min(settings.maxIntervalMs, Math.max(settings.minIntervalMs, Math.round(jittered)));
}
