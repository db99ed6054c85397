import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';

/**
 * Server-side check of Alibaba Cloud RPC request signatures, written for the emulator from the published algorithm
 * (reference §5.3, §5.4) and independent of any client code:
 *
 * - V3 `ACS3-HMAC-SHA256` (the SDK default): `Authorization: ACS3-HMAC-SHA256 Credential=<ak>,SignedHeaders=…,
 *   Signature=<hex>`; the canonical request is rebuilt with the headers the client lists in `SignedHeaders`.
 * - V2 RPC `HMAC-SHA1`: `Signature`, `SignatureMethod`, `SignatureVersion`, `SignatureNonce`, `Timestamp`,
 *   `AccessKeyId` among the parameters (query and form body).
 *
 * A reused nonce is `SignatureNonceUsed`; a date more than 15 minutes from real time is `InvalidTimeStamp.Expired`.
 */

/** The gateway's time window (client and server clocks may differ by at most this much). */
export const ACS_ALLOWED_SKEW_MS = 15 * 60 * 1000;

/** A request as the verifier needs it. */
export interface AcsSignedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path as received (percent-encoded), without the query. */
  readonly rawPath: string;
  /** Query as received, without `?`. */
  readonly rawQuery: string;
  /** Headers, lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** Raw header list `[name, value, …]` (repeated headers are joined as the signer does). */
  readonly rawHeaders: readonly string[];
  /** Body bytes. */
  readonly body: Buffer;
}

/** A gateway refusal: HTTP status, code, message. */
export interface AcsRefusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Result of {@link verifyAcsSignature}. */
export type AcsSignatureResult =
  | { readonly ok: true; readonly accessKeyId: string; readonly version: 'V3' | 'V2'; readonly params: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly refusal: AcsRefusal };

/** Remembers nonces for twice the time window, so a replayed request is refused. */
export class AcsNonceRegistry {
  private readonly seen = new Map<string, number>();

  /** True when `nonce` of `accessKeyId` was not seen in the window; records it. */
  public claim(accessKeyId: string, nonce: string, now: number): boolean {
    if (this.seen.size > 10_000) {
      for (const [key, at] of this.seen) if (now - at > ACS_ALLOWED_SKEW_MS * 2) this.seen.delete(key);
    }
    const key = `${accessKeyId}\n${nonce}`;
    const at = this.seen.get(key);
    if (at !== undefined && now - at <= ACS_ALLOWED_SKEW_MS * 2) return false;
    this.seen.set(key, now);
    return true;
  }
}

/** Options of {@link verifyAcsSignature}. */
export interface AcsVerifyOptions {
  /** Secret of an access key id, or undefined for an unknown key. */
  readonly secretFor: (accessKeyId: string) => string | undefined;
  /** Nonces seen so far. */
  readonly nonces: AcsNonceRegistry;
  /** Real time, epoch ms (not the emulated clock: clients sign with their wall clock). @default Date.now */
  readonly now?: () => number;
}

const refuse = (status: number, code: string, message: string): AcsSignatureResult => ({ ok: false, refusal: { status, code, message } });

const INCOMPLETE = (detail: string) => refuse(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards. ${detail}`);
const UNKNOWN_KEY = refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
const EXPIRED = refuse(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
const BAD_TIME = refuse(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
const NONCE_USED = refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');

/** RFC 3986 encoding as both signers use it: encodeURIComponent plus `! ' ( ) *`. */
export function acsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes one query component; `+` stays a plus (the SDK writes spaces as `%20`). Undecodable text is kept as is. */
function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The request's parameters: the query string, then a form body (`application/x-www-form-urlencoded`) for keys the
 * query does not have. Real ECS accepts both, and GET as well as POST.
 */
export function requestParams(request: Pick<AcsSignedRequest, 'rawQuery' | 'headers' | 'body'>): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of request.rawQuery.split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    const key = decodeComponent(at < 0 ? part : part.slice(0, at));
    if (!params.has(key)) params.set(key, at < 0 ? '' : decodeComponent(part.slice(at + 1)));
  }
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (request.body.length > 0 && type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) if (!params.has(key)) params.set(key, value);
  }
  return params;
}

/** Parses `yyyy-MM-ddTHH:mm:ssZ` (also with milliseconds); undefined when malformed. */
function parseAcsDate(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Values of one header in arrival order, from the raw list (Node folds some repeated headers). */
function rawHeaderValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) values.push(rawHeaders[i + 1].trim());
  return values;
}

/**
 * The V3 canonical request (reference §5.3): method, canonical URI, sorted query (keys raw, values encoded), the
 * signed headers (`name:value\n`, repeated values sorted and joined with `,`), the signed header list, and the
 * SHA-256 of the body.
 */
