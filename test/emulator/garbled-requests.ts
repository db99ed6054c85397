import { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { sdkSigner } from './raw-request';

// Garbled requests for the emulator's request-parsing properties (test/emulator/<cloud>/request-parsing-properties.test.ts):
// arbitraries for methods, paths, query strings, headers and bodies that stay valid HTTP; a sender that keeps the
// request exactly as generated (duplicate keys, broken escapes); SigV4 signing of such requests with the SDK's own
// signer (so garbled-but-signed requests reach the parsers); and checkers of every cloud's error shape.

// ----------------------------------------------------------------------------------------------------------------
// Wire requests

/** One request exactly as it goes on the wire. */
export interface WireRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path as sent: printable ASCII, already percent-encoded as wanted (broken escapes included). */
  readonly path: string;
  /** Query segments as sent, joined with `&`: `k=v`, `k` (no `=`), `` (an empty segment, `&&`). */
  readonly query: readonly string[];
  /** Headers (unique lower-case names); `host` is added when missing, `content-length` always. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body bytes. */
  readonly body: Buffer;
}

/** An answer, fully read. */
export interface WireResponse {
  /** HTTP status. */
  readonly status: number;
  /** Headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** Body as UTF-8 text. */
  readonly text: string;
  /** The method of the request (HEAD answers have no body). */
  readonly method: string;
}

/** A request's target line: path plus query (`?` only when there are segments). */
export function targetOf(request: WireRequest): string {
  return request.query.length === 0 ? request.path : `${request.path}?${request.query.join('&')}`;
}

/**
 * Sends one request as generated and reads the whole answer. A hang longer than `timeoutMs` rejects (a property
 * then fails with the request that hung).
 */
export function sendWire(endpoint: string, request: WireRequest, timeoutMs = 10_000): Promise<WireResponse> {
  const url = new URL(endpoint);
  const headers: Record<string, string> = { host: url.host, ...request.headers, 'content-length': String(request.body.length) };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: request.method, path: targetOf(request), headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), method: request.method }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** A short, readable description of a request (bodies are summarised, not dumped). */
export function describeWire(request: WireRequest): string {
  const target = targetOf(request);
  const body = request.body.length > 120 ? `${request.body.length} bytes starting ${JSON.stringify(request.body.subarray(0, 60).toString('latin1'))}` : JSON.stringify(request.body.toString('latin1'));
  return `${request.method} ${target.length > 400 ? `${target.slice(0, 400)}… (${target.length} chars)` : target} headers ${JSON.stringify(request.headers)} body ${body}`;
}

/** How a garbled request is signed: not at all, with a wrong secret, 20 minutes ago, or properly by one of the cloud's two principals. */
export type Signing = 'unsigned' | 'wrong-secret' | 'stale' | 'admin' | 'restricted';

/**
 * One generated case: the defect that makes the request wrong (the emulator must refuse it), the request before
 * signing, and how to sign it (at send time, so dates and nonces are fresh). Prints as a summary in counterexamples.
 */
export class GarbledCase<D extends string = string> {
  constructor(
    public readonly defect: D,
    public readonly request: WireRequest,
    public readonly signing: Signing,
  ) {}

  [fc.toStringMethod](): string {
    return `${this.defect} (${this.signing}): ${describeWire(this.request)}`;
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Text and wire components

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

/** RFC 3986 percent-encoding of the UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD's bytes, as `Buffer` writes it). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Values that break parsers and renderers: control characters, markup, JSON, form syntax, prototype names, non-characters. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0001\u0008\u000b\u001f',
  '\t\r\n',
  '<Error><Code>x</Code>',
  ']]>&amp;&',
  '"}{\\',
  '%',
  '&=&',
  '+ +',
  'null',
  'true',
  '-1',
  '1e400',
  'NaN',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  '\uD800',
  '\uFFFE\uFFFF',
  '\u202E\u200B',
  '😀',
  'ümlaut',
  '${x}',
  '../../etc/passwd',
];

/** Huge values that still fit in a request line once encoded. */
const HUGE_STRINGS = ['x'.repeat(3000), 'é'.repeat(600)];

/** Any text: nasty constants, random strings (full Unicode), huge values. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_STRINGS) },
);

/** Percent-escapes that do not decode: truncated, non-hex, invalid UTF-8 (overlong, surrogate, beyond U+10FFFF), plus signs. */
export const brokenEscape: fc.Arbitrary<string> = fc.constantFrom('%', '%Z', '%ZZ', '%E0%A4', '%FF', '%C0%AF', '%00', '%ED%A0%80', '%F4%90%80%80', '+', '%2B', 'a+b', '==', '%3D');

/** A query or form component as sent: encoded text, a broken escape, or both. */
export const wireText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyText.map(percentEncode) },
  { weight: 1, arbitrary: brokenEscape },
  { weight: 1, arbitrary: fc.tuple(nastyText, brokenEscape).map(([text, escape]) => `${percentEncode(text)}${escape}`) },
);

