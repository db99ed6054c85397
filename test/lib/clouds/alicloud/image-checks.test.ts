import test from 'ava';
import { type EcsImage } from '../../../../lib/clouds/alicloud/api';
import { exportFormatProblems, exportImageProblems } from '../../../../lib/clouds/alicloud/image-checks';

const golden: EcsImage = {
  imageId: 'm-golden',
  status: 'Available',
  imageOwnerAlias: 'self',
  OSType: 'linux',
  platform: 'Ubuntu',
  diskDeviceMappings: { diskDeviceMapping: [{ type: 'system', size: '40', device: '/dev/xvda', snapshotId: 's-1', encrypted: false }] },
};

function codes(image: EcsImage | undefined): string[] {
  return exportImageProblems('m-x', 'cn-hangzhou', image).map((p) => p.code);
}

test('a custom, available, unencrypted Linux image has no problem', (t) => {
  t.deepEqual(codes(golden), []);
});

test('each export refusal is caught with its own code', (t) => {
  t.deepEqual(codes(undefined), ['image.missing']);
  t.deepEqual(codes({ ...golden, status: 'Creating' }), ['image.not-available']);
  t.deepEqual(codes({ ...golden, imageOwnerAlias: 'marketplace', productCode: 'cmjj0001' }), ['image.marketplace']);
  t.deepEqual(codes({ ...golden, productCode: 'cmjj0001' }), ['image.marketplace'], 'a custom image derived from a Marketplace image keeps its product code');
  t.deepEqual(codes({ ...golden, imageOwnerAlias: 'system' }), ['image.not-custom']);
  t.deepEqual(codes({ ...golden, OSType: 'windows', platform: 'Windows Server 2019' }), ['image.windows']);
  const disks = (extra: object[]): EcsImage => ({ ...golden, diskDeviceMappings: { diskDeviceMapping: [...golden.diskDeviceMappings!.diskDeviceMapping!, ...extra] } });
  t.deepEqual(codes(disks([{ type: 'data', size: '20', encrypted: true, snapshotId: 's-2' }])), ['image.encrypted']);
  t.deepEqual(codes(disks(Array.from({ length: 5 }, () => ({ type: 'data', size: '20' })))), ['image.too-many-data-disks']);
  t.deepEqual(codes(disks(Array.from({ length: 4 }, () => ({ type: 'data', size: '20' })))), []);
  t.deepEqual(codes(disks([{ type: 'data', size: '501', device: '/dev/xvdb' }])), ['image.data-disk-too-big']);
  t.deepEqual(codes(disks([{ type: 'data', size: '500' }])), []);
});

test('every problem names the image and says what to do', (t) => {
  for (const problem of exportImageProblems('m-x', 'cn-hangzhou', { ...golden, status: 'UnAvailable', OSType: 'windows', imageOwnerAlias: 'marketplace' })) {
    t.regex(problem.message, /m-x/);
    t.truthy(problem.fix);
  }
});

test('a non-RAW format outside the ImageFormat regions is caught in advance', (t) => {
  t.deepEqual(exportFormatProblems('cn-hangzhou', 'raw'), []);
  t.deepEqual(exportFormatProblems('ap-southeast-1', 'qcow2'), []);
  const problems = exportFormatProblems('cn-hangzhou', 'qcow2');
  t.is(problems[0].code, 'region.format-not-supported');
  t.regex(problems[0].message, /InvalidImageFormat\.RegionNotSupported/);
});
