import { detectFormat } from './detect-format';
import { type ByteRange, type DiskImageInfo } from './image-info';
import { parseOva } from './ova';
import { parseQcow2 } from './qcow2';
import { parseRaw } from './raw';
import { gzipTrailerRange, parseRawTarGz } from './raw-tar-gz';
import { parseVdi } from './vdi';
import { isVhdFooter, parseVhd, VHD_FOOTER_SIZE } from './vhd';
import { parseVhdx, VHDX_REGION_TABLE_RANGE, vhdxMetadataItems, vhdxMetadataTableRange } from './vhdx';
import { parseVmdk, vmdkTailRange } from './vmdk';

/** Reads `length` bytes from `offset` of the object (a ranged GET). */
export type RangeReader = (offset: number, length: number) => Promise<Buffer>;

/** Options of {@link inspectImage}. */
export interface InspectImageOptions {
  /** How many bytes to read from the start of the object. @default 65536 */
  readonly headerBytes?: number;
}

/** What {@link inspectImage} found, and which ranges it read. */
export interface ImageInspection {
  /** The parsed header. */
  readonly info: DiskImageInfo;
  /** Every range read, in order. */
  readonly reads: readonly ByteRange[];
}

/**
 * Identifies a disk image and reads its virtual size with a few small ranged reads: the first 64 KiB, plus where a
 * format needs it the last bytes (fixed VHD footer, dynamic VHD footer copy, stream-optimized VMDK footer and
 * end-of-stream marker, gzip trailer) or a metadata table (VHDX: region table, metadata table, size item).
 * Never reads the whole object (unless it is no larger than the header read).
 *
 * @param read reads a range of the object
 * @param sizeBytes the object's size (must be > 0)
 */
export async function inspectImage(
  read: RangeReader,
  sizeBytes: number,
  options: InspectImageOptions = {},
): Promise<ImageInspection> {
  const reads: ByteRange[] = [];
  const header = await read(0, Math.min(sizeBytes, options.headerBytes ?? 65_536));
  reads.push({ offset: 0, length: header.length });
  const readRange = async (range: ByteRange): Promise<Buffer> => {
    const start = Math.max(0, range.offset);
    const end = Math.min(sizeBytes, range.offset + range.length);
    if (end <= start) return Buffer.alloc(0);
    if (end <= header.length) return header.subarray(start, end);
    const bytes = await read(start, end - start);
    reads.push({ offset: start, length: bytes.length });
    return bytes;
  };
  const tail = (length: number): Promise<Buffer> => readRange({ offset: sizeBytes - length, length });

  const info = await (async (): Promise<DiskImageInfo> => {
    switch (detectFormat(header)) {
      case 'qcow2':
        return parseQcow2(header, sizeBytes);
      case 'vdi':
        return parseVdi(header, sizeBytes);
      case 'vhd':
        return parseVhd(header, await tail(VHD_FOOTER_SIZE), sizeBytes);
      case 'vmdk': {
        const range = vmdkTailRange(header, sizeBytes);
        return parseVmdk(header, sizeBytes, range ? await readRange(range) : undefined);
      }
      case 'raw.tar.gz':
        return parseRawTarGz(header, await readRange(gzipTrailerRange(sizeBytes)));
      case 'ova':
        return parseOva(header);
      case 'vhdx':
        return inspectVhdx(header, sizeBytes, readRange);
      default: {
        const last = await tail(VHD_FOOTER_SIZE);
        if (last.length === VHD_FOOTER_SIZE && isVhdFooter(last)) return parseVhd(header, last, sizeBytes);
        return parseRaw(header, sizeBytes);
      }
    }
  })();
  return { info, reads };
}

async function inspectVhdx(
  header: Buffer,
  sizeBytes: number,
  readRange: (range: ByteRange) => Promise<Buffer>,
): Promise<DiskImageInfo> {
  if (sizeBytes < VHDX_REGION_TABLE_RANGE.offset + 16) {
    return parseVhdx(header, undefined, `the object (${sizeBytes} bytes) ends before the region table at 192 KiB`);
  }
  const tableRange = vhdxMetadataTableRange(await readRange(VHDX_REGION_TABLE_RANGE));
  if (!tableRange) return parseVhdx(header, undefined, 'no valid region table with a metadata region at 192 KiB');
  if (tableRange.offset + 32 > sizeBytes) {
    return parseVhdx(header, undefined, `the metadata region at ${tableRange.offset} is past the end of the object`);
  }
  const table = await readRange(tableRange);
  const items = vhdxMetadataItems(table);
  if (!items) return parseVhdx(header, undefined, `no valid metadata table at offset ${tableRange.offset}`);
  if (!items.virtualDiskSize) return parseVhdx(header, { hasParent: items.hasParent }, 'no Virtual Disk Size metadata item');
  const { offset } = items.virtualDiskSize;
  const value =
    offset + 8 <= table.length ? table.subarray(offset, offset + 8) : await readRange({ offset: tableRange.offset + offset, length: 8 });
  if (value.length < 8) return parseVhdx(header, { hasParent: items.hasParent }, 'the Virtual Disk Size item is past the end of the object');
  const size = value.readBigUInt64LE(0);
  return parseVhdx(header, {
    hasParent: items.hasParent,
    ...(size <= BigInt(Number.MAX_SAFE_INTEGER) ? { virtualSizeBytes: Number(size) } : {}),
  });
}
