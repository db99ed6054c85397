import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { type Construct } from 'constructs';
import { PipelineResources } from '../../constructs';
import { type ResolvedPipeline } from '../../lib/pipeline/resolved-pipeline';
import { accessLogsBucket } from './access-logs-bucket';

/** Properties of {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  /** The loaded pipeline (see `loadPipelineForCdk`). */
  readonly pipeline: ResolvedPipeline;
}

/**
 * A YAML pipeline's AWS roles, buckets, exports and imports as one stack (in the pipeline's AWS region), with an
 * output per export (`s3://` URI of the file) and per import (the new AMI id). Entries of other clouds are reported
 * as synth warnings (see `PipelineResources.skipped`).
 */
export class PipelineStack extends Stack {
  /** The declared resources. */
  public readonly resources: PipelineResources;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    this.resources = new PipelineResources(this, 'Pipeline', { pipeline: props.pipeline, serverAccessLogsBucket: accessLogsBucket(this) });
    for (const [key, exported] of Object.entries(this.resources.exports)) {
      new CfnOutput(this, `Export-${key}`, { description: `exports.${key}: the exported file`, value: exported.s3Uri });
    }
    for (const [key, imported] of Object.entries(this.resources.imports)) {
      new CfnOutput(this, `Import-${key}`, { description: `imports.${key}: the imported AMI`, value: imported.imageId });
    }
  }
}
