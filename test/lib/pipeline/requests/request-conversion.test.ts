import test from 'ava';
import {
  convertAlicloudExportRequest,
  convertAlicloudImportRequest,
  convertAwsExportRequest,
  convertAwsImportRequest,
  convertJdcloudExportRequest,
  convertJdcloudImportRequest,
  parseJdOssBucketUrl,
} from '../../../../lib/pipeline/requests';
import { check, issueLines } from '../pipeline-test-support';

test('converts an `aws ec2 export-image --cli-input-json` document', (t) => {
  const converted = convertAwsExportRequest({
    DiskImageFormat: 'VMDK',
    ImageId: 'ami-0123456789abcdef0',
    S3ExportLocation: { S3Bucket: 'my-exports', S3Prefix: 'exports/' },
    RoleName: 'vmimport',
    Description: 'golden',
    TagSpecifications: [{ ResourceType: 'export-image-task', Tags: [{ Key: 'team', Value: 'platform' }] }],
    ClientToken: 'my-token-1',
  });
  t.deepEqual(converted.fields, {
    imageId: 'ami-0123456789abcdef0',
    format: 'VMDK',
    bucket: 'my-exports',
    prefix: 'exports/',
    roleName: 'vmimport',
    description: 'golden',
    tags: { team: 'platform' },
    clientToken: 'my-token-1',
  });
  t.deepEqual(converted.paths['tags.team'], ['request', 'TagSpecifications', 0, 'Tags', 0, 'Key']);
  t.deepEqual(converted.issues, []);
});

test('rejects a duplicate tag key and a foreign ResourceType in an AWS request', (t) => {
  const converted = convertAwsExportRequest({
    TagSpecifications: [
      { ResourceType: 'image', Tags: [{ Key: 'a', Value: '1' }] },
      { ResourceType: 'export-image-task', Tags: [{ Key: 'a', Value: '2' }] },
    ],
  });
  t.deepEqual(
    converted.issues.map((issue) => [issue.path.join('.'), issue.code]),
    [
      ['request.TagSpecifications.0.ResourceType', 'request.tag-resource-type'],
      ['request.TagSpecifications.1.Tags.0.Key', 'request.duplicate-tag'],
    ],
  );
});