/** Array indexes a parser must not trust: zero, negative, huge, padded, fractional, non-numeric, empty. */
export const oddIndex: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '01', '1.5', '1e3', '', ' 1', 'x', 'N', '-0', '+1', '0x10', 'Infinity', '99999999999999999999999', '9007199254740993', '4294967296', '2147483648'),
  fc.integer().map(String),
  fc.nat(10_000_000).map(String),
);

/** A list index: often an odd one, sometimes 1-3, so lists are partly valid and their values reach the checks. */
const listIndex: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: oddIndex }, { weight: 2, arbitrary: fc.constantFrom('1', '2', '3') });

/** `prefix.N` or `prefix.N.member` with an odd index (a member `Value.N` gets an odd index too), wire-encoded. */
export function arrayKey(prefix: string, members: readonly string[] = []): fc.Arbitrary<string> {
  if (members.length === 0) return listIndex.map((index) => percentEncode(`${prefix}.${index}`));
  return fc
    .tuple(listIndex, fc.constantFrom(...members), listIndex)
    .map(([index, member, inner]) => percentEncode(`${prefix}.${index}.${member.replace(/\.N$/, `.${inner}`)}`));
}

/** Keys for noise parameters: encoded junk, never one of `reserved` (names that would change which check answers). */
export function junkKey(reserved: readonly string[]): fc.Arbitrary<string> {
  const lower = new Set(reserved.map((name) => name.toLowerCase()));
  return fc
    // Not `__proto__`: @smithy/signature-v4 builds the canonical query in a plain object, so a `__proto__` key is
    // signed as `[object Object]` and no such request could ever reach the parsers signed.
    .oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'x.1.y', 'Junk.-1', 'Param.99999999999999999999.Name'))
    .map(percentEncode)
    .filter((key) => safeDecode(key) !== '__proto__' && !lower.has(safeDecode(key).toLowerCase()) && !lower.has(key.toLowerCase()));
}

const MAX_QUERY_CHARS = 8000;

/**
 * A garbled query: `key=value` segments (some without `=`, some empty, some with an empty key), with duplicated
 * segments, capped at 8000 characters so the request line stays within Node's header limit (valid HTTP).
 */
export function garbledQuery(keys: fc.Arbitrary<string>, maxSegments = 6): fc.Arbitrary<string[]> {
  const segment = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(keys, wireText).map(([key, value]) => `${key}=${value}`) },
    { weight: 1, arbitrary: keys },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: wireText.map((value) => `=${value}`) },
  );
  return fc.tuple(fc.array(segment, { maxLength: maxSegments }), fc.array(fc.nat(), { maxLength: 2 })).map(([segments, repeats]) => {
    const withRepeats = segments.length === 0 ? segments : [...segments, ...repeats.map((at) => segments[at % segments.length])];
    return capQuery(withRepeats);
  });
}

/** Drops trailing segments until the query fits {@link MAX_QUERY_CHARS}. */
export function capQuery(segments: readonly string[]): string[] {
  const out: string[] = [];
  let length = 0;
  for (const segment of segments) {
    if (length + segment.length + 1 > MAX_QUERY_CHARS) break;
    out.push(segment);
    length += segment.length + 1;
  }
  return out;
}

/** A path segment as sent: encoded text or broken escapes. */
export const wirePathSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: nastyText.filter((text) => text.length < 200).map(percentEncode) },
  { weight: 1, arbitrary: brokenEscape.map((escape) => escape.replace(/\+/g, '%2B')) },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '', '%2F', '%2E%2E', ':action', '%3A') },
);

