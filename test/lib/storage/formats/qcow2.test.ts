import test from 'ava';
import { parseQcow2 } from '../../../../lib/storage/formats/qcow2';
import { buildQcow2 } from './image-builders';

const codes = (info: { problems: readonly { code: string }[] }): string[] => info.problems.map((p) => p.code);

test('reads version and virtual size of a valid QCOW2', (t) => {
  const image = buildQcow2({ sizeBytes: 42 * 1024 ** 3 });
  t.deepEqual(parseQcow2(image, image.length), { format: 'qcow2', variant: 'v3', virtualSizeBytes: 42 * 1024 ** 3, problems: [] });
  t.is(parseQcow2(buildQcow2({ version: 2 })).variant, 'v2');
});

test('fails on bad magic, short headers and unknown versions', (t) => {
  const image = buildQcow2();
  const bad = Buffer.from(image);
  bad[3] = 0;
  t.deepEqual(codes(parseQcow2(bad)), ['bad-magic']);
  t.deepEqual(codes(parseQcow2(image.subarray(0, 40))), ['truncated']);
  t.true(codes(parseQcow2(buildQcow2({ version: 4 }))).includes('unsupported'));
  t.true(codes(parseQcow2(buildQcow2({ clusterBits: 30 }))).includes('bad-header'));
});

test('fails on encryption, a backing file, an external data file and the corrupt bit', (t) => {
  t.true(codes(parseQcow2(buildQcow2({ cryptMethod: 2 }))).includes('encrypted'));
  const backed = parseQcow2(buildQcow2({ backingFile: 'base.qcow2' }));
  t.true(codes(backed).includes('backing-file'));
  t.regex(backed.problems[0].message, /"base.qcow2"/);
  t.true(codes(parseQcow2(buildQcow2({ incompatibleFeatures: 4n }))).includes('external-extents'));
  t.true(codes(parseQcow2(buildQcow2({ incompatibleFeatures: 2n }))).includes('bad-header'));
  const dirty = parseQcow2(buildQcow2({ incompatibleFeatures: 1n }));
  t.deepEqual(dirty.problems.map((p) => [p.code, p.severity]), [['dirty', 'warning']]);
});

test('fails as truncated when the tables point past the end of the object', (t) => {
  const image = buildQcow2();
  t.deepEqual(codes(parseQcow2(image, image.length - 100)), ['truncated']);
  t.deepEqual(codes(parseQcow2(image, image.length)), []);
});
