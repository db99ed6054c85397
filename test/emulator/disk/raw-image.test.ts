import test from 'ava';
import { buildDiskImage, layoutToBuffer } from '../../../emulator/disk';

test('raw: the file is the disk: an MBR with one Linux partition, then zeros up to the virtual size', (t) => {
  const layout = buildDiskImage('raw', { virtualSizeBytes: 4 * 1024 * 1024, label: 'ami-0600d000000000001' });
  const file = layoutToBuffer(layout);
  t.is(file.length, 4 * 1024 * 1024);
  t.is(layout.extents.length, 1, 'only the first sector is held in memory');
  t.is(file[510], 0x55);
  t.is(file[511], 0xaa);
  t.regex(file.toString('latin1', 0, 200), /ami-0600d000000000001/);
  t.is(file[446 + 4], 0x83, 'Linux partition');
  t.is(file.readUInt32LE(446 + 8), 2048);
  t.is(file.readUInt32LE(446 + 12), 8192 - 2048);
  t.true(file.subarray(512).every((byte) => byte === 0));
});

test('rejects sizes the writers do not produce, and rounds sizes up to whole MiB', (t) => {
  t.throws(() => buildDiskImage('raw', { virtualSizeBytes: 0 }), { message: /virtualSizeBytes 0 must be between 1 and/ });
  t.throws(() => buildDiskImage('raw', { virtualSizeBytes: 2 ** 40 }), { message: /must be between/ });
  t.throws(() => buildDiskImage('iso' as 'raw', { virtualSizeBytes: 1 }), { message: /no disk image writer for format "iso"/ });
  t.is(buildDiskImage('raw', { virtualSizeBytes: 1 }).virtualSizeBytes, 1024 * 1024);
});
