import { type StaticCredentials } from '../model/connection';

/**
 * Keeping credentials out of errors. A cloud's error answer can quote the caller's credentials back: S3's
 * `SignatureDoesNotMatch` and `InvalidAccessKeyId` bodies carry `AWSAccessKeyId`, `StringToSign`,
 * `CanonicalRequest` (every signed header, `x-amz-security-token` included) and their `…Bytes` hex forms, which the
 * AWS SDK copies onto the exception; IAM and STS append "The Canonical String for this request should have been …"
 * to the message. A `CloudError` keeps its SDK error as `cause`, and `console.error(error)` prints causes, so the
 * cause is rebuilt without any of it.
 */

/** Error-body fields that quote the caller's key id or the request it signed (S3, OSS). */
const ECHO_FIELDS: ReadonlySet<string> = new Set([
  'AWSAccessKeyId',
  'OSSAccessKeyId',
  'AccessKeyId',
  'StringToSign',
  'StringToSignBytes',
  'CanonicalRequest',
  'CanonicalRequestBytes',
  'SignatureProvided',
]);

/** Where AWS query services start quoting the request they computed (every signed header follows). */
const CANONICAL_APPENDIX = /\n\s*The Canonical String for this request should have been[\s\S]*$/;

/** Header or query parameters whose value is a session token, in any cloud's spelling. */
const TOKEN_PARAMETER = /((?:x-amz-security-token|x-acs-security-token|x-jdcloud-security-token|SecurityToken)\s*[:=]\s*)[^\s&'"<,;]+/gi;

/** `Credential=<key id>/…` of an Authorization header or a presigned URL. */
const CREDENTIAL_SCOPE = /(Credential=)[^/\s,&]+/g;

/** `AccessKeyId=<id>` of an Alibaba V2 string to sign, also URL-encoded once or twice. */
const ACCESS_KEY_PARAMETER = /(AccessKeyId(?:=|%3D|%253D))[^&%\s]+/gi;

/**
 * AWS access key ids (`AKIA…` long-term, `ASIA…` temporary) and Alibaba AccessKey IDs (`LTAI…`). No leading word
 * boundary: in a URL-encoded text the id follows `%3D`.
 */
const KEY_ID_PATTERN = /(?:AKIA|ASIA|LTAI)[A-Za-z0-9]{12,}/g;

const REDACTED = '[redacted]';

/**
 * `text` without credentials: the canonical-request appendix of AWS query services cut off, session-token
 * parameters, `Credential=` scopes and `AccessKeyId=` parameters blanked, every value of `credentials` (verbatim and URL-encoded) replaced,
 * and anything shaped like an AWS or Alibaba access key id replaced.
 */
export function redactCredentials(text: string, credentials?: StaticCredentials): string {
  let out = text.replace(CANONICAL_APPENDIX, '');
  const values = [credentials?.secretAccessKey, credentials?.sessionToken, credentials?.accessKeyId].filter(
    (value): value is string => typeof value === 'string' && value.length >= 4,
  );
  for (const value of values) {
    for (const spelling of new Set([value, encodeURIComponent(value)])) out = out.split(spelling).join(REDACTED);
  }
  return out
    .replace(TOKEN_PARAMETER, `$1${REDACTED}`)
    .replace(CREDENTIAL_SCOPE, `$1${REDACTED}`)
    .replace(ACCESS_KEY_PARAMETER, `$1${REDACTED}`)
    .replace(KEY_ID_PATTERN, REDACTED);
}

/**
 * A copy of an SDK error fit to be a `CloudError`'s `cause`: same name, code, HTTP metadata and cloud details
 * (`$metadata`, `accessDeniedDetail`, `data`), message and stack passed through {@link redactCredentials}, the
 * fields that echo credentials ({@link ECHO_FIELDS}) and the raw `$response` left out, nested causes treated alike.
 * Anything that is not an object is returned as is (strings redacted).
 */
export function credentialFreeCause(error: unknown, credentials?: StaticCredentials): unknown {
  return copyWithout(error, credentials, 0);
}

function copyWithout(value: unknown, credentials: StaticCredentials | undefined, depth: number): unknown {
  if (typeof value === 'string') return redactCredentials(value, credentials);
  if (typeof value !== 'object' || value === null || depth > 6) return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => copyWithout(item, credentials, depth + 1));
  const copy: Record<string, unknown> = value instanceof Error ? errorShell(value, credentials) : {};
  for (const [key, item] of Object.entries(value)) {
    if (ECHO_FIELDS.has(key) || key === '$response') continue;
    copy[key] = copyWithout(item, credentials, depth + 1);
  }
  if (value instanceof Error && 'cause' in value && value.cause !== undefined) copy.cause = copyWithout(value.cause, credentials, depth + 1);
  return copy;
}

function errorShell(error: Error, credentials: StaticCredentials | undefined): Record<string, unknown> {
  const shell = new Error(redactCredentials(error.message, credentials));
  shell.name = error.name;
  if (error.stack !== undefined) {
    // A stack starts with "<name>: <message>"; the message may span lines, so it is redacted as a whole.
    const header = `${error.name}: ${error.message}`;
    shell.stack = error.stack.startsWith(header)
      ? `${error.name}: ${redactCredentials(error.message, credentials)}${redactCredentials(error.stack.slice(header.length), credentials)}`
      : redactCredentials(error.stack, credentials);
  }
  return shell as unknown as Record<string, unknown>;
}
