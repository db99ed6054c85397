import test from 'ava';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ExportFormat, ImageExport, ImageExportBucket, VmImportRole, WaitStrategy } from '../../constructs';

const AMI = 'ami-0123456789abcdef0';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
}

test('declares one export custom resource with every property and a 1-hour service timeout', (t) => {
  // GIVEN
  const stack = newStack();
  const bucket = new ImageExportBucket(stack, 'Exports');
  // WHEN
  const exported = new ImageExport(stack, 'Golden', {
    image: AMI,
    format: ExportFormat.VMDK,
    bucket,
    prefix: 'exports/',
    description: 'golden image',
    tags: { team: 'images' },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // THEN
  const template = Template.fromStack(stack);
  template.hasResourceProperties('Custom::ImageportExport', {
    Stage: 'task',
    ImageId: AMI,
    Format: 'VMDK',
    Bucket: { Ref: Match.stringLikeRegexp('^Exports') },
    Prefix: 'exports/',
    RoleName: { Ref: Match.stringLikeRegexp('^ImageportVmImportRole') },
    Description: 'golden image',
    Tags: { team: 'images' },
    TimeoutSeconds: '3600',
    ObjectRemovalPolicy: 'destroy',
    ServiceTimeout: '3600',
  });
  template.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
  t.is(exported.waitStrategy, WaitStrategy.CUSTOM_RESOURCE);
  t.is(exported.format, ExportFormat.VMDK);
  t.regex(JSON.stringify(stack.resolve(exported.s3Uri)), /"Fn::GetAtt":\["GoldenTask[0-9A-F]+","S3Uri"\]/);
  t.regex(JSON.stringify(stack.resolve(exported.objectKey)), /ObjectKey/);
  t.regex(JSON.stringify(stack.resolve(exported.sizeBytes)), /SizeBytes/);
  t.regex(JSON.stringify(stack.resolve(exported.taskId)), /TaskId/);
});

test('shares one VmImportRole and one provider between exports of a stack, granting the role each bucket', (t) => {
  const stack = newStack();
  const a = new ImageExportBucket(stack, 'A');
  const b = new ImageExportBucket(stack, 'B');
  new ImageExport(stack, 'One', { image: AMI, format: ExportFormat.RAW, bucket: a });
  new ImageExport(stack, 'Two', { image: AMI, format: ExportFormat.VHD, bucket: b });
  const template = Template.fromStack(stack);
  const vmieRoles = Object.values(template.findResources('AWS::IAM::Role')).filter((r) =>
    JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('vmie.amazonaws.com'),
  );
  t.is(vmieRoles.length, 1);
  template.resourceCountIs('Custom::ImageportExport', 2);
  const handlers = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => String(f.Properties.Handler).startsWith('index.'));
  t.deepEqual(handlers.map((f) => f.Properties.Handler).sort(), ['index.isComplete', 'index.onEvent']);
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']), Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^B'), 'Arn'] }]) }),
      ]),
    },
  });
});

type Statement = { Action: string | string[]; Resource: unknown };

/** The statements of the one policy whose logical id contains `idPart`. */
function statementsOf(template: Template, idPart: string): Statement[] {
  const found = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.includes(idPart));
  if (found.length !== 1) throw new Error(`expected one policy ${idPart}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0][1].Properties.PolicyDocument.Statement as Statement[];
}

function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => [s.Action].flat());
}

test('gives the handler least privilege: PassRole only on the role, object access only under the prefix', (t) => {
  const stack = newStack();
  const bucket = new ImageExportBucket(stack, 'Exports');
  const role = new VmImportRole(stack, 'Role');
  new ImageExport(stack, 'Golden', { image: AMI, format: ExportFormat.VMDK, bucket, prefix: 'exports/', role });
  const template = Template.fromStack(stack);
  const starter = statementsOf(template, 'StarterTaskAccess');
  const passRole = starter.find((s) => [s.Action].flat().includes('iam:PassRole'));
  t.regex(JSON.stringify(passRole?.Resource), /^\[?\{"Fn::GetAtt":\["Role[0-9A-F]+","Arn"\]\}\]?$/);
  const objects = starter.find((s) => [s.Action].flat().includes('s3:GetObject'));
  t.regex(JSON.stringify(objects?.Resource), /\/exports\/\*/);
  t.false(actionsOf(starter).includes('s3:DeleteObject'), 'a retained export gives no delete permission');
  const watcher = statementsOf(template, 'WatcherTaskAccess');
  t.false(actionsOf(watcher).some((a) => a === 's3:DeleteObject' || a === 'iam:PassRole'), 'the watcher cannot delete or pass roles');
  const base = statementsOf(template, 'StarterRoleDefaultPolicy');
  const ec2Actions = actionsOf(base).filter((a) => a.startsWith('ec2:'));
  t.false(ec2Actions.includes('ec2:*'));
  t.true(ec2Actions.includes('ec2:CancelExportTask'));
  const retag = base.find((s) => [s.Action].flat().includes('ec2:DeleteTags'));
  t.deepEqual([retag?.Action].flat(), ['ec2:CreateTags', 'ec2:DeleteTags']);
  const retagResources = JSON.stringify(retag?.Resource);
  t.notRegex(retagResources, /"\*"/, 'in-place re-tagging is scoped to task and AMI ARNs, not *');
  for (const type of ['export-image-task', 'import-image-task', 'image']) t.regex(retagResources, new RegExp(`:ec2:eu-west-1:[^"]*:${type}/\\*`));
  t.is(Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => id.includes('ObjectRemoval')).length, 0);
});