/** A garbled path: `/` followed by up to four segments. */
export const garbledPath: fc.Arbitrary<string> = fc.array(wirePathSegment, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`);

/** Methods, valid HTTP all, most of which no API here accepts. */
export const anyMethod: fc.Arbitrary<string> = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'PROPFIND', 'PURGE', 'SEARCH');

// ----------------------------------------------------------------------------------------------------------------
// Headers and bodies

/** Content types a parser must cope with (undefined: no header). */
export const garbledContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'application/json',
  'application/json; charset=utf-8',
  'text/xml',
  'application/xml',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'x',
  ';;;',
  '',
);

/** A header value: printable ASCII (valid HTTP), sometimes long. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => text.replace(/[^\x20-\x7e]/g, '').trim()),
  fc.constantFrom('', 'null', '-1', '99999999999999999999', 'a'.repeat(2000), '%FF%00', '<x>', '{"a":'),
);

/** Extra headers from a pool of names with garbled values. */
export function extraHeaders(names: readonly string[]): fc.Arbitrary<Record<string, string>> {
  return fc.dictionary(fc.constantFrom(...names), headerValue, { maxKeys: 3 });
}

const ONE_MB = 1_000_000;

/** Deterministic pseudo-random bytes (xorshift), so big bodies cost nothing to generate per run. */
function pseudoRandomBytes(length: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * 1 MB bodies: letters, random bytes, a form with one huge value, an unterminated JSON string, an unterminated XML
 * element; and one byte over 1 MiB, the API services' body limit (the plumbing answers it in the cloud's shape).
 */
export const BIG_BODIES: readonly Buffer[] = [
  Buffer.alloc(ONE_MB, 'a'),
  Buffer.alloc(1024 * 1024 + 1, 'a'),
  pseudoRandomBytes(ONE_MB),
  Buffer.from(`Junk=${'x'.repeat(ONE_MB - 5)}`),
  Buffer.from(`{"a":"${'x'.repeat(ONE_MB - 6)}`),
  Buffer.from(`<a>${'<b>'.repeat((ONE_MB - 3) / 3)}`),
];

/** Broken JSON: truncated, trailing garbage, wrong top-level types, deep nesting, prototype keys, BOM. */
export const brokenJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,2', '{"a":1}}', 'nul', '"x', '[]', '1', 'null', '"string"', '{"a":1,}', "{'a':1}", '\uFEFF{}', '['.repeat(5000), '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'),
  fc.json({ maxDepth: 3 }).map((text) => text.slice(0, Math.max(1, text.length - 1))),
  fc.object({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
);

/** Broken XML: unclosed, mismatched, bad declarations, entities (a small "billion laughs"), control characters, wrong roots. */
export const brokenXml: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '<',
    '<a>',
    '<a></b>',
    '<?xml version="1.0"?>',
    '<?xml version="9"?><Tagging>',
    '<Tagging><TagSet><Tag><Key>k</Key>',
    '<CreateBucketConfiguration><LocationConstraint>',
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x>&c;&c;&c;</x>',
    '<!DOCTYPE x SYSTEM "file:///etc/passwd"><x>&xxe;</x>',
    '<x>\u0000\u0001</x>',
    '<x a="1" a="2"/>',
    '<Wrong xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
    ']]><![CDATA[',
  ),
  fc.string({ maxLength: 40 }).map((text) => `<${text}>`),
);

/** Bytes that are not UTF-8: stray continuation bytes, overlong forms, truncated sequences, surrogates, 0xFF. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .array(fc.constantFrom([0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x41], [0x3d], [0x26], [0x7b]), { minLength: 1, maxLength: 20 })
  .map((parts) => Buffer.from(parts.flat()));

/** Any garbled body: empty, broken form, JSON or XML, invalid UTF-8, random bytes, or 1 MB. */
export const garbledBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  garbledQuery(junkKey([]), 8).map((segments) => Buffer.from(segments.join('&'))),
  brokenJson.map((text) => Buffer.from(text)),
  brokenXml.map((text) => Buffer.from(text)),
  invalidUtf8,
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(...BIG_BODIES),
);

