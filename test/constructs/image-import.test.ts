import test from 'ava';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ImageImport,
  ImportArchitecture,
  ImportBootMode,
  ImportDisk,
  ImportFormat,
  ImportLicenseType,
  ImportPlatform,
  ExportFormat,
  ImageExport,
  ImageExportBucket,
  WaitStrategy,
} from '../../constructs';
import { findCycle } from './support/template-graph';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
}

test('declares an import of bucket, URL and snapshot disks with every option', (t) => {
  // GIVEN
  const stack = newStack();
  const bucket = new s3.Bucket(stack, 'Sources');
  const key = new kms.Key(stack, 'Key');
  // WHEN
  const imported = new ImageImport(stack, 'Appliance', {
    disks: [
      ImportDisk.fromBucket(bucket, 'disks/boot.vmdk', { deviceName: '/dev/sda1' }),
      ImportDisk.fromUrl('https://example.com/data.vhd', { format: ImportFormat.VHD }),
      ImportDisk.fromSnapshot('snap-0123456789abcdef0', { description: 'data' }),
    ],
    format: ImportFormat.VMDK,
    platform: ImportPlatform.LINUX,
    architecture: ImportArchitecture.X86_64,
    licenseType: ImportLicenseType.BYOL,
    bootMode: ImportBootMode.LEGACY_BIOS,
    kmsKey: key,
    tags: { team: 'images' },
  });
  // THEN
  const template = Template.fromStack(stack);
  template.hasResourceProperties('Custom::ImageportImport', {
    Stage: 'task',
    Disks: [
      { Bucket: { Ref: Match.stringLikeRegexp('^Sources') }, Key: 'disks/boot.vmdk', Format: 'VMDK', DeviceName: '/dev/sda1' },
      { Url: 'https://example.com/data.vhd', Format: 'VHD' },
      { SnapshotId: 'snap-0123456789abcdef0', Format: 'VMDK', Description: 'data' },
    ],
    Platform: 'Linux',
    Architecture: 'x86_64',
    LicenseType: 'BYOL',
    BootMode: 'legacy-bios',
    Encrypted: 'true',
    KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    Tags: { team: 'images' },
    ServiceTimeout: '3600',
  });
  // the VM Import role may read the source bucket and use the key
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'] }),
        Match.objectLike({ Action: Match.arrayWith(['kms:CreateGrant', 'kms:Encrypt']) }),
      ]),
    },
  });
  t.regex(JSON.stringify(stack.resolve(imported.imageId)), /"Ref":"ApplianceImage/);
  t.regex(JSON.stringify(stack.resolve(imported.taskId)), /TaskId/);
});

test('machineImage launches an ec2.Instance from the imported AMI', (t) => {
  const stack = newStack();
  const imported = new ImageImport(stack, 'Appliance', {
    disks: [ImportDisk.fromSnapshot('snap-0123456789abcdef0')],
    platform: ImportPlatform.WINDOWS,
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
  new ec2.Instance(stack, 'Vm', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: imported.machineImage });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::EC2::Instance', { ImageId: { Ref: Match.stringLikeRegexp('^ApplianceImage') } });
  t.is(imported.machineImage.getImage(stack).osType, ec2.OperatingSystemType.WINDOWS);
});

test('keeps the imported AMI by default: the Image resource says retain and the handler gets no delete permission', (t) => {
  const stack = newStack();
  const imported = new ImageImport(stack, 'Appliance', { disks: [ImportDisk.fromSnapshot('snap-0123456789abcdef0')] });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('Custom::ImageportImport', { Stage: 'task', ImageRemovalPolicy: 'retain' });
  template.hasResourceProperties('Custom::ImageportImport', {
    Stage: 'image',
    TaskId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApplianceTask'), 'TaskId'] },
    ImageRemovalPolicy: 'retain',
  });
  t.regex(JSON.stringify(stack.resolve(imported.imageId)), /^\{"Ref":"ApplianceImage[0-9A-F]+"\}$/);
  const actions = JSON.stringify(Object.values(template.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument));
  t.notRegex(actions, /ec2:DeregisterImage|ec2:DeleteSnapshot/);
});

test('under DESTROY, the Image resource deregisters the AMI: its own policy, scoped to the region, outlives both resources', (t) => {
  const stack = newStack();
  new ImageImport(stack, 'Appliance', { disks: [ImportDisk.fromSnapshot('snap-0123456789abcdef0')], removalPolicy: RemovalPolicy.DESTROY });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('Custom::ImageportImport', { Stage: 'task', ImageRemovalPolicy: 'destroy' });
  template.hasResourceProperties('Custom::ImageportImport', { Stage: 'image', ImageRemovalPolicy: 'destroy' });
  const removal = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('ApplianceImageRemoval'));
  t.is(removal.length, 1);
  const statements = removal[0][1].Properties.PolicyDocument.Statement as { Action: string; Resource: unknown }[];
  t.deepEqual(statements.map((s) => s.Action), ['ec2:DeregisterImage', 'ec2:DeleteSnapshot']);
  t.regex(JSON.stringify(statements[0].Resource), /:ec2:eu-west-1::image\/\*/);
  t.regex(JSON.stringify(statements[1].Resource), /:ec2:eu-west-1::snapshot\/\*/);
  for (const resource of Object.values(template.findResources('Custom::ImageportImport'))) {
    t.true((resource.DependsOn as string[]).includes(removal[0][0]), 'deleted before the permission it needs');
  }
});

