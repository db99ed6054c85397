import test from 'ava';
import { isOva, ovfDiskCapacities, parseOva } from '../../../../lib/storage/formats/ova';
import { buildOva, buildTar, ovfDescriptor } from './image-builders';

test('reads the disks of the .ovf that leads the archive', (t) => {
  const ova = buildOva(ovfDescriptor([20, 100]));
  t.true(isOva(ova));
  t.deepEqual(parseOva(ova.subarray(0, 65_536)), {
    format: 'ova',
    variant: '2 disks',
    virtualSizeBytes: 20 * 1024 ** 3,
    problems: [],
  });
});

test('understands allocation units', (t) => {
  t.deepEqual(
    ovfDiskCapacities(
      '<Envelope xmlns:ovf="x"><DiskSection><Disk ovf:capacity="512" ovf:capacityAllocationUnits="byte * 1024^2"/></DiskSection></Envelope>',
    ),
    [512 * 1024 ** 2],
  );
  t.deepEqual(ovfDiskCapacities('<Envelope><DiskSection><Disk capacity="4096"/></DiskSection></Envelope>'), [4096]);
});

test('fails when the first entry is not an .ovf, or declares no disk', (t) => {
  t.false(isOva(buildTar('disk.vmdk', Buffer.alloc(10))));
  t.regex(parseOva(buildTar('disk.vmdk', Buffer.alloc(10))).problems[0].message, /must start with its .ovf descriptor/);
  t.is(parseOva(buildOva('<Envelope><References/></Envelope>')).problems[0].code, 'bad-header');
  t.is(parseOva(Buffer.alloc(1024)).problems[0].code, 'bad-magic');
});

test('warns when the descriptor is larger than what was read', (t) => {
  const ova = buildOva(ovfDescriptor([1]) + ' '.repeat(70_000));
  const info = parseOva(ova.subarray(0, 65_536));
  t.is(info.virtualSizeBytes, undefined);
  t.is(info.problems[0].severity, 'warning');
});
