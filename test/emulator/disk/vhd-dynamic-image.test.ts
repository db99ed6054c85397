import test from 'ava';
import { buildDiskImage, chsGeometry, layoutToBuffer } from '../../../emulator/disk';

function checksumOk(bytes: Buffer, at: number): boolean {
  const copy = Buffer.from(bytes);
  const stored = copy.readUInt32BE(at);
  copy.writeUInt32BE(0, at);
  let sum = 0;
  for (const byte of copy) sum = (sum + byte) >>> 0;
  return (~sum >>> 0) === stored;
}

test('vhd: a dynamic VHD with matching footers, valid checksums, a BAT and one allocated block holding the MBR', (t) => {
  const file = layoutToBuffer(buildDiskImage('vhd', { virtualSizeBytes: 5 * 1024 * 1024 }));
  const footer = file.subarray(file.length - 512);
  t.true(file.subarray(0, 512).equals(footer), 'footer copy at the start');
  t.is(footer.toString('latin1', 0, 8), 'conectix');
  t.true(checksumOk(footer, 64));
  t.is(footer.readUInt32BE(60), 3, 'dynamic disk');
  t.is(Number(footer.readBigUInt64BE(48)), 5 * 1024 * 1024, 'current size');
  t.is(footer.toString('latin1', 28, 32), 'win ', 'creator: readers use current_size');
  const header = file.subarray(512, 1536);
  t.is(header.toString('latin1', 0, 8), 'cxsparse');
  t.true(checksumOk(header, 36));
  t.is(header.readUInt32BE(32), 2 * 1024 * 1024, 'block size');
  t.is(header.readUInt32BE(28), 3, 'three BAT entries for 5 MiB');
  const bat = Number(header.readBigUInt64BE(16));
  const block0 = file.readUInt32BE(bat) * 512;
  t.is(file.readUInt32BE(bat + 4), 0xffffffff, 'block 1 unallocated');
  const data = block0 + 512; // after the sector bitmap
  t.is(file[data + 510], 0x55);
  t.is(file[data + 511], 0xaa);
});

test('vhd: CHS geometry follows the specification', (t) => {
  t.deepEqual(chsGeometry(8192), { cylinders: 120, heads: 4, sectorsPerTrack: 17 });
  t.deepEqual(chsGeometry(65535 * 16 * 255 + 10), { cylinders: 65535, heads: 16, sectorsPerTrack: 255 });
});
