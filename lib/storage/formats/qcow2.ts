import { type DiskImageInfo, hasBytes, imageError, imageWarning, type ImageProblem, readUint64 } from './image-info';

/** `QFI\xfb`, at offset 0. */
export const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);

/** True when the header starts with the QCOW magic. */
export function isQcow2(header: Buffer): boolean {
  return hasBytes(header, 4) && header.subarray(0, 4).equals(QCOW2_MAGIC);
}

/**
 * Parses a QCOW2 header (big-endian; qemu `docs/interop/qcow2.txt`): version, virtual size at offset 24, and the
 * things that make an image unusable on its own: encryption, a backing file, an external data file, the corrupt
 * bit, and tables that point past the end of the object (truncation).
 *
 * @param header the first bytes of the object (at least 104 for version 3)
 * @param objectSizeBytes the object's size, for the truncation checks
 */
export function parseQcow2(header: Buffer, objectSizeBytes?: number): DiskImageInfo {
  const problems: ImageProblem[] = [];
  if (!isQcow2(header)) {
    return { format: 'qcow2', problems: [imageError('bad-magic', 'no QCOW2 magic "QFI\\xfb" at offset 0')] };
  }
  if (!hasBytes(header, 72)) {
    return { format: 'qcow2', problems: [imageError('truncated', `only ${header.length} bytes: a QCOW2 header needs 72`)] };
  }
  const version = header.readUInt32BE(4);
  if (version !== 2 && version !== 3) {
    problems.push(imageError('unsupported', `QCOW version ${version}: only versions 2 and 3 are supported`));
  }
  const backingFileOffset = readUint64(header, 8, false) ?? 0;
  const backingFileSize = header.readUInt32BE(16);
  const clusterBits = header.readUInt32BE(20);
  const virtualSizeBytes = readUint64(header, 24, false);
  const cryptMethod = header.readUInt32BE(32);
  const l1Size = header.readUInt32BE(36);
  const l1TableOffset = readUint64(header, 40, false) ?? Number.MAX_SAFE_INTEGER;
  const refcountTableOffset = readUint64(header, 48, false) ?? Number.MAX_SAFE_INTEGER;
  const refcountTableClusters = header.readUInt32BE(56);

  if (clusterBits < 9 || clusterBits > 21) {
    problems.push(imageError('bad-header', `cluster_bits ${clusterBits} is outside 9-21`));
  }
  if (virtualSizeBytes === undefined) problems.push(imageError('bad-header', 'virtual size is beyond 2^53 bytes'));
  if (cryptMethod !== 0) {
    problems.push(imageError('encrypted', `encrypted image (crypt_method ${cryptMethod}): clouds cannot read it`));
  }
  if (backingFileOffset !== 0) {
    const name =
      backingFileSize > 0 && hasBytes(header, backingFileOffset + backingFileSize)
        ? ` "${header.toString('utf8', backingFileOffset, backingFileOffset + backingFileSize)}"`
        : '';
    problems.push(imageError('backing-file', `the image has a backing file${name}: it is not a complete disk`));
  }
  if (version === 3 && hasBytes(header, 80)) {
    const incompatible = header.readBigUInt64BE(72);
    if (incompatible & 1n) problems.push(imageWarning('dirty', 'the dirty bit is set: refcounts may be stale'));
    if (incompatible & 2n) problems.push(imageError('bad-header', 'the corrupt bit is set'));
    if (incompatible & 4n) {
      problems.push(imageError('external-extents', 'the data lives in an external data file: this object is not the disk'));
    }
  }
  if (objectSizeBytes !== undefined && clusterBits >= 9 && clusterBits <= 21) {
    const l1End = l1TableOffset + l1Size * 8;
    const refcountEnd = refcountTableOffset + refcountTableClusters * 2 ** clusterBits;
    const needed = Math.max(l1End, refcountEnd);
    if (needed > objectSizeBytes) {
      problems.push(
        imageError('truncated', `the L1 and refcount tables end at byte ${needed}, past the object's ${objectSizeBytes} bytes`),
      );
    }
  }
  return {
    format: 'qcow2',
    variant: `v${version}`,
    ...(virtualSizeBytes !== undefined ? { virtualSizeBytes } : {}),
    problems,
  };
}
