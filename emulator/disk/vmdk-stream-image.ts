import { deflateSync } from 'node:zlib';
import { assertValidLayout, roundUp, type DiskImageExtent, type DiskImageLayout } from './disk-image-layout';

const SECTOR = 512;
const GRAIN_SECTORS = 128; // 64 KiB grains
const GTES_PER_GT = 512;
const OVERHEAD_SECTORS = 128;
const GD_AT_END = 0xffffffffffffffffn;
const MARKER_EOS = 0;
const MARKER_GT = 1;
const MARKER_GD = 2;
const MARKER_FOOTER = 3;

/**
 * A stream-optimized VMDK (the format AWS and VMware exchange): sparse extent header with compressed grains and
 * markers, descriptor, one deflate-compressed grain per non-zero grain, grain tables, grain directory, footer and
 * end-of-stream marker. Zero grains are simply absent, so the file stays tiny whatever the virtual size.
 *
 * Layout follows VMware's "Virtual Disk Format 1.1" (stream-optimized section) and QEMU's `block/vmdk.c` reader:
 * the header says `gdOffset = GD_AT_END`, the footer (third sector from the end) carries the real offset.
 */
export function vmdkStreamImage(virtualSizeBytes: number, firstSector: Buffer, name = 'disk'): DiskImageLayout {
  const capacity = Math.ceil(virtualSizeBytes / SECTOR);
  const grainCount = Math.ceil(capacity / GRAIN_SECTORS);
  const gtCount = Math.ceil(grainCount / GTES_PER_GT);
  const descriptor = Buffer.from(descriptorText(capacity, name), 'ascii');
  const descriptorSectors = Math.max(1, Math.ceil(descriptor.length / SECTOR));
  const extents: DiskImageExtent[] = [];

  // Grains: only grain 0 holds data (the boot sector).
  let sector = Math.max(OVERHEAD_SECTORS, 1 + descriptorSectors);
  const grainOffsets = new Map<number, number>();
  const grain0 = Buffer.alloc(GRAIN_SECTORS * SECTOR);
  firstSector.copy(grain0, 0);
  const compressed = deflateSync(grain0);
  const grainRecord = Buffer.alloc(roundUp(12 + compressed.length, SECTOR));
  grainRecord.writeBigUInt64LE(0n, 0); // LBA of the grain, in sectors
  grainRecord.writeUInt32LE(compressed.length, 8);
  compressed.copy(grainRecord, 12);
  grainOffsets.set(0, sector);
  extents.push({ offset: sector * SECTOR, data: grainRecord });
  sector += grainRecord.length / SECTOR;

  // Grain tables, each preceded by a GT marker.
  const gtSectors = (GTES_PER_GT * 4) / SECTOR;
  const gtOffsets: number[] = [];
  for (let gt = 0; gt < gtCount; gt++) {
    extents.push({ offset: sector * SECTOR, data: marker(gtSectors, MARKER_GT) });
    sector += 1;
    const table = Buffer.alloc(gtSectors * SECTOR);
    for (let entry = 0; entry < GTES_PER_GT; entry++) {
      const offset = grainOffsets.get(gt * GTES_PER_GT + entry);
      if (offset !== undefined) table.writeUInt32LE(offset, entry * 4);
    }
    gtOffsets.push(sector);
    extents.push({ offset: sector * SECTOR, data: table });
    sector += gtSectors;
  }

  // Grain directory.
  const gdSectors = Math.max(1, Math.ceil((gtCount * 4) / SECTOR));
  extents.push({ offset: sector * SECTOR, data: marker(gdSectors, MARKER_GD) });
  sector += 1;
  const directory = Buffer.alloc(gdSectors * SECTOR);
  gtOffsets.forEach((offset, index) => directory.writeUInt32LE(offset, index * 4));
  const gdOffset = sector;
  extents.push({ offset: sector * SECTOR, data: directory });
  sector += gdSectors;

  // Footer marker, footer (header copy with the real GD offset), end-of-stream marker.
  extents.push({ offset: sector * SECTOR, data: marker(1, MARKER_FOOTER) });
  sector += 1;
  extents.push({ offset: sector * SECTOR, data: header(capacity, descriptorSectors, BigInt(gdOffset)) });
  sector += 1;
  extents.push({ offset: sector * SECTOR, data: marker(0, MARKER_EOS) });
  sector += 1;

  extents.unshift(
    { offset: 0, data: header(capacity, descriptorSectors, GD_AT_END) },
    { offset: SECTOR, data: descriptor },
  );
  return assertValidLayout({ format: 'vmdk', sizeBytes: sector * SECTOR, virtualSizeBytes: capacity * SECTOR, extents });
}

/** The 512-byte sparse extent header (`KDMV`). */
function header(capacitySectors: number, descriptorSectors: number, gdOffset: bigint): Buffer {
  const h = Buffer.alloc(SECTOR);
  h.write('KDMV', 0, 'ascii');
  h.writeUInt32LE(3, 4); // version 3: stream-optimized
  h.writeUInt32LE(0x00030001, 8); // flags: valid newline test | compressed grains | markers
  h.writeBigUInt64LE(BigInt(capacitySectors), 12);
  h.writeBigUInt64LE(BigInt(GRAIN_SECTORS), 20);
  h.writeBigUInt64LE(1n, 28); // descriptor offset (sectors)
  h.writeBigUInt64LE(BigInt(descriptorSectors), 36);
  h.writeUInt32LE(GTES_PER_GT, 44);
  h.writeBigUInt64LE(0n, 48); // no redundant grain directory
  h.writeBigUInt64LE(gdOffset, 56);
  h.writeBigUInt64LE(BigInt(OVERHEAD_SECTORS), 64);
  h[72] = 0; // clean shutdown
  h.write('\n \r\n', 73, 'binary'); // newline detection characters
  h.writeUInt16LE(1, 77); // deflate
  return h;
}

/** A metadata marker sector: `numSectors`, size 0, type. */
function marker(numSectors: number, type: number): Buffer {
  const m = Buffer.alloc(SECTOR);
  m.writeBigUInt64LE(BigInt(numSectors), 0);
  m.writeUInt32LE(0, 8);
  m.writeUInt32LE(type, 12);
  return m;
}

function descriptorText(capacitySectors: number, name: string): string {
  const cylinders = Math.max(1, Math.min(65535, Math.floor(capacitySectors / (255 * 63))));
  return [
    '# Disk DescriptorFile',
    'version=1',
    'CID=fffffffe',
    'parentCID=ffffffff',
    'createType="streamOptimized"',
    '',
    '# Extent description',
    `RW ${capacitySectors} SPARSE "${name}.vmdk"`,
    '',
    '# The Disk Data Base',
    '#DDB',
    '',
    'ddb.virtualHWVersion = "4"',
    `ddb.geometry.cylinders = "${cylinders}"`,
    'ddb.geometry.heads = "255"',
    'ddb.geometry.sectors = "63"',
    'ddb.adapterType = "lsilogic"',
    'ddb.toolsVersion = "2147483647"',
    '',
  ].join('\n');
}
