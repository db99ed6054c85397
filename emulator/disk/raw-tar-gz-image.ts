import { gzipSync } from 'node:zlib';
import { assertValidLayout, type DiskImageLayout } from './disk-image-layout';

/**
 * What Alibaba Cloud writes for a RAW export: a gzip'd POSIX (ustar) tar holding one raw disk file. The raw
 * bytes exist only briefly while compressing (zeros compress to almost nothing).
 */
export function rawTarGzImage(virtualSizeBytes: number, firstSector: Buffer, innerFileName: string, now = Date.now()): DiskImageLayout {
  const tar = Buffer.alloc(512 + Math.ceil(virtualSizeBytes / 512) * 512 + 1024);
  tarHeader(innerFileName, virtualSizeBytes, now).copy(tar, 0);
  firstSector.copy(tar, 512);
  const gz = gzipSync(tar, { level: 6 });
  return assertValidLayout({ format: 'raw.tar.gz', sizeBytes: gz.length, virtualSizeBytes, extents: [{ offset: 0, data: gz }] });
}

/** A 512-byte ustar header for one regular file. */
export function tarHeader(name: string, sizeBytes: number, mtimeMs: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar member name ${JSON.stringify(name)} is longer than 100 bytes`);
  const h = Buffer.alloc(512);
  nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(sizeBytes, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtimeMs / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum placeholder: spaces
  h.write('0', 156, 'ascii'); // regular file
  h.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'binary');
  return h;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}
