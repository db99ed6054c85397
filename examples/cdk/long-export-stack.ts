import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { type Construct } from 'constructs';
import { ExportFormat, ImageExport, ImageExportBucket, WaitStrategy } from '../../constructs';
import { accessLogsBucket } from './access-logs-bucket';

/** Properties of {@link LongExportStack}. */
export interface LongExportStackProps extends StackProps {
  /** The (large) AMI to export. */
  readonly imageId: string;
}

/**
 * Exports a large AMI to RAW with a 6-hour timeout: beyond CloudFormation's one-hour custom-resource limit, so
 * the export waits on a `WaitCondition` that a Step Functions poller signals; `cdk deploy` still blocks until the
 * file is in the bucket.
 */
export class LongExportStack extends Stack {
  constructor(scope: Construct, id: string, props: LongExportStackProps) {
    super(scope, id, props);
    const bucket = new ImageExportBucket(this, 'Exports', {
      transitionExportsAfter: Duration.days(7),
      serverAccessLogsBucket: accessLogsBucket(this),
    });
    const exported = new ImageExport(this, 'DatabaseRaw', {
      image: props.imageId,
      format: ExportFormat.RAW,
      bucket,
      prefix: 'raw/',
      timeout: Duration.hours(6),
      waitStrategy: WaitStrategy.WAIT_CONDITION,
    });
    new CfnOutput(this, 'ExportedFile', { value: exported.s3Uri });
    new CfnOutput(this, 'ExportTask', { value: exported.taskId });
  }
}
