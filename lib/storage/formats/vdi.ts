import { type DiskImageInfo, hasBytes, imageError, type ImageProblem, readUint64 } from './image-info';

/** VDI signature, little-endian at offset 0x40. */
export const VDI_SIGNATURE = 0xbeda107f;

/** True when the header carries the VDI signature at 0x40. */
export function isVdi(header: Buffer): boolean {
  return hasBytes(header, 0x44) && header.readUInt32LE(0x40) === VDI_SIGNATURE;
}

const IMAGE_TYPES: Readonly<Record<number, string>> = { 1: 'dynamic', 2: 'fixed', 3: 'undo', 4: 'differencing' };

/**
 * Parses a VirtualBox VDI header (little-endian; qemu `block/vdi.c`): the pre-header text, signature `0xbeda107f`
 * at 0x40, version, image type, disk size at 0x170, and whether the allocated blocks fit in the object.
 *
 * @param header the first bytes of the object (at least 0x188)
 * @param objectSizeBytes the object's size, for the truncation check
 */
export function parseVdi(header: Buffer, objectSizeBytes?: number): DiskImageInfo {
  if (!isVdi(header)) {
    return { format: 'vdi', problems: [imageError('bad-magic', 'no VDI signature 0xbeda107f at offset 0x40')] };
  }
  if (!hasBytes(header, 0x188)) {
    return { format: 'vdi', problems: [imageError('truncated', `only ${header.length} bytes: a VDI header needs 392`)] };
  }
  const problems: ImageProblem[] = [];
  const version = header.readUInt32LE(0x44);
  if (version >>> 16 !== 1) {
    problems.push(imageError('unsupported', `VDI version ${version >>> 16}.${version & 0xffff}: only 1.x is supported`));
  }
  const imageType = header.readUInt32LE(0x4c);
  const offsetData = header.readUInt32LE(0x158);
  const virtualSizeBytes = readUint64(header, 0x170, true);
  const blockSize = header.readUInt32LE(0x178);
  const blocksInImage = header.readUInt32LE(0x180);
  const blocksAllocated = header.readUInt32LE(0x184);
  const variant = IMAGE_TYPES[imageType] ?? `type ${imageType}`;
  if (imageType === 3 || imageType === 4) {
    problems.push(imageError('backing-file', `a ${variant} VDI depends on a parent image: it is not a complete disk`));
  } else if (!IMAGE_TYPES[imageType]) {
    problems.push(imageError('bad-header', `unknown VDI image type ${imageType}`));
  }
  if (virtualSizeBytes === undefined) problems.push(imageError('bad-header', 'disk size is beyond 2^53 bytes'));
  if (objectSizeBytes !== undefined) {
    const blocks = imageType === 2 ? blocksInImage : blocksAllocated;
    const needed = offsetData + blocks * blockSize;
    if (needed > objectSizeBytes) {
      problems.push(
        imageError('truncated', `${blocks} blocks of ${blockSize} bytes from offset ${offsetData} need ${needed} bytes; the object has ${objectSizeBytes}`),
      );
    }
  }
  return { format: 'vdi', variant, ...(virtualSizeBytes !== undefined ? { virtualSizeBytes } : {}), problems };
}
