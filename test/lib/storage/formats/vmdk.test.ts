import test from 'ava';
import { parseVmdk, parseVmdkDescriptor, vmdkTailRange } from '../../../../lib/storage/formats/vmdk';
import { buildVmdk, vmdkDescriptor, vmdkSparseHeader } from './image-builders';

const tailOf = (image: Buffer): Buffer | undefined => {
  const range = vmdkTailRange(image, image.length);
  return range ? image.subarray(range.offset, range.offset + range.length) : undefined;
};

test('reads a monolithic sparse VMDK: capacity in sectors', (t) => {
  const image = buildVmdk({ capacitySectors: 41_943_040 });
  t.is(vmdkTailRange(image, image.length), undefined, 'no tail needed');
  t.deepEqual(parseVmdk(image, image.length), {
    format: 'vmdk',
    variant: 'monolithicSparse',
    virtualSizeBytes: 20 * 1024 ** 3,
    problems: [],
  });
});

test('reads a stream-optimized VMDK whose grain directory and capacity are in the footer', (t) => {
  const image = buildVmdk({ streamOptimized: true, gdAtEnd: true, headerCapacitySectors: 0, capacitySectors: 2048 });
  t.deepEqual(vmdkTailRange(image, image.length), { offset: image.length - 1024, length: 1024 });
  const info = parseVmdk(image.subarray(0, 65_536), image.length, tailOf(image));
  t.deepEqual(info, { format: 'vmdk', variant: 'streamOptimized', virtualSizeBytes: 1024 * 1024, problems: [] });
});

test('fails as truncated when a stream-optimized VMDK lost its footer and end-of-stream marker', (t) => {
  const image = buildVmdk({ streamOptimized: true, gdAtEnd: true });
  const cut = Buffer.concat([image.subarray(0, image.length - 1536), Buffer.alloc(1024, 0x5a)]);
  const info = parseVmdk(cut.subarray(0, 65_536), cut.length, tailOf(cut));
  t.deepEqual(info.problems.map((p) => [p.code, p.severity]), [['truncated', 'error']]);
  const noFooter = Buffer.concat([image.subarray(0, image.length - 1536), Buffer.alloc(1024)]);
  t.is(parseVmdk(noFooter, noFooter.length, tailOf(noFooter)).problems[0].code, 'truncated');
});

test('only warns when a qemu-style stream-optimized VMDK has no end-of-stream marker', (t) => {
  const image = Buffer.concat([buildVmdk({ streamOptimized: true }).subarray(0, 65_536), Buffer.alloc(600, 7)]);
  const info = parseVmdk(image, image.length, tailOf(image));
  t.is(info.virtualSizeBytes, 20_480 * 512);
  t.deepEqual(info.problems.map((p) => [p.code, p.severity]), [['unchecked', 'warning']]);
});

test('fails on bad magic, altered line-end bytes, and a metadata area past the end', (t) => {
  t.is(parseVmdk(Buffer.alloc(1024)).problems[0].code, 'bad-magic');
  const mangled = buildVmdk();
  mangled[75] = 0x0a;
  t.true(parseVmdk(mangled).problems.some((p) => p.code === 'bad-header'));
  const image = buildVmdk();
  t.is(parseVmdk(image, 4096).problems[0].code, 'truncated');
  t.is(parseVmdk(vmdkSparseHeader({ capacitySectors: 0 })).problems[0].code, 'bad-header');
});

test('reads a monolithic-flat descriptor file and says the data is elsewhere', (t) => {
  const text = vmdkDescriptor('monolithicFlat', ['RW 2048 FLAT "disk-flat.vmdk" 0', 'RW 1024 FLAT "disk-flat2.vmdk" 0']);
  const info = parseVmdk(Buffer.from(text, 'latin1'));
  t.is(info.variant, 'monolithicFlat');
  t.is(info.virtualSizeBytes, 3072 * 512);
  t.deepEqual(info.problems.map((p) => p.code), ['external-extents']);
  t.regex(info.problems[0].message, /disk-flat.vmdk, disk-flat2.vmdk/);
});

test('a descriptor with a parent is a delta disk', (t) => {
  t.true(parseVmdkDescriptor(vmdkDescriptor('monolithicSparse', ['RW 8 SPARSE "d.vmdk"'], '1a2b3c4d')).hasParent);
  t.false(parseVmdkDescriptor(vmdkDescriptor('monolithicSparse', ['RW 8 SPARSE "d.vmdk"'])).hasParent);
});
