import { type CloudId } from './cloud';

/**
 * What kind of failure a cloud call was, so callers know what to do about it.
 *
 * - `throttling`: slow down and retry (RequestLimitExceeded, Throttling.User, RATE_LIMIT_EXCEEDED).
 * - `transient`: retry (5xx, dropped connection, timeout).
 * - `auth`: credentials or signature refused.
 * - `denied`: authenticated but not allowed (UnauthorizedOperation, Forbidden.RAM, a missing service role).
 * - `not-found`: the thing does not exist.
 * - `invalid`: the request was wrong (bad parameter, unsupported image).
 * - `conflict`: already exists / already running / wrong state.
 * - `quota`: a limit was hit (concurrent tasks).
 * - `other`: anything else.
 */
export type CloudErrorKind =
  | 'throttling'
  | 'transient'
  | 'auth'
  | 'denied'
  | 'not-found'
  | 'invalid'
  | 'conflict'
  | 'quota'
  | 'other';

/** Details of a {@link CloudError}. */
export interface CloudErrorDetails {
  /** The cloud. */
  readonly cloud: CloudId;
  /** The operation that failed (`ExportImage`, `exportImage`, `CreateRole`). */
  readonly operation: string;
  /** The cloud's error code, verbatim (`InvalidAMIID.NotFound`). */
  readonly code: string;
  /** The cloud's message, verbatim. */
  readonly message: string;
  /** Classification. */
  readonly kind: CloudErrorKind;
  /** HTTP status, when there was a response. @default - no response */
  readonly httpStatus?: number;
  /** The cloud's request id, for support tickets. @default - none */
  readonly requestId?: string;
  /** The underlying error. @default - none */
  readonly cause?: unknown;
}

/**
 * A cloud call failed. Drivers turn every SDK or HTTP error into one of these, so front ends and the waiter never
 * parse SDK-specific error shapes. The message keeps the cloud's code and text verbatim.
 */
export class CloudError extends Error {
  /** The cloud. */
  public readonly cloud: CloudId;
  /** The operation that failed. */
  public readonly operation: string;
  /** The cloud's error code, verbatim. */
  public readonly code: string;
  /** Classification. */
  public readonly kind: CloudErrorKind;
  /** HTTP status, when there was a response. */
  public readonly httpStatus?: number;
  /** The cloud's request id. */
  public readonly requestId?: string;

  /** @param details what failed and how */
  constructor(details: CloudErrorDetails) {
    super(`${details.operation} failed: ${details.code}: ${details.message}`, { cause: details.cause });
    this.name = 'CloudError';
    this.cloud = details.cloud;
    this.operation = details.operation;
    this.code = details.code;
    this.kind = details.kind;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
  }

  /** True when retrying the same call may succeed (throttling, transient). */
  public get retryable(): boolean {
    return this.kind === 'throttling' || this.kind === 'transient';
  }
}

/** True when `error` is a {@link CloudError} worth retrying. */
export function isRetryableError(error: unknown): boolean {
  return error instanceof CloudError && error.retryable;
}