export function acs3CanonicalRequest(request: AcsSignedRequest, signedHeaders: readonly string[]): string {
  const uri = (request.rawPath || '/').replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const queryOnly = requestParams({ rawQuery: request.rawQuery, headers: {}, body: Buffer.alloc(0) });
  const query = [...queryOnly.keys()]
    .sort()
    .map((key) => `${key}=${acsEncode(queryOnly.get(key) ?? '')}`)
    .join('&');
  const headers = signedHeaders.map((name) => `${name}:${rawHeaderValues(request.rawHeaders, name).sort().join(',')}\n`).join('');
  const payload = createHash('sha256').update(request.body).digest('hex');
  return `${request.method}\n${uri}\n${query}\n${headers}\n${signedHeaders.join(';')}\n${payload}`;
}

/** The V2 string to sign (reference §5.4) over every parameter but `Signature`. */
export function acs2StringToSign(method: string, params: ReadonlyMap<string, string>): string {
  const canonical = [...params.keys()]
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${acsEncode(key)}=${acsEncode(params.get(key) ?? '')}`)
    .join('&');
  return `${method}&${acsEncode('/')}&${acsEncode(canonical)}`;
}

function checkTimeAndNonce(options: AcsVerifyOptions, accessKeyId: string, date: string | undefined, nonce: string | undefined): AcsSignatureResult | undefined {
  const signedAt = parseAcsDate(date);
  if (signedAt === undefined) return BAD_TIME;
  const now = (options.now ?? Date.now)();
  if (Math.abs(now - signedAt) > ACS_ALLOWED_SKEW_MS) return EXPIRED;
  if (!nonce) return INCOMPLETE('The signature nonce is missing.');
  if (!options.nonces.claim(accessKeyId, nonce, now)) return NONCE_USED;
  return undefined;
}

/**
 * Verifies a V3 or V2 signed RPC request. On success returns the caller's key, the signature version and the merged
 * parameters (query + form body).
 */
export function verifyAcsSignature(request: AcsSignedRequest, options: AcsVerifyOptions): AcsSignatureResult {
  const params = requestParams(request);
  const authorization = headerText(request.headers, 'authorization');
  if (authorization) {
    const match = /^(\S+)\s+Credential=([^,]*),\s*SignedHeaders=([^,]*),\s*Signature=([0-9a-fA-F]*)\s*$/.exec(authorization);
    if (!match) return INCOMPLETE('The Authorization header is not "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".');
    const [, algorithm, accessKeyId, signedList, signature] = match;
    if (algorithm !== 'ACS3-HMAC-SHA256') return INCOMPLETE(`Signature algorithm ${algorithm} is not supported here; use ACS3-HMAC-SHA256.`);
    const secret = options.secretFor(accessKeyId);
    if (secret === undefined) return UNKNOWN_KEY;
    const signedHeaders = signedList.split(';').map((name) => name.trim().toLowerCase()).filter(Boolean);
    const unsigned = Object.keys(request.headers).filter((name) => name.startsWith('x-acs-') && !signedHeaders.includes(name));
    if (!signedHeaders.includes('host') || unsigned.length > 0) {
      return INCOMPLETE(`SignedHeaders must include host and every x-acs-* header${unsigned.length ? ` (unsigned: ${unsigned.join(', ')})` : ''}.`);
    }
    const canonical = acs3CanonicalRequest(request, signedHeaders);
    const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
    const expected = createHmac('sha256', secret).update(stringToSign).digest('hex');
    if (!safeEqual(expected, signature.toLowerCase())) {
      return refuse(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    const problem = checkTimeAndNonce(options, accessKeyId, headerText(request.headers, 'x-acs-date'), headerText(request.headers, 'x-acs-signature-nonce'));
    return problem ?? { ok: true, accessKeyId, version: 'V3', params };
  }
  const signature = params.get('Signature');
  if (signature === undefined) return INCOMPLETE('Neither an Authorization header nor a Signature parameter was sent.');
  const accessKeyId = params.get('AccessKeyId');
  if (!accessKeyId) return refuse(400, 'MissingParameter', 'An input parameter "AccessKeyId" that is mandatory for processing the request is not supplied.');
  if (params.get('SignatureMethod') !== 'HMAC-SHA1') return INCOMPLETE('SignatureMethod must be HMAC-SHA1.');
  if (params.get('SignatureVersion') !== '1.0') return INCOMPLETE('SignatureVersion must be 1.0.');
  const secret = options.secretFor(accessKeyId);
  if (secret === undefined) return UNKNOWN_KEY;
  const stringToSign = acs2StringToSign(request.method, params);
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  if (!safeEqual(expected, signature)) {
    return refuse(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
  }
  const problem = checkTimeAndNonce(options, accessKeyId, params.get('Timestamp'), params.get('SignatureNonce'));
  return problem ?? { ok: true, accessKeyId, version: 'V2', params };
}
