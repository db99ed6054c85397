import test from 'ava';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { parseRawTarGz } from '../../../../lib/storage/formats/raw-tar-gz';
import { buildRawDisk, buildRawTarGz, buildTar } from './image-builders';

test('reads the raw disk file name and size from the first tar header inside the gzip', (t) => {
  const object = buildRawTarGz(buildRawDisk(4 * 1024 * 1024), 'm-123_system.raw');
  t.deepEqual(parseRawTarGz(object.subarray(0, 1000), object.subarray(-8)), {
    format: 'raw.tar.gz',
    variant: 'm-123_system.raw',
    virtualSizeBytes: 4 * 1024 * 1024,
    problems: [],
  });
});

test('inflates only what it needs, even from a highly compressible disk', (t) => {
  const object = buildRawTarGz(Buffer.alloc(64 * 1024 * 1024));
  const info = parseRawTarGz(object.subarray(0, 65_536));
  t.is(info.virtualSizeBytes, 64 * 1024 * 1024);
});

test('fails as truncated when the gzip trailer does not fit a tar of that one file', (t) => {
  const object = buildRawTarGz(randomBytes(200_704));
  const cut = object.subarray(0, object.length - 5000);
  const info = parseRawTarGz(cut.subarray(0, 65_536), cut.subarray(-8));
  t.deepEqual(info.problems.map((p) => [p.code, p.severity]), [['truncated', 'error']]);
});

test('fails on something that is not a gzip, not a tar inside, or too short', (t) => {
  t.is(parseRawTarGz(Buffer.from('plain text')).problems[0].code, 'bad-magic');
  t.is(parseRawTarGz(gzipSync(Buffer.alloc(2048, 0x41))).problems[0].code, 'bad-header');
  t.is(parseRawTarGz(Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff])).problems[0].code, 'bad-header');
  const object = buildRawTarGz(buildRawDisk(1024 * 1024));
  t.is(parseRawTarGz(object.subarray(0, 20)).problems[0].code, 'truncated');
});

test('fails when the first entry is not a regular file', (t) => {
  const archive = buildTar('dir/', Buffer.alloc(0));
  archive.write('5', 156, 'latin1');
  let sum = 0;
  archive.fill(0x20, 148, 156);
  for (let i = 0; i < 512; i++) sum += archive[i];
  archive.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  t.is(parseRawTarGz(gzipSync(archive)).problems[0].code, 'bad-header');
});
