import test from 'ava';
import { inspectImage } from '../../../../lib/storage/formats/inspect-image';
import { isVhdx, parseVhdx, VHDX_REGION_TABLE_RANGE, vhdxMetadataItems, vhdxMetadataTableRange } from '../../../../lib/storage/formats/vhdx';
import { buildVhdx } from './image-builders';

const reader = (image: Buffer) => async (offset: number, length: number) => image.subarray(offset, offset + length);

test('finds the virtual size through the region table and the metadata table', (t) => {
  const image = buildVhdx({ virtualSizeBytes: 127 * 1024 ** 3 });
  t.true(isVhdx(image));
  const region = image.subarray(VHDX_REGION_TABLE_RANGE.offset, VHDX_REGION_TABLE_RANGE.offset + VHDX_REGION_TABLE_RANGE.length);
  const table = vhdxMetadataTableRange(region);
  t.deepEqual(table, { offset: 1024 * 1024, length: 64 * 1024 });
  const items = vhdxMetadataItems(image.subarray(1024 * 1024, 1024 * 1024 + 64 * 1024));
  t.deepEqual(items, { virtualDiskSize: { offset: 64 * 1024 + 8, length: 8 }, hasParent: false });
});

test('inspection reads four small ranges and reports the virtual size', async (t) => {
  const image = buildVhdx({ virtualSizeBytes: 3 * 1024 ** 3 });
  const { info, reads } = await inspectImage(reader(image), image.length);
  t.deepEqual(info, { format: 'vhdx', virtualSizeBytes: 3 * 1024 ** 3, problems: [] });
  t.is(reads.length, 4);
  t.true(reads.reduce((sum, r) => sum + r.length, 0) < image.length / 4);
});

test('reports the format without a size when the metadata is missing or broken', async (t) => {
  const noSize = buildVhdx({ withSizeItem: false });
  const first = await inspectImage(reader(noSize), noSize.length);
  t.is(first.info.virtualSizeBytes, undefined);
  t.is(first.info.problems[0].code, 'bad-header');
  const broken = buildVhdx();
  broken.write('xxxx', 192 * 1024, 'latin1');
  t.regex((await inspectImage(reader(broken), broken.length)).info.problems[0].message, /no valid region table/);
  const short = buildVhdx().subarray(0, 100 * 1024);
  t.regex((await inspectImage(reader(short), short.length)).info.problems[0].message, /ends before the region table/);
});

test('fails on a differencing VHDX and on bad magic', async (t) => {
  const child = buildVhdx({ parent: true });
  const { info } = await inspectImage(reader(child), child.length);
  t.is(info.variant, 'differencing');
  t.is(info.problems[0].code, 'backing-file');
  t.is(parseVhdx(Buffer.alloc(64)).problems[0].code, 'bad-magic');
});
