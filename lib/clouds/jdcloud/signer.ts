import { createHash, createHmac, randomUUID } from 'node:crypto';

/**
 * The two JD Cloud OpenAPI signature algorithms. Both are AWS SigV4 clones:
 * `JDCLOUD2-HMAC-SHA256` (Node and Go SDKs, key seed `JDCLOUD2`+secret, scope terminator `jdcloud2_request`) and
 * `JDCLOUD3-HMAC-SHA256` (Python SDK since 1.6.95, seed `JDCLOUD3`, terminator `jdcloud3_request`, and a canonical
 * URI/query that are decoded and re-encoded first).
 */
export type JdcloudSignatureAlgorithm = 'JDCLOUD2-HMAC-SHA256' | 'JDCLOUD3-HMAC-SHA256';

/** Headers never signed (the Node, Go and Python SDKs agree). */
const UNSIGNED_HEADERS = new Set(['authorization', 'user-agent']);

/** What to sign. */
export interface JdcloudSignInput {
  /** Algorithm. @default 'JDCLOUD2-HMAC-SHA256' */
  readonly algorithm?: JdcloudSignatureAlgorithm;
  /** HTTP method, upper case. */
  readonly method: string;
  /** `host[:port]` exactly as the `Host` header carries it (a non-default port included). */
  readonly host: string;
  /** The path as sent on the wire, already escaped (see {@link escapePath}): `/v1/regions/r/images/img-x%3AexportImage`. */
  readonly path: string;
  /** The query string as sent on the wire, without `?`. @default '' */
  readonly query?: string;
  /** Request headers to sign besides `host` (names in any case). `authorization` and `user-agent` are skipped. */
  readonly headers: Readonly<Record<string, string>>;
  /** Request body (a string is hashed as UTF-8). @default '' */
  readonly body?: string | Uint8Array;
  /** Region of the credential scope (`cn-east-2`; `jdcloud` for IAM as the Node SDK signs it). */
  readonly region: string;
  /** Service of the credential scope (`vm`, `iam`). */
  readonly service: string;
  /** Access key. */
  readonly accessKeyId: string;
  /** Secret key. */
  readonly secretAccessKey: string;
  /** Signing time. @default - now */
  readonly date?: Date;
  /** Nonce sent as `x-jdcloud-nonce`. @default - a random UUID v4 */
  readonly nonce?: string;
}

/** A signed request: the headers to add, and the intermediate strings (for tests and debugging; no secret in them). */
export interface JdcloudSignature {
  /** Headers to send: `x-jdcloud-date`, `x-jdcloud-nonce`, `authorization` (merged over the input headers). */
  readonly headers: Record<string, string>;
  /** The `Authorization` header value. */
  readonly authorization: string;
  /** Hex signature. */
  readonly signature: string;
  /** The canonical request that was hashed. */
  readonly canonicalRequest: string;
  /** The string that was signed. */
  readonly stringToSign: string;
  /** `;`-joined signed header names. */
  readonly signedHeaders: string;
  /** `yyyymmdd/region/service/jdcloudN_request`. */
  readonly credentialScope: string;
}

/**
 * RFC 3986 escaping: everything but `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex, UTF-8). This is what the
 * Node SDK's `uriEscape` and Python's `quote(value, '~')` produce; `:` becomes `%3A`, space `%20`, `*` `%2A`.
 */
export function rfc3986Escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Escapes each `/`-separated segment of a path with {@link rfc3986Escape}: `/images/img-x:exportImage` → `/images/img-x%3AexportImage`. */
export function escapePath(path: string): string {
  return path
    .split('/')
    .map((segment) => rfc3986Escape(segment))
    .join('/');
}

/** `x-jdcloud-date` format: `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatJdcloudDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Builds a wire query string from decoded pairs, in the given order, RFC 3986 escaped. */
export function buildQueryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([key, value]) => `${rfc3986Escape(key)}=${rfc3986Escape(value)}`).join('&');
}

