import test from 'ava';
import { isTarHeader, readFirstTarEntry } from '../../../../lib/storage/formats/tar';
import { buildTar, paxHeader, tarHeader } from './image-builders';

test('reads name and size of the first entry', (t) => {
  const archive = buildTar('disk.raw', Buffer.alloc(2048, 1));
  t.true(isTarHeader(archive));
  t.deepEqual(readFirstTarEntry(archive), {
    name: 'disk.raw',
    type: '0',
    storedSizeBytes: 2048,
    sizeBytes: 2048,
    sparse: false,
    dataOffset: 512,
  });
});

test('reads base-256 sizes of files of 8 GiB and more', (t) => {
  const entry = readFirstTarEntry(tarHeader('big.raw', 40 * 1024 ** 3));
  t.is(typeof entry === 'object' && entry.sizeBytes, 40 * 1024 ** 3);
});

test('applies pax path and size records', (t) => {
  const archive = Buffer.concat([paxHeader({ path: 'a/very/long/name.raw', size: String(20 * 1024 ** 3) }), tarHeader('short', 0)]);
  const entry = readFirstTarEntry(archive);
  t.is(typeof entry === 'object' && entry.name, 'a/very/long/name.raw');
  t.is(typeof entry === 'object' && entry.sizeBytes, 20 * 1024 ** 3);
  t.is(typeof entry === 'object' && entry.dataOffset, 3 * 512);
});

test('reads the real size of GNU and pax sparse files', (t) => {
  const gnu = readFirstTarEntry(tarHeader('sparse.raw', 4096, 'S', { realSizeBytes: 1024 * 1024 }));
  t.deepEqual(typeof gnu === 'object' && [gnu.sparse, gnu.storedSizeBytes, gnu.sizeBytes], [true, 4096, 1024 * 1024]);
  const pax = readFirstTarEntry(
    Buffer.concat([paxHeader({ 'GNU.sparse.name': 'disk.raw', 'GNU.sparse.realsize': '2097152' }), tarHeader('x/GNUSparseFile.0/disk.raw', 1024)]),
  );
  t.deepEqual(typeof pax === 'object' && [pax.name, pax.sparse, pax.sizeBytes], ['disk.raw', true, 2097152]);
});

test('reads GNU long names', (t) => {
  const name = `${'d'.repeat(150)}.raw`;
  const data = Buffer.from(`${name}\0`);
  const archive = Buffer.concat([tarHeader('././@LongLink', data.length, 'L'), data, Buffer.alloc(512 - data.length), tarHeader(name.slice(0, 99), 10)]);
  const entry = readFirstTarEntry(archive);
  t.is(typeof entry === 'object' && entry.name, name);
});

test('says when the bytes are not a tar header or end too early', (t) => {
  t.is(readFirstTarEntry(Buffer.alloc(100)), 'incomplete');
  t.is(readFirstTarEntry(Buffer.alloc(512, 0x41)), 'not-tar');
  const archive = buildTar('disk.raw', Buffer.alloc(10));
  archive[0] ^= 0xff;
  t.is(readFirstTarEntry(archive), 'not-tar', 'checksum mismatch');
  t.is(readFirstTarEntry(paxHeader({ path: 'x' }).subarray(0, 600)), 'incomplete');
});
