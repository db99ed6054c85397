/**
 * Minimal, valid disk image headers built from the format specifications (qemu `docs/interop/qcow2.txt`,
 * `block/vdi.c`, `block/vmdk.c`; Microsoft VHD and MS-VHDX specifications; POSIX ustar), for parser tests.
 */
import { gzipSync } from 'node:zlib';

const MiB = 1024 * 1024;

/** A QCOW2 file: header cluster, refcount table, refcount block, L1 table (like `qemu-img create`). */
export function buildQcow2(
  options: {
    sizeBytes?: number;
    version?: number;
    clusterBits?: number;
    cryptMethod?: number;
    backingFile?: string;
    incompatibleFeatures?: bigint;
  } = {},
): Buffer {
  const clusterBits = options.clusterBits ?? 16;
  const cluster = 2 ** Math.min(Math.max(clusterBits, 9), 21);
  const file = Buffer.alloc(3 * cluster + 8);
  Buffer.from([0x51, 0x46, 0x49, 0xfb]).copy(file, 0);
  file.writeUInt32BE(options.version ?? 3, 4);
  if (options.backingFile) {
    file.writeBigUInt64BE(512n, 8);
    file.writeUInt32BE(options.backingFile.length, 16);
    file.write(options.backingFile, 512, 'utf8');
  }
  file.writeUInt32BE(clusterBits, 20);
  file.writeBigUInt64BE(BigInt(options.sizeBytes ?? 10 * MiB), 24);
  file.writeUInt32BE(options.cryptMethod ?? 0, 32);
  file.writeUInt32BE(1, 36); // l1_size
  file.writeBigUInt64BE(BigInt(3 * cluster), 40); // l1_table_offset
  file.writeBigUInt64BE(BigInt(cluster), 48); // refcount_table_offset
  file.writeUInt32BE(1, 56); // refcount_table_clusters
  file.writeBigUInt64BE(options.incompatibleFeatures ?? 0n, 72);
  file.writeUInt32BE(4, 96); // refcount_order
  file.writeUInt32BE(112, 100); // header_length
  return file;
}

/** A VDI header (1 KiB pre-allocation area included). */
export function buildVdi(
  options: { diskSize?: number; imageType?: number; blockSize?: number; blocksAllocated?: number } = {},
): Buffer {
  const blockSize = options.blockSize ?? MiB;
  const diskSize = options.diskSize ?? 10 * MiB;
  const header = Buffer.alloc(1024);
  header.write('<<< QEMU VM Virtual Disk Image >>>\n', 0, 'latin1');
  header.writeUInt32LE(0xbeda107f, 0x40);
  header.writeUInt32LE(0x00010001, 0x44);
  header.writeUInt32LE(0x190, 0x48);
  header.writeUInt32LE(options.imageType ?? 1, 0x4c);
  header.writeUInt32LE(512, 0x154); // offset_bmap
  header.writeUInt32LE(1024, 0x158); // offset_data
  header.writeUInt32LE(512, 0x168); // sector_size
  header.writeBigUInt64LE(BigInt(diskSize), 0x170);
  header.writeUInt32LE(blockSize, 0x178);
  header.writeUInt32LE(Math.ceil(diskSize / blockSize), 0x180);
  header.writeUInt32LE(options.blocksAllocated ?? 0, 0x184);
  return header;
}

/** One VMDK sparse extent header (512 bytes). */
export function vmdkSparseHeader(options: {
  capacitySectors: number;
  compressed?: boolean;
  gdAtEnd?: boolean;
  descriptorSectors?: number;
  overheadSectors?: number;
  version?: number;
}): Buffer {
  const header = Buffer.alloc(512);
  header.write('KDMV', 0, 'latin1');
  header.writeUInt32LE(options.version ?? (options.compressed ? 3 : 1), 4);
  header.writeUInt32LE(options.compressed ? 0x30003 : 0x3, 8);
  header.writeBigUInt64LE(BigInt(options.capacitySectors), 12);
  header.writeBigUInt64LE(128n, 20); // granularity
  header.writeBigUInt64LE(options.descriptorSectors ? 1n : 0n, 28);
  header.writeBigUInt64LE(BigInt(options.descriptorSectors ?? 0), 36);
  header.writeUInt32LE(512, 44);
  header.writeBigUInt64LE(options.gdAtEnd ? 0xffffffffffffffffn : 21n, 48);
  header.writeBigUInt64LE(options.gdAtEnd ? 0xffffffffffffffffn : 26n, 56);
  header.writeBigUInt64LE(BigInt(options.overheadSectors ?? 128), 64);
  header.write('\n \r\n', 73, 'latin1');
  header.writeUInt16LE(options.compressed ? 1 : 0, 77);
  return header;
}

/** A VMDK text descriptor. */
export function vmdkDescriptor(createType: string, extents: string[], parentCid = 'ffffffff'): string {
  return [
    '# Disk DescriptorFile',
    'version=1',
    'CID=12345678',
    `parentCID=${parentCid}`,
    `createType="${createType}"`,
    '',
    '# Extent description',
    ...extents,
    '',
    'ddb.adapterType = "lsilogic"',
    '',
  ].join('\n');
}

