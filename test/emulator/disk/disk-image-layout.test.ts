import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertValidLayout, buildDiskImage, DISK_IMAGE_FORMATS, layoutSlice, layoutToBuffer, layoutToStream, writeLayoutSync } from '../../../emulator/disk';

test('layout: the buffer, a streamed copy, slices and a sparse file all hold the same bytes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imageport-layout-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const format of DISK_IMAGE_FORMATS) {
    const layout = buildDiskImage(format, { virtualSizeBytes: 3 * 1024 * 1024 });
    const whole = layoutToBuffer(layout);
    t.is(whole.length, layout.sizeBytes);
    const chunks: Buffer[] = [];
    for await (const chunk of layoutToStream(layout)) chunks.push(chunk as Buffer);
    t.true(Buffer.concat(chunks).equals(whole), `${format} stream`);
    t.true(layoutSlice(layout, 100, 5000).equals(whole.subarray(100, 5000)), `${format} slice`);
    const path = join(dir, `disk.${format}`);
    writeLayoutSync(layout, path);
    t.true(readFileSync(path).equals(whole), `${format} file`);
  }
});

test('rejects layouts whose extents overlap or run past the end', (t) => {
  t.throws(() => assertValidLayout({ format: 'raw', sizeBytes: 10, virtualSizeBytes: 10, extents: [{ offset: 0, data: Buffer.alloc(4) }, { offset: 2, data: Buffer.alloc(2) }] }), {
    message: /extent 1 at 2 overlaps/,
  });
  t.throws(() => assertValidLayout({ format: 'raw', sizeBytes: 4, virtualSizeBytes: 4, extents: [{ offset: 2, data: Buffer.alloc(4) }] }), { message: /past the file size 4/ });
});
