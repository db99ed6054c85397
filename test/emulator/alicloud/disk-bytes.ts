import { type DiskImageLayout } from '../../../emulator/disk/disk-image-layout';

/** The whole file a (small) disk image layout describes, zeros included. */
export function layoutToBuffer(layout: DiskImageLayout): Buffer {
  const bytes = Buffer.alloc(layout.sizeBytes);
  for (const extent of layout.extents) extent.data.copy(bytes, extent.offset);
  return bytes;
}
