import test from 'ava';
import { exportImageInput, importImageInput, tokenOfTags } from '../../../../lib/clouds/aws/ec2-requests';

test('exportImageInput maps the spec to ExportImage with the token and tags', (t) => {
  const input = exportImageInput(
    { cloud: 'aws', region: 'eu-west-2', imageId: 'ami-0123456789abcdef0', format: 'vhd', bucket: 'out', prefix: 'exports/', description: 'd', tags: { team: 'x' } },
    'ip-token',
  );
  t.deepEqual(input, {
    ImageId: 'ami-0123456789abcdef0',
    DiskImageFormat: 'VHD',
    S3ExportLocation: { S3Bucket: 'out', S3Prefix: 'exports/' },
    Description: 'd',
    ClientToken: 'ip-token',
    TagSpecifications: [
      {
        ResourceType: 'export-image-task',
        Tags: [
          { Key: 'team', Value: 'x' },
          { Key: 'imageport:client-token', Value: 'ip-token' },
        ],
      },
    ],
  });
  t.is(tokenOfTags(input.TagSpecifications![0].Tags), 'ip-token');
});

test('exportImageInput sends RoleName only when given and no empty prefix', (t) => {
  const input = exportImageInput({ cloud: 'aws', region: 'eu-west-2', imageId: 'ami-0123abcd', format: 'RAW', bucket: 'out', roleName: 'custom' }, 't');
  t.is(input.RoleName, 'custom');
  t.deepEqual(input.S3ExportLocation, { S3Bucket: 'out' });
});

test('importImageInput maps each disk source and normalises closed-set values', (t) => {
  const input = importImageInput(
    {
      cloud: 'aws',
      region: 'us-east-1',
      disks: [
        { bucket: 'in', key: 'a.vmdk', format: 'vmdk', deviceName: '/dev/sda1' },
        { url: 's3://in/b.raw', format: 'raw' },
        { snapshotId: 'snap-0123abcd' },
      ],
      architecture: 'X86_64',
      platform: 'linux',
      bootMode: 'bios',
      licenseType: 'byol',
      hypervisor: 'XEN',
      clientData: { uploadStart: '2024-01-01T00:00:00Z', uploadSize: 2 },
      licenseConfigurationArns: ['arn:aws:license-manager:us-east-1:111122223333:license-configuration:lic-0123'],
    },
    'ip-import',
  );
  t.deepEqual(input.DiskContainers, [
    { Format: 'VMDK', DeviceName: '/dev/sda1', UserBucket: { S3Bucket: 'in', S3Key: 'a.vmdk' } },
    { Format: 'RAW', Url: 's3://in/b.raw' },
    { SnapshotId: 'snap-0123abcd' },
  ]);
  t.is(input.Architecture, 'x86_64');
  t.is(input.Platform, 'Linux');
  t.is(input.BootMode, 'legacy-bios');
  t.is(input.LicenseType, 'BYOL');
  t.is(input.Hypervisor, 'xen');
  t.is(input.ClientToken, 'ip-import');
  t.deepEqual(input.ClientData, { Comment: undefined, UploadStart: new Date('2024-01-01T00:00:00Z'), UploadEnd: undefined, UploadSize: 2 });
  t.deepEqual(input.LicenseSpecifications, [{ LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:111122223333:license-configuration:lic-0123' }]);
  t.is(input.TagSpecifications![0].ResourceType, 'import-image-task');
  t.false('Encrypted' in input);
  t.false('UsageOperation' in input);
});
