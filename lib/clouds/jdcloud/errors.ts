import { CloudError, type CloudErrorKind } from '../../model/cloud-error';

/**
 * Gateway `error.status` strings and what they mean for a caller (JD API Gateway error-code table, reference §5.7,
 * plus `ACCESS_ERROR`, seen on signature failures).
 */
const STATUS_KINDS: Readonly<Record<string, CloudErrorKind>> = {
  RATE_LIMIT_EXCEEDED: 'throttling',
  QUOTA_EXCEEDED: 'quota',
  UNAVAILABLE: 'transient',
  INTERNAL: 'transient',
  UNKNOWN: 'transient',
  SOURCE_UNAVAILABLE: 'transient',
  DEADLINE_EXCEEDED: 'transient',
  CANCELLED: 'transient',
  // A replayed nonce: a fresh request (new nonce) succeeds.
  APIGW_NONCE_CONFLICT: 'transient',
  ACCESS_ERROR: 'auth',
  UNAUTHENTICATED: 'auth',
  APIGW_SIGN_RESULT_NOT_SAME: 'auth',
  HTTP_FORBIDDEN: 'denied',
  PERMISSION_DENIED: 'denied',
  FORBIDDEN: 'denied',
  NOT_FOUND: 'not-found',
  RESOURCE_NOT_EXIST: 'not-found',
  ALREADY_EXISTS: 'conflict',
  CONFLICT: 'conflict',
  ABORTED: 'conflict',
  INVALID_ARGUMENT: 'invalid',
  FAILED_PRECONDITION: 'invalid',
  OUT_OF_RANGE: 'invalid',
  ARGUMENT_NOT_SUPPORT: 'invalid',
  ARGUMENT_NOT_FOUND: 'invalid',
  ARGUMENT_WRONG_FORMAT: 'invalid',
  ARGUMENT_MISMATCH: 'invalid',
  NOT_IMPLEMENTED: 'invalid',
};

/** Classifies a JD error by its `status` string, falling back to the HTTP status. */
export function classifyJdcloudError(status: string | undefined, httpStatus: number | undefined): CloudErrorKind {
  const known = status ? STATUS_KINDS[status.toUpperCase()] : undefined;
  if (known) return known;
  if (httpStatus === undefined) return 'transient';
  if (httpStatus === 429) return 'throttling';
  if (httpStatus >= 500) return 'transient';
  if (httpStatus === 401) return 'auth';
  if (httpStatus === 403) return 'denied';
  if (httpStatus === 404) return 'not-found';
  if (httpStatus === 409) return 'conflict';
  if (httpStatus >= 400) return 'invalid';
  return 'other';
}

/** Network-level failure codes worth a retry (dropped connection, reset, timeout). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns a failure below HTTP (no response: reset, refused, timeout, abort) into a `CloudError`. Timeouts and
 * dropped connections are `transient`; an abort by the caller is `other` (not retried).
 */
export function networkError(operation: string, error: unknown): CloudError {
  if (error instanceof CloudError) return error;
  const name = (error as { name?: unknown })?.name;
  if (name === 'AbortError') {
    return new CloudError({ cloud: 'jdcloud', operation, code: 'Aborted', message: 'the request was aborted', kind: 'other', cause: error });
  }
  if (name === 'TimeoutError') {
    return new CloudError({ cloud: 'jdcloud', operation, code: 'RequestTimeout', message: 'no answer in time', kind: 'transient', cause: error });
  }
  const code = networkCode(error) ?? 'NetworkError';
  const message = error instanceof Error ? error.message : String(error);
  const kind: CloudErrorKind = NETWORK_CODES.has(code) || code === 'NetworkError' ? 'transient' : 'other';
  return new CloudError({ cloud: 'jdcloud', operation, code, message, kind, cause: error });
}
