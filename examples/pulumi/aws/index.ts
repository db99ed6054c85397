// Exports a golden AMI to S3 as a VMDK: the VM Import/Export service role, a hardened export bucket, and the
// export itself, which `pulumi up` waits for (up to waitTimeout) and checks.
//
// In your own project: `import * as imageport from 'imageport/pulumi';`
import * as pulumi from '@pulumi/pulumi';
import * as imageport from '../../../pulumi';

const config = new pulumi.Config();
const awsConfig = new pulumi.Config('aws');

const bucket = new imageport.aws.ExportBucket('exports', {
  bucketName: config.require('bucketName'),
  lifecycle: { transitionAfterDays: 30 },
  lifecyclePrefix: 'exports/',
});

const role = new imageport.aws.VmImportRole('vmimport', {
  roleName: config.get('roleName') ?? 'vmimport',
  exportBuckets: [bucket.bucketName],
});

const golden = new imageport.aws.ImageExport(
  'golden-vmdk',
  {
    region: awsConfig.require('region'),
    imageId: config.require('imageId'),
    format: 'VMDK',
    bucket: bucket.bucketName,
    prefix: 'exports/',
    roleName: role.roleName,
    description: 'golden image, exported by imageport',
    tags: { project: 'imageport-example' },
  },
  // The role and bucket must be complete (policy attached, encryption set) before the export starts.
  { dependsOn: [role, bucket], customTimeouts: { create: '2h' } },
);

export const exportTaskId = golden.taskId;
export const exportUri = golden.uri;
export const exportSizeBytes = golden.sizeBytes;
export const exportFormat = golden.format;
