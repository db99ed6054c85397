import type * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { deterministicToken } from '../../lib/model/token';
import { parseDuration } from '../../lib/pipeline/duration';
import { endpointFailures } from './endpoint-inputs';
import { isUnknown } from './properties';

/** Default of `waitTimeout`: how long `create` waits for a task. */
export const DEFAULT_WAIT_TIMEOUT = '6h';

/** Default of `deleteTimeout`: how long `delete` waits for a cancelled (or, on JD Cloud, uncancellable) task to end. */
export const DEFAULT_DELETE_TIMEOUT = '2h';

/**
 * What happens to what a task produced when its resource is deleted: an export's objects, an import's image.
 * Exports default to `retain` (files are kept, like a bucket's objects); imports to `destroy` (the image goes with
 * the stack, as every Pulumi resource does; the pipeline CLI's default too).
 */
export type RemovalPolicy = 'retain' | 'destroy';

/** The removal policies. */
export const REMOVAL_POLICIES: readonly RemovalPolicy[] = ['retain', 'destroy'];

/** The provider's own inputs (not part of the cloud spec), shared by exports and imports. */
export interface TaskOptionInputs {
  /** How long `create` waits, as a duration (`90m`, `2h`). */
  readonly waitTimeout?: string;
  /** How long `delete` waits for a task to end after cancelling it. */
  readonly deleteTimeout?: string;
  /** Fixed per resource: scopes the idempotency token (project, stack, resource name). */
  readonly tokenScope?: string;
  /** What `delete` does with the objects or the image the task produced. */
  readonly removalPolicy?: RemovalPolicy;
  /** Per-service endpoint overrides (a pipeline file's), applied by the host at run time. */
  readonly endpoints?: Record<string, string>;
  /** A client token the program gave (a pipeline request's `ClientToken`): the first start uses it as is. */
  readonly requestedClientToken?: string;
}

/** The provider-only input names of every task resource. */
export const TASK_OPTION_FIELDS = ['waitTimeout', 'deleteTimeout', 'tokenScope', 'removalPolicy', 'endpoints', 'requestedClientToken'] as const;

/** `value` as milliseconds, falling back to `fallback` when unset. Throws naming the field for a bad value. */
export function durationMs(field: string, value: unknown, fallback: string): number {
  const text = value === undefined || value === null || value === '' ? fallback : value;
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`${field}: ${JSON.stringify(text)} is not a duration such as "90m", "2h" or "1h30m"`);
  return ms;
}

/**
 * The token of the `attempt`-th start of a resource: with a requested token, that token first and then tokens
 * derived from it (a retry after a failed task must not replay the failed one); otherwise `derived(attempt)`.
 */
export function attemptToken(requested: unknown, attempt: number, derived: (attempt: number) => string): string {
  if (typeof requested !== 'string' || requested === '') return derived(attempt);
  return attempt === 0 ? requested : deterministicToken([requested, `attempt-${attempt}`]);
}

/** Check failures of the task options: durations, removal policy, token scope, endpoints, requested token. */
export function taskOptionFailures(news: Record<string, unknown>, cloud: CloudId | undefined): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  for (const field of ['waitTimeout', 'deleteTimeout']) {
    const value = news[field];
    if (value === undefined || value === null || isUnknown(value)) continue;
    if (parseDuration(value) === undefined) {
      failures.push({
        property: field,
        reason: `${field}: ${JSON.stringify(value)} is not a duration: use <number><unit> parts with units ms, s, m, h, d ("90m", "2h", "1h30m")`,
      });
    }
  }
  const policy = news.removalPolicy;
  if (policy !== undefined && policy !== null && !isUnknown(policy) && !REMOVAL_POLICIES.includes(policy as RemovalPolicy)) {
    failures.push({
      property: 'removalPolicy',
      reason: `removalPolicy: ${JSON.stringify(policy)} is not allowed (allowed: ${REMOVAL_POLICIES.join(', ')})`,
    });
  }
  if (news.tokenScope !== undefined && !isUnknown(news.tokenScope) && (typeof news.tokenScope !== 'string' || news.tokenScope === '')) {
    failures.push({ property: 'tokenScope', reason: `tokenScope: ${JSON.stringify(news.tokenScope)} must be a non-empty string` });
  }
  const token = news.requestedClientToken;
  if (token !== undefined && token !== null && !isUnknown(token) && (typeof token !== 'string' || token === '')) {
    failures.push({ property: 'requestedClientToken', reason: `clientToken: ${JSON.stringify(token)} must be a non-empty string` });
  }
  if (cloud) failures.push(...endpointFailures(cloud, news.endpoints));
  return failures;
}
