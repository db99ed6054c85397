import test from 'ava';
import { inflateSync } from 'node:zlib';
import { buildDiskImage, layoutToBuffer } from '../../../emulator/disk';

const SECTOR = 512;

test('vmdk: a stream-optimized sparse extent whose grain directory, grain table and compressed grain lead back to the MBR', (t) => {
  const file = layoutToBuffer(buildDiskImage('vmdk', { virtualSizeBytes: 6 * 1024 * 1024 }));
  t.true(file.length < 128 * 1024, 'zero grains are not stored');
  t.is(file.length % SECTOR, 0);
  // Header.
  t.is(file.toString('latin1', 0, 4), 'KDMV');
  t.is(file.readUInt32LE(4), 3);
  t.is(file.readUInt32LE(8), 0x30001);
  t.is(Number(file.readBigUInt64LE(12)) * SECTOR, 6 * 1024 * 1024);
  t.is(Number(file.readBigUInt64LE(20)), 128);
  t.is(file.readBigUInt64LE(56), 0xffffffffffffffffn, 'header says: grain directory at the end');
  t.is(file.readUInt16LE(77), 1, 'deflate');
  t.is(file.toString('latin1', 73, 77), '\n \r\n');
  const descriptor = file.toString('ascii', Number(file.readBigUInt64LE(28)) * SECTOR, (Number(file.readBigUInt64LE(28)) + Number(file.readBigUInt64LE(36))) * SECTOR);
  t.regex(descriptor, /createType="streamOptimized"/);
  t.regex(descriptor, /RW 12288 SPARSE/);
  // Tail: footer marker, footer, end-of-stream marker.
  const footerMarker = file.subarray(file.length - 3 * SECTOR, file.length - 2 * SECTOR);
  t.is(footerMarker.readUInt32LE(12), 3);
  const footer = file.subarray(file.length - 2 * SECTOR, file.length - SECTOR);
  t.is(footer.toString('latin1', 0, 4), 'KDMV');
  t.true(file.subarray(file.length - SECTOR).equals(Buffer.alloc(SECTOR)), 'end-of-stream marker');
  // Follow the grain directory to grain 0.
  const gdSector = Number(footer.readBigUInt64LE(56));
  t.is(file.readUInt32LE((gdSector - 1) * SECTOR + 12), 2, 'GD marker precedes the directory');
  const gtSector = file.readUInt32LE(gdSector * SECTOR);
  t.is(file.readUInt32LE((gtSector - 1) * SECTOR + 12), 1, 'GT marker precedes the table');
  const grainSector = file.readUInt32LE(gtSector * SECTOR);
  t.is(file.readUInt32LE(gtSector * SECTOR + 4), 0, 'grain 1 is not allocated');
  const grainAt = grainSector * SECTOR;
  t.is(file.readBigUInt64LE(grainAt), 0n, 'grain marker LBA');
  const size = file.readUInt32LE(grainAt + 8);
  const grain = inflateSync(file.subarray(grainAt + 12, grainAt + 12 + size));
  t.is(grain.length, 128 * SECTOR);
  t.is(grain[510], 0x55);
  t.is(grain[511], 0xaa);
});
