import { randomBytes } from 'node:crypto';
import { assertValidLayout, roundUp, type DiskImageLayout } from './disk-image-layout';

const SECTOR = 512;
const BLOCK_SIZE = 2 * 1024 * 1024;
const VHD_EPOCH_MS = Date.UTC(2000, 0, 1);

/**
 * A dynamic VHD (Microsoft "Virtual Hard Disk Image Format Specification" 1.0): footer copy, dynamic disk header,
 * block allocation table, one allocated 2 MiB block (sector bitmap + data holding the boot sector), footer.
 * The creator application is `win ` so readers (QEMU among them) take the size from `current_size` rather
 * than from the CHS geometry.
 */
export function vhdDynamicImage(virtualSizeBytes: number, firstSector: Buffer, now = Date.now()): DiskImageLayout {
  const blocks = Math.max(1, Math.ceil(virtualSizeBytes / BLOCK_SIZE));
  const batBytes = roundUp(blocks * 4, SECTOR);
  const batOffset = SECTOR + 1024;
  const block0Offset = batOffset + batBytes;
  const bitmapBytes = roundUp(BLOCK_SIZE / SECTOR / 8, SECTOR);
  const footerOffset = block0Offset + bitmapBytes + BLOCK_SIZE;
  const uniqueId = randomBytes(16);
  const footer = vhdFooter(virtualSizeBytes, uniqueId, now);

  const bat = Buffer.alloc(batBytes, 0xff); // 0xFFFFFFFF = unallocated
  bat.writeUInt32BE(block0Offset / SECTOR, 0);
  const bitmap = Buffer.alloc(bitmapBytes, 0xff); // every sector of block 0 is present

  return assertValidLayout({
    format: 'vhd',
    sizeBytes: footerOffset + SECTOR,
    virtualSizeBytes,
    extents: [
      { offset: 0, data: footer },
      { offset: SECTOR, data: dynamicHeader(batOffset, blocks) },
      { offset: batOffset, data: bat },
      { offset: block0Offset, data: bitmap },
      { offset: block0Offset + bitmapBytes, data: firstSector },
      { offset: footerOffset, data: footer },
    ],
  });
}

/** The 512-byte hard disk footer (`conectix`), disk type 3 (dynamic). */
export function vhdFooter(virtualSizeBytes: number, uniqueId: Buffer, now: number): Buffer {
  const f = Buffer.alloc(SECTOR);
  f.write('conectix', 0, 'ascii');
  f.writeUInt32BE(0x00000002, 8); // features: reserved bit always set
  f.writeUInt32BE(0x00010000, 12); // format version 1.0
  f.writeBigUInt64BE(BigInt(SECTOR), 16); // data offset: the dynamic header
  f.writeUInt32BE(Math.max(0, Math.floor((now - VHD_EPOCH_MS) / 1000)) >>> 0, 24);
  f.write('win ', 28, 'ascii'); // creator application
  f.writeUInt32BE(0x000a0000, 32); // creator version
  f.write('Wi2k', 36, 'ascii'); // creator host OS
  f.writeBigUInt64BE(BigInt(virtualSizeBytes), 40); // original size
  f.writeBigUInt64BE(BigInt(virtualSizeBytes), 48); // current size
  const { cylinders, heads, sectorsPerTrack } = chsGeometry(virtualSizeBytes / SECTOR);
  f.writeUInt16BE(cylinders, 56);
  f[58] = heads;
  f[59] = sectorsPerTrack;
  f.writeUInt32BE(3, 60); // dynamic hard disk
  uniqueId.copy(f, 68);
  f.writeUInt32BE(checksum(f), 64);
  return f;
}

/** The 1024-byte dynamic disk header (`cxsparse`). */
function dynamicHeader(batOffset: number, maxTableEntries: number): Buffer {
  const h = Buffer.alloc(1024);
  h.write('cxsparse', 0, 'ascii');
  h.writeBigUInt64BE(0xffffffffffffffffn, 8); // data offset: unused
  h.writeBigUInt64BE(BigInt(batOffset), 16);
  h.writeUInt32BE(0x00010000, 24);
  h.writeUInt32BE(maxTableEntries, 28);
  h.writeUInt32BE(BLOCK_SIZE, 32);
  h.writeUInt32BE(checksum(h), 36);
  return h;
}

/** One's complement of the byte sum (the checksum field must be zero while summing). */
function checksum(bytes: Buffer): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) >>> 0;
  return ~sum >>> 0;
}

/** CHS geometry from the VHD specification's appendix. */
export function chsGeometry(totalSectorsInput: number): { cylinders: number; heads: number; sectorsPerTrack: number } {
  let totalSectors = Math.floor(totalSectorsInput);
  if (totalSectors > 65535 * 16 * 255) totalSectors = 65535 * 16 * 255;
  let sectorsPerTrack: number;
  let heads: number;
  let cylinderTimesHeads: number;
  if (totalSectors >= 65535 * 16 * 63) {
    sectorsPerTrack = 255;
    heads = 16;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
  } else {
    sectorsPerTrack = 17;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    heads = Math.max(4, Math.floor((cylinderTimesHeads + 1023) / 1024));
    if (cylinderTimesHeads >= heads * 1024 || heads > 16) {
      sectorsPerTrack = 31;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
    if (cylinderTimesHeads >= heads * 1024) {
      sectorsPerTrack = 63;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
  }
  return { cylinders: Math.floor(cylinderTimesHeads / heads), heads, sectorsPerTrack };
}
