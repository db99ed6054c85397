// Exports a golden ECS custom image to OSS as RAW (a `.raw.tar.gz`): the ECS image-export service role with a
// policy scoped to the bucket, a private OSS bucket, and the export.
//
// In your own project: `import * as imageport from 'imageport/pulumi';`
import * as pulumi from '@pulumi/pulumi';
import * as imageport from '../../../pulumi';

const config = new pulumi.Config();
const alicloudConfig = new pulumi.Config('alicloud');

const bucket = new imageport.alicloud.ExportBucket('exports', { bucketName: config.require('bucketName') });

const role = new imageport.alicloud.ImageExportRole('export-role', { policyMode: 'scoped', buckets: [bucket.bucketName] });

const golden = new imageport.alicloud.ImageExport(
  'golden-raw',
  {
    region: alicloudConfig.require('region'),
    imageId: config.require('imageId'),
    format: 'raw',
    bucket: bucket.bucketName,
    prefix: 'golden',
    roleName: role.roleName,
  },
  { dependsOn: [role, bucket], customTimeouts: { create: '2h' } },
);

export const exportTaskId = golden.taskId;
export const exportUri = golden.uri;
export const exportSizeBytes = golden.sizeBytes;
