import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';

/**
 * Server-side AWS Signature Version 4 check, written from the specification (not from any SDK's signer, so a
 * shared bug cannot hide). Used by every AWS service and by the S3-protocol object stores of the other clouds.
 *
 * It takes the signed header list from the request (JS v3 and the CLI sign different sets), rebuilds the
 * canonical request and compares signatures in constant time.
 */

/** The parts of a request the check reads. */
export interface SignedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path as sent on the wire (percent-encoded), without the query. */
  readonly rawPath: string;
  /** Query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Headers, lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** Raw headers `[name, value, …]` (repeated headers are joined with `,` as SigV4 requires). */
  readonly rawHeaders: readonly string[];
  /** Body bytes (hashed unless `x-amz-content-sha256` says otherwise). */
  readonly body: Buffer;
}

/** Options of {@link verifySigV4}. */
export interface SigV4Options {
  /** Secret for an access key id, or undefined for an unknown key. */
  readonly secretFor: (accessKeyId: string) => string | undefined;
  /** Service name the credential scope must carry (`ec2`, `iam`, `s3`). */
  readonly service: string;
  /** S3 rules: path not double-encoded, `x-amz-content-sha256` required, presigned URLs allowed. @default false */
  readonly s3?: boolean;
  /** Real time, epoch ms (the 15-minute window is checked against it, not the emulated clock). @default Date.now */
  readonly now?: () => number;
}

/** Why a request was refused. */
export type SigV4FailureReason =
  | 'missing' // no Authorization header / presign parameters
  | 'malformed' // Authorization present but unparseable, or scope inconsistent
  | 'unknown-key' // access key id not known
  | 'wrong-service' // scope names another service
  | 'expired' // x-amz-date more than 15 min in the past, or presigned URL expired
  | 'not-yet-valid' // x-amz-date more than 15 min in the future
  | 'payload-mismatch' // x-amz-content-sha256 does not match the body
  | 'mismatch'; // signature differs

/** Result of {@link verifySigV4}. */
export type SigV4Result =
  | {
      readonly ok: true;
      readonly accessKeyId: string;
      /** Region of the credential scope. */
      readonly region: string;
      /** Request time from `x-amz-date`. */
      readonly signedAt: Date;
      /** Signing key (chunk signatures of streaming S3 uploads are chained from it). */
      readonly signingKey: Buffer;
      /** Seed signature (first link of the chunk signature chain). */
      readonly signature: string;
      /** `date/region/service/aws4_request`. */
      readonly scope: string;
      /** `yyyymmddThhmmssZ`. */
      readonly amzDate: string;
    }
  | {
      readonly ok: false;
      readonly reason: SigV4FailureReason;
      /** Human explanation (never contains a secret). */
      readonly detail: string;
      /** Access key id when one could be read. @default - none */
      readonly accessKeyId?: string;
      /** Region of the scope when one could be read. @default - none */
      readonly region?: string;
      /**
       * For a signature that differs: what the server signed, which S3 echoes in its `SignatureDoesNotMatch` body
       * (`StringToSign`, `CanonicalRequest`, `SignatureProvided`). Holds no secret, but the canonical request
       * carries every signed header, a session token included. @default - none
       */
      readonly computed?: { readonly stringToSign: string; readonly canonicalRequest: string; readonly signatureProvided: string };
    };

