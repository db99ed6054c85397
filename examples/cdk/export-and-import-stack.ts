import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type Construct } from 'constructs';
import { ExportFormat, ImageExport, ImageExportBucket, ImageImport, ImportDisk, ImportFormat, ImportPlatform } from '../../constructs';
import { accessLogsBucket } from './access-logs-bucket';

/** Properties of {@link ExportAndImportStack}. */
export interface ExportAndImportStackProps extends StackProps {
  /** The golden AMI to export. */
  readonly goldenImageId: string;
}

/**
 * Exports a golden AMI to VMDK in a hardened bucket, then imports the file back as a new AMI: the round trip a
 * migration or a backup check does. Both wait inside `cdk deploy` (each fits CloudFormation's one hour).
 */
export class ExportAndImportStack extends Stack {
  constructor(scope: Construct, id: string, props: ExportAndImportStackProps) {
    super(scope, id, props);
    const bucket = new ImageExportBucket(this, 'Exports', {
      expireExportsAfter: Duration.days(30),
      lifecyclePrefix: 'exports/',
      serverAccessLogsBucket: accessLogsBucket(this),
      serverAccessLogsPrefix: 'exports-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const exported = new ImageExport(this, 'GoldenVmdk', {
      image: props.goldenImageId,
      format: ExportFormat.VMDK,
      bucket,
      prefix: 'exports/',
      description: 'Golden image, exported for the on-premises cluster',
      tags: { purpose: 'golden-image' },
    });
    const imported = new ImageImport(this, 'GoldenRoundTrip', {
      disks: [ImportDisk.fromBucket(bucket, exported.objectKey)],
      format: ImportFormat.VMDK,
      platform: ImportPlatform.LINUX,
      description: 'Golden image, imported back from its VMDK export',
    });
    new CfnOutput(this, 'ExportedFile', { value: exported.s3Uri });
    new CfnOutput(this, 'ExportedBytes', { value: String(exported.sizeBytes) });
    new CfnOutput(this, 'ImportedImageId', { value: imported.imageId });
  }
}
