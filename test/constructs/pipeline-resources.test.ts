import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { PipelineResources } from '../../constructs';
import { rulesFor } from '../../lib/clouds/rules';
import { checkPipelineText } from '../../lib/pipeline/load-pipeline';
import { type ResolvedPipeline } from '../../lib/pipeline/resolved-pipeline';
import { findCycle } from './support/template-graph';

const examples = join(__dirname, '..', '..', 'examples', 'pipelines');

function load(text: string, file = 'inline.yaml'): ResolvedPipeline {
  const loaded = checkPipelineText(text, file, { rulesFor });
  if (!loaded.pipeline) throw new Error(loaded.issues.map((i) => `${i.path}: ${i.rule}`).join('\n'));
  return loaded.pipeline;
}

function loadExample(name: string): ResolvedPipeline {
  return load(readFileSync(join(examples, name), 'utf8'), name);
}

function newStack(region = 'us-east-1'): Stack {
  return new Stack(new App(), 'Pipeline', { env: { account: '123456789012', region } });
}

test('declares the quickstart AWS role, bucket and export, and reports every other entry as skipped', (t) => {
  const stack = newStack();
  const resources = new PipelineResources(stack, 'Quickstart', { pipeline: loadExample('quickstart.yaml') });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'vmimport', AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'vmie.amazonaws.com' } })] }) });
  template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'imageport-quickstart-aws' });
  template.hasResourceProperties('Custom::ImageportExport', {
    Stage: 'start',
    ImageId: 'ami-0600d000000000001',
    Format: 'VMDK',
    Bucket: { Ref: Match.stringLikeRegexp('^QuickstartBucketsawsexports') },
    Prefix: 'exports/',
    RoleName: { Ref: Match.stringLikeRegexp('^QuickstartRolesawsvmimport') },
    Description: 'Golden image, exported by the imageport quickstart',
    Tags: { pipeline: 'quickstart' },
    TimeoutSeconds: '7200',
    ObjectRemovalPolicy: 'retain',
  });
  template.hasResourceProperties('AWS::CloudFormation::WaitCondition', { Timeout: '7200' });
  t.deepEqual(Object.keys(resources.exports), ['golden-aws']);
  t.deepEqual(Object.keys(resources.roles), ['aws-vmimport']);
  t.deepEqual(Object.keys(resources.buckets), ['aws-exports']);
  t.deepEqual(
    resources.skipped.map((s) => `${s.section}.${s.key}:${s.cloud}`),
    ['roles.alicloud-export:alicloud', 'roles.jdcloud-export:jdcloud', 'buckets.alicloud-exports:alicloud', 'buckets.jdcloud-exports:jdcloud', 'exports.golden-alicloud:alicloud', 'exports.golden-jdcloud:jdcloud'],
  );
  for (const skipped of resources.skipped) t.regex(skipped.reason, /CloudFormation deploys to AWS only/);
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('was not declared'));
  t.is(warnings.length, 6, 'each skipped entry is a synth warning');
  t.regex(String(warnings[0].entry.data), /pipeline quickstart: roles\.alicloud-export \(Alibaba Cloud\) was not declared/);
});

