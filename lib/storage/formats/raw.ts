import { type DiskImageInfo, imageWarning, type ImageProblem } from './image-info';

/**
 * "Parses" a raw disk: there is no header, so the virtual size is the object's size. Flags what suggests the object
 * is not a disk after all: an all-zero first sector (no partition table or boot sector) and a size that is not a
 * whole number of 512-byte sectors.
 *
 * @param header the first bytes of the object
 * @param objectSizeBytes the object's size
 */
export function parseRaw(header: Buffer, objectSizeBytes: number): DiskImageInfo {
  const problems: ImageProblem[] = [];
  const firstSector = header.subarray(0, 512);
  if (firstSector.length > 0 && firstSector.every((byte) => byte === 0)) {
    problems.push(
      imageWarning('suspicious-content', 'the first sector is all zeros: no partition table or boot sector'),
    );
  }
  if (objectSizeBytes % 512 !== 0) {
    problems.push(imageWarning('suspicious-content', `${objectSizeBytes} bytes is not a whole number of 512-byte sectors`));
  }
  return { format: 'raw', virtualSizeBytes: objectSizeBytes, problems };
}
