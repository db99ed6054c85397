import { constants, gunzipSync } from 'node:zlib';
import { type DiskImageInfo, hasBytes, imageError, imageWarning, type ImageProblem } from './image-info';
import { readFirstTarEntry, type TarEntry, type TarFailure } from './tar';

/** gzip magic and the deflate method byte. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** Bytes a tar writer may add after the last entry: end-of-archive blocks padded to a 10 KiB record. */
const TAR_RECORD = 10_240;

/** True when the header starts a gzip stream. */
export function isGzip(header: Buffer): boolean {
  return hasBytes(header, 3) && header.subarray(0, 3).equals(GZIP_MAGIC);
}

/**
 * Inflates the start of a gzip stream and reads the first tar entry from it, feeding growing slices of `compressed`
 * (1 KiB, 8 KiB, 64 KiB…) so a highly compressible disk (zeros) never inflates to more than about a megabyte per KiB
 * read. Returns the entry, or why it could not be read.
 */
export function readFirstTarGzEntry(compressed: Buffer): TarEntry | TarFailure | 'not-gzip' {
  let result: TarEntry | TarFailure = 'incomplete';
  for (let take = 1024; ; take *= 8) {
    const slice = compressed.subarray(0, Math.min(take, compressed.length));
    let inflated: Buffer;
    try {
      inflated = gunzipSync(slice, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: slice.length * 1100 });
    } catch {
      return 'not-gzip';
    }
    result = readFirstTarEntry(inflated);
    if (result !== 'incomplete' || slice.length === compressed.length) return result;
  }
}

/** The range of the gzip trailer (CRC32 and uncompressed size mod 2^32): the last 8 bytes. */
export function gzipTrailerRange(objectSizeBytes: number): { offset: number; length: number } {
  return { offset: Math.max(0, objectSizeBytes - 8), length: Math.min(8, objectSizeBytes) };
}

/**
 * Parses a `raw.tar.gz` (what Alibaba Cloud writes for a RAW export: a gzip-compressed tar holding the raw disk):
 * inflates the start of the stream and reads the first tar header; the disk's virtual size is the size of that
 * file. When `trailer` (the last 8 bytes) is given, the gzip's uncompressed size (mod 2^32) is checked against a
 * tar of that one file: a mismatch means the object is truncated (or holds more than one file).
 *
 * @param compressedHead the first bytes of the object
 * @param trailer the last 8 bytes of the object
 */
export function parseRawTarGz(compressedHead: Buffer, trailer?: Buffer): DiskImageInfo {
  if (!isGzip(compressedHead)) {
    return { format: 'raw.tar.gz', problems: [imageError('bad-magic', 'no gzip magic 1f 8b 08 at offset 0')] };
  }
  const entry = readFirstTarGzEntry(compressedHead);
  if (entry === 'not-gzip') {
    return { format: 'raw.tar.gz', problems: [imageError('bad-header', 'the gzip stream does not inflate')] };
  }
  if (entry === 'not-tar') {
    return { format: 'raw.tar.gz', problems: [imageError('bad-header', 'the gzip stream does not hold a tar archive')] };
  }
  if (entry === 'incomplete') {
    return { format: 'raw.tar.gz', problems: [imageError('truncated', 'the stream ends before the first tar header does')] };
  }
  const problems: ImageProblem[] = [];
  if (entry.type !== '0' && entry.type !== 'S' && entry.type !== '7') {
    problems.push(imageError('bad-header', `the first tar entry "${entry.name}" is not a regular file (type ${entry.type})`));
  }
  if (entry.sizeBytes % 512 !== 0) {
    problems.push(imageWarning('suspicious-content', `the disk file is ${entry.sizeBytes} bytes: not a whole number of sectors`));
  }
  if (trailer && trailer.length === 8 && !entry.sparse) {
    const uncompressedMod = trailer.readUInt32LE(4);
    const minimal = entry.dataOffset + Math.ceil(entry.storedSizeBytes / 512) * 512 + 1024;
    const extra = (uncompressedMod - (minimal % 2 ** 32) + 2 ** 32) % 2 ** 32;
    if (extra >= TAR_RECORD) {
      problems.push(
        imageError(
          'truncated',
          `the gzip trailer gives ${uncompressedMod} uncompressed bytes (mod 2^32), which does not fit a tar of the ` +
            `${entry.storedSizeBytes}-byte file "${entry.name}": the object is truncated or holds more than one file`,
        ),
      );
    }
  }
  return { format: 'raw.tar.gz', variant: entry.name, virtualSizeBytes: entry.sizeBytes, problems };
}
