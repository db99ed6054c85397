import { createHash } from 'node:crypto';
import { type DiskFormat, DISK_FORMATS, normalizeDiskFormat } from '../model/disk-format';
import { type Artifact } from '../model/task';
import { SpecValidationError, type ValidationIssue } from '../model/validation-issue';
import { imageError, type ImageProblem, imageWarning } from './formats/image-info';
import { inspectImage } from './formats/inspect-image';
import { type ObjectStorage } from './object-storage';
import { isStreamingObjectStorage } from './streaming-object-storage';

/** What the artifact should be. Every field is optional; absent fields are not checked. */
export interface ArtifactExpectation {
  /** Expected format, any letter case. @default - the artifact's `format`, when given */
  readonly format?: DiskFormat | string;
  /** Smallest acceptable virtual disk size, in bytes. @default - not checked */
  readonly minVirtualSizeBytes?: number;
  /** Exact object size, in bytes. @default - the artifact's `sizeBytes`, when given */
  readonly sizeBytes?: number;
  /** SHA-256 of the whole object, hex (64 characters) or base64 (as S3's `ChecksumSHA256`). @default - not checked */
  readonly sha256?: string;
}

/** Tuning of {@link verifyArtifact}. */
export interface VerifyArtifactOptions {
  /** Bytes read from the start of the object. @default 65536 */
  readonly headerBytes?: number;
  /** Chunk size when hashing through ranged reads (stores that cannot stream). @default 8388608 (8 MiB) */
  readonly hashChunkBytes?: number;
}

/** What {@link verifyArtifact} found. */
export interface ArtifactReport {
  /** Bucket. */
  readonly bucket: string;
  /** Object key. */
  readonly key: string;
  /** True when the object exists. */
  readonly exists: boolean;
  /** Object size in bytes. @default - the object does not exist */
  readonly sizeBytes?: number;
  /** ETag. @default - not returned */
  readonly etag?: string;
  /** Format detected from the bytes. @default - none detected (missing or empty object) */
  readonly format?: DiskFormat;
  /** Sub-format (`streamOptimized`, `fixed`, `v3`…). @default - none */
  readonly variant?: string;
  /** Virtual disk size in bytes. @default - unknown */
  readonly virtualSizeBytes?: number;
  /** SHA-256 of the object, hex, when a checksum was asked for. @default - not computed */
  readonly sha256?: string;
  /** Every problem found; `ok` is false when any has severity `error`. */
  readonly problems: readonly ImageProblem[];
  /** True when no problem is an error. */
  readonly ok: boolean;
  /** Bytes read from the store (ranged reads; the whole object only for a checksum). */
  readonly bytesRead: number;
}

/** Formats that carry a magic number (all but raw, whose header is just data). */
const FORMATS_WITH_MAGIC: ReadonlySet<DiskFormat> = new Set(DISK_FORMATS.filter((format) => format !== 'raw'));

/** Decodes an expected SHA-256 (hex or base64) to hex, or `undefined` when it is neither. */
function sha256Hex(value: string): string | undefined {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return trimmed.toLowerCase();
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return Buffer.from(trimmed, 'base64').toString('hex');
  return undefined;
}

function validateExpectation(expectation: ArtifactExpectation): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (expectation.format !== undefined && !normalizeDiskFormat(expectation.format)) {
    issues.push({
      field: 'format',
      value: expectation.format,
      rule: 'is not a known disk format',
      code: 'format.unknown',
      allowed: DISK_FORMATS,
    });
  }
  for (const field of ['minVirtualSizeBytes', 'sizeBytes'] as const) {
    const value = expectation[field];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      issues.push({ field, value, rule: 'must be a whole number of bytes >= 0', code: `${field}.invalid` });
    }
  }
  if (expectation.sha256 !== undefined && sha256Hex(expectation.sha256) === undefined) {
    issues.push({
      field: 'sha256',
      value: expectation.sha256,
      rule: 'must be a SHA-256 digest: 64 hex characters or 44 base64 characters',
      code: 'sha256.invalid',
    });
  }
  return issues;
}

