import test from 'ava';
import { parseVhd, readVhdFooter } from '../../../../lib/storage/formats/vhd';
import { buildDynamicVhd, buildFixedVhd, buildRawDisk, vhdFooter } from './image-builders';

test('reads a dynamic VHD from the footer copy at offset 0', (t) => {
  const image = buildDynamicVhd(10 * 1024 ** 3);
  t.deepEqual(parseVhd(image, image.subarray(-512), image.length), {
    format: 'vhd',
    variant: 'dynamic',
    virtualSizeBytes: 10 * 1024 ** 3,
    problems: [],
  });
});

test('reads a fixed VHD from the footer at the end', (t) => {
  const image = buildFixedVhd(buildRawDisk(1024 * 1024));
  t.deepEqual(parseVhd(image.subarray(0, 4096), image.subarray(-512), image.length), {
    format: 'vhd',
    variant: 'fixed',
    virtualSizeBytes: 1024 * 1024,
    problems: [],
  });
});

test('checks the footer checksum', (t) => {
  const footer = vhdFooter({ diskType: 2, currentSizeBytes: 512 });
  t.true(readVhdFooter(footer)?.checksumValid);
  footer[100] ^= 1;
  t.false(readVhdFooter(footer)?.checksumValid);
  t.deepEqual(parseVhd(Buffer.alloc(512), footer, 1024).problems.map((p) => [p.code, p.severity]), [['bad-checksum', 'warning']]);
});

test('fails as truncated when a dynamic VHD lost its closing footer', (t) => {
  const image = buildDynamicVhd();
  const cut = image.subarray(0, image.length - 100);
  t.is(parseVhd(cut, cut.subarray(-512), cut.length).problems[0].code, 'truncated');
});

test('fails as truncated when a fixed VHD is shorter than its size', (t) => {
  const footer = vhdFooter({ diskType: 2, currentSizeBytes: 1024 * 1024 });
  t.is(parseVhd(Buffer.alloc(512), footer, 4096).problems[0].code, 'truncated');
});

test('fails on a differencing VHD and without any footer', (t) => {
  const differencing = buildDynamicVhd(1024 * 1024, 4);
  t.is(parseVhd(differencing, differencing.subarray(-512)).problems[0].code, 'backing-file');
  t.is(parseVhd(Buffer.alloc(4096), Buffer.alloc(512)).problems[0].code, 'bad-magic');
});

test('fails when the dynamic header is not where the footer says', (t) => {
  const image = buildDynamicVhd();
  image.write('xxxxxxxx', 512, 'latin1');
  t.true(parseVhd(image, image.subarray(-512)).problems.some((p) => p.code === 'bad-header'));
});
