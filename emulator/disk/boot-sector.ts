/** Options of {@link bootSector}. */
export interface BootSectorOptions {
  /** Size of the disk, bytes (the partition entry spans it). */
  readonly diskSizeBytes: number;
  /** Text placed in the boot code area, so an image is recognisable in a hex dump. @default 'imageport emulator disk' */
  readonly label?: string;
}

/**
 * A 512-byte MBR: a two-byte boot loop (`jmp $`), a label in the boot code area, one bootable Linux partition
 * (type 0x83) from sector 2048 (or 1 on tiny disks) to the end, and the 0x55AA signature. It makes exported
 * images recognisably non-empty without holding any real data.
 */
export function bootSector(options: BootSectorOptions): Buffer {
  const sector = Buffer.alloc(512);
  sector[0] = 0xeb; // jmp $ (short jump to itself)
  sector[1] = 0xfe;
  const label = Buffer.from(options.label ?? 'imageport emulator disk', 'ascii').subarray(0, 400);
  label.copy(sector, 2);
  sector.writeUInt32LE(0x1ae9e0a7, 440); // disk signature
  const totalSectors = Math.floor(options.diskSizeBytes / 512);
  const start = totalSectors > 4096 ? 2048 : 1;
  const count = Math.max(0, Math.min(totalSectors - start, 0xffffffff));
  const entry = 446;
  sector[entry] = 0x80; // bootable
  sector.set([0xfe, 0xff, 0xff], entry + 1); // CHS start: use LBA
  sector[entry + 4] = 0x83; // Linux
  sector.set([0xfe, 0xff, 0xff], entry + 5); // CHS end: use LBA
  sector.writeUInt32LE(start, entry + 8);
  sector.writeUInt32LE(count, entry + 12);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}