/** Hashes the whole object: one streamed GET when the store can stream, else ranged reads of `chunkBytes`. */
async function hashObject(storage: ObjectStorage, bucket: string, key: string, sizeBytes: number, chunkBytes: number) {
  const hash = createHash('sha256');
  if (isStreamingObjectStorage(storage)) {
    let bytes = 0;
    for await (const chunk of await storage.readStream(bucket, key)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return { hex: hash.digest('hex'), bytes };
  }
  for (let offset = 0; offset < sizeBytes; offset += chunkBytes) {
    hash.update(await storage.readRange(bucket, key, offset, Math.min(sizeBytes, offset + chunkBytes) - 1));
  }
  return { hex: hash.digest('hex'), bytes: sizeBytes };
}

/**
 * Checks an exported (or to-be-imported) disk image in a bucket: a HEAD for its size, one or two small ranged reads
 * of the header (plus the footer or metadata a format needs) for the format and virtual size, and, only when a
 * checksum is expected, the whole object streamed through SHA-256 (never buffered).
 *
 * A bad artifact never throws: the report lists every problem (missing, empty or truncated object, bad magic,
 * format mismatch, too small, size mismatch, checksum mismatch, and what the header parser found). Only transport
 * errors throw (as `CloudError`), and an invalid expectation throws `SpecValidationError` naming every bad field.
 *
 * @param storage the store holding the artifact
 * @param artifact where it is, and optionally its declared format and size
 * @param expectation what it should be
 */
export async function verifyArtifact(
  storage: ObjectStorage,
  artifact: Pick<Artifact, 'bucket' | 'key'> & Partial<Pick<Artifact, 'format' | 'sizeBytes'>>,
  expectation: ArtifactExpectation = {},
  options: VerifyArtifactOptions = {},
): Promise<ArtifactReport> {
  const issues = validateExpectation(expectation);
  if (issues.length > 0) throw new SpecValidationError(`verifyArtifact expectation for ${artifact.key}`, issues);
  const { bucket, key } = artifact;
  const expectedFormat = normalizeDiskFormat(expectation.format ?? artifact.format);
  const expectedSize = expectation.sizeBytes ?? artifact.sizeBytes;
  const where = `${bucket}/${key}`;

  const head = await storage.head(bucket, key);
  if (!head) {
    return {
      bucket,
      key,
      exists: false,
      problems: [imageError('missing', `${where} does not exist`)],
      ok: false,
      bytesRead: 0,
    };
  }
  const problems: ImageProblem[] = [];
  const sizeBytes = head.sizeBytes;
  if (expectedSize !== undefined && sizeBytes !== expectedSize) {
    problems.push(imageError('size-mismatch', `${where} is ${sizeBytes} bytes; expected ${expectedSize}`));
  }
  let bytesRead = 0;
  let format: DiskFormat | undefined;
  let variant: string | undefined;
  let virtualSizeBytes: number | undefined;
  if (sizeBytes === 0) {
    problems.push(imageError('empty', `${where} is empty (0 bytes)`));
  } else {
    let transportError: unknown;
    try {
      const inspection = await inspectImage(
        async (offset, length) => {
          try {
            return await storage.readRange(bucket, key, offset, offset + length - 1);
          } catch (error) {
            transportError = error;
            throw error;
          }
        },
        sizeBytes,
        { headerBytes: options.headerBytes },
      );
      bytesRead = inspection.reads.reduce((sum, range) => sum + range.length, 0);
      ({ format, variant, virtualSizeBytes } = inspection.info);
      if (expectedFormat && format !== expectedFormat) {
        problems.push(
          format === 'raw' && FORMATS_WITH_MAGIC.has(expectedFormat)
            ? imageError('bad-magic', `${where} should be ${expectedFormat}, but its header has no ${expectedFormat} magic (it reads as raw data)`)
            : imageError('format-mismatch', `${where} should be ${expectedFormat}, but it is ${format}`),
        );
      }
      problems.push(...inspection.info.problems);
    } catch (error) {
      if (error === transportError) throw error;
      problems.push(imageError('bad-header', `the header of ${where} could not be parsed: ${(error as Error).message}`));
    }
  }
  if (expectation.minVirtualSizeBytes !== undefined && sizeBytes > 0) {
    if (virtualSizeBytes === undefined) {
      problems.push(imageWarning('unchecked', `the virtual size of ${where} is unknown: minimum ${expectation.minVirtualSizeBytes} not checked`));
    } else if (virtualSizeBytes < expectation.minVirtualSizeBytes) {
      problems.push(
        imageError('too-small', `the virtual disk of ${where} is ${virtualSizeBytes} bytes; at least ${expectation.minVirtualSizeBytes} expected`),
      );
    }
  }
  let sha256: string | undefined;
  if (expectation.sha256 !== undefined) {
    const hashed = await hashObject(storage, bucket, key, sizeBytes, options.hashChunkBytes ?? 8 * 1024 * 1024);
    sha256 = hashed.hex;
    bytesRead += hashed.bytes;
    const expected = sha256Hex(expectation.sha256);
    if (sha256 !== expected) {
      problems.push(imageError('checksum-mismatch', `SHA-256 of ${where} is ${sha256}; expected ${expected}`));
    }
  }
  return {
    bucket,
    key,
    exists: true,
    sizeBytes,
    ...(head.etag ? { etag: head.etag } : {}),
    ...(format ? { format } : {}),
    ...(variant ? { variant } : {}),
    ...(virtualSizeBytes !== undefined ? { virtualSizeBytes } : {}),
    ...(sha256 ? { sha256 } : {}),
    problems,
    ok: problems.every((problem) => problem.severity !== 'error'),
    bytesRead,
  };
}
