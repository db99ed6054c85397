import test from 'ava';
import { CancelExportTaskCommand, DescribeExportImageTasksCommand, ExportImageCommand, ImportImageCommand, type ExportImageCommandInput } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetObjectCommand, HeadObjectCommand, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { GOLDEN_AMI, rejection, startAwsKit, VMIE_TRUST_POLICY, vmieRolePolicy, type AwsKit } from '../aws-test-kit';

const MINUTE = 60_000;
const BUCKET = 'export-bucket';

async function kitWithRoleAndBucket(options: Parameters<typeof startAwsKit>[0] = {}): Promise<AwsKit> {
  const kit = await startAwsKit(options);
  await kit.createBucket(BUCKET);
  await kit.createVmimportRole('import-bucket', BUCKET);
  return kit;
}

function exportInput(overrides: Partial<ExportImageCommandInput> = {}): ExportImageCommandInput {
  return { ImageId: GOLDEN_AMI['us-east-1'], DiskImageFormat: 'VMDK', S3ExportLocation: { S3Bucket: BUCKET, S3Prefix: 'exports/' }, ...overrides };
}

async function objectHead(kit: AwsKit, key: string, bytes = 4): Promise<Buffer> {
  const answer = await kit.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: `bytes=0-${bytes - 1}` }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

test('export-image: answers active/validating/0 with <tagSet/> and the request id header, then moves through the timeline to completed', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const started = await kit.ec2.send(new ExportImageCommand(exportInput({ Description: 'nightly', TagSpecifications: [{ ResourceType: 'export-image-task', Tags: [{ Key: 'team', Value: 'infra' }] }] })));
  t.regex(started.ExportImageTaskId ?? '', /^export-ami-[0-9a-f]{17}$/);
  t.is(started.Status, 'active');
  t.is(started.StatusMessage, 'validating');
  t.is(started.Progress, '0');
  t.is(started.DiskImageFormat, 'VMDK');
  t.is(started.Description, 'nightly');
  t.deepEqual(started.S3ExportLocation, { S3Bucket: BUCKET, S3Prefix: 'exports/' });
  t.deepEqual(started.Tags, [{ Key: 'team', Value: 'infra' }]);
  t.is(started.RoleName, undefined, 'RoleName is echoed only when given');
  t.truthy(started.$metadata.requestId, 'x-amzn-RequestId header is sent');

  const describe = async () => (await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [started.ExportImageTaskId!] }))).ExportImageTasks![0];
  kit.clock.advance(2 * MINUTE);
  const converting = await describe();
  t.is(converting.Status, 'active');
  t.is(converting.StatusMessage, 'converting');
  t.true(Number(converting.Progress) > 0 && Number(converting.Progress) < 80);
  t.deepEqual(converting.Tags, [{ Key: 'team', Value: 'infra' }]);

  kit.clock.advance(6 * MINUTE);
  const updating = await describe();
  t.is(updating.StatusMessage, 'updating');
  t.true(Number(updating.Progress) >= 80 && Number(updating.Progress) > Number(converting.Progress));
  const key = `exports/${started.ExportImageTaskId}.vmdk`;
  const partial = await kit.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  t.true((partial.ContentLength ?? 0) > 0, 'a partial object exists while updating');

  kit.clock.advance(10 * MINUTE);
  const completed = await describe();
  t.is(completed.Status, 'completed');
  t.is(completed.Progress, undefined, 'no Progress once completed');
  t.is(completed.StatusMessage, undefined, 'no StatusMessage once completed');
  t.is((await objectHead(kit, key)).toString('latin1'), 'KDMV');
});

for (const [format, extension, check] of [
  ['RAW', 'raw', (head: Buffer) => head[510] === 0x55 && head[511] === 0xaa],
  ['VHD', 'vhd', (head: Buffer) => head.subarray(0, 8).toString('latin1') === 'conectix'],
  ['VMDK', 'vmdk', (head: Buffer) => head.subarray(0, 4).toString('latin1') === 'KDMV'],
] as const) {
  test(`export-image: a completed ${format} export writes a real ${format} disk image at prefix + task id + .${extension}`, async (t) => {
    const kit = await kitWithRoleAndBucket();
    t.teardown(() => kit.stop());
    const { ExportImageTaskId: id } = await kit.ec2.send(new ExportImageCommand(exportInput({ DiskImageFormat: format, S3ExportLocation: { S3Bucket: BUCKET, S3Prefix: 'a/b-' } })));
    kit.clock.advance(60 * MINUTE);
    const key = `a/b-${id}.${extension}`;
    t.true(check(await objectHead(kit, key, 512)));
    t.true(kit.emulator.inspect().buckets.find((bucket) => bucket.name === BUCKET)!.objects.some((object) => object.key === key));
  });
}