/**
 * A sparse VMDK: header, embedded descriptor, padding to the overhead. Stream-optimized ones get, as VMware writes
 * them, a footer marker, a footer (a header copy) and an end-of-stream marker at the end.
 */
export function buildVmdk(
  options: { capacitySectors?: number; streamOptimized?: boolean; gdAtEnd?: boolean; headerCapacitySectors?: number } = {},
): Buffer {
  const capacitySectors = options.capacitySectors ?? 20_480;
  const createType = options.streamOptimized ? 'streamOptimized' : 'monolithicSparse';
  const descriptor = Buffer.alloc(20 * 512);
  descriptor.write(vmdkDescriptor(createType, [`RW ${capacitySectors} SPARSE "disk.vmdk"`]), 0, 'latin1');
  const header = vmdkSparseHeader({
    capacitySectors: options.headerCapacitySectors ?? capacitySectors,
    compressed: options.streamOptimized,
    gdAtEnd: options.gdAtEnd,
    descriptorSectors: 20,
  });
  const body = Buffer.concat([header, descriptor, Buffer.alloc(128 * 512 - 21 * 512)]);
  if (!options.streamOptimized) return body;
  const footerMarker = Buffer.alloc(512);
  footerMarker.writeUInt32LE(1, 8); // size
  footerMarker.writeUInt32LE(3, 12); // MARKER_FOOTER
  const footer = vmdkSparseHeader({ capacitySectors, compressed: true, descriptorSectors: 20 });
  return Buffer.concat([body, footerMarker, footer, Buffer.alloc(512)]);
}

/** A VHD footer with a correct checksum. */
export function vhdFooter(options: { diskType: number; currentSizeBytes: number; creator?: string; dataOffset?: bigint }): Buffer {
  const footer = Buffer.alloc(512);
  footer.write('conectix', 0, 'latin1');
  footer.writeUInt32BE(2, 8);
  footer.writeUInt32BE(0x00010000, 12);
  footer.writeBigUInt64BE(options.dataOffset ?? (options.diskType === 2 ? 0xffffffffffffffffn : 512n), 16);
  footer.write((options.creator ?? 'win ').padEnd(4).slice(0, 4), 28, 'latin1');
  footer.write('Wi2k', 36, 'latin1');
  footer.writeBigUInt64BE(BigInt(options.currentSizeBytes), 40);
  footer.writeBigUInt64BE(BigInt(options.currentSizeBytes), 48);
  footer.writeUInt16BE(20, 56);
  footer[58] = 16;
  footer[59] = 63;
  footer.writeUInt32BE(options.diskType, 60);
  let sum = 0;
  for (const byte of footer) sum += byte;
  footer.writeUInt32BE(~sum >>> 0, 64);
  return footer;
}

/** A dynamic VHD: footer copy, dynamic header (`cxsparse`), empty BAT, footer. */
export function buildDynamicVhd(currentSizeBytes = 10 * MiB, diskType = 3): Buffer {
  const footer = vhdFooter({ diskType, currentSizeBytes });
  const dynamicHeader = Buffer.alloc(1024);
  dynamicHeader.write('cxsparse', 0, 'latin1');
  dynamicHeader.writeBigUInt64BE(0xffffffffffffffffn, 8);
  dynamicHeader.writeBigUInt64BE(1536n, 16);
  dynamicHeader.writeUInt32BE(0x00010000, 24);
  dynamicHeader.writeUInt32BE(Math.ceil(currentSizeBytes / (2 * MiB)), 28);
  dynamicHeader.writeUInt32BE(2 * MiB, 32);
  return Buffer.concat([footer, dynamicHeader, Buffer.alloc(512, 0xff), footer]);
}

/** A fixed VHD: the raw disk followed by the footer. */
export function buildFixedVhd(data: Buffer): Buffer {
  return Buffer.concat([data, vhdFooter({ diskType: 2, currentSizeBytes: data.length })]);
}

/** On-disk (mixed-endian) GUID bytes. */
function guid(text: string): Buffer {
  const raw = Buffer.from(text.replace(/-/g, ''), 'hex');
  return Buffer.concat([
    Buffer.from(raw.subarray(0, 4)).reverse(),
    Buffer.from(raw.subarray(4, 6)).reverse(),
    Buffer.from(raw.subarray(6, 8)).reverse(),
    raw.subarray(8),
  ]);
}

