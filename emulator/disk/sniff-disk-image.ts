/** What a file's first and last bytes say it is. */
export type SniffedFormat = 'qcow2' | 'vmdk' | 'vhd' | 'vhdx' | 'vdi' | 'ova' | 'tar' | 'gzip' | 'iso' | 'raw' | 'empty';

/** Result of {@link sniffDiskImage}. */
export interface SniffedDiskImage {
  /** Detected container format (`raw` when nothing else matched). */
  readonly format: SniffedFormat;
  /** Size of the disk inside, bytes, when the header says. @default - unknown */
  readonly virtualSizeBytes?: number;
  /** VMDK `createType` (`streamOptimized`, `monolithicSparse`, …). @default - not a VMDK */
  readonly vmdkCreateType?: string;
  /** First member of a tar archive. @default - not a tar */
  readonly tarMember?: string;
}

/** Bytes of the head {@link sniffDiskImage} needs. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

/**
 * Identifies a disk image from its head (first {@link SNIFF_HEAD_BYTES}), its last 512 bytes and its size, the way
 * an import service validates an upload before converting it. Independent of the writers: it reads only what the
 * formats' specifications put in their headers.
 */
export function sniffDiskImage(head: Buffer, tail: Buffer, sizeBytes: number): SniffedDiskImage {
  if (sizeBytes === 0) return { format: 'empty' };
  if (head.subarray(0, 4).toString('binary') === 'QFI\xfb' && head.length >= 32) {
    return { format: 'qcow2', virtualSizeBytes: Number(head.readBigUInt64BE(24)) };
  }
  if (head.subarray(0, 4).toString('ascii') === 'KDMV' && head.length >= 512) {
    const descriptorOffset = Number(head.readBigUInt64LE(28)) * 512;
    const descriptorSize = Number(head.readBigUInt64LE(36)) * 512;
    const descriptor = head.subarray(descriptorOffset, descriptorOffset + descriptorSize).toString('ascii');
    return { format: 'vmdk', virtualSizeBytes: Number(head.readBigUInt64LE(12)) * 512, vmdkCreateType: createType(descriptor) ?? 'monolithicSparse' };
  }
  const text = head.subarray(0, 1024).toString('latin1');
  if (text.startsWith('# Disk DescriptorFile')) {
    const sectors = [...text.matchAll(/^R[WD]\s+(\d+)\s/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    return { format: 'vmdk', virtualSizeBytes: sectors * 512, vmdkCreateType: createType(text) ?? 'unknown' };
  }
  if (head.subarray(0, 8).toString('ascii') === 'vhdxfile') return { format: 'vhdx' };
  if (head.length >= 0x178 && head.readUInt32LE(0x40) === 0xbeda107f) {
    return { format: 'vdi', virtualSizeBytes: Number(head.readBigUInt64LE(0x170)) };
  }
  const vhdFooter = head.subarray(0, 8).toString('ascii') === 'conectix' ? head : tail.subarray(0, 8).toString('ascii') === 'conectix' ? tail : undefined;
  if (vhdFooter && vhdFooter.length >= 56) return { format: 'vhd', virtualSizeBytes: Number(vhdFooter.readBigUInt64BE(48)) };
  if (head[0] === 0x1f && head[1] === 0x8b) return { format: 'gzip' };
  if (head.length >= 263 && head.subarray(257, 262).toString('ascii') === 'ustar') {
    const member = head.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    return { format: member.toLowerCase().endsWith('.ovf') ? 'ova' : 'tar', tarMember: member };
  }
  if (head.length >= 0x8006 && head.subarray(0x8001, 0x8006).toString('ascii') === 'CD001') return { format: 'iso' };
  return { format: 'raw', virtualSizeBytes: sizeBytes };
}

function createType(descriptor: string): string | undefined {
  return /createType\s*=\s*"([^"]+)"/.exec(descriptor)?.[1];
}
