import test from 'ava';
import { buildDiskImage, layoutToBuffer } from '../../../emulator/disk';

test('qcow2: a version 3 image whose L1 → L2 → data cluster lead to the MBR, every used cluster counted once', (t) => {
  const file = layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: 3 * 1024 * 1024 }));
  t.is(file.toString('latin1', 0, 4), 'QFI\xfb');
  t.is(file.readUInt32BE(4), 3);
  const clusterBits = file.readUInt32BE(20);
  t.is(clusterBits, 16);
  t.is(Number(file.readBigUInt64BE(24)), 3 * 1024 * 1024);
  t.is(file.readUInt32BE(96), 4, '16-bit refcounts');
  t.is(file.readUInt32BE(100), 104, 'v3 header length');
  const mask = (1n << 56n) - 1n;
  const l1 = Number(file.readBigUInt64BE(40));
  t.is(file.readUInt32BE(36), 1, 'L1 size');
  const l2 = Number(file.readBigUInt64BE(l1) & mask);
  const data = Number(file.readBigUInt64BE(l2) & mask);
  t.is(file[data + 510], 0x55);
  t.is(file[data + 511], 0xaa);
  const refcountBlock = Number(file.readBigUInt64BE(Number(file.readBigUInt64BE(48))));
  const clusters = file.length >> clusterBits;
  for (let cluster = 0; cluster < clusters; cluster++) t.is(file.readUInt16BE(refcountBlock + cluster * 2), 1, `cluster ${cluster} refcount`);
});
