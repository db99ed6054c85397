import test from 'ava';
import { gunzipSync } from 'node:zlib';
import { buildDiskImage, layoutToBuffer } from '../../../emulator/disk';

test('raw.tar.gz: a gzip\'d ustar archive with one raw disk file, valid header checksum, end-of-archive blocks', (t) => {
  const gz = layoutToBuffer(buildDiskImage('raw.tar.gz', { virtualSizeBytes: 2 * 1024 * 1024, innerFileName: 'm-abc_system.raw' }));
  t.true(gz.length < 16 * 1024, 'zeros compress away');
  t.deepEqual([gz[0], gz[1]], [0x1f, 0x8b]);
  const tar = gunzipSync(gz);
  t.is(tar.toString('utf8', 0, 16), 'm-abc_system.raw');
  t.is(tar.toString('latin1', 257, 262), 'ustar');
  t.is(parseInt(tar.toString('latin1', 124, 135), 8), 2 * 1024 * 1024);
  const stored = parseInt(tar.toString('latin1', 148, 154), 8);
  const copy = Buffer.from(tar.subarray(0, 512));
  copy.write('        ', 148, 'latin1');
  t.is(copy.reduce((sum, byte) => sum + byte, 0), stored);
  t.is(tar[512 + 510], 0x55);
  t.is(tar.length, 512 + 2 * 1024 * 1024 + 1024);
  t.true(tar.subarray(tar.length - 1024).equals(Buffer.alloc(1024)));
});