/** Maximum clock skew SigV4 allows. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Verifies a request's SigV4 signature (Authorization header, or query parameters for S3 presigned URLs). */
export function verifySigV4(request: SignedRequest, options: SigV4Options): SigV4Result {
  const now = (options.now ?? Date.now)();
  const authorization = headerValue(request.headers, 'authorization');
  const query = parseRawQuery(request.rawQuery);
  const presigned = options.s3 === true && query.some(([key]) => key === 'X-Amz-Algorithm');
  if (authorization === undefined && !presigned) return fail('missing', 'Request is missing an Authorization header.');

  let parts: { algorithm: string; credential: string; signedHeaders: string; signature: string; amzDate: string; expires?: number };
  if (authorization !== undefined) {
    const parsed = parseAuthorization(authorization);
    if (!parsed) return fail('malformed', 'Authorization header requires Credential, SignedHeaders and Signature parameters.');
    const amzDate = headerValue(request.headers, 'x-amz-date') ?? toAmzDate(headerValue(request.headers, 'date'));
    if (!amzDate) return fail('malformed', 'Authorization header requires an X-Amz-Date or Date header.');
    parts = { ...parsed, amzDate };
  } else {
    const get = (name: string) => query.find(([key]) => key === name)?.[1];
    const credential = get('X-Amz-Credential');
    const signedHeaders = get('X-Amz-SignedHeaders');
    const signature = get('X-Amz-Signature');
    const amzDate = get('X-Amz-Date');
    const expires = Number(get('X-Amz-Expires'));
    if (!credential || !signedHeaders || !signature || !amzDate || !Number.isInteger(expires) || expires < 0 || expires > 604800) {
      return fail('malformed', 'Query-string authentication requires X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Signature, X-Amz-Date and X-Amz-Expires (0..604800).');
    }
    parts = { algorithm: get('X-Amz-Algorithm') ?? '', credential, signedHeaders, signature, amzDate, expires };
  }
  if (parts.algorithm !== 'AWS4-HMAC-SHA256') return fail('malformed', `Unsupported algorithm ${JSON.stringify(parts.algorithm)}.`);

  const scopeParts = parts.credential.split('/');
  if (scopeParts.length !== 5 || scopeParts[4] !== 'aws4_request') {
    return fail('malformed', `Credential ${JSON.stringify(redactKey(parts.credential))} must be <key>/<yyyymmdd>/<region>/<service>/aws4_request.`);
  }
  const [accessKeyId, scopeDate, region, service] = scopeParts;
  const known = { accessKeyId, region };
  const signedAt = parseAmzDate(parts.amzDate);
  if (!signedAt) return fail('malformed', `X-Amz-Date ${JSON.stringify(parts.amzDate)} is not yyyyMMddTHHmmssZ.`, known);
  if (parts.amzDate.slice(0, 8) !== scopeDate) {
    return fail('malformed', `Credential scope date ${scopeDate} does not match X-Amz-Date ${parts.amzDate}.`, known);
  }
  const secret = options.secretFor(accessKeyId);
  if (secret === undefined) return fail('unknown-key', 'The security token included in the request is invalid.', known);
  if (service !== options.service) {
    return fail('wrong-service', `Credential should be scoped to correct service: '${options.service}'.`, known);
  }
  if (parts.expires !== undefined) {
    if (now > signedAt.getTime() + parts.expires * 1000) return fail('expired', 'Request has expired.', known);
  } else if (now - signedAt.getTime() > MAX_SKEW_MS) {
    const limit = toAmzDate(new Date(now - MAX_SKEW_MS).toUTCString());
    const nowText = toAmzDate(new Date(now).toUTCString());
    return fail('expired', `Signature expired: ${parts.amzDate} is now earlier than ${limit} (${nowText} - 15 min.)`, known);
  } else if (signedAt.getTime() - now > MAX_SKEW_MS) {
    const limit = toAmzDate(new Date(now + MAX_SKEW_MS).toUTCString());
    const nowText = toAmzDate(new Date(now).toUTCString());
    return fail('not-yet-valid', `Signature not yet current: ${parts.amzDate} is still later than ${limit} (${nowText} + 15 min.)`, known);
  }

  const payloadHash = payloadHashFor(request, options, presigned);
  if ('error' in payloadHash) return fail('payload-mismatch', payloadHash.error, known);

  const signedHeaderNames = parts.signedHeaders.split(';').filter(Boolean);
  if (!signedHeaderNames.includes('host')) return fail('malformed', 'SignedHeaders must include host.', known);
  const headerLines: string[] = [];
  for (const name of signedHeaderNames) {
    const value = joinedHeader(request.rawHeaders, name);
    if (value === undefined) return fail('mismatch', `Signed header ${name} is missing from the request.`, known);
    headerLines.push(`${name}:${value}`);
  }
  const canonicalQuery = canonicalQueryString(query.filter(([key]) => !(presigned && key === 'X-Amz-Signature')));
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.rawPath, options.s3 === true),
    canonicalQuery,
    `${headerLines.join('\n')}\n`,
    signedHeaderNames.join(';'),
    payloadHash.hash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', parts.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = deriveSigningKey(secret, scopeDate, region, service);
  const expected = hmac(signingKey, stringToSign).toString('hex');
  if (!constantTimeEqual(expected, parts.signature.toLowerCase())) {
    return fail(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      { ...known, computed: { stringToSign, canonicalRequest, signatureProvided: parts.signature } },
    );
  }
  return { ok: true, accessKeyId, region, signedAt, signingKey, signature: expected, scope, amzDate: parts.amzDate };
}

