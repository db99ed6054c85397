import { assertValidLayout, type DiskImageLayout } from './disk-image-layout';

/** A raw disk: the boot sector, then zeros up to the virtual size. */
export function rawImage(virtualSizeBytes: number, firstSector: Buffer): DiskImageLayout {
  return assertValidLayout({
    format: 'raw',
    sizeBytes: virtualSizeBytes,
    virtualSizeBytes,
    extents: [{ offset: 0, data: firstSector }],
  });
}