test('converts an `aws ec2 import-image --cli-input-json` document', (t) => {
  const converted = convertAwsImportRequest({
    Architecture: 'x86_64',
    ClientData: { Comment: 'c', UploadSize: 2 },
    DiskContainers: [
      { Format: 'VMDK', UserBucket: { S3Bucket: 'src', S3Key: 'disk.vmdk' }, DeviceName: '/dev/sda1' },
      { Format: 'RAW', Url: 'https://example.com/data.raw' },
    ],
    Encrypted: true,
    LicenseType: 'BYOL',
    Platform: 'Linux',
    RoleName: 'vmimport',
    LicenseSpecifications: [{ LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:1:license-configuration:lic-1' }],
    BootMode: 'uefi',
  });
  t.deepEqual(converted.fields, {
    disks: [
      { bucket: 'src', key: 'disk.vmdk', format: 'VMDK', deviceName: '/dev/sda1' },
      { url: 'https://example.com/data.raw', format: 'RAW' },
    ],
    architecture: 'x86_64',
    clientData: { comment: 'c', uploadSize: 2 },
    encrypted: true,
    licenseType: 'BYOL',
    platform: 'Linux',
    roleName: 'vmimport',
    licenseConfigurationArns: ['arn:aws:license-manager:us-east-1:1:license-configuration:lic-1'],
    bootMode: 'uefi',
  });
  t.deepEqual(converted.paths['disks[0].key'], ['request', 'DiskContainers', 0, 'UserBucket', 'S3Key']);
});

test('rejects an AWS DiskContainer with two sources, at the container', (t) => {
  const converted = convertAwsImportRequest({ DiskContainers: [{ Url: 'https://x/y.vmdk', SnapshotId: 'snap-1' }] });
  t.deepEqual(converted.issues.map((issue) => issue.path), [['request', 'DiskContainers', 0]]);
});

test('converts Alibaba Cloud ExportImage and ImportImage parameters', (t) => {
  const exported = convertAlicloudExportRequest({
    RegionId: 'cn-hangzhou',
    ImageId: 'm-bp1234567890abcdef',
    OSSBucket: 'ali-exports',
    OSSPrefix: 'EcsExport',
    ImageFormat: 'qcow2',
    RoleName: 'AliyunECSImageExportDefaultRole',
    OwnerId: 123,
  });
  t.deepEqual(exported.fields, {
    imageId: 'm-bp1234567890abcdef',
    format: 'qcow2',
    bucket: 'ali-exports',
    prefix: 'EcsExport',
    roleName: 'AliyunECSImageExportDefaultRole',
  });
  t.is(exported.region, 'cn-hangzhou');
  const imported = convertAlicloudImportRequest({
    RegionId: 'cn-hangzhou',
    ImageName: 'restored',
    OSType: 'linux',
    Platform: 'Ubuntu',
    DiskDeviceMapping: [{ OSSBucket: 'src', OSSObject: 'disk.qcow2', Format: 'QCOW2', DiskImageSize: '40' }],
    Tag: [{ Key: 'team', Value: 'platform' }],
    Features: { NvmeSupport: 'supported' },
    ClientToken: 'tok',
  });
  t.deepEqual(imported.fields, {
    disks: [{ bucket: 'src', key: 'disk.qcow2', format: 'QCOW2', sizeGiB: 40 }],
    imageName: 'restored',
    osType: 'linux',
    platform: 'Ubuntu',
    nvmeSupport: 'supported',
    tags: { team: 'platform' },
    clientToken: 'tok',
  });
  t.deepEqual(imported.paths['disks[0].sizeGiB'], ['request', 'DiskDeviceMapping', 0, 'DiskImageSize']);
});

test('converts JD Cloud exportImage and importImage bodies; the bucket comes from ossUrl', (t) => {
  t.deepEqual(parseJdOssBucketUrl('https://test-export.s3-internal.cn-east-2.jdcloud-oss.com'), { bucket: 'test-export', region: 'cn-east-2' });
  t.deepEqual(parseJdOssBucketUrl('https://test-export.s3.cn-north-1.jdcloud-oss.com/'), { bucket: 'test-export', region: 'cn-north-1' });
  t.is(parseJdOssBucketUrl('https://example.com/bucket'), undefined);
  const exported = convertJdcloudExportRequest({
    regionId: 'cn-east-2',
    imageId: 'img-abcdefgh',
    roleName: 'image-export',
    ossUrl: 'https://test-export.s3-internal.cn-east-2.jdcloud-oss.com',
    ossPrefix: 'jdcloud',
    clientToken: 'tok',
    isAllDisk: true,
  });
  t.deepEqual(exported.fields, {
    imageId: 'img-abcdefgh',
    bucket: 'test-export',
    prefix: 'jdcloud',
    roleName: 'image-export',
    clientToken: 'tok',
    allDisks: true,
  });
  const imported = convertJdcloudImportRequest({
    architecture: 'x86_64',
    osType: 'linux',
    platform: 'Other Linux',
    diskFormat: 'qcow2',
    systemDiskSizeGB: 50,
    imageUrl: 'https://bucket.s3.cn-north-1.jdcloud-oss.com/disk.qcow2',
    imageName: 'importImageTest',
  });
  t.deepEqual(imported.fields, {
    disks: [{ url: 'https://bucket.s3.cn-north-1.jdcloud-oss.com/disk.qcow2', format: 'qcow2', sizeGiB: 50 }],
    architecture: 'x86_64',
    osType: 'linux',
    platform: 'Other Linux',
    systemDiskSizeGiB: 50,
    imageName: 'importImageTest',
  });
});

test('rejects a JD ossUrl that is not a JD OSS bucket URL, or in another region', (t) => {
  t.deepEqual(convertJdcloudExportRequest({ ossUrl: 'https://example.com/b' }).issues.map((i) => i.code), ['request.oss-url']);
  t.deepEqual(
    convertJdcloudExportRequest({ regionId: 'cn-east-2', ossUrl: 'https://bucket1.s3-internal.cn-north-1.jdcloud-oss.com' }).issues.map((i) => i.code),
    ['request.oss-url-region'],
  );
});

const REQUEST_PIPELINE = `name: legacy
clouds:
  aws: { region: us-east-1 }
  alicloud: { region: cn-hangzhou }
buckets:
  exports: { cloud: aws, name: my-exports, existing: true }
exports:
  from-script:
    cloud: aws
    request:
      DiskImageFormat: VMDK
      ImageId: ami-0123456789abcdef0
      S3ExportLocation:
        S3Bucket: my-exports
        S3Prefix: exports/
      TagSpecifications:
        - ResourceType: export-image-task
          Tags:
            - { Key: "aws:owner", Value: me }
  ali-script:
    cloud: alicloud
    request:
      RegionId: cn-shanghai
      ImageId: m-bp1234567890abcdef
      OSSBucket: ali-exports
      OSSPrefix: "not/allowed"
      ImageFormat: QCOW
`;

test("errors in request entries name the cloud's own fields", (t) => {
  t.deepEqual(issueLines(REQUEST_PIPELINE), [
    'pipeline.yaml:19:22: exports.from-script.request.TagSpecifications[0].Tags[0].Key: "aws:owner" tag key must not begin with "aws:" (reserved for AWS) [Amazon EC2 tag restrictions]',
    'pipeline.yaml:23:17: exports.ali-script.request.RegionId: "cn-shanghai" must be the pipeline\'s alicloud region "cn-hangzhou" (clouds.alicloud.region)',
    'pipeline.yaml:26:18: exports.ali-script.request.OSSPrefix: "not/allowed" may contain only letters and digits (found "/"); ECS joins it to the file name itself [Alibaba Cloud ECS ExportImage]',
    'pipeline.yaml:27:20: exports.ali-script.request.ImageFormat: "QCOW" is not an ExportImage format (allowed: raw, vhd, qcow2, vmdk, vdi) [Alibaba Cloud ECS ExportImage]',
  ]);
});

test('a request entry that names a declared bucket uses it; its ClientToken is kept', (t) => {
  const text = REQUEST_PIPELINE.split('  ali-script:')[0].replace('"aws:owner"', 'owner').replace('S3Prefix: exports/', 'S3Prefix: exports/\n      ClientToken: script-token-1');
  const result = check(text);
  t.deepEqual(result.issues, []);
  const entry = result.pipeline!.exports[0];
  t.is(entry.bucketKey, 'exports');
  t.is(entry.clientToken, 'script-token-1');
  t.true(entry.fromRequest);
  t.deepEqual(entry.spec.tags, { owner: 'me' });
  t.is(entry.spec.format, 'vmdk');
});
