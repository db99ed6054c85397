import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { hmac, sha256Hex } from '../sigv4-verifier';

/** A decoded `aws-chunked` body. */
export interface DecodedChunkedBody {
  /** The payload with the chunk framing removed. */
  readonly data: Buffer;
  /** Trailing headers (`x-amz-checksum-crc32` …), lower-case names. */
  readonly trailers: Readonly<Record<string, string>>;
}

/** Chain state to verify signed chunks (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`). */
export interface ChunkSigning {
  /** Signing key of the request. */
  readonly signingKey: Buffer;
  /** `x-amz-date`. */
  readonly amzDate: string;
  /** Credential scope. */
  readonly scope: string;
  /** Seed signature (the Authorization header's). */
  readonly seedSignature: string;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Removes the `aws-chunked` framing SDKs use for streaming uploads (`<hex size>[;chunk-signature=…]\r\n<data>\r\n`
 * … `0\r\n<trailers>\r\n`). With `signing`, each chunk signature is checked against the chain. Throws with a
 * message naming the problem when the framing or a signature is wrong.
 */
export function decodeAwsChunked(body: Buffer, signing?: ChunkSigning): DecodedChunkedBody {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let position = 0;
  let previous = signing?.seedSignature;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', position);
    if (lineEnd < 0) throw new Error('aws-chunked body ends inside a chunk header');
    const headerLine = body.subarray(position, lineEnd).toString('latin1');
    const [sizeText, ...extensions] = headerLine.split(';');
    if (!/^[0-9a-fA-F]+$/.test(sizeText.trim())) throw new Error(`aws-chunked chunk size ${JSON.stringify(sizeText)} is not hexadecimal`);
    const size = parseInt(sizeText, 16);
    const dataStart = lineEnd + 2;
    const data = body.subarray(dataStart, dataStart + size);
    if (data.length !== size) throw new Error(`aws-chunked chunk declares ${size} bytes but only ${data.length} follow`);
    if (signing && previous !== undefined) {
      const signature = extensions.map((ext) => ext.trim()).find((ext) => ext.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
      const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, previous, EMPTY_SHA256, sha256Hex(data)].join('\n');
      const expected = hmac(signing.signingKey, stringToSign).toString('hex');
      if (signature !== expected) throw new Error('a chunk signature does not match the signature chain');
      previous = expected;
    }
    if (size === 0) {
      position = dataStart;
      break;
    }
    parts.push(data);
    position = dataStart + size;
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') throw new Error('aws-chunked chunk data is not followed by CRLF');
    position += 2;
  }
  // Trailers: `name:value\r\n` lines, then an empty line (or the end of the body).
  while (position < body.length) {
    const lineEnd = body.indexOf('\r\n', position);
    const line = body.subarray(position, lineEnd < 0 ? body.length : lineEnd).toString('latin1');
    position = lineEnd < 0 ? body.length : lineEnd + 2;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}

/** Checks `x-amz-checksum-*` values (headers or trailers) against the payload; returns the failing algorithm, if any. */
export function failedChecksum(data: Buffer, values: Readonly<Record<string, string | undefined>>): string | undefined {
  const checks: Array<[string, () => string]> = [
    ['x-amz-checksum-crc32', () => uint32Base64(crc32(data))],
    ['x-amz-checksum-sha1', () => createHash('sha1').update(data).digest('base64')],
    ['x-amz-checksum-sha256', () => createHash('sha256').update(data).digest('base64')],
  ];
  for (const [name, compute] of checks) {
    const expected = values[name];
    if (expected !== undefined && expected !== compute()) return name.replace('x-amz-checksum-', '').toUpperCase();
  }
  return undefined;
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0, 0);
  return bytes.toString('base64');
}
