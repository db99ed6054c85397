import test from 'ava';
import { type DiskFormat } from '../../../../lib/model/disk-format';
import { inspectImage } from '../../../../lib/storage/formats/inspect-image';
import { buildDynamicVhd, buildQcow2, buildRawDisk, buildRawTarGz, buildVmdk, buildVdi } from './image-builders';

const reader = (image: Buffer) => async (offset: number, length: number) => image.subarray(offset, offset + length);

test('reads only the header, plus the tail where a format needs it', async (t) => {
  const large = (image: Buffer) => Buffer.concat([image, Buffer.alloc(1024 * 1024)]);
  const cases: [DiskFormat, Buffer, number][] = [
    ['qcow2', large(buildQcow2()), 1],
    ['vdi', large(buildVdi()), 1],
    ['raw', large(buildRawDisk()), 2],
    ['vmdk', large(buildVmdk()), 1],
    ['raw.tar.gz', buildRawTarGz(Buffer.alloc(8 * 1024 * 1024, 1)), 1],
  ];
  for (const [format, image, readCount] of cases) {
    const { info, reads } = await inspectImage(reader(image), image.length);
    t.is(info.format, format);
    t.is(reads.length, readCount, format);
    t.deepEqual(reads[0], { offset: 0, length: Math.min(65_536, image.length) });
  }
});

test('a small object is read once, whole, and its tail comes from that read', async (t) => {
  const image = buildDynamicVhd();
  const { info, reads } = await inspectImage(reader(image), image.length);
  t.is(info.variant, 'dynamic');
  t.deepEqual(reads, [{ offset: 0, length: image.length }]);
});

test('honours a smaller header read', async (t) => {
  const image = Buffer.concat([buildQcow2(), Buffer.alloc(100_000)]);
  const { reads } = await inspectImage(reader(image), image.length, { headerBytes: 4096 });
  t.deepEqual(reads, [{ offset: 0, length: 4096 }]);
});