test('export-image: the same ClientToken and parameters return the same task (one task exists)', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const first = await kit.ec2.send(new ExportImageCommand(exportInput({ ClientToken: 'token-1' })));
  kit.clock.advance(2 * MINUTE);
  const replay = await kit.ec2.send(new ExportImageCommand(exportInput({ ClientToken: 'token-1' })));
  t.is(replay.ExportImageTaskId, first.ExportImageTaskId);
  t.is(replay.StatusMessage, 'converting', 'the replay reports the task as it is now');
  t.is(kit.emulator.inspect().tasks.length, 1);
});

test('rejects a reused ClientToken with different parameters (IdempotentParameterMismatch)', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  await kit.ec2.send(new ExportImageCommand(exportInput({ ClientToken: 'token-2' })));
  const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput({ ClientToken: 'token-2', DiskImageFormat: 'RAW' }))));
  t.is(error.name, 'IdempotentParameterMismatch');
  t.is(error.$metadata?.httpStatusCode, 400);
});

test('rejects DryRun with 412 DryRunOperation and creates nothing', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput({ DryRun: true }))));
  t.is(error.name, 'DryRunOperation');
  t.is(error.$metadata?.httpStatusCode, 412);
  t.is(error.message, 'Request would have succeeded, but DryRun flag is set.');
  t.is(kit.emulator.inspect().tasks.length, 0);
});

for (const [title, input, code, pattern] of [
  ['a missing ImageId', { ImageId: undefined }, 'MissingParameter', /ImageId/],
  ['a missing S3 bucket', { S3ExportLocation: { S3Bucket: undefined as unknown as string } }, 'MissingParameter', /S3ExportLocation\.S3Bucket/],
  ['format QCOW2', { DiskImageFormat: 'QCOW2' as 'VMDK' }, 'InvalidParameterValue', /QCOW2.*VMDK, RAW, VHD/],
  ['a 256-character description', { Description: 'x'.repeat(256) }, 'InvalidParameterValue', /255/],
  ['a 128-character tag key', { TagSpecifications: [{ ResourceType: 'export-image-task', Tags: [{ Key: 'k'.repeat(128), Value: 'v' }] }] }, 'InvalidParameterValue', /127/],
  ['an aws: tag key', { TagSpecifications: [{ ResourceType: 'export-image-task', Tags: [{ Key: 'aws:owner', Value: 'v' }] }] }, 'InvalidParameterValue', /aws:/],
  ['tags for the wrong resource type', { TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'k', Value: 'v' }] }] }, 'InvalidParameterValue', /'image' is not a valid taggable resource type/],
  ['a malformed AMI id', { ImageId: 'ami-xyz' }, 'InvalidAMIID.Malformed', /ami-xyz/],
  ['an unknown AMI', { ImageId: 'ami-0123456789abcdef0' }, 'InvalidAMIID.NotFound', /ami-0123456789abcdef0/],
  ['an AMI of another region', { ImageId: GOLDEN_AMI['eu-west-1'] }, 'InvalidAMIID.NotFound', /does not exist/],
  ['a marketplace AMI', { ImageId: 'ami-0bad0000000000a01' }, 'NotExportable', /marketplace AMI and is not exportable/],
  ['an AMI with encrypted EBS', { ImageId: 'ami-0bad0000000000e01' }, 'InvalidParameter', /encrypted EBS block devices and is not exportable/],
  ['a Windows AMI (AWS-provided third-party software)', { ImageId: 'ami-0bad0000000000b01' }, 'NotExportable', /third-party software/],
  ['an AMI shared from another account', { ImageId: 'ami-0bad0000000000c01' }, 'NotExportable', /shared from another account/],
  ['an AMI with a volume larger than 1 TiB', { ImageId: 'ami-0bad0000000000d01' }, 'InvalidParameter', /larger than 1 TiB/],
  ['an AMI that is not available', { ImageId: 'ami-0bad0000000000f01' }, 'IncorrectState', /pending/],
  ['a bucket that does not exist', { S3ExportLocation: { S3Bucket: 'no-such-bucket' } }, 'InvalidParameter', /no-such-bucket\) does not exist/],
  ['a custom role that does not exist', { RoleName: 'custom-role' }, 'InvalidParameter', /The service role <custom-role> does not exist or does not have sufficient permissions for the service to continue/],
] as const) {
  test(`rejects ${title} (${code})`, async (t) => {
    const kit = await kitWithRoleAndBucket();
    t.teardown(() => kit.stop());
    const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput(input as Partial<ExportImageCommandInput>))));
    t.is(error.name, code);
    t.regex(error.message, pattern);
    t.is(kit.emulator.inspect().tasks.length, 0);
  });
}

const ROLE_REFUSED = /^The service role <vmimport> does not exist or does not have sufficient permissions for the service to continue$/;