test('merges the grants of many exports into one policy per handler role, each export keeping its own scope', (t) => {
  const stack = newStack();
  const a = new ImageExportBucket(stack, 'A');
  const b = new ImageExportBucket(stack, 'B');
  for (let i = 0; i < 20; i++) {
    new ImageExport(stack, `Export${i}`, { image: AMI, format: ExportFormat.VMDK, bucket: i % 2 ? a : b, prefix: `p${i}/` });
  }
  const template = Template.fromStack(stack);
  const starter = statementsOf(template, 'StarterTaskAccess');
  const objects = starter.find((s) => [s.Action].flat().includes('s3:GetObject'));
  const resources = [objects?.Resource].flat();
  t.is(resources.length, 20, 'one object scope per export');
  for (let i = 0; i < 20; i++) t.true(JSON.stringify(resources).includes(`/p${i}/*`));
  const buckets = starter.find((s) => [s.Action].flat().includes('s3:GetEncryptionConfiguration'));
  t.is([buckets?.Resource].flat().length, 2, 'each bucket named once');
  const passRole = starter.filter((s) => [s.Action].flat().includes('iam:PassRole'));
  t.is(passRole.length, 1);
  t.is([passRole[0].Resource].flat().length, 1, 'the shared VmImportRole named once');
  // the task resources depend on the shared policies, so the grants exist before any task starts
  const tasks = Object.values(template.findResources('Custom::ImageportExport'));
  t.is(tasks.length, 20);
  for (const task of tasks) {
    t.true((task.DependsOn as string[]).some((d) => d.includes('StarterTaskAccess')));
    t.true((task.DependsOn as string[]).some((d) => d.includes('WatcherTaskAccess')));
  }
  t.true(Object.keys(template.findResources('AWS::IAM::Policy')).length <= 8, 'the policy count does not grow with the exports');
});

test('gives a destroy export the delete permission in a policy of its own, named by the replace-forcing props', (t) => {
  const removalPolicyIds = (prefix: string, tags: Record<string, string>): string[] => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'my-exports');
    new ImageExport(stack, 'Golden', { image: AMI, format: ExportFormat.VMDK, bucket, prefix, tags, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    const ids = Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => id.includes('ObjectRemoval'));
    for (const id of ids) {
      const statements = template.findResources('AWS::IAM::Policy')[id].Properties.PolicyDocument.Statement as Statement[];
      t.deepEqual(actionsOf(statements), ['s3:DeleteObject']);
      t.regex(JSON.stringify(statements[0].Resource), new RegExp(`:::my-exports/${prefix}\\*`));
      const task = Object.values(template.findResources('Custom::ImageportExport'))[0];
      t.true((task.DependsOn as string[]).includes(id), 'the task depends on (and so is deleted before) its removal policy');
    }
    t.false(actionsOf(statementsOf(template, 'StarterTaskAccess')).includes('s3:DeleteObject'));
    return ids;
  };
  const first = removalPolicyIds('exports/', { a: '1' });
  t.is(first.length, 1);
  t.deepEqual(removalPolicyIds('exports/', { a: '2' }), first, 'a tags change keeps the policy');
  t.notDeepEqual(removalPolicyIds('other/', { a: '1' }), first, 'a replacement gets a new policy; the old one leaves with the old export');
});

test('takes an ec2.IMachineImage', (t) => {
  const stack = newStack();
  new ImageExport(stack, 'Golden', {
    image: ec2.MachineImage.genericLinux({ 'eu-west-1': AMI }),
    format: ExportFormat.VMDK,
    bucket: new ImageExportBucket(stack, 'Exports'),
  });
  Template.fromStack(stack).hasResourceProperties('Custom::ImageportExport', { ImageId: AMI });
  t.pass();
});