// ----------------------------------------------------------------------------------------------------------------
// SigV4 signing of wire requests (EC2, IAM, STS, and the S3-protocol stores)

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The decoded query a SigV4 signer is given (SigV4 decodes each component; `+` is a literal plus; repeated keys keep every value). */
function sigV4Query(segments: readonly string[]): Record<string, string | string[]> {
  // No prototype: a `__proto__` key must become an own property, not the object's prototype.
  const query = Object.create(null) as Record<string, string | string[]>;
  for (const segment of segments) {
    if (segment === '') continue;
    const at = segment.indexOf('=');
    const key = safeDecode(at < 0 ? segment : segment.slice(0, at));
    const value = at < 0 ? '' : safeDecode(segment.slice(at + 1));
    const known = query[key];
    if (known === undefined) query[key] = value;
    else query[key] = Array.isArray(known) ? [...known, value] : [known, value];
  }
  return query;
}

/**
 * The path a SigV4 signer is given: each segment as the server canonicalises it (decoded, then encoded once), so a
 * path with broken escapes (`%ZZ`) or needless ones (`%2E%2E`) is still signed as the server checks it and the
 * request reaches the parsers. The request line keeps the path as generated.
 */
function signedPath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(safeDecode(segment)).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** What a SigV4 signature is made with. */
export interface SigV4Signing {
  /** Signing name (`ec2`, `iam`, `sts`, `s3`). */
  readonly service: string;
  /** Region of the credential scope. */
  readonly region: string;
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret (a wrong one makes a bad signature). */
  readonly secretAccessKey: string;
  /** Signing time. @default - now */
  readonly signingDate?: Date;
}

/**
 * Signs a wire request with the SDK's own SigV4 signer (`@smithy/signature-v4`): the request keeps its headers,
 * query and body as generated and gains `authorization`, `x-amz-date` (and `x-amz-content-sha256` for S3).
 */
export async function signSigV4(endpoint: string, request: WireRequest, signing: SigV4Signing): Promise<WireRequest> {
  const url = new URL(endpoint);
  const signer = sdkSigner(signing.service, signing.region, signing);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: signedPath(request.path),
      query: sigV4Query(request.query),
      headers: { host: url.host, ...request.headers },
      body: request.body,
    },
    signing.signingDate ? { signingDate: signing.signingDate } : {},
  );
  return { ...request, headers: { host: url.host, ...(signed.headers as Record<string, string>) } };
}

/** Twenty minutes ago: outside every cloud's 15-minute window. */
export function staleDate(): Date {
  return new Date(Date.now() - 20 * 60 * 1000);
}

// ----------------------------------------------------------------------------------------------------------------
// S3-protocol requests (S3, Alibaba OSS and JD OSS are all the emulator's S3 object store)

/** Why a garbled S3-protocol request must be refused. */
export type S3Defect =
  | 'unsigned'
  | 'wrong-secret'
  | 'stale'
  | 'payload-hash' // x-amz-content-sha256 that is not the body's (or a STREAMING mode with a body that is no chunk stream)
  | 'missing-bucket' // any operation on a bucket that does not exist
  | 'broken-config' // PUT of a bucket configuration whose document is broken
  | 'missing-key' // GET or HEAD of an object that does not exist
  | 'bad-method'; // a method S3 has no operation for

/** Query names S3 (or s3rver, or the store) gives a meaning: noise never uses them. */
const S3_RESERVED_QUERY = [
  'acl', 'analytics', 'cors', 'delete', 'encryption', 'inventory', 'lifecycle', 'location', 'metrics', 'notification', 'object-lock', 'policy',
  'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'tagging', 'uploads', 'versions', 'versioning', 'website', 'accelerate',
  'logging', 'legal-hold', 'retention', 'select', 'torrent', 'uploadId', 'ownershipControls', 'versionId', 'partNumber', 'x-id',
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Security-Token',
  'AWSAccessKeyId', 'Signature', 'Expires',
];

/** Subresources a PUT on a missing bucket may name (so it is never a CreateBucket). */
const S3_BUCKET_SUBRESOURCES = ['tagging', 'policy', 'encryption', 'publicAccessBlock', 'ownershipControls', 'lifecycle', 'cors', 'website', 'acl', 'versioning', 'notification'];

