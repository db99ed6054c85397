import test from 'ava';
import { buildDiskImage, layoutToBuffer, sniffDiskImage, tarHeader, type DiskImageFormat } from '../../../emulator/disk';

function sniff(file: Buffer) {
  return sniffDiskImage(file.subarray(0, 64 * 1024), file.subarray(Math.max(0, file.length - 512)), file.length);
}

for (const [format, expected] of [
  ['qcow2', 'qcow2'],
  ['vmdk', 'vmdk'],
  ['vhd', 'vhd'],
  ['vdi', 'vdi'],
  ['raw', 'raw'],
  ['raw.tar.gz', 'gzip'],
] as const) {
  test(`sniff: recognises the ${format} writer's output and its virtual size`, (t) => {
    const file = layoutToBuffer(buildDiskImage(format as DiskImageFormat, { virtualSizeBytes: 2 * 1024 * 1024 }));
    const result = sniff(file);
    t.is(result.format, expected);
    if (expected !== 'gzip') t.is(result.virtualSizeBytes, 2 * 1024 * 1024);
    if (format === 'vmdk') t.is(result.vmdkCreateType, 'streamOptimized');
  });
}

test('sniff: a fixed VHD is recognised by its footer at the end', (t) => {
  const dynamic = layoutToBuffer(buildDiskImage('vhd', { virtualSizeBytes: 1024 * 1024 }));
  const footer = Buffer.from(dynamic.subarray(dynamic.length - 512));
  const fixed = Buffer.concat([Buffer.alloc(1024 * 1024), footer]);
  t.is(sniff(fixed).format, 'vhd');
});

test('sniff: descriptor-only VMDKs, OVA archives, empty and unknown files', (t) => {
  const descriptor = Buffer.from('# Disk DescriptorFile\nversion=1\ncreateType="monolithicFlat"\nRW 2048 FLAT "d-flat.vmdk" 0\n');
  t.deepEqual(sniff(descriptor), { format: 'vmdk', virtualSizeBytes: 1024 * 1024, vmdkCreateType: 'monolithicFlat' });
  const ova = Buffer.concat([tarHeader('appliance.ovf', 10, 0), Buffer.alloc(1024)]);
  t.deepEqual(sniff(ova), { format: 'ova', tarMember: 'appliance.ovf' });
  t.deepEqual(sniff(Buffer.alloc(0)), { format: 'empty' });
  t.deepEqual(sniff(Buffer.from('hello')), { format: 'raw', virtualSizeBytes: 5 });
});
