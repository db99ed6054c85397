import { type DiskImageInfo, hasBytes, imageError, imageWarning, type ImageProblem, readUint64 } from './image-info';

/** `conectix`: the footer cookie. */
export const VHD_COOKIE = Buffer.from('conectix', 'latin1');

/** Size of the VHD footer (and of its copy at offset 0 in dynamic disks). */
export const VHD_FOOTER_SIZE = 512;

const DISK_TYPES: Readonly<Record<number, string>> = { 2: 'fixed', 3: 'dynamic', 4: 'differencing' };

/** True when `buffer` at `offset` starts a VHD footer. */
export function isVhdFooter(buffer: Buffer, offset = 0): boolean {
  return hasBytes(buffer, offset + 8) && buffer.subarray(offset, offset + 8).equals(VHD_COOKIE);
}

/** A decoded VHD footer. */
export interface VhdFooter {
  /** `fixed`, `dynamic`, `differencing`, or `type N`. */
  readonly diskType: string;
  /** Current size in bytes (offset 48). */
  readonly currentSizeBytes?: number;
  /** Size from the CHS geometry, in bytes (what qemu uses for `vpc `/`qemu` creators). */
  readonly geometrySizeBytes: number;
  /** Creator application (`qemu`, `win `, `vpc `). */
  readonly creatorApplication: string;
  /** Offset of the dynamic disk header, for dynamic and differencing disks. */
  readonly dataOffset?: number;
  /** True when the stored checksum matches. */
  readonly checksumValid: boolean;
}

/** Decodes the 512-byte footer at `offset` (big-endian; Microsoft "Virtual Hard Disk Image Format Specification"). */
export function readVhdFooter(buffer: Buffer, offset = 0): VhdFooter | undefined {
  if (!isVhdFooter(buffer, offset) || !hasBytes(buffer, offset + VHD_FOOTER_SIZE)) return undefined;
  const footer = buffer.subarray(offset, offset + VHD_FOOTER_SIZE);
  let sum = 0;
  for (let i = 0; i < VHD_FOOTER_SIZE; i++) if (i < 64 || i >= 68) sum += footer[i];
  const checksumValid = (~sum >>> 0) === footer.readUInt32BE(64);
  const typeCode = footer.readUInt32BE(60);
  const dataOffset = footer.readBigUInt64BE(16);
  const currentSizeBytes = readUint64(footer, 48, false);
  return {
    diskType: DISK_TYPES[typeCode] ?? `type ${typeCode}`,
    ...(currentSizeBytes !== undefined ? { currentSizeBytes } : {}),
    geometrySizeBytes: footer.readUInt16BE(56) * footer[58] * footer[59] * 512,
    creatorApplication: footer.toString('latin1', 28, 32),
    ...(dataOffset !== 0xffffffffffffffffn && dataOffset <= BigInt(Number.MAX_SAFE_INTEGER)
      ? { dataOffset: Number(dataOffset) }
      : {}),
    checksumValid,
  };
}

/**
 * Parses a VHD. A dynamic (or differencing) disk starts with a copy of the footer and ends with the footer; a fixed
 * disk is the raw data followed by the footer, so its header has no magic and `tail` (the last 512 bytes) is
 * needed. The virtual size is the footer's current size.
 *
 * @param header the first bytes of the object
 * @param tail the last 512 bytes of the object
 * @param objectSizeBytes the object's size, for the fixed-disk size check
 */
export function parseVhd(header: Buffer, tail: Buffer | undefined, objectSizeBytes?: number): DiskImageInfo {
  const problems: ImageProblem[] = [];
  const front = readVhdFooter(header);
  const back = tail && tail.length >= VHD_FOOTER_SIZE ? readVhdFooter(tail, tail.length - VHD_FOOTER_SIZE) : undefined;
  const footer = front ?? back;
  if (!footer) {
    const problem = isVhdFooter(header)
      ? imageError('truncated', `only ${header.length} bytes: a VHD footer needs 512`)
      : imageError('bad-magic', 'no "conectix" footer at offset 0 (dynamic) nor in the last 512 bytes (fixed)');
    return { format: 'vhd', problems: [problem] };
  }
  if (!footer.checksumValid) problems.push(imageWarning('bad-checksum', 'the footer checksum does not match'));
  if (footer.diskType === 'differencing') {
    problems.push(imageError('backing-file', 'a differencing VHD depends on a parent disk: it is not a complete disk'));
  } else if (footer.diskType !== 'fixed' && footer.diskType !== 'dynamic') {
    problems.push(imageError('bad-header', `unknown VHD disk type (${footer.diskType})`));
  }
  if (front && tail && !back) {
    problems.push(imageError('truncated', 'the dynamic VHD does not end with its footer: the object is truncated'));
  }
  if (front && footer.diskType === 'dynamic' && footer.dataOffset !== undefined && hasBytes(header, footer.dataOffset + 8)) {
    if (header.toString('latin1', footer.dataOffset, footer.dataOffset + 8) !== 'cxsparse') {
      problems.push(imageError('bad-header', `no dynamic disk header ("cxsparse") at offset ${footer.dataOffset}`));
    }
  }
  if (!front && footer.diskType === 'fixed' && objectSizeBytes !== undefined && footer.currentSizeBytes !== undefined) {
    const expected = footer.currentSizeBytes + VHD_FOOTER_SIZE;
    if (objectSizeBytes < expected) {
      problems.push(imageError('truncated', `a fixed VHD of ${footer.currentSizeBytes} bytes needs ${expected} bytes; the object has ${objectSizeBytes}`));
    }
  }
  if (footer.currentSizeBytes === undefined) problems.push(imageError('bad-header', 'current size is beyond 2^53 bytes'));
  return {
    format: 'vhd',
    variant: footer.diskType,
    ...(footer.currentSizeBytes !== undefined ? { virtualSizeBytes: footer.currentSizeBytes } : {}),
    problems,
  };
}