function safeDecode(value: string, plusIsSpace: boolean): string {
  const text = plusIsSpace ? value.replace(/\+/g, ' ') : value;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Canonical query string. Pairs are decoded from the wire form (`+` as a space, as Node's `querystring` and
 * Python's `unquote_plus` do), re-escaped with {@link rfc3986Escape}, sorted by key then value and joined by `&`.
 * JDCLOUD3 drops pairs with an empty key (Python SDK).
 */
export function canonicalQueryString(query: string, algorithm: JdcloudSignatureAlgorithm): string {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const key = rfc3986Escape(safeDecode(rawKey, true));
    if (algorithm === 'JDCLOUD3-HMAC-SHA256' && key === '') continue;
    pairs.push([key, rfc3986Escape(safeDecode(rawValue, true))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/**
 * Canonical URI. JDCLOUD2 signs the wire path as sent (the SDKs escape it before sending). JDCLOUD3 decodes it,
 * collapses repeated slashes, and re-escapes every character but `/` (Python SDK `__build_canonical_uri`).
 */
export function canonicalUri(path: string, algorithm: JdcloudSignatureAlgorithm): string {
  if (algorithm === 'JDCLOUD2-HMAC-SHA256') return path === '' ? '/' : path;
  const decoded = safeDecode(path, true).replace(/\/+/g, '/');
  if (decoded === '') return '/';
  const encoded = decoded
    .split('/')
    .map((segment) => rfc3986Escape(segment))
    .join('/');
  return encoded.startsWith('/') ? encoded : `/${encoded}`;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The derived signing key: HMAC chain seeded with `JDCLOUD2`/`JDCLOUD3` + secret over date, region, service, terminator. */
export function deriveSigningKey(
  algorithm: JdcloudSignatureAlgorithm,
  secretAccessKey: string,
  yyyymmdd: string,
  region: string,
  service: string,
): Buffer {
  const version = algorithm === 'JDCLOUD3-HMAC-SHA256' ? 'JDCLOUD3' : 'JDCLOUD2';
  const kDate = hmac(`${version}${secretAccessKey}`, yyyymmdd);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, `${version.toLowerCase()}_request`);
}

/**
 * Signs one request with `JDCLOUD2-HMAC-SHA256` (default) or `JDCLOUD3-HMAC-SHA256`.
 *
 * Signed headers are `host` plus every given header except `authorization` and `user-agent`, after adding
 * `x-jdcloud-date` and `x-jdcloud-nonce` (the Node SDK's behaviour). Header values are trimmed and inner whitespace
 * collapsed (JDCLOUD2) or only trimmed (JDCLOUD3). The body is hashed as UTF-8.
 */
export function signJdcloudRequest(input: JdcloudSignInput): JdcloudSignature {
  const algorithm = input.algorithm ?? 'JDCLOUD2-HMAC-SHA256';
  const datetime = formatJdcloudDate(input.date ?? new Date());
  const yyyymmdd = datetime.slice(0, 8);
  const nonce = input.nonce ?? randomUUID();

  const signable = new Map<string, string>();
  for (const [name, value] of Object.entries(input.headers)) {
    const lower = name.toLowerCase();
    if (UNSIGNED_HEADERS.has(lower) || lower === 'host') continue;
    signable.set(lower, value);
  }
  signable.set('x-jdcloud-date', datetime);
  signable.set('x-jdcloud-nonce', nonce);
  signable.set('host', input.host);

  const names = [...signable.keys()].sort();
  const normalise =
    algorithm === 'JDCLOUD2-HMAC-SHA256'
      ? (value: string) => value.replace(/\s+/g, ' ').trim()
      : (value: string) => value.trim();
  const canonicalHeaders = names.map((name) => `${name}:${normalise(signable.get(name) ?? '')}`).join('\n');
  const signedHeaders = names.join(';');

  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(input.path, algorithm),
    canonicalQueryString(input.query ?? '', algorithm),
    `${canonicalHeaders}\n`,
    signedHeaders,
    sha256Hex(input.body ?? ''),
  ].join('\n');

  const terminator = algorithm === 'JDCLOUD3-HMAC-SHA256' ? 'jdcloud3_request' : 'jdcloud2_request';
  const credentialScope = `${yyyymmdd}/${input.region}/${input.service}/${terminator}`;
  const stringToSign = [algorithm, datetime, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const key = deriveSigningKey(algorithm, input.secretAccessKey, yyyymmdd, input.region, input.service);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  const authorization =
    `${algorithm} Credential=${input.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;

  const headers: Record<string, string> = { ...input.headers };
  headers['x-jdcloud-date'] = datetime;
  headers['x-jdcloud-nonce'] = nonce;
  headers.authorization = authorization;
  return { headers, authorization, signature, canonicalRequest, stringToSign, signedHeaders, credentialScope };
}