/** A VHDX skeleton: file identifier, region table at 192 KiB, metadata region at 1 MiB with a Virtual Disk Size item. */
export function buildVhdx(options: { virtualSizeBytes?: number; parent?: boolean; withSizeItem?: boolean } = {}): Buffer {
  const file = Buffer.alloc(MiB + 128 * 1024);
  file.write('vhdxfile', 0, 'latin1');
  file.write('imageport test', 8, 'utf16le');
  const regionTable = 192 * 1024;
  file.write('regi', regionTable, 'latin1');
  file.writeUInt32LE(2, regionTable + 8);
  // BAT region entry, then metadata region entry.
  guid('2DC27766-F623-4200-9D64-115E9BFD4A08').copy(file, regionTable + 16);
  file.writeBigUInt64LE(BigInt(2 * MiB), regionTable + 32);
  file.writeUInt32LE(MiB, regionTable + 40);
  guid('8B7CA206-4790-4B9A-B8FE-575F050F886E').copy(file, regionTable + 48);
  file.writeBigUInt64LE(BigInt(MiB), regionTable + 64);
  file.writeUInt32LE(MiB, regionTable + 72);
  file.writeUInt32LE(1, regionTable + 76);
  const metadata = MiB;
  file.write('metadata', metadata, 'latin1');
  const items: [string, number, number][] = [['CAA16737-FA36-4D43-B3B6-33F0AA44E76B', 64 * 1024, 8]];
  if (options.withSizeItem ?? true) items.push(['2FA54224-CD1B-4876-B211-5DBED83BF4B8', 64 * 1024 + 8, 8]);
  if (options.parent) items.push(['A8D35F2D-B30B-454D-ABF7-D3D84834AB0C', 64 * 1024 + 16, 24]);
  file.writeUInt16LE(items.length, metadata + 10);
  items.forEach(([id, offset, length], i) => {
    const at = metadata + 32 + i * 32;
    guid(id).copy(file, at);
    file.writeUInt32LE(offset, at + 16);
    file.writeUInt32LE(length, at + 20);
  });
  file.writeUInt32LE(2 * MiB, metadata + 64 * 1024); // block size
  file.writeBigUInt64LE(BigInt(options.virtualSizeBytes ?? 10 * MiB), metadata + 64 * 1024 + 8);
  return file;
}

/** A ustar header block with a correct checksum; sizes of 8 GiB and more use GNU base-256. */
export function tarHeader(name: string, sizeBytes: number, type = '0', options: { realSizeBytes?: number } = {}): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  if (sizeBytes >= 8 ** 11) {
    block[124] = 0x80;
    let value = BigInt(sizeBytes);
    for (let i = 135; i > 124; i--) {
      block[i] = Number(value & 0xffn);
      value >>= 8n;
    }
  } else {
    block.write(`${sizeBytes.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  }
  block.write('00000000000\0', 136, 'latin1');
  block.write(type, 156, 'latin1');
  if (options.realSizeBytes !== undefined) {
    block.write(`${options.realSizeBytes.toString(8).padStart(11, '0')}\0`, 483, 'latin1');
  }
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** A pax extended header entry (`x`) carrying the given records. */
export function paxHeader(records: Record<string, string>): Buffer {
  const body = Object.entries(records)
    .map(([key, value]) => {
      const text = ` ${key}=${value}\n`;
      let length = text.length + 1;
      while (`${length}${text}`.length !== length) length++;
      return `${length}${text}`;
    })
    .join('');
  const data = Buffer.from(body, 'utf8');
  return Buffer.concat([tarHeader('PaxHeaders/x', data.length, 'x'), data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** A tar archive of one file, padded to a 10 KiB record like GNU tar. */
export function buildTar(name: string, content: Buffer, prefix: Buffer = Buffer.alloc(0)): Buffer {
  const body = Buffer.concat([
    prefix,
    tarHeader(name, content.length),
    content,
    Buffer.alloc((512 - (content.length % 512)) % 512),
    Buffer.alloc(1024),
  ]);
  return Buffer.concat([body, Buffer.alloc((10_240 - (body.length % 10_240)) % 10_240)]);
}

/** A raw.tar.gz as Alibaba writes it: one raw disk in a tar, gzipped. */
export function buildRawTarGz(disk: Buffer, name = 'disk.raw'): Buffer {
  return gzipSync(buildTar(name, disk));
}

/** A raw disk with an MBR boot signature in its first sector. */
export function buildRawDisk(sizeBytes = MiB): Buffer {
  const disk = Buffer.alloc(sizeBytes);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  return disk;
}

/** An OVF descriptor with the given disk capacities (in GiB). */
export function ovfDescriptor(capacitiesGiB: number[]): string {
  const disks = capacitiesGiB
    .map(
      (gib, i) =>
        `<Disk ovf:capacity="${gib}" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk${i + 1}" ovf:fileRef="file${i + 1}" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">' +
    `<References/><DiskSection><Info>Virtual disk information</Info>${disks}</DiskSection></Envelope>`
  );
}

/** An OVA: the .ovf first, then a disk file. */
export function buildOva(xml: string, firstName = 'vm.ovf'): Buffer {
  const ovf = Buffer.from(xml, 'utf8');
  const disk = buildVmdk({ streamOptimized: true });
  return Buffer.concat([
    tarHeader(firstName, ovf.length),
    ovf,
    Buffer.alloc((512 - (ovf.length % 512)) % 512),
    tarHeader('vm-disk1.vmdk', disk.length),
    disk,
    Buffer.alloc(1024),
  ]);
}
