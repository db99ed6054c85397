import { type DiskFormat } from '../../model/disk-format';

/**
 * How bad a problem is: an `error` makes the artifact unusable or untrustworthy; a `warning` deserves a look.
 */
export type ProblemSeverity = 'error' | 'warning';

/** One problem found in an image header or an artifact. */
export interface ImageProblem {
  /**
   * Stable code. Errors: `missing`, `empty`, `truncated`, `bad-magic`, `bad-header`, `unsupported`, `encrypted`,
   * `backing-file`, `external-extents`, `format-mismatch`, `size-mismatch`, `checksum-mismatch`, `too-small`.
   * Warnings: `suspicious-content`, `bad-checksum` (VHD footer), `dirty` (QCOW2), `unchecked` (a check that could
   * not be made).
   */
  readonly code: string;
  /** What is wrong, with the values involved. */
  readonly message: string;
  /** How bad it is. */
  readonly severity: ProblemSeverity;
}

/** What a header parser found. */
export interface DiskImageInfo {
  /** The format. */
  readonly format: DiskFormat;
  /**
   * The sub-format: `monolithicSparse`, `streamOptimized`, `monolithicFlat` (VMDK); `fixed`, `dynamic`,
   * `differencing` (VHD); `v2`, `v3` (QCOW2); `dynamic`, `fixed` (VDI); the inner file name (`raw.tar.gz`).
   * @default - none
   */
  readonly variant?: string;
  /** Size of the virtual disk in bytes. @default - unknown (the header does not say, or could not be read) */
  readonly virtualSizeBytes?: number;
  /** Every problem found. */
  readonly problems: readonly ImageProblem[];
}

/** A byte range of an object. */
export interface ByteRange {
  /** First byte. */
  readonly offset: number;
  /** Number of bytes. */
  readonly length: number;
}

/** Builds an error-severity problem. */
export function imageError(code: string, message: string): ImageProblem {
  return { code, message, severity: 'error' };
}

/** Builds a warning-severity problem. */
export function imageWarning(code: string, message: string): ImageProblem {
  return { code, message, severity: 'warning' };
}

/** Reads an unsigned 64-bit integer as a number; `undefined` when it is beyond 2^53 (not a plausible size). */
export function readUint64(buffer: Buffer, offset: number, littleEndian: boolean): number | undefined {
  const value = littleEndian ? buffer.readBigUInt64LE(offset) : buffer.readBigUInt64BE(offset);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/** True when `buffer` holds at least `length` bytes. */
export function hasBytes(buffer: Buffer, length: number): boolean {
  return buffer.length >= length;
}
