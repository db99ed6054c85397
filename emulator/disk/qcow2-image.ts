import { assertValidLayout, type DiskImageLayout } from './disk-image-layout';

const CLUSTER_BITS = 16;
const CLUSTER = 1 << CLUSTER_BITS; // 64 KiB
const COPIED = 1n << 63n; // refcount is exactly one
const HEADER_LENGTH = 104;

/**
 * A QCOW2 version 3 image (QEMU `docs/interop/qcow2.txt`): 64 KiB clusters laid out as header, refcount table,
 * refcount block (16-bit refcounts), L1 table, one L2 table, one data cluster holding the boot sector. Every
 * cluster in use has refcount 1, so `qemu-img check` finds neither leaks nor corruption.
 */
export function qcow2Image(virtualSizeBytes: number, firstSector: Buffer): DiskImageLayout {
  const l2Entries = CLUSTER / 8;
  const l1Size = Math.max(1, Math.ceil(virtualSizeBytes / (CLUSTER * l2Entries)));
  if (l1Size * 8 > CLUSTER) throw new Error(`qcow2 writer: virtual size ${virtualSizeBytes} needs an L1 table larger than one cluster`);
  const refcountTable = 1 * CLUSTER;
  const refcountBlock = 2 * CLUSTER;
  const l1Table = 3 * CLUSTER;
  const l2Table = 4 * CLUSTER;
  const dataCluster = 5 * CLUSTER;
  const clustersUsed = 6;

  const header = Buffer.alloc(HEADER_LENGTH + 8); // + end-of-extensions marker (zeros)
  header.write('QFI\xfb', 0, 'binary');
  header.writeUInt32BE(3, 4); // version
  header.writeBigUInt64BE(0n, 8); // no backing file
  header.writeUInt32BE(0, 16);
  header.writeUInt32BE(CLUSTER_BITS, 20);
  header.writeBigUInt64BE(BigInt(virtualSizeBytes), 24);
  header.writeUInt32BE(0, 32); // no encryption
  header.writeUInt32BE(l1Size, 36);
  header.writeBigUInt64BE(BigInt(l1Table), 40);
  header.writeBigUInt64BE(BigInt(refcountTable), 48);
  header.writeUInt32BE(1, 56); // refcount table clusters
  header.writeUInt32BE(0, 60); // snapshots
  header.writeBigUInt64BE(0n, 64);
  header.writeBigUInt64BE(0n, 72); // incompatible features
  header.writeBigUInt64BE(0n, 80); // compatible features
  header.writeBigUInt64BE(0n, 88); // autoclear features
  header.writeUInt32BE(4, 96); // refcount order: 16-bit refcounts
  header.writeUInt32BE(HEADER_LENGTH, 100);

  const table = Buffer.alloc(8);
  table.writeBigUInt64BE(BigInt(refcountBlock), 0);
  const refcounts = Buffer.alloc(clustersUsed * 2);
  for (let cluster = 0; cluster < clustersUsed; cluster++) refcounts.writeUInt16BE(1, cluster * 2);
  const l1 = Buffer.alloc(8);
  l1.writeBigUInt64BE(BigInt(l2Table) | COPIED, 0);
  const l2 = Buffer.alloc(8);
  l2.writeBigUInt64BE(BigInt(dataCluster) | COPIED, 0);

  return assertValidLayout({
    format: 'qcow2',
    sizeBytes: clustersUsed * CLUSTER,
    virtualSizeBytes,
    extents: [
      { offset: 0, data: header },
      { offset: refcountTable, data: table },
      { offset: refcountBlock, data: refcounts },
      { offset: l1Table, data: l1 },
      { offset: l2Table, data: l2 },
      { offset: dataCluster, data: firstSector },
    ],
  });
}