test('switches to a WaitCondition with a Step Functions poller beyond one hour', (t) => {
  const stack = newStack();
  const exported = new ImageExport(stack, 'Big', {
    image: AMI,
    format: ExportFormat.RAW,
    bucket: new ImageExportBucket(stack, 'Exports'),
    timeout: Duration.hours(6),
  });
  t.is(exported.waitStrategy, WaitStrategy.WAIT_CONDITION);
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::CloudFormation::WaitCondition', { Timeout: '21600', Count: 1 });
  template.resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 1);
  template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
  template.hasResourceProperties('Custom::ImageportExport', { Stage: 'start', WaitHandle: { Ref: Match.stringLikeRegexp('WaitHandle') } });
  template.hasResourceProperties('Custom::ImageportExport', {
    Stage: 'result',
    TaskId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BigTaskStart'), 'TaskId'] },
    WaitData: { 'Fn::GetAtt': [Match.stringLikeRegexp('WaitCondition'), 'Data'] },
  });
  const conditions = template.findResources('AWS::CloudFormation::WaitCondition');
  t.true((Object.values(conditions)[0].DependsOn as string[]).some((d) => d.startsWith('BigTaskStart')));
  template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.poll' });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Handler: 'index.onEvent',
    Environment: { Variables: { IMAGEPORT_POLLER_ARN: { Ref: Match.stringLikeRegexp('Poller') } } },
  });
  t.regex(JSON.stringify(stack.resolve(exported.s3Uri)), /BigTask[0-9A-F]+.*S3Uri/);
});

test('gives a replacement a fresh WaitCondition: the ids hash the replace-forcing props, not the tags', (t) => {
  const ids = (format: ExportFormat, tags: Record<string, string>): string[] => {
    const stack = newStack();
    new ImageExport(stack, 'Big', { image: AMI, format, bucket: s3.Bucket.fromBucketName(stack, 'B', 'my-exports'), timeout: Duration.hours(3), tags });
    return Object.keys(Template.fromStack(stack).findResources('AWS::CloudFormation::WaitCondition'));
  };
  t.deepEqual(ids(ExportFormat.VMDK, { a: '1' }), ids(ExportFormat.VMDK, { a: '2' }));
  t.notDeepEqual(ids(ExportFormat.VMDK, { a: '1' }), ids(ExportFormat.RAW, { a: '1' }));
});

test('skips validation of values that are tokens', (t) => {
  const stack = newStack();
  const image = ec2.MachineImage.latestAmazonLinux2023();
  t.notThrows(() => new ImageExport(stack, 'Golden', { image, format: ExportFormat.VMDK, bucket: new ImageExportBucket(stack, 'Exports') }));
});

test('fails synth on every bad prop at once, naming the prop, the value and the allowed values', (t) => {
  const stack = newStack();
  const error = t.throws(
    () =>
      new ImageExport(stack, 'Golden', {
        image: 'i-0123456789abcdef0',
        format: 'QCOW2' as ExportFormat,
        bucket: s3.Bucket.fromBucketName(stack, 'B', 'my-exports'),
        description: 'x'.repeat(256),
        tags: { 'aws:owner': 'me' },
        timeout: Duration.hours(13),
      }),
  );
  t.regex(error.message, /ImageExport "Golden" is invalid/);
  t.regex(error.message, /image: "i-0123456789abcdef0" must be an AMI id/);
  t.regex(error.message, /format: "QCOW2" is not an export format of AWS \(allowed: VMDK, RAW, VHD\)/);
  t.regex(error.message, /description: "x+\.\.\. must be at most 255 characters \(it has 256\)/);
  t.regex(error.message, /tags\.aws:owner/);
  t.regex(error.message, /timeout: "13 hours" is out of range.*\(allowed: 1 minute to 12 hours\)/);
  Template.fromStack(newStack()); // nothing leaked into a fresh stack
});

test('fails when the custom-resource strategy is forced beyond one hour', (t) => {
  const stack = newStack();
  t.throws(
    () =>
      new ImageExport(stack, 'Golden', {
        image: AMI,
        format: ExportFormat.VMDK,
        bucket: s3.Bucket.fromBucketName(stack, 'B', 'my-exports'),
        timeout: Duration.hours(2),
        waitStrategy: WaitStrategy.CUSTOM_RESOURCE,
      }),
    { message: /timeout: "2 hours" is out of range: CloudFormation gives a custom resource at most 1 hour.*\(allowed: 1 minute to 1 hour\)/ },
  );
});

test('fails on a removal policy other than RETAIN or DESTROY', (t) => {
  const stack = newStack();
  t.throws(
    () => new ImageExport(stack, 'Golden', { image: AMI, format: ExportFormat.VMDK, bucket: s3.Bucket.fromBucketName(stack, 'B', 'my-exports'), removalPolicy: RemovalPolicy.SNAPSHOT }),
    { message: /removalPolicy: "Snapshot" is not supported for an exported file \(allowed: retain, destroy, retain-on-update-or-delete\)/i },
  );
});

test('fails on a bad prefix and bucket name', (t) => {
  const stack = newStack();
  const error = t.throws(() =>
    new ImageExport(stack, 'Golden', { image: AMI, format: ExportFormat.VMDK, bucket: s3.Bucket.fromBucketName(stack, 'B', 'Bad_Bucket'), prefix: 'x'.repeat(1200) }),
  );
  t.regex(error.message, /bucket: "Bad_Bucket"/);
  t.regex(error.message, /prefix: /);
});