/** Noise headers of S3-protocol requests (none changes which check answers a defect). */
const S3_NOISE_HEADERS = ['content-type', 'content-encoding', 'accept', 'range', 'if-match', 'if-none-match', 'x-amz-meta-junk', 'x-amz-acl', 'x-amz-storage-class', 'cache-control'];

const s3Noise = fc.record({
  query: garbledQuery(junkKey(S3_RESERVED_QUERY), 4),
  headers: extraHeaders(S3_NOISE_HEADERS),
});

/** An object key as sent: one or more garbled segments under `missing/`. */
const missingKeyPath = fc.array(wirePathSegment.filter((segment) => segment !== '' && segment !== '.' && segment !== '..'), { minLength: 1, maxLength: 3 }).map((segments) => `missing-${segments.join('/')}`);

/** A bucket name that does not exist: `missing-` plus a garbled segment. */
const missingBucketName = wirePathSegment.filter((segment) => !segment.includes('%2F') && !segment.includes('%2f')).map((segment) => `missing-${segment}`);

/**
 * Garbled S3-protocol requests, each with a defect the store must refuse. `existingBucket` must exist (broken
 * configurations and missing keys are sent to it) and hold no object whose key starts with `missing-`.
 */
export function garbledS3Case(existingBucket: string): fc.Arbitrary<GarbledCase<S3Defect>> {
  const signedAs = fc.constantFrom<Signing>('admin', 'restricted');
  const anyTarget = fc.oneof(
    missingBucketName.map((bucket) => `/${bucket}`),
    missingKeyPath.map((key) => `/${existingBucket}/${key}`),
    fc.constant(`/${existingBucket}`),
  );
  const build = (defect: S3Defect, signing: Signing, method: string, path: string, noise: { query: string[]; headers: Record<string, string> }, body: Buffer, extra: { query?: string[]; headers?: Record<string, string> } = {}) =>
    new GarbledCase(defect, { method, path, query: [...(extra.query ?? []), ...noise.query], headers: { ...noise.headers, ...extra.headers }, body }, signing);
  const byDefect: Record<S3Defect, fc.Arbitrary<GarbledCase<S3Defect>>> = {
    unsigned: fc.tuple(anyMethod, anyTarget, s3Noise, garbledBody).map(([method, path, noise, body]) => build('unsigned', 'unsigned', method, path, noise, body)),
    'wrong-secret': fc.tuple(anyMethod, anyTarget, s3Noise, garbledBody).map(([method, path, noise, body]) => build('wrong-secret', 'wrong-secret', method, path, noise, body)),
    stale: fc.tuple(anyMethod, anyTarget, s3Noise, garbledBody).map(([method, path, noise, body]) => build('stale', 'stale', method, path, noise, body)),
    'payload-hash': fc
      .tuple(
        signedAs,
        fc.constantFrom('PUT', 'POST', 'GET'),
        anyTarget,
        s3Noise,
        garbledBody.map((body) => Buffer.concat([Buffer.from('zz'), body])),
        fc.constantFrom('0'.repeat(64), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'sha256', ''),
      )
      .map(([signing, method, path, noise, body, hash]) => build('payload-hash', signing, method, path, noise, body, { headers: { 'x-amz-content-sha256': hash } })),
    'missing-bucket': fc
      .tuple(signedAs, fc.constantFrom('GET', 'HEAD', 'DELETE', 'POST', 'PUT'), missingBucketName, fc.option(missingKeyPath, { nil: undefined }), fc.constantFrom(...S3_BUCKET_SUBRESOURCES), s3Noise, garbledBody)
      .map(([signing, method, bucket, key, subresource, noise, body]) =>
        build('missing-bucket', signing, method, key === undefined ? `/${bucket}` : `/${bucket}/${key}`, noise, body, method === 'PUT' && key === undefined ? { query: [subresource] } : {}),
      ),
    'broken-config': fc
      .tuple(signedAs, fc.constantFrom('tagging', 'encryption', 'publicAccessBlock', 'ownershipControls', 'lifecycle', 'policy', 'cors', 'website'), s3Noise, brokenXml, brokenJson)
      .map(([signing, kind, noise, xml, json]) => build('broken-config', signing, 'PUT', `/${existingBucket}`, noise, Buffer.from(kind === 'policy' ? json : xml), { query: [kind] })),
    'missing-key': fc
      .tuple(signedAs, fc.constantFrom('GET', 'HEAD'), missingKeyPath, s3Noise)
      .map(([signing, method, key, noise]) => build('missing-key', signing, method, `/${existingBucket}/${key}`, noise, Buffer.alloc(0))),
    'bad-method': fc
      .tuple(signedAs, fc.constantFrom('PATCH', 'PROPFIND', 'PURGE', 'SEARCH'), anyTarget, s3Noise, garbledBody)
      .map(([signing, method, path, noise, body]) => build('bad-method', signing, method, path, noise, body)),
  };
  return fc.constantFrom(...(Object.keys(byDefect) as S3Defect[])).chain((defect) => byDefect[defect]);
}

