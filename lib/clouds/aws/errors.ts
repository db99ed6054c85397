import { CloudError, type CloudErrorKind } from '../../model/cloud-error';
import { type StaticCredentials } from '../../model/connection';
import { credentialFreeCause, redactCredentials } from '../credential-redaction';

const THROTTLING_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);
const TRANSIENT_CODES = new Set([
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'Unavailable',
  'ServiceFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ConcurrentModification',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
const AUTH_CODES = new Set([
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'CredentialsProviderError',
]);
const DENIED_CODES = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'Forbidden', 'OptInRequired']);
// InvalidConversionTaskId: EC2's code for an unknown import (conversion) task id.
// InvalidAMIID.Unavailable: an AMI that was deregistered.
const NOT_FOUND_CODES = new Set(['InvalidConversionTaskId', 'InvalidAMIID.Unavailable', 'NoSuchEntity', 'NoSuchBucket', 'NoSuchKey', 'NotFound', 'NoSuchBucketPolicy', 'NoSuchLifecycleConfiguration']);
const INVALID_CODES = new Set([
  'NotExportable',
  'MissingParameter',
  'UnknownParameter',
  'InvalidFormat',
  'InvalidAction',
  'ValidationError',
  'MalformedPolicyDocument',
  'MalformedPolicy',
  'InaccessibleStorageLocation',
  'InvalidBucketName',
  'InvalidArgument',
  'IllegalLocationConstraintException',
  'InvalidLocationConstraint',
  'MalformedXML',
]);
const CONFLICT_CODES = new Set([
  'IdempotentParameterMismatch',
  'EntityAlreadyExists',
  'BucketAlreadyExists',
  'BucketAlreadyOwnedByYou',
  'BucketNotEmpty',
  'DeleteConflict',
  'IncorrectState',
  'OperationAborted',
  'InvalidSnapshot.InUse',
]);
const QUOTA_CODES = new Set(['ResourceLimitExceeded', 'LimitExceeded', 'TooManyBuckets']);

/** Classifies an AWS error code (and HTTP status) into a {@link CloudErrorKind}. */
export function classifyAwsError(code: string, httpStatus?: number): CloudErrorKind {
  if (THROTTLING_CODES.has(code)) return 'throttling';
  if (AUTH_CODES.has(code)) return 'auth';
  if (DENIED_CODES.has(code)) return 'denied';
  if (NOT_FOUND_CODES.has(code) || code.endsWith('.NotFound')) return 'not-found';
  if (INVALID_CODES.has(code) || code.startsWith('InvalidParameter') || code.endsWith('.Malformed')) return 'invalid';
  if (CONFLICT_CODES.has(code)) return 'conflict';
  if (QUOTA_CODES.has(code)) return 'quota';
  if (TRANSIENT_CODES.has(code)) return 'transient';
  if (code === 'NotImplemented') return 'other';
  if (httpStatus === 429) return 'throttling';
  if (httpStatus !== undefined && httpStatus >= 500) return 'transient';
  if (httpStatus === 404) return 'not-found';
  return 'other';
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
}

/**
 * Turns any error thrown by an AWS SDK call (service error, network error, credential error) into a
 * {@link CloudError}. The message keeps AWS's code and text, with every credential and access key id removed.
 * A `CloudError` passes through unchanged.
 *
 * @param operation the AWS operation, for the message (`ExportImage`)
 * @param credentials the static credentials in use, if any, so they can be redacted verbatim
 */
export function toAwsCloudError(operation: string, error: unknown, credentials?: StaticCredentials): CloudError {
  if (error instanceof CloudError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const httpStatus = shape.$metadata?.httpStatusCode;
  let code = shape.Code ?? shape.code ?? shape.name ?? 'UnknownError';
  if (code === 'Error' || code === 'UnknownError') code = networkCode(error) ?? code;
  // S3 HEAD/GET 404s carry no body: the SDK names them NotFound; a 403 without a body arrives as 'Forbidden'.
  let kind = classifyAwsError(code, httpStatus);
  if (kind === 'other' && shape.$retryable?.throttling) kind = 'throttling';
  const message = redactSecrets(shape.message ?? String(error), credentials);
  return new CloudError({
    cloud: 'aws',
    operation,
    code,
    message,
    kind,
    httpStatus,
    requestId: shape.$metadata?.requestId,
    cause: credentialFreeCause(error, credentials),
  });
}

/** Removes access key ids, secret keys and session tokens from a text (see {@link redactCredentials}). */
export function redactSecrets(text: string, credentials?: StaticCredentials): string {
  return redactCredentials(text, credentials).replace(/\b(AIDA|AROA)[A-Z0-9]{12,}\b/g, '[redacted]');
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Runs one SDK call and turns whatever it throws into a {@link CloudError}.
 * @param operation the AWS operation, for the message
 * @param credentials static credentials to redact from messages
 */
export async function awsCall<T>(operation: string, call: () => Promise<T>, credentials?: StaticCredentials): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsCloudError(operation, error, credentials);
  }
}

/** True when `error` is a {@link CloudError} of the given kind. */
export function isCloudErrorKind(error: unknown, kind: CloudErrorKind): error is CloudError {
  return error instanceof CloudError && error.kind === kind;
}
