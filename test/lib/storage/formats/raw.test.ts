import test from 'ava';
import { parseRaw } from '../../../../lib/storage/formats/raw';
import { buildRawDisk } from './image-builders';

test('a raw disk is as large as the object', (t) => {
  t.deepEqual(parseRaw(buildRawDisk(4096), 8 * 1024 ** 3), { format: 'raw', virtualSizeBytes: 8 * 1024 ** 3, problems: [] });
});

test('warns about an all-zero first sector and a size that is not whole sectors', (t) => {
  const info = parseRaw(Buffer.alloc(4096), 1000);
  t.deepEqual(info.problems.map((p) => [p.code, p.severity]), [
    ['suspicious-content', 'warning'],
    ['suspicious-content', 'warning'],
  ]);
});