/** Key pairs of an S3-protocol store: the full one and the read-only one. */
export interface S3Keys {
  readonly admin: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly restricted: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Signs an S3-protocol case as it asks (SigV4, service `s3`, the given region). */
export async function signS3Case(endpoint: string, garbled: GarbledCase, keys: S3Keys, region: string): Promise<WireRequest> {
  switch (garbled.signing) {
    case 'unsigned':
      return garbled.request;
    case 'wrong-secret':
      return signSigV4(endpoint, garbled.request, { service: 's3', region, accessKeyId: keys.admin.accessKeyId, secretAccessKey: `${keys.admin.secretAccessKey}x` });
    case 'stale':
      return signSigV4(endpoint, garbled.request, { service: 's3', region, ...keys.admin, signingDate: staleDate() });
    case 'admin':
    case 'restricted':
      return signSigV4(endpoint, garbled.request, { service: 's3', region, ...keys[garbled.signing] });
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Error shapes

const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true, trimValues: false });

/** The first character XML 1.0 does not allow (`Char` production), if any. */
function invalidXmlChar(text: string): string | undefined {
  const match = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(text);
  return match ? `U+${match[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')} at ${match.index}` : undefined;
}

/** The parsed XML document (one root), or the reason it is not well-formed XML 1.0. */
function parseXmlAnswer(text: string): { root: string; content: Record<string, unknown> } | string {
  const bad = invalidXmlChar(text);
  if (bad) return `not XML 1.0: character ${bad}`;
  const valid = XMLValidator.validate(text);
  if (valid !== true) return `not well-formed XML: ${valid.err.msg}`;
  const parsed = xmlParser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(parsed).filter((key) => key !== '?xml');
  if (roots.length !== 1) return `expected one root element, found ${JSON.stringify(roots)}`;
  const content = parsed[roots[0]];
  return { root: roots[0], content: typeof content === 'object' && content !== null ? (content as Record<string, unknown>) : {} };
}

function header(response: WireResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

/**
 * The S3-protocol property every cloud's object store must hold (S3, Alibaba OSS and JD OSS share it): each
 * garbled request, signed as `keys` say for `region`, is refused in S3's `<Error>` shape, never with a 5xx.
 */
export function s3RefusalProperty(endpoint: string, existingBucket: string, keys: S3Keys, region: string): fc.IAsyncProperty<[GarbledCase<S3Defect>]> {
  return fc.asyncProperty(garbledS3Case(existingBucket), async (garbled) => {
    const request = await signS3Case(endpoint, garbled, keys, region);
    assertRefusal(await sendWire(endpoint, request), s3ErrorShape, request);
  });
}

/** The cloud's error shape, as a list of problems (empty: the answer has the shape). */
export type ErrorShape = (response: WireResponse) => string[];

function xmlShape(response: WireResponse, requestIdHeader: string, check: (root: string, content: Record<string, unknown>, requestId: string | undefined) => string[]): string[] {
  const requestId = header(response, requestIdHeader);
  if (!requestId) return [`no ${requestIdHeader} header`];
  if (response.method === 'HEAD') return response.text === '' ? [] : ['a HEAD answer with a body'];
  if (!/xml/i.test(header(response, 'content-type') ?? '')) return [`content-type ${JSON.stringify(header(response, 'content-type'))} is not XML`];
  const parsed = parseXmlAnswer(response.text);
  if (typeof parsed === 'string') return [parsed];
  return check(parsed.root, parsed.content, requestId);
}

/** EC2: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`, RequestID = `x-amzn-RequestId`. */
export const ec2ErrorShape: ErrorShape = (response) =>
  xmlShape(response, 'x-amzn-requestid', (root, content, requestId) => {
    const problems: string[] = [];
    if (root !== 'Response') problems.push(`root <${root}>, expected <Response>`);
    const error = (content.Errors as Record<string, unknown> | undefined)?.Error as Record<string, unknown> | undefined;
    if (!error || Array.isArray(error)) problems.push('no single <Errors><Error>');
    else {
      if (!isText(error.Code) || error.Code === '') problems.push('no <Code>');
      if (!isText(error.Message) && error.Message !== undefined) problems.push('<Message> is not text');
      if (!('Message' in error)) problems.push('no <Message>');
    }
    if (content.RequestID !== requestId) problems.push(`<RequestID> ${JSON.stringify(content.RequestID)} is not the header's ${requestId}`);
    return problems;
  });

/** IAM and STS: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, RequestId = `x-amzn-RequestId`. */
export const queryErrorShape: ErrorShape = (response) =>
  xmlShape(response, 'x-amzn-requestid', (root, content, requestId) => {
    const problems: string[] = [];
    if (root !== 'ErrorResponse') problems.push(`root <${root}>, expected <ErrorResponse>`);
    const error = content.Error as Record<string, unknown> | undefined;
    if (!error || Array.isArray(error)) problems.push('no single <Error>');
    else {
      const expectedType = response.status >= 500 ? 'Receiver' : 'Sender';
      if (error.Type !== expectedType) problems.push(`<Type> ${JSON.stringify(error.Type)}, expected ${expectedType}`);
      if (!isText(error.Code) || error.Code === '') problems.push('no <Code>');
      if (!('Message' in error)) problems.push('no <Message>');
    }
    if (content.RequestId !== requestId) problems.push(`<RequestId> ${JSON.stringify(content.RequestId)} is not the header's ${requestId}`);
    return problems;
  });

/** S3 and the S3-protocol OSS stores: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`, matching `x-amz-request-id` / `x-amz-id-2`. */
export const s3ErrorShape: ErrorShape = (response) =>
  xmlShape(response, 'x-amz-request-id', (root, content, requestId) => {
    const problems: string[] = [];
    if (root !== 'Error') problems.push(`root <${root}>, expected <Error>`);
    if (!isText(content.Code) || content.Code === '') problems.push('no <Code>');
    if (!('Message' in content)) problems.push('no <Message>');
    if (content.RequestId !== requestId) problems.push(`<RequestId> ${JSON.stringify(content.RequestId)} is not the header's ${requestId}`);
    const hostId = header(response, 'x-amz-id-2');
    if (!isText(content.HostId) || content.HostId === '' || content.HostId !== hostId) problems.push(`<HostId> ${JSON.stringify(content.HostId)} is not the x-amz-id-2 header ${JSON.stringify(hostId)}`);
    return problems;
  });

function jsonShape(response: WireResponse, requestIdHeader: string, check: (body: Record<string, unknown>, requestId: string) => string[]): string[] {
  const requestId = header(response, requestIdHeader);
  if (!requestId) return [`no ${requestIdHeader} header`];
  if (response.method === 'HEAD') return response.text === '' ? [] : ['a HEAD answer with a body'];
  if (!/json/i.test(header(response, 'content-type') ?? '')) return [`content-type ${JSON.stringify(header(response, 'content-type'))} is not JSON`];
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return ['body is not JSON'];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body is not a JSON object'];
  return check(body as Record<string, unknown>, requestId);
}

/** Alibaba Cloud RPC gateway: `{RequestId, HostId, Code, Message, Recommend?}`, RequestId = `x-acs-request-id`. */
export function acsErrorShape(hostId: string): ErrorShape {
  return (response) =>
    jsonShape(response, 'x-acs-request-id', (body, requestId) => {
      const problems: string[] = [];
      if (body.RequestId !== requestId) problems.push(`RequestId ${JSON.stringify(body.RequestId)} is not the header's ${requestId}`);
      if (body.HostId !== hostId) problems.push(`HostId ${JSON.stringify(body.HostId)}, expected ${hostId}`);
      if (!isText(body.Code) || body.Code === '') problems.push('no Code');
      if (!isText(body.Message)) problems.push('no Message');
      if (body.Recommend !== undefined && !(isText(body.Recommend) && isText(body.Code) && body.Recommend.includes(`q=${encodeURIComponent(body.Code)}`))) {
        problems.push(`Recommend ${JSON.stringify(body.Recommend)} does not name the code`);
      }
      return problems;
    });
}

/** JD Cloud OpenAPI: exactly `{requestId, error: {code, status, message}}`, code = HTTP status, requestId = `x-jdcloud-request-id`. */
export const jdErrorShape: ErrorShape = (response) =>
  jsonShape(response, 'x-jdcloud-request-id', (body, requestId) => {
    const problems: string[] = [];
    const keys = Object.keys(body).sort();
    if (keys.join(',') !== 'error,requestId') problems.push(`keys ${JSON.stringify(keys)}, expected error and requestId`);
    if (body.requestId !== requestId) problems.push(`requestId ${JSON.stringify(body.requestId)} is not the header's ${requestId}`);
    const error = body.error as Record<string, unknown> | undefined;
    if (typeof error !== 'object' || error === null) return [...problems, 'no error object'];
    if (error.code !== response.status) problems.push(`error.code ${JSON.stringify(error.code)} is not the status ${response.status}`);
    if (!isText(error.status) || !/^[A-Z][A-Z_]*$/.test(error.status)) problems.push(`error.status ${JSON.stringify(error.status)} is not a status string`);
    if (!isText(error.message)) problems.push('no error.message');
    return problems;
  });

/**
 * Throws unless the answer is a refusal (4xx; 5xx never, since no fault is injected) in the cloud's error shape.
 * The message carries the request and the answer, so a counterexample explains itself.
 */
export function assertRefusal(response: WireResponse, shape: ErrorShape, request: WireRequest): void {
  const problems = response.status >= 400 && response.status < 500 ? shape(response) : [`status ${response.status}, expected 4xx`];
  if (problems.length > 0) {
    throw new Error(`${problems.join('; ')}\nrequest: ${describeWire(request)}\nanswer: ${response.status} ${response.text.slice(0, 600)}`);
  }
}

/**
 * Throws unless the answer is a success (2xx) or a refusal (4xx) in the cloud's error shape: for requests that may
 * be valid (odd array indexes reach the parsers), never a 5xx.
 */
export function assertAnswered(response: WireResponse, shape: ErrorShape, request: WireRequest): void {
  if (response.status >= 200 && response.status < 300) return;
  assertRefusal(response, shape, request);
}

// ----------------------------------------------------------------------------------------------------------------
// Running properties

/**
 * Runs an async fast-check property and, when it fails, fails the test with the error, the shrunk counterexample
 * and the seed and path that replay it. `IMAGEPORT_PROPERTY_RUNS=5000` searches deeper.
 */
export async function holdsAsync<Ts extends [unknown, ...unknown[]]>(t: ExecutionContext, property: fc.IAsyncProperty<Ts>, parameters: fc.Parameters<Ts> = {}): Promise<void> {
  const runs = Number(process.env.IMAGEPORT_PROPERTY_RUNS);
  const details = await fc.check(property, Number.isSafeInteger(runs) && runs > 0 ? { ...parameters, numRuns: runs } : parameters);
  if (!details.failed) {
    t.pass();
    return;
  }
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const example = fc.stringify(details.counterexample).slice(0, 2000);
  t.fail(`property failed after ${details.numRuns} runs: ${error}\ncounterexample: ${example}\nreplay with { seed: ${details.seed}, path: "${(details.counterexamplePath ?? '').slice(0, 200)}" }`);
}

/**
 * Records every unhandled rejection and uncaught exception of the process (the emulator runs in it), without
 * changing how an uncaught exception ends the process. `stop()` removes the listeners.
 */
export function watchProcess(): { readonly problems: readonly string[]; stop(): void } {
  const problems: string[] = [];
  const onRejection = (reason: unknown) => problems.push(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
  const onException = (error: Error) => problems.push(`uncaught exception: ${error.stack}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onException);
  return {
    problems,
    stop: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtExceptionMonitor', onException);
    },
  };
}
