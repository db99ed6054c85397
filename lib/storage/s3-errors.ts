import { type CloudId } from '../model/cloud';
import { CloudError, type CloudErrorKind } from '../model/cloud-error';
import { credentialFreeCause, redactCredentials } from '../clouds/credential-redaction';
import { type StaticCredentials } from '../model/connection';
import { TRANSIENT_NETWORK_CODES } from '../wait/retry-policy';

/** S3 error codes (shared by OSS and JD OSS over the S3 protocol) and what they mean to imageport. */
const KIND_BY_CODE: Readonly<Record<string, CloudErrorKind>> = {
  NoSuchKey: 'not-found',
  NoSuchBucket: 'not-found',
  NotFound: 'not-found',
  NoSuchUpload: 'not-found',
  AccessDenied: 'denied',
  Forbidden: 'denied',
  AllAccessDisabled: 'denied',
  AccountProblem: 'denied',
  InvalidAccessKeyId: 'auth',
  SignatureDoesNotMatch: 'auth',
  ExpiredToken: 'auth',
  InvalidToken: 'auth',
  TokenRefreshRequired: 'auth',
  RequestTimeTooSkewed: 'auth',
  CredentialsProviderError: 'auth',
  SlowDown: 'throttling',
  Throttling: 'throttling',
  ThrottlingException: 'throttling',
  TooManyRequests: 'throttling',
  RequestLimitExceeded: 'throttling',
  InternalError: 'transient',
  ServiceUnavailable: 'transient',
  RequestTimeout: 'transient',
  TimeoutError: 'transient',
  BucketAlreadyExists: 'conflict',
  BucketAlreadyOwnedByYou: 'conflict',
  BucketNotEmpty: 'conflict',
  OperationAborted: 'conflict',
  TooManyBuckets: 'quota',
  InvalidRange: 'invalid',
  InvalidArgument: 'invalid',
  InvalidBucketName: 'invalid',
  InvalidRequest: 'invalid',
  MalformedXML: 'invalid',
  KeyTooLongError: 'invalid',
  EntityTooLarge: 'invalid',
  IllegalLocationConstraintException: 'invalid',
  InvalidLocationConstraint: 'invalid',
};

function kindFromStatus(status: number | undefined): CloudErrorKind {
  if (status === undefined) return 'other';
  if (status === 429) return 'throttling';
  if (status >= 500) return 'transient';
  if (status === 404) return 'not-found';
  if (status === 403) return 'denied';
  if (status === 401) return 'auth';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 416) return 'invalid';
  return 'other';
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $retryable?: { throttling?: boolean };
}

/**
 * Turns anything an S3-protocol call threw into a {@link CloudError}: the S3 error code and message verbatim, a
 * classification (not-found, denied, auth, throttling, transient, conflict, quota, invalid), the HTTP status and the
 * request id. Network errors (ECONNRESET, socket hang up…) become `transient` with the network code. A
 * `CloudError` passes through unchanged. The cause is a credential-free copy of the SDK error: S3 quotes the key
 * id and the signed request (session token included) in its signature errors, and the SDK copies them onto it.
 *
 * @param error what was thrown
 * @param cloud the cloud whose store was called
 * @param operation the S3 operation (`HeadObject`, `GetObject`)
 * @param credentials the static credentials in use, if any, so they can be redacted verbatim
 */
export function toStorageCloudError(error: unknown, cloud: CloudId, operation: string, credentials?: StaticCredentials): CloudError {
  if (error instanceof CloudError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  const networkCode = typeof shape.code === 'string' && TRANSIENT_NETWORK_CODES.has(shape.code) ? shape.code : undefined;
  const message = redactCredentials(typeof shape.message === 'string' && shape.message.length > 0 ? shape.message : String(error), credentials);
  let code: string;
  if (networkCode) code = networkCode;
  else if (typeof shape.Code === 'string') code = shape.Code;
  else if (typeof shape.name === 'string' && shape.name !== 'Error' && !/^\d{3}$/.test(shape.name)) code = shape.name;
  else if (typeof shape.code === 'string') code = shape.code;
  else code = status === undefined ? 'UnknownError' : `Http${status}`;
  let kind: CloudErrorKind = KIND_BY_CODE[code] ?? kindFromStatus(status);
  if (networkCode || /socket hang up|ECONNRESET/i.test(message)) kind = 'transient';
  if (shape.$retryable?.throttling) kind = 'throttling';
  return new CloudError({
    cloud,
    operation,
    code,
    message,
    kind,
    httpStatus: status,
    requestId: shape.$metadata?.requestId,
    cause: credentialFreeCause(error, credentials),
  });
}
