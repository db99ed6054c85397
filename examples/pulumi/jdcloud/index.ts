// Exports a golden JD Cloud private image to JD OSS (always QCOW2). JD Cloud has no Pulumi provider: the service
// role, its policy, the attachment and the bucket are imageport dynamic resources.
//
// In your own project: `import * as imageport from 'imageport/pulumi';`
import * as pulumi from '@pulumi/pulumi';
import * as imageport from '../../../pulumi';

const config = new pulumi.Config();
const region = config.require('region');

const bucket = new imageport.jdcloud.ExportBucket('exports', { bucketName: config.require('bucketName'), region });

const role = new imageport.jdcloud.ImageExportRole('export-role', {
  roleName: config.get('roleName') ?? 'imageport-export',
  exportBuckets: [bucket.bucketName],
});

const golden = new imageport.jdcloud.ImageExport('golden-qcow2', {
  region,
  imageId: config.require('imageId'),
  bucket: bucket.bucketName,
  prefix: 'golden',
  roleName: role.roleName,
  waitTimeout: '2h',
});

export const exportTaskId = golden.taskId;
export const exportUri = golden.uri;
export const exportSizeBytes = golden.sizeBytes;
