import { randomBytes } from 'node:crypto';
import { assertValidLayout, roundUp, type DiskImageLayout } from './disk-image-layout';

const SECTOR = 512;
const BLOCK_SIZE = 1024 * 1024;
const VDI_SIGNATURE = 0xbeda107f;
const UNALLOCATED = 0xffffffff;

/**
 * A dynamic VirtualBox VDI 1.1 image (layout as read by QEMU's `block/vdi.c`): 512-byte header, block map at
 * 0x200, data blocks of 1 MiB; only block 0 (holding the boot sector) is allocated.
 */
export function vdiImage(virtualSizeBytes: number, firstSector: Buffer): DiskImageLayout {
  const blocks = Math.max(1, Math.ceil(virtualSizeBytes / BLOCK_SIZE));
  const offsetBmap = 0x200;
  const bmapBytes = roundUp(blocks * 4, SECTOR);
  const offsetData = offsetBmap + bmapBytes;

  const header = Buffer.alloc(0x200);
  header.write('<<< Oracle VM VirtualBox Disk Image >>>\n', 0, 'ascii');
  header.writeUInt32LE(VDI_SIGNATURE, 0x40);
  header.writeUInt32LE(0x00010001, 0x44); // version 1.1
  header.writeUInt32LE(0x190, 0x48); // header size (after the 0x40-byte text)
  header.writeUInt32LE(1, 0x4c); // dynamic image
  header.writeUInt32LE(0, 0x50); // flags
  header.write('imageport emulator disk', 0x54, 'ascii'); // description (256 bytes)
  header.writeUInt32LE(offsetBmap, 0x154);
  header.writeUInt32LE(offsetData, 0x158);
  header.writeUInt32LE(SECTOR, 0x168); // sector size
  header.writeBigUInt64LE(BigInt(virtualSizeBytes), 0x170);
  header.writeUInt32LE(BLOCK_SIZE, 0x178);
  header.writeUInt32LE(0, 0x17c); // block extra data
  header.writeUInt32LE(blocks, 0x180);
  header.writeUInt32LE(1, 0x184); // blocks allocated
  randomBytes(16).copy(header, 0x188); // image UUID
  randomBytes(16).copy(header, 0x198); // last snapshot UUID; link and parent UUIDs stay null

  const bmap = Buffer.alloc(bmapBytes);
  for (let block = 0; block < blocks; block++) bmap.writeUInt32LE(block === 0 ? 0 : UNALLOCATED, block * 4);

  return assertValidLayout({
    format: 'vdi',
    sizeBytes: offsetData + BLOCK_SIZE,
    virtualSizeBytes,
    extents: [
      { offset: 0, data: header },
      { offset: offsetBmap, data: bmap },
      { offset: offsetData, data: firstSector },
    ],
  });
}
