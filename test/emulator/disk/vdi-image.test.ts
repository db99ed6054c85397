import test from 'ava';
import { buildDiskImage, layoutToBuffer } from '../../../emulator/disk';

test('vdi: a dynamic VDI 1.1 with one allocated 1 MiB block holding the MBR', (t) => {
  const file = layoutToBuffer(buildDiskImage('vdi', { virtualSizeBytes: 3 * 1024 * 1024 }));
  t.is(file.readUInt32LE(0x40), 0xbeda107f);
  t.is(file.readUInt32LE(0x44), 0x00010001);
  t.is(file.readUInt32LE(0x4c), 1, 'dynamic');
  t.is(Number(file.readBigUInt64LE(0x170)), 3 * 1024 * 1024);
  t.is(file.readUInt32LE(0x178), 1024 * 1024);
  t.is(file.readUInt32LE(0x180), 3, 'blocks in image');
  t.is(file.readUInt32LE(0x184), 1, 'blocks allocated');
  t.true(file.subarray(0x1a8, 0x1c8).equals(Buffer.alloc(32)), 'no link / parent UUID');
  const bmap = file.readUInt32LE(0x154);
  const data = file.readUInt32LE(0x158);
  t.deepEqual([file.readUInt32LE(bmap), file.readUInt32LE(bmap + 4), file.readUInt32LE(bmap + 8)], [0, 0xffffffff, 0xffffffff]);
  t.is(file[data + 510], 0x55);
  t.is(file.length, data + 1024 * 1024);
});
