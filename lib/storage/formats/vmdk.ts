import {
  type ByteRange,
  type DiskImageInfo,
  hasBytes,
  imageError,
  imageWarning,
  type ImageProblem,
  readUint64,
} from './image-info';

/** `KDMV`: the sparse extent magic, at offset 0. */
export const VMDK_SPARSE_MAGIC = Buffer.from('KDMV', 'latin1');

/** First line of a VMDK text descriptor. */
const DESCRIPTOR_MARKER = '# Disk DescriptorFile';

/** gdOffset value meaning "grain directory at the end, see the footer" (stream-optimized). */
const GD_AT_END = 0xffffffffffffffffn;

/** Flag: grains are compressed (stream-optimized). */
const FLAG_COMPRESSED = 1 << 16;

/** True when the header is a sparse extent (`KDMV`) or a text descriptor. */
export function isVmdk(header: Buffer): boolean {
  if (hasBytes(header, 4) && header.subarray(0, 4).equals(VMDK_SPARSE_MAGIC)) return true;
  return header.subarray(0, 1024).toString('latin1').includes(DESCRIPTOR_MARKER);
}

/** The parts of a sparse extent header that matter here. */
interface SparseHeader {
  readonly version: number;
  readonly flags: number;
  readonly capacitySectors?: number;
  readonly descriptorOffsetSectors: number;
  readonly descriptorSizeSectors: number;
  readonly gdAtEnd: boolean;
  readonly gdOffsetSectors?: number;
  readonly overheadSectors?: number;
  readonly lineEndsIntact: boolean;
}

function readSparseHeader(buffer: Buffer, offset = 0): SparseHeader | undefined {
  if (!hasBytes(buffer, offset + 79) || !buffer.subarray(offset, offset + 4).equals(VMDK_SPARSE_MAGIC)) return undefined;
  const gdOffset = buffer.readBigUInt64LE(offset + 56);
  return {
    version: buffer.readUInt32LE(offset + 4),
    flags: buffer.readUInt32LE(offset + 8),
    capacitySectors: readUint64(buffer, offset + 12, true),
    descriptorOffsetSectors: readUint64(buffer, offset + 28, true) ?? 0,
    descriptorSizeSectors: readUint64(buffer, offset + 36, true) ?? 0,
    gdAtEnd: gdOffset === GD_AT_END,
    gdOffsetSectors: gdOffset === GD_AT_END ? undefined : readUint64(buffer, offset + 56, true),
    overheadSectors: readUint64(buffer, offset + 64, true),
    // "\n \r\n" detects a file mangled by a text-mode transfer.
    lineEndsIntact:
      buffer[offset + 73] === 0x0a && buffer[offset + 74] === 0x20 && buffer[offset + 75] === 0x0d && buffer[offset + 76] === 0x0a,
  };
}

/** What a VMDK text descriptor says. */
export interface VmdkDescriptor {
  /** `createType` (`monolithicSparse`, `streamOptimized`, `monolithicFlat`, `twoGbMaxExtentSparse`…). */
  readonly createType?: string;
  /** Extents: access, size in sectors, type, file name. */
  readonly extents: readonly { readonly sectors: number; readonly type: string; readonly file?: string }[];
  /** True when the descriptor names a parent (a delta disk). */
  readonly hasParent: boolean;
}

/** Parses a VMDK text descriptor (embedded in a sparse extent, or a descriptor file of its own). */
export function parseVmdkDescriptor(text: string): VmdkDescriptor {
  const createType = /^\s*createType\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  const extents: { sectors: number; type: string; file?: string }[] = [];
  for (const match of text.matchAll(/^\s*(?:RW|RDONLY|NOACCESS)\s+(\d+)\s+(\w+)(?:\s+"([^"]*)")?/gm)) {
    extents.push({ sectors: Number(match[1]), type: match[2], ...(match[3] !== undefined ? { file: match[3] } : {}) });
  }
  const parent = /^\s*parentCID\s*=\s*([0-9a-fA-F]+)/m.exec(text)?.[1];
  const hasParent = (parent !== undefined && parent.toLowerCase() !== 'ffffffff') || /^\s*parentFileNameHint\s*=/m.test(text);
  return { ...(createType !== undefined ? { createType } : {}), extents, hasParent };
}

/**
 * The extra range a VMDK needs beyond the header: for a stream-optimized extent whose grain directory is at the end
 * (`gdOffset` = GD_AT_END, as VMware and AWS write them), the footer, end-of-stream marker included: the last 1024
 * bytes. Without it, the last 512 bytes (the end-of-stream marker) still show whether the object is complete.
 */
export function vmdkTailRange(header: Buffer, objectSizeBytes: number): ByteRange | undefined {
  const sparse = readSparseHeader(header);
  if (!sparse || (!sparse.gdAtEnd && (sparse.flags & FLAG_COMPRESSED) === 0)) return undefined;
  const length = Math.min(objectSizeBytes, 1024);
  return { offset: objectSizeBytes - length, length };
}