test('fails on a removal policy other than RETAIN or DESTROY, naming the AMI', (t) => {
  const stack = newStack();
  t.throws(() => new ImageImport(stack, 'Appliance', { disks: [ImportDisk.fromSnapshot('snap-0123456789abcdef0')], removalPolicy: RemovalPolicy.SNAPSHOT }), {
    message: /removalPolicy: "Snapshot" is not supported for an imported AMI \(allowed: retain, destroy, retain-on-update-or-delete\)/i,
  });
});

test('uses the long-wait strategy beyond one hour', (t) => {
  const stack = newStack();
  const imported = new ImageImport(stack, 'Big', {
    disks: [ImportDisk.fromBucket(s3.Bucket.fromBucketName(stack, 'B', 'sources'), 'big.raw')],
    format: ImportFormat.RAW,
    timeout: Duration.hours(8),
  });
  t.is(imported.waitStrategy, WaitStrategy.WAIT_CONDITION);
  Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::WaitCondition', { Timeout: '28800' });
});

test('an import of the file an export wrote has no dependency cycle: its grant names the key, so it gets its own policy', (t) => {
  const stack = newStack();
  const bucket = new ImageExportBucket(stack, 'Exports');
  const exported = new ImageExport(stack, 'Golden', { image: 'ami-0123456789abcdef0', format: ExportFormat.VMDK, bucket, prefix: 'exports/' });
  new ImageImport(stack, 'RoundTrip', { disks: [ImportDisk.fromBucket(bucket, exported.objectKey)], format: ImportFormat.VMDK });
  new ImageImport(stack, 'Plain', { disks: [ImportDisk.fromBucket(bucket, 'appliance.vmdk')], format: ImportFormat.VMDK });
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties?: { PolicyDocument?: unknown } }> };
  t.is(findCycle(template), undefined);
  const own = Object.entries(template.Resources).filter(([id]) => id.startsWith('RoundTripStarterAccess'));
  t.is(own.length, 1, 'the round trip has a policy of its own');
  t.regex(JSON.stringify(own[0][1].Properties?.PolicyDocument), /GoldenTask[0-9A-F]+","ObjectKey"/);
  const shared = Object.entries(template.Resources).find(([id]) => id.includes('StarterTaskAccess'));
  t.regex(JSON.stringify(shared?.[1].Properties?.PolicyDocument), /appliance\.vmdk/, 'a literal key goes into the shared policy');
  t.notRegex(JSON.stringify(shared?.[1].Properties?.PolicyDocument), /ObjectKey/);
});

test('findCycle finds the cycle a shared policy naming a task result would make', (t) => {
  const template = {
    Resources: {
      Export: { Type: 'Custom::ImageportExport', DependsOn: ['Shared'], Properties: {} },
      Shared: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Resource: { 'Fn::GetAtt': ['Export', 'ObjectKey'] } } } },
    },
  };
  t.deepEqual(findCycle(template), ['Export', 'Shared', 'Export']);
});

test('fails synth on every bad import prop at once', (t) => {
  const stack = newStack();
  const error = t.throws(
    () =>
      new ImageImport(stack, 'Bad', {
        disks: [ImportDisk.fromSnapshot('vol-123'), ImportDisk.fromBucket(s3.Bucket.fromBucketName(stack, 'B', 'sources'), 'a.qcow2', { format: 'QCOW2' as ImportFormat })],
        architecture: 'sparc' as ImportArchitecture,
        tags: { 'aws:x': 'y' },
        timeout: Duration.hours(20),
      }),
  );
  t.regex(error.message, /ImageImport "Bad" is invalid/);
  t.regex(error.message, /disks\[0\]\.snapshotId: "vol-123"/);
  t.regex(error.message, /disks\[1\]\.format: "QCOW2".*\(allowed: OVA, VHD, VHDX, VMDK, RAW\)/);
  t.regex(error.message, /architecture: "sparc".*\(allowed: i386, x86_64, arm64\)/);
  t.regex(error.message, /tags\.aws:x/);
  t.regex(error.message, /timeout: "20 hours" is out of range/);
});

test('fails without any disk', (t) => {
  const stack = newStack();
  t.throws(() => new ImageImport(stack, 'Empty', { disks: [] }), { message: /disks: /i });
});
