// Exports the same golden image from three clouds, each into a bucket of its own with the service role that cloud
// needs: VMDK on AWS, RAW (.raw.tar.gz) on Alibaba Cloud, QCOW2 on JD Cloud. The three exports run in parallel.
//
// In your own project: `import * as imageport from 'imageport/pulumi';`
import * as pulumi from '@pulumi/pulumi';
import * as imageport from '../../../pulumi';

const config = new pulumi.Config();
const bucketPrefix = config.require('bucketPrefix');

// AWS: the vmimport role, a hardened bucket, a VMDK export.
const awsBucket = new imageport.aws.ExportBucket('aws-exports', { bucketName: `${bucketPrefix}-aws` });
const awsRole = new imageport.aws.VmImportRole('aws-vmimport', { exportBuckets: [awsBucket.bucketName] });
const awsExport = new imageport.aws.ImageExport(
  'golden-aws',
  {
    region: new pulumi.Config('aws').require('region'),
    imageId: config.require('awsImageId'),
    format: 'VMDK',
    bucket: awsBucket.bucketName,
    prefix: 'golden/',
    roleName: awsRole.roleName,
  },
  { dependsOn: [awsRole, awsBucket] },
);

// Alibaba Cloud: the ECS export role (system policy), a private OSS bucket, a RAW export.
const alicloudBucket = new imageport.alicloud.ExportBucket('alicloud-exports', { bucketName: `${bucketPrefix}-alicloud` });
const alicloudRole = new imageport.alicloud.ImageExportRole('alicloud-export-role');
const alicloudExport = new imageport.alicloud.ImageExport(
  'golden-alicloud',
  {
    region: new pulumi.Config('alicloud').require('region'),
    imageId: config.require('alicloudImageId'),
    format: 'raw',
    bucket: alicloudBucket.bucketName,
    prefix: 'golden',
    roleName: alicloudRole.roleName,
  },
  { dependsOn: [alicloudRole, alicloudBucket] },
);

// JD Cloud: service role + policy + attachment and the bucket (dynamic resources), a QCOW2 export.
const jdcloudRegion = config.require('jdcloudRegion');
const jdcloudBucket = new imageport.jdcloud.ExportBucket('jdcloud-exports', { bucketName: `${bucketPrefix}-jdcloud`, region: jdcloudRegion });
const jdcloudRole = new imageport.jdcloud.ImageExportRole('jdcloud-export-role', { exportBuckets: [jdcloudBucket.bucketName] });
const jdcloudExport = new imageport.jdcloud.ImageExport('golden-jdcloud', {
  region: jdcloudRegion,
  imageId: config.require('jdcloudImageId'),
  bucket: jdcloudBucket.bucketName,
  prefix: 'golden',
  roleName: jdcloudRole.roleName,
});

export const exports = {
  aws: { uri: awsExport.uri, sizeBytes: awsExport.sizeBytes, format: awsExport.format },
  alicloud: { uri: alicloudExport.uri, sizeBytes: alicloudExport.sizeBytes, format: alicloudExport.format },
  jdcloud: { uri: jdcloudExport.uri, sizeBytes: jdcloudExport.sizeBytes, format: jdcloudExport.format },
};
