import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';

/**
 * Server-side check of JD Cloud OpenAPI signatures, written for the emulator and independent of the client in
 * `lib/` (a shared bug would otherwise pass unnoticed). Accepts `JDCLOUD2-HMAC-SHA256` (Node and Go SDKs) and
 * `JDCLOUD3-HMAC-SHA256` (Python SDK): rebuilds the canonical request from the signed headers the client names,
 * derives the key from the secret of the access key in the credential scope, and compares.
 */

/** How much the `x-jdcloud-date` may differ from the emulator's clock. JD's real window is undocumented. */
export const JD_ALLOWED_SKEW_MS = 15 * 60 * 1000;

/** A request as the verifier needs it. */
export interface JdSignedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path as received (percent-encoded), without the query. */
  readonly rawPath: string;
  /** Query as received, without `?`. */
  readonly rawQuery: string;
  /** Headers, lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** Body bytes. */
  readonly body: Buffer;
}

/** A verified caller. */
export interface JdCaller {
  /** Access key. */
  readonly accessKeyId: string;
  /** Region of the credential scope. */
  readonly region: string;
  /** Service of the credential scope. */
  readonly service: string;
  /** `JDCLOUD2` or `JDCLOUD3`. */
  readonly version: 'JDCLOUD2' | 'JDCLOUD3';
}

/** A refusal, in JD's gateway error terms. */
export interface JdSignatureRefusal {
  /** HTTP status. */
  readonly httpStatus: number;
  /** `error.status` string. */
  readonly status: string;
  /** `error.message`. */
  readonly message: string;
}

/** Result of {@link verifyJdSignature}. */
export type JdSignatureResult = { readonly ok: true; readonly caller: JdCaller } | { readonly ok: false; readonly refusal: JdSignatureRefusal };

/** Remembers nonces for the skew window, so a replayed request is refused. */
export class NonceRegistry {
  private readonly seen = new Map<string, number>();

  /** True when `nonce` of `accessKeyId` was not seen in the window; records it. */
  public claim(accessKeyId: string, nonce: string, now: number): boolean {
    if (this.seen.size > 10_000) this.prune(now);
    const key = `${accessKeyId}\n${nonce}`;
    const at = this.seen.get(key);
    if (at !== undefined && now - at <= JD_ALLOWED_SKEW_MS * 2) return false;
    this.seen.set(key, now);
    return true;
  }

  private prune(now: number): void {
    for (const [key, at] of this.seen) if (now - at > JD_ALLOWED_SKEW_MS * 2) this.seen.delete(key);
  }
}

const SIGN_FAILED: JdSignatureRefusal = { httpStatus: 401, status: 'ACCESS_ERROR', message: 'sign result is not same [gw]' };

function refuse(httpStatus: number, status: string, message: string): JdSignatureResult {
  return { ok: false, refusal: { httpStatus, status, message } };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/** Percent-encodes like RFC 3986 (unreserved: letters, digits, `-._~`). */
function strictEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function lenientDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function canonicalPath(rawPath: string, version: 'JDCLOUD2' | 'JDCLOUD3'): string {
  if (version === 'JDCLOUD2') return rawPath.length > 0 ? rawPath : '/';
  const collapsed = lenientDecode(rawPath).replace(/\/{2,}/g, '/');
  if (collapsed.length === 0) return '/';
  const encoded = collapsed.split('/').map(strictEncode).join('/');
  return encoded.startsWith('/') ? encoded : `/${encoded}`;
}

function canonicalQuery(rawQuery: string, version: 'JDCLOUD2' | 'JDCLOUD3'): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part.length === 0) continue;
    const at = part.indexOf('=');
    const name = strictEncode(lenientDecode(at < 0 ? part : part.slice(0, at)));
    if (version === 'JDCLOUD3' && name.length === 0) continue;
    pairs.push([name, strictEncode(lenientDecode(at < 0 ? '' : part.slice(at + 1)))]);
  }
  // Sorted by name, then value (not as joined strings: "taskIds.1" must precede "taskIds.10").
  pairs.sort(([an, av], [bn, bv]) => (an === bn ? (av < bv ? -1 : av > bv ? 1 : 0) : an < bn ? -1 : 1));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function hmacSha256(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * Checks one request's `Authorization`. `secretOf` returns the secret of a known access key. `now` is the emulator's
 * wall clock (signatures are checked against real time, not the emulated task clock).
 */
export function verifyJdSignature(
  request: JdSignedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  nonces: NonceRegistry,
  now: number,
): JdSignatureResult {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) return refuse(401, 'ACCESS_ERROR', 'the request is not signed: Authorization header missing');
  const match =
    /^(JDCLOUD[23])-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/(jdcloud[23]_request),\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/.exec(
      authorization.trim(),
    );
  if (!match) return refuse(401, 'ACCESS_ERROR', 'Authorization header is malformed');
  const [, version, accessKeyId, scopeDate, region, service, terminator, signedHeaderList, signature] = match as unknown as [
    string,
    'JDCLOUD2' | 'JDCLOUD3',
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (terminator !== `${version.toLowerCase()}_request`) return refuse(401, 'ACCESS_ERROR', 'credential scope does not end with the algorithm terminator');
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return refuse(401, 'ACCESS_ERROR', 'the access key is not valid');

  const date = headerValue(request.headers, 'x-jdcloud-date');
  const nonce = headerValue(request.headers, 'x-jdcloud-nonce');
  if (!date || !/^\d{8}T\d{6}Z$/.test(date)) return refuse(401, 'ACCESS_ERROR', 'x-jdcloud-date is missing or not yyyyMMddTHHmmssZ');
  if (!nonce) return refuse(401, 'ACCESS_ERROR', 'x-jdcloud-nonce is missing');
  if (date.slice(0, 8) !== scopeDate) return refuse(401, 'ACCESS_ERROR', 'credential scope date does not match x-jdcloud-date');

  const signedHeaders = signedHeaderList.split(';');
  // The Node and Go SDKs sign x-jdcloud-date and x-jdcloud-nonce; the Python SDK (JDCLOUD3) adds both after signing
  // and signs only content-type and host. The date is covered by the string to sign either way.
  if (!signedHeaders.includes('host')) return refuse(401, 'ACCESS_ERROR', 'host must be signed');
  const headerLines: string[] = [];
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return refuse(401, 'ACCESS_ERROR', `signed header ${name} is missing`);
    headerLines.push(`${name}:${version === 'JDCLOUD2' ? value.replace(/\s+/g, ' ').trim() : value.trim()}`);
  }
  const canonical = [
    request.method.toUpperCase(),
    canonicalPath(request.rawPath, version),
    canonicalQuery(request.rawQuery, version),
    `${headerLines.join('\n')}\n`,
    signedHeaders.join(';'),
    createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/${terminator}`;
  const toSign = `${version}-HMAC-SHA256\n${date}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key = hmacSha256(`${version}${secret}`, scopeDate);
  for (const part of [region, service, terminator]) key = hmacSha256(key, part);
  const expected = hmacSha256(key, toSign);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, refusal: SIGN_FAILED };

  const signedAt = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
  if (Math.abs(now - signedAt) > JD_ALLOWED_SKEW_MS) {
    return refuse(401, 'ACCESS_ERROR', `the request has expired: x-jdcloud-date ${date} is more than 15 minutes from the server time`);
  }
  if (!nonces.claim(accessKeyId, nonce, now)) {
    return refuse(403, 'APIGW_NONCE_CONFLICT', 'the nonce was already used: repeated request refused [gw]');
  }
  return { ok: true, caller: { accessKeyId, region, service, version } };
}