/**
 * Parses a VMDK (VMware "Virtual Disk Format 1.1", qemu `block/vmdk.c`): a sparse extent (`KDMV`, capacity in
 * sectors at offset 12; stream-optimized when grains are compressed) or a text descriptor file (capacity = sum of
 * the extents). For stream-optimized extents, `tail` (see {@link vmdkTailRange}) supplies the footer when the header
 * defers to it, and the end-of-stream marker that proves the object complete.
 *
 * @param header the first bytes of the object (64 KiB covers the embedded descriptor)
 * @param objectSizeBytes the object's size
 * @param tail the bytes of {@link vmdkTailRange}, when read
 */
export function parseVmdk(header: Buffer, objectSizeBytes?: number, tail?: Buffer): DiskImageInfo {
  const problems: ImageProblem[] = [];
  const sparse = readSparseHeader(header);
  if (!sparse) {
    const text = header.toString('latin1');
    if (!text.includes(DESCRIPTOR_MARKER)) {
      const problem = hasBytes(header, 4) && header.subarray(0, 4).equals(VMDK_SPARSE_MAGIC)
        ? imageError('truncated', `only ${header.length} bytes: a VMDK sparse header needs 79`)
        : imageError('bad-magic', 'neither the sparse extent magic "KDMV" nor a "# Disk DescriptorFile" text');
      return { format: 'vmdk', problems: [problem] };
    }
    const descriptor = parseVmdkDescriptor(text);
    const sectors = descriptor.extents.reduce((sum, extent) => sum + extent.sectors, 0);
    const files = descriptor.extents.map((extent) => extent.file).filter((file): file is string => Boolean(file));
    problems.push(
      imageError(
        'external-extents',
        `a descriptor file whose data lives in ${files.length > 0 ? files.join(', ') : 'other files'}: this object alone is not the disk`,
      ),
    );
    if (descriptor.hasParent) problems.push(imageError('backing-file', 'the descriptor names a parent disk'));
    return {
      format: 'vmdk',
      ...(descriptor.createType ? { variant: descriptor.createType } : {}),
      ...(descriptor.extents.length > 0 ? { virtualSizeBytes: sectors * 512 } : {}),
      problems,
    };
  }

  if (sparse.version < 1 || sparse.version > 3) {
    problems.push(imageError('unsupported', `sparse extent version ${sparse.version}: only 1-3 are supported`));
  }
  if (!sparse.lineEndsIntact) {
    problems.push(imageError('bad-header', 'the newline check bytes are altered: the file went through a text-mode transfer'));
  }
  const descriptorStart = sparse.descriptorOffsetSectors * 512;
  const descriptorEnd = descriptorStart + sparse.descriptorSizeSectors * 512;
  const descriptor =
    sparse.descriptorOffsetSectors > 0 && hasBytes(header, descriptorStart + 1)
      ? parseVmdkDescriptor(header.toString('latin1', descriptorStart, Math.min(descriptorEnd, header.length)).replace(/\0+$/, ''))
      : undefined;
  const compressed = (sparse.flags & FLAG_COMPRESSED) !== 0;
  const variant = descriptor?.createType ?? (compressed ? 'streamOptimized' : 'monolithicSparse');
  if (descriptor?.hasParent) problems.push(imageError('backing-file', 'the descriptor names a parent disk: it is a delta'));
  if (descriptor && descriptor.extents.length > 1) {
    problems.push(imageError('external-extents', `the descriptor lists ${descriptor.extents.length} extents: this object is one of several files`));
  }

  let capacitySectors = sparse.capacitySectors;
  if (compressed || sparse.gdAtEnd) {
    const footerOffset = tail && tail.length >= 1024 ? tail.length - 1024 : undefined;
    const footer = footerOffset === undefined ? undefined : readSparseHeader(tail as Buffer, footerOffset);
    if (sparse.gdAtEnd && footer) capacitySectors = footer.capacitySectors ?? capacitySectors;
    if (tail && tail.length >= 512) {
      const endMarker = tail.subarray(tail.length - 512);
      if (!endMarker.every((byte) => byte === 0)) {
        // VMware (and so AWS) end every stream-optimized extent with a footer and an end-of-stream marker; qemu-img
        // writes neither, so only an extent that defers its grain directory to the footer must have them.
        problems.push(
          sparse.gdAtEnd
            ? imageError('truncated', 'the stream-optimized VMDK does not end with an end-of-stream marker')
            : imageWarning('unchecked', 'no end-of-stream marker (qemu-img writes none): completeness not checked'),
        );
      } else if (sparse.gdAtEnd && !footer) {
        problems.push(imageError('truncated', 'the grain directory is deferred to a footer, but there is no footer before the end-of-stream marker'));
      }
    } else if (sparse.gdAtEnd) {
      problems.push(imageWarning('unchecked', 'the footer was not read: capacity taken from the header'));
    }
  } else if (objectSizeBytes !== undefined) {
    const needed = Math.max(sparse.overheadSectors ?? 0, sparse.gdOffsetSectors ?? 0) * 512;
    if (needed > objectSizeBytes) {
      problems.push(imageError('truncated', `the metadata ends at byte ${needed}, past the object's ${objectSizeBytes} bytes`));
    }
  }
  if (capacitySectors === undefined || capacitySectors === 0) {
    problems.push(imageError('bad-header', 'the capacity is 0 or not a plausible number of sectors'));
  }
  return {
    format: 'vmdk',
    variant,
    ...(capacitySectors ? { virtualSizeBytes: capacitySectors * 512 } : {}),
    problems,
  };
}