/** SigV4 signing key for a date (`yyyymmdd`), region and service. */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(Buffer.from(`AWS4${secret}`, 'utf8'), date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** HMAC-SHA256. */
export function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Hex SHA-256. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding as SigV4 requires (unreserved `A-Za-z0-9-._~` kept, everything else `%XX` upper case). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function payloadHashFor(request: SignedRequest, options: SigV4Options, presigned: boolean): { hash: string } | { error: string } {
  const declared = headerValue(request.headers, 'x-amz-content-sha256');
  if (options.s3 === true) {
    if (presigned) return { hash: declared ?? 'UNSIGNED-PAYLOAD' };
    if (declared === undefined) return { error: 'Missing required header for this request: x-amz-content-sha256' };
    if (/^[0-9a-f]{64}$/i.test(declared)) {
      const actual = sha256Hex(request.body);
      return actual === declared.toLowerCase() ? { hash: actual } : { error: 'The provided x-amz-content-sha256 header does not match what was computed.' };
    }
    if (declared === 'UNSIGNED-PAYLOAD' || declared.startsWith('STREAMING-')) return { hash: declared };
    return { error: 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-…, or a valid sha256 value.' };
  }
  const actual = request.body.length === 0 ? EMPTY_SHA256 : sha256Hex(request.body);
  if (declared !== undefined && declared.toLowerCase() !== actual) {
    return { error: 'The provided x-amz-content-sha256 header does not match what was computed.' };
  }
  return { hash: actual };
}

/** Canonical URI: each segment decoded then encoded once (S3) or twice (every other service, with `.`/`..` resolved). */
function canonicalPath(rawPath: string, s3: boolean): string {
  const path = rawPath === '' ? '/' : rawPath;
  if (s3) return path.split('/').map((segment) => uriEncode(safeDecode(segment))).join('/');
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return normalized
    .split('/')
    .map((segment) => uriEncode(uriEncode(safeDecode(segment))))
    .join('/');
}

function canonicalQueryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** Splits a raw query into decoded pairs (`+` is a literal plus in SigV4, not a space). */
function parseRawQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, at)), safeDecode(pair.slice(at + 1))];
    });
}

function parseAuthorization(header: string): { algorithm: string; credential: string; signedHeaders: string; signature: string } | undefined {
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const algorithm = header.slice(0, space);
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return undefined;
  return { algorithm, credential, signedHeaders, signature };
}

function joinedHeader(rawHeaders: readonly string[], name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name) values.push(rawHeaders[i + 1].trim().replace(/\s+/g, ' '));
  }
  return values.length === 0 ? undefined : values.join(',');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toAmzDate(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const date = new Date(httpDate);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function redactKey(credential: string): string {
  return credential.replace(/^[^/]*/, (key) => (key.length > 4 ? `${key.slice(0, 4)}…` : key));
}

function fail(
  reason: SigV4FailureReason,
  detail: string,
  known: { accessKeyId?: string; region?: string; computed?: { stringToSign: string; canonicalRequest: string; signatureProvided: string } } = {},
): SigV4Result {
  return { ok: false, reason, detail, ...known };
}