test('wires the export -> import -> export chain of the file, with no dependency cycle', (t) => {
  const stack = newStack();
  const resources = new PipelineResources(stack, 'Chain', { pipeline: loadExample('export-then-import.yaml') });
  const template = Template.fromStack(stack);
  t.is(findCycle(template.toJSON() as never), undefined);
  const golden = stack.resolve(resources.exports['golden-vmdk'].objectKey) as unknown;
  template.hasResourceProperties('Custom::ImageportImport', {
    Stage: 'start',
    Disks: [{ Bucket: { Ref: Match.stringLikeRegexp('^ChainBucketsimages') }, Key: golden, Format: 'VMDK' }],
    Description: 'golden image, round-tripped through VMDK',
    TimeoutSeconds: '10800',
    ImageRemovalPolicy: 'destroy',
  });
  template.hasResourceProperties('Custom::ImageportExport', {
    Stage: 'start',
    ImageId: stack.resolve(resources.imports.reimported.imageId),
    Format: 'VHD',
    Prefix: 'reimported/',
  });
  template.hasResourceProperties('Custom::ImageportImport', { Stage: 'image', ImageRemovalPolicy: 'destroy' });
  t.deepEqual(resources.skipped, []);
  t.is(Object.values(template.findResources('AWS::IAM::Role')).filter((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('vmie')).length, 1, 'one role for both directions');
});

test('references existing and undeclared roles and buckets without creating or changing them', (t) => {
  const stack = newStack();
  const pipeline = load(`
name: existing
clouds: { aws: { region: us-east-1 } }
roles:
  shared: { cloud: aws, roleName: shared-vmimport, existing: true }
buckets:
  archive: { cloud: aws, name: company-archive, existing: true }
exports:
  declared:
    cloud: aws
    imageId: ami-0600d000000000001
    format: raw
    bucket: archive
    role: shared
    removal: destroy
  scripted:
    cloud: aws
    request:
      DiskImageFormat: VHD
      ImageId: ami-0600d000000000001
      S3ExportLocation: { S3Bucket: other-bucket, S3Prefix: scripts/ }
      RoleName: script-role
`);
  const resources = new PipelineResources(stack, 'Existing', { pipeline });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::S3::Bucket', 0);
  t.false(Object.values(template.findResources('AWS::IAM::Role')).some((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('vmie')), 'no VM Import role created');
  template.hasResourceProperties('Custom::ImageportExport', { Bucket: 'company-archive', RoleName: 'shared-vmimport', Format: 'RAW', ObjectRemovalPolicy: 'destroy' });
  template.hasResourceProperties('Custom::ImageportExport', { Bucket: 'other-bucket', Prefix: 'scripts/', RoleName: 'script-role', Format: 'VHD' });
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  t.notRegex(policies, /"Roles":\[[^\]]*"(shared-vmimport|script-role)"/, 'the existing and the undeclared role get no policy');
  t.is(Object.keys(resources.exports).length, 2);
});

test('skips an AWS entry that reads from a skipped one, saying which', (t) => {
  const stack = newStack();
  const pipeline = loadExample('quickstart.yaml');
  const tampered: ResolvedPipeline = {
    ...pipeline,
    imports: [
      {
        kind: 'import',
        key: 'from-alicloud',
        cloud: 'aws',
        removal: 'retain',
        createTimeoutMs: 3_600_000,
        deleteTimeoutMs: 3_600_000,
        fromRequest: false,
        spec: { cloud: 'aws', region: 'us-east-1', disks: [{ bucket: 'imageport-quickstart-alicloud', key: '', format: 'raw' }] },
        fromExports: [{ diskIndex: 0, exportKey: 'golden-alicloud' }],
        bucketKeys: [],
      },
    ],
  };
  const resources = new PipelineResources(stack, 'Quickstart', { pipeline: tampered });
  t.deepEqual(resources.imports, {});
  const skipped = resources.skipped.find((s) => s.key === 'from-alicloud');
  t.is(skipped?.reason, 'it reads from exports.golden-alicloud, which was skipped');
});

test('fails in a stack of another region, or in a stack bound to none, naming the pipeline field', (t) => {
  const pipeline = loadExample('quickstart.yaml');
  t.throws(() => new PipelineResources(newStack('eu-west-1'), 'Quickstart', { pipeline }), {
    message: /clouds\.aws\.region: "us-east-1" must be the stack's region \(eu-west-1\)/,
  });
  t.throws(() => new PipelineResources(new Stack(new App(), 'Agnostic'), 'Quickstart', { pipeline }), {
    message: /clouds\.aws\.region: "us-east-1" needs a stack bound to that region/,
  });
});

test('fails on an AWS import field the constructs cannot declare, rather than dropping it', (t) => {
  const pipeline = load(`
name: unsupported
clouds: { aws: { region: us-east-1 } }
imports:
  licensed:
    cloud: aws
    disks: [{ snapshotId: snap-0600d00000000a001 }]
    usageOperation: RunInstances:0002
`);
  t.throws(() => new PipelineResources(newStack(), 'Unsupported', { pipeline }), {
    message: /imports\.licensed.*usageOperation: "RunInstances:0002" has no ImageImport prop/s,
  });
});
