import test from 'ava';
import { parseVdi } from '../../../../lib/storage/formats/vdi';
import { buildVdi } from './image-builders';

test('reads type and disk size of a valid VDI', (t) => {
  t.deepEqual(parseVdi(buildVdi({ diskSize: 5 * 1024 ** 3 }), 1024), {
    format: 'vdi',
    variant: 'dynamic',
    virtualSizeBytes: 5 * 1024 ** 3,
    problems: [],
  });
});

test('fails on a missing signature or a short header', (t) => {
  const bad = buildVdi();
  bad.writeUInt32LE(0, 0x40);
  t.is(parseVdi(bad).problems[0].code, 'bad-magic');
  t.is(parseVdi(buildVdi().subarray(0, 0x100)).problems[0].code, 'truncated');
});

test('fails as truncated when allocated blocks do not fit in the object', (t) => {
  const image = buildVdi({ blocksAllocated: 3 });
  t.is(parseVdi(image, 1024 + 2 * 1024 * 1024).problems[0].code, 'truncated');
  t.deepEqual(parseVdi(image, 1024 + 3 * 1024 * 1024).problems, []);
  const fixed = buildVdi({ imageType: 2, diskSize: 4 * 1024 * 1024 });
  t.is(parseVdi(fixed, 1024).problems[0].code, 'truncated', 'a fixed VDI holds every block');
});

test('fails on differencing and undo images', (t) => {
  t.is(parseVdi(buildVdi({ imageType: 4 })).problems[0].code, 'backing-file');
  t.is(parseVdi(buildVdi({ imageType: 9 })).problems[0].code, 'bad-header');
});