test('rejects an export when the vmimport role is missing', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket(BUCKET);
  const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput())));
  t.is(error.name, 'InvalidParameter');
  t.regex(error.message, ROLE_REFUSED);
});

for (const [title, trust] of [
  ['does not trust vmie.amazonaws.com', { ...VMIE_TRUST_POLICY, Statement: [{ ...VMIE_TRUST_POLICY.Statement[0], Principal: { Service: 'ec2.amazonaws.com' } }] }],
  ['requires another external id', { ...VMIE_TRUST_POLICY, Statement: [{ ...VMIE_TRUST_POLICY.Statement[0], Condition: { StringEquals: { 'sts:ExternalId': 'other' } } }] }],
] as const) {
  test(`rejects an export when the role ${title}`, async (t) => {
    const kit = await startAwsKit();
    t.teardown(() => kit.stop());
    await kit.createBucket(BUCKET);
    await kit.iam.send(new CreateRoleCommand({ RoleName: 'vmimport', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await kit.iam.send(new PutRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'p', PolicyDocument: JSON.stringify(vmieRolePolicy('x', BUCKET)) }));
    const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput())));
    t.is(error.name, 'InvalidParameter');
    t.regex(error.message, ROLE_REFUSED);
  });
}

test('export-image: the trust condition key is case-insensitive and a trust policy without condition also works', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket(BUCKET);
  const variants = [
    { Condition: { StringEquals: { 'STS:EXTERNALID': 'vmimport' } } },
    {},
  ];
  for (const [index, extra] of variants.entries()) {
    const name = `role-${index}`;
    const statement = { Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra };
    await kit.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }));
    await kit.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(vmieRolePolicy('x', BUCKET)) }));
    const started = await kit.ec2.send(new ExportImageCommand(exportInput({ RoleName: name })));
    t.is(started.RoleName, name);
    await kit.ec2.send(new CancelExportTaskCommand({ ExportTaskId: started.ExportImageTaskId }));
    kit.clock.advance(MINUTE);
  }
});

for (const [title, policy] of [
  ['has no s3:PutObject on that bucket', vmieRolePolicy('x', 'some-other-bucket')],
  [
    'is explicitly denied s3:PutObject',
    { Version: '2012-10-17', Statement: [...(vmieRolePolicy('x', BUCKET) as { Statement: object[] }).Statement, { Effect: 'Deny', Action: 's3:Put*', Resource: '*' }] },
  ],
] as const) {
  test(`rejects an export when the role ${title}`, async (t) => {
    const kit = await startAwsKit();
    t.teardown(() => kit.stop());
    await kit.createBucket(BUCKET);
    await kit.iam.send(new CreateRoleCommand({ RoleName: 'vmimport', AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY) }));
    await kit.iam.send(new PutRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
    const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput())));
    t.is(error.name, 'InvalidParameter');
    t.regex(error.message, ROLE_REFUSED);
  });
}

test('rejects an export to a bucket in another region', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket(BUCKET, 'eu-west-1');
  await kit.createVmimportRole('x', BUCKET);
  const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput())));
  t.is(error.name, 'InvalidParameter');
  t.regex(error.message, /not local to the region us-east-1 \(it is in eu-west-1\)/);
  const eu = kit.inRegion('eu-west-1');
  const started = await eu.ec2.send(new ExportImageCommand(exportInput({ ImageId: GOLDEN_AMI['eu-west-1'] })));
  t.is(started.Status, 'active', 'the same bucket works from its own region');
});

test('rejects an export to a bucket with SSE-KMS default encryption', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  await kit.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: BUCKET,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/x' } }] },
    }),
  );
  const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput())));
  t.is(error.name, 'InvalidParameter');
  t.regex(error.message, /aws:kms/);
});

test('rejects a second export of the same AMI while the first runs, and accepts it once the first ended', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const first = await kit.ec2.send(new ExportImageCommand(exportInput()));
  const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput({ DiskImageFormat: 'RAW' }))));
  t.is(error.name, 'InvalidParameter');
  t.regex(error.message, new RegExp(`already has an export image task in progress \\(${first.ExportImageTaskId}\\)`));
  kit.clock.advance(60 * MINUTE);
  t.is((await kit.ec2.send(new ExportImageCommand(exportInput({ DiskImageFormat: 'RAW' })))).Status, 'active');
});

