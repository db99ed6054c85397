import { createHash } from 'node:crypto';

/**
 * Builds a deterministic idempotency token from the parts that identify one export or import (front-end scope,
 * logical id, and the fields that force replacement). The same parts always give the same token, so a retry after
 * a crash replays the same request and finds the running task.
 *
 * The result is `ip-` and 40 hex characters (43 in all): within AWS's and JD's 64-character limits and plain ASCII.
 *
 * @param parts identifying parts; order matters, `undefined` entries are kept as empty
 */
export function deterministicToken(parts: readonly (string | number | boolean | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const text = part === undefined ? '' : String(part);
    hash.update(`${text.length}:${text};`);
  }
  return `ip-${hash.digest('hex').slice(0, 40)}`;
}
