/**
 * A YAML pipeline as a CDK app: the pipeline's AWS roles, buckets, exports and imports, declared with the constructs.
 *
 *   npx cdk synth --app "npx tsx examples/cdk/pipeline-app.ts"
 *   npx cdk synth --app "npx tsx examples/cdk/pipeline-app.ts" -c pipeline=examples/pipelines/export-then-import.yaml
 *
 * Context `pipeline`: the file (default `examples/pipelines/quickstart.yaml`). The stack is named
 * `ImageportPipeline-<pipeline name>` and lives in the pipeline's AWS region. Entries of other clouds are reported
 * as synth warnings (`cdk synth` prints them), not declared: CloudFormation deploys to AWS only.
 */
import { App } from 'aws-cdk-lib';
import { loadPipelineForCdk } from './load-pipeline';
import { PipelineStack } from './pipeline-stack';

const app = new App();
const file = (app.node.tryGetContext('pipeline') as string | undefined) ?? 'examples/pipelines/quickstart.yaml';
const pipeline = loadPipelineForCdk(file);
const region = pipeline.clouds.get('aws')?.region;
if (!region) throw new Error(`pipeline ${file} has no AWS entries (clouds.aws): nothing for CloudFormation to deploy`);
new PipelineStack(app, `ImageportPipeline-${pipeline.name}`, {
  pipeline,
  env: { region, account: process.env.CDK_DEFAULT_ACCOUNT },
});
app.synth();