test('rejects a conversion task beyond the per-region quota (ResourceLimitExceeded); imports and exports share it', async (t) => {
  const kit = await kitWithRoleAndBucket({ quotas: { awsConcurrentTasks: 1 } });
  t.teardown(() => kit.stop());
  await kit.ec2.send(new ExportImageCommand(exportInput()));
  const eu = kit.inRegion('eu-west-1');
  await kit.createBucket('eu-bucket', 'eu-west-1');
  await kit.iam.send(new PutRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'eu', PolicyDocument: JSON.stringify(vmieRolePolicy('x', 'eu-bucket')) }));
  const other = await eu.ec2.send(new ExportImageCommand(exportInput({ ImageId: GOLDEN_AMI['eu-west-1'], S3ExportLocation: { S3Bucket: 'eu-bucket' } })));
  t.is(other.Status, 'active', 'the quota is per region');
  const error = await rejection(kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] })));
  t.is(error.name, 'ResourceLimitExceeded');
  t.regex(error.message, /limit of 1 concurrent conversion tasks/);
  kit.clock.advance(60 * MINUTE);
  const later = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }));
  t.is(later.Status, 'active', 'a slot frees up once the export completed');
});

test('export-image: cancel moves a running export to deleting then deleted and removes the partial object', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const { ExportImageTaskId: id } = await kit.ec2.send(new ExportImageCommand(exportInput()));
  const key = `exports/${id}.vmdk`;
  kit.clock.advance(7 * MINUTE);
  t.truthy(await kit.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })), 'partial object while updating');
  const cancelled = await kit.ec2.send(new CancelExportTaskCommand({ ExportTaskId: id }));
  t.is(cancelled.$metadata.httpStatusCode, 200);
  const describe = async () => (await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [id!] }))).ExportImageTasks![0];
  t.is((await describe()).Status, 'deleting');
  kit.clock.advance(MINUTE);
  t.is((await describe()).Status, 'deleted');
  const missing = await rejection(kit.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })));
  t.is(missing.name, 'NotFound');
  t.is(kit.emulator.inspect().tasks[0].outcome, 'cancelled');
});

test('rejects cancelling a completed export (IncorrectState) and an unknown one (InvalidExportTaskID.NotFound)', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const { ExportImageTaskId: id } = await kit.ec2.send(new ExportImageCommand(exportInput()));
  kit.clock.advance(60 * MINUTE);
  const done = await rejection(kit.ec2.send(new CancelExportTaskCommand({ ExportTaskId: id })));
  t.is(done.name, 'IncorrectState');
  t.regex(done.message, /already completed/);
  const unknown = await rejection(kit.ec2.send(new CancelExportTaskCommand({ ExportTaskId: 'export-ami-00000000000000000' })));
  t.is(unknown.name, 'InvalidExportTaskID.NotFound');
});

test('export-image: describe filters by task-state (Filter.N) and paginates with MaxResults / NextToken', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const first = await kit.ec2.send(new ExportImageCommand(exportInput()));
  kit.clock.advance(60 * MINUTE);
  const second = await kit.ec2.send(new ExportImageCommand(exportInput({ DiskImageFormat: 'RAW' })));
  const active = await kit.ec2.send(new DescribeExportImageTasksCommand({ Filters: [{ Name: 'task-state', Values: ['active'] }] }));
  t.deepEqual(active.ExportImageTasks?.map((task) => task.ExportImageTaskId), [second.ExportImageTaskId]);
  const completed = await kit.ec2.send(new DescribeExportImageTasksCommand({ Filters: [{ Name: 'task-state', Values: ['completed'] }] }));
  t.deepEqual(completed.ExportImageTasks?.map((task) => task.ExportImageTaskId), [first.ExportImageTaskId]);
  const page1 = await kit.ec2.send(new DescribeExportImageTasksCommand({ MaxResults: 1 }));
  t.is(page1.ExportImageTasks?.length, 1);
  t.truthy(page1.NextToken);
  const page2 = await kit.ec2.send(new DescribeExportImageTasksCommand({ MaxResults: 1, NextToken: page1.NextToken }));
  t.is(page2.ExportImageTasks?.length, 1);
  t.is(page2.NextToken, undefined);
  t.not(page1.ExportImageTasks?.[0].ExportImageTaskId, page2.ExportImageTasks?.[0].ExportImageTaskId);
  const badMax = await rejection(kit.ec2.send(new DescribeExportImageTasksCommand({ MaxResults: 0 })));
  t.is(badMax.name, 'InvalidParameterValue');
  const unknown = await rejection(kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: ['export-ami-00000000000000000'] })));
  t.is(unknown.name, 'InvalidExportTaskID.NotFound');
});

test('rejects cancelling an export that is transferring the final disk image (progress 95 and up)', async (t) => {
  const kit = await kitWithRoleAndBucket();
  t.teardown(() => kit.stop());
  const { ExportImageTaskId: id } = await kit.ec2.send(new ExportImageCommand(exportInput()));
  kit.clock.advance(9.6 * MINUTE); // the golden AMI's export takes 10 minutes
  const task = (await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [id!] }))).ExportImageTasks![0];
  t.true(Number(task.Progress) >= 95);
  const error = await rejection(kit.ec2.send(new CancelExportTaskCommand({ ExportTaskId: id })));
  t.is(error.name, 'IncorrectState');
  t.regex(error.message, /transferring the final disk image/);
});
