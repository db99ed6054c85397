import { type ByteRange, type DiskImageInfo, hasBytes, imageError, readUint64 } from './image-info';

/** `vhdxfile`: the file type identifier at offset 0. */
export const VHDX_SIGNATURE = Buffer.from('vhdxfile', 'latin1');

/** Where the first region table lives (192 KiB), and how much of it to read (its header and entries). */
export const VHDX_REGION_TABLE_RANGE: ByteRange = { offset: 192 * 1024, length: 4096 };

/** Size of the metadata table at the start of the metadata region. */
const METADATA_TABLE_SIZE = 64 * 1024;

/** Converts a textual GUID to its on-disk form (first three fields little-endian, as MS-VHDX stores them). */
function guidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  const raw = Buffer.from(hex, 'hex');
  return Buffer.concat([
    Buffer.from(raw.subarray(0, 4)).reverse(),
    Buffer.from(raw.subarray(4, 6)).reverse(),
    Buffer.from(raw.subarray(6, 8)).reverse(),
    raw.subarray(8),
  ]);
}

/** Region GUID of the metadata region (MS-VHDX 2.2.3.1). */
const METADATA_REGION_GUID = guidBytes('8B7CA206-4790-4B9A-B8FE-575F050F886E');
/** Metadata item GUID of "Virtual Disk Size" (MS-VHDX 2.6.2.2). */
const VIRTUAL_DISK_SIZE_GUID = guidBytes('2FA54224-CD1B-4876-B211-5DBED83BF4B8');
/** Metadata item GUID of "Parent Locator": present on differencing disks. */
const PARENT_LOCATOR_GUID = guidBytes('A8D35F2D-B30B-454D-ABF7-D3D84834AB0C');

/** True when the header starts with the VHDX file type identifier. */
export function isVhdx(header: Buffer): boolean {
  return hasBytes(header, 8) && header.subarray(0, 8).equals(VHDX_SIGNATURE);
}

/**
 * Finds the metadata region in a region table (read from {@link VHDX_REGION_TABLE_RANGE}): the range of its
 * metadata table, or `undefined` when the table is not valid.
 */
export function vhdxMetadataTableRange(regionTable: Buffer): ByteRange | undefined {
  if (!hasBytes(regionTable, 16) || regionTable.toString('latin1', 0, 4) !== 'regi') return undefined;
  const entries = regionTable.readUInt32LE(8);
  for (let i = 0; i < Math.min(entries, 2047); i++) {
    const at = 16 + i * 32;
    if (!hasBytes(regionTable, at + 32)) return undefined;
    if (regionTable.subarray(at, at + 16).equals(METADATA_REGION_GUID)) {
      const offset = readUint64(regionTable, at + 16, true);
      const length = regionTable.readUInt32LE(at + 24);
      return offset === undefined ? undefined : { offset, length: Math.min(length, METADATA_TABLE_SIZE) };
    }
  }
  return undefined;
}

/** Where the metadata table says the items live, relative to the start of the metadata region. */
export interface VhdxMetadataItems {
  /** The Virtual Disk Size item (8 bytes). */
  readonly virtualDiskSize?: ByteRange;
  /** True when a Parent Locator item exists (a differencing disk). */
  readonly hasParent: boolean;
}

/** Reads the metadata table (at the start of the metadata region). */
export function vhdxMetadataItems(metadataTable: Buffer): VhdxMetadataItems | undefined {
  if (!hasBytes(metadataTable, 32) || metadataTable.toString('latin1', 0, 8) !== 'metadata') return undefined;
  const entries = metadataTable.readUInt16LE(10);
  let virtualDiskSize: ByteRange | undefined;
  let hasParent = false;
  for (let i = 0; i < Math.min(entries, 2047); i++) {
    const at = 32 + i * 32;
    if (!hasBytes(metadataTable, at + 32)) break;
    const id = metadataTable.subarray(at, at + 16);
    if (id.equals(VIRTUAL_DISK_SIZE_GUID)) {
      virtualDiskSize = { offset: metadataTable.readUInt32LE(at + 16), length: metadataTable.readUInt32LE(at + 20) };
    }
    if (id.equals(PARENT_LOCATOR_GUID)) hasParent = true;
  }
  return { ...(virtualDiskSize ? { virtualDiskSize } : {}), hasParent };
}

/**
 * Builds the VHDX result from what was read. The virtual size needs three reads beyond the file identifier: the
 * region table, the metadata table, and the Virtual Disk Size item; pass what was found, or nothing when a step
 * failed (the format is still reported, with a problem).
 *
 * @param header the first bytes of the object
 * @param found the virtual size and the parent flag, when the metadata could be read
 * @param failure what went wrong reading the metadata
 */
export function parseVhdx(
  header: Buffer,
  found?: { readonly virtualSizeBytes?: number; readonly hasParent?: boolean },
  failure?: string,
): DiskImageInfo {
  if (!isVhdx(header)) {
    return { format: 'vhdx', problems: [imageError('bad-magic', 'no "vhdxfile" identifier at offset 0')] };
  }
  const problems = [];
  if (failure) problems.push(imageError('bad-header', failure));
  if (found?.hasParent) problems.push(imageError('backing-file', 'a differencing VHDX depends on a parent disk'));
  return {
    format: 'vhdx',
    ...(found?.hasParent ? { variant: 'differencing' } : {}),
    ...(found?.virtualSizeBytes !== undefined ? { virtualSizeBytes: found.virtualSizeBytes } : {}),
    problems,
  };
}
