import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AwsExportSpec } from '../../../../lib/model/export-spec';
import { type PreflightProblem } from '../../../../lib/model/preflight';
import { deterministicToken } from '../../../../lib/model/token';
import { startAwsEmulator, type AwsEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AwsEmulatorFixture>;

const GOLDEN = 'ami-0600d000000000001';
const BUCKET = 'preflight-exports';

test.before(async (t) => {
  // A quota of 1 concurrent conversion task, so one running export reaches it.
  t.context = await startAwsEmulator({ quota: 1 });
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'aws', purpose: 'export', exportBuckets: [BUCKET] });
  await driver.ensureBucket({ cloud: 'aws', region: t.context.region, name: BUCKET });
});

test.after.always(async (t) => {
  await t.context?.stop();
});

function spec(t: ExecutionContext<AwsEmulatorFixture>, overrides: Partial<AwsExportSpec> = {}): AwsExportSpec {
  return { cloud: 'aws', region: t.context.region, imageId: GOLDEN, format: 'VMDK', bucket: BUCKET, ...overrides };
}

async function problems(t: ExecutionContext<AwsEmulatorFixture>, overrides: Partial<AwsExportSpec>, quota = 1): Promise<readonly PreflightProblem[]> {
  return (await t.context.driver({ maxConcurrentTasks: quota }).preflightExport(spec(t, overrides))).problems;
}

/** What AWS itself answers for the same export: the error code and message ExportImage gives. */
async function awsAnswer(t: ExecutionContext<AwsEmulatorFixture>, overrides: Partial<AwsExportSpec>): Promise<CloudError | undefined> {
  const driver = t.context.driver({ maxAttempts: 1 });
  const before = t.context.emulator.inspect().tasks.length;
  const error = await t.throwsAsync(driver.startExport(spec(t, overrides), deterministicToken(['preflight', JSON.stringify(overrides)])), { instanceOf: CloudError });
  t.is(t.context.emulator.inspect().tasks.length, before, 'the refused start left no task behind');
  return error;
}

test.serial('a correct export has no problems', async (t) => {
  t.deepEqual(await problems(t, {}), []);
});

test.serial('names a missing role where AWS only says "does not exist or does not have sufficient permissions"', async (t) => {
  const found = await problems(t, { roleName: 'no-such-role' });
  t.deepEqual(found.map((p) => p.code), ['role.missing']);
  t.regex(found[0].message, /role "no-such-role" does not exist/);
  t.truthy(found[0].fix);
  const aws = await awsAnswer(t, { roleName: 'no-such-role' });
  t.regex(aws!.message, /does not exist or does not have sufficient permissions/);
});

test.serial('names a role that does not trust vmie.amazonaws.com', async (t) => {
  await t.context.iam().send(
    new CreateRoleCommand({
      RoleName: 'ec2-only',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  const docs = t.context.driver().roleDocuments({ cloud: 'aws', purpose: 'export', roleName: 'ec2-only', exportBuckets: [BUCKET] });
  await t.context.iam().send(new PutRolePolicyCommand({ RoleName: 'ec2-only', PolicyName: 'p', PolicyDocument: JSON.stringify(docs.policies[0].document) }));
  const found = await problems(t, { roleName: 'ec2-only' });
  t.deepEqual(found.map((p) => p.code), ['role.trust']);
  t.regex(found[0].message, /role "ec2-only" does not trust vmie\.amazonaws\.com/);
  await awsAnswer(t, { roleName: 'ec2-only' });
});

test.serial('names a role trusting vmie without the ExternalId condition', async (t) => {
  await t.context.iam().send(
    new CreateRoleCommand({
      RoleName: 'no-external-id',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  const docs = t.context.driver().roleDocuments({ cloud: 'aws', purpose: 'export', exportBuckets: [BUCKET] });
  await t.context.iam().send(new PutRolePolicyCommand({ RoleName: 'no-external-id', PolicyName: 'p', PolicyDocument: JSON.stringify(docs.policies[0].document) }));
  t.deepEqual((await problems(t, { roleName: 'no-external-id' })).map((p) => p.code), ['role.trust-external-id']);
});

test.serial('names the permission the role lacks on the named bucket (no PutObject there)', async (t) => {
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'aws', purpose: 'export', roleName: 'read-only-export', exportBuckets: [BUCKET] });
  await t.context.iam().send(
    new PutRolePolicyCommand({
      RoleName: 'read-only-export',
      PolicyName: 'read-only-export',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:GetBucketAcl'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }],
      }),
    }),
  );
  const found = await problems(t, { roleName: 'read-only-export', prefix: 'exports/' });
  t.deepEqual(found.map((p) => p.code), ['role.permission']);
  t.regex(found[0].message, new RegExp(`role "read-only-export" lacks s3:PutObject on bucket "${BUCKET}"`));
  const aws = await awsAnswer(t, { roleName: 'read-only-export', prefix: 'exports/' });
  t.regex(aws!.message, /does not have sufficient permissions/);
});

test.serial('names a role scoped to other buckets, for every missing action', async (t) => {
  await t.context.driver().ensureRole({ cloud: 'aws', purpose: 'export', roleName: 'elsewhere', exportBuckets: ['some-other-bucket'] });
  const found = await problems(t, { roleName: 'elsewhere' });
  t.is(found.length, 5);
  t.true(found.every((p) => p.code === 'role.permission' && p.message.includes(`bucket "${BUCKET}"`)));
});

test.serial('names a missing bucket', async (t) => {
  const found = await problems(t, { bucket: 'no-such-bucket-here' });
  t.true(found.some((p) => p.code === 'bucket.missing' && p.message.includes('"no-such-bucket-here" does not exist')));
  const aws = await awsAnswer(t, { bucket: 'no-such-bucket-here' });
  t.is(aws?.kind, 'invalid');
});

test.serial('names a bucket in another region', async (t) => {
  const other = t.context.driver({ region: t.context.otherRegion });
  await other.ensureBucket({ cloud: 'aws', region: t.context.otherRegion, name: 'far-away-exports' });
  await t.context.driver().ensureRole({ cloud: 'aws', purpose: 'export', exportBuckets: [BUCKET, 'far-away-exports'] });
  const found = await problems(t, { bucket: 'far-away-exports' });
  t.deepEqual(found.map((p) => p.code), ['bucket.region']);
  t.regex(found[0].message, new RegExp(`is in ${t.context.otherRegion}, not in ${t.context.region}`));
  await awsAnswer(t, { bucket: 'far-away-exports' });
});

test.serial('names a bucket encrypted with SSE-KMS by default', async (t) => {
  await t.context.driver().ensureBucket({ cloud: 'aws', region: t.context.region, name: 'kms-exports' });
  await t.context.s3().send(
    new PutBucketEncryptionCommand({
      Bucket: 'kms-exports',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
    }),
  );
  await t.context.driver().ensureRole({ cloud: 'aws', purpose: 'export', exportBuckets: [BUCKET, 'kms-exports'] });
  const found = await problems(t, { bucket: 'kms-exports' });
  t.deepEqual(found.map((p) => p.code), ['bucket.encryption']);
  await awsAnswer(t, { bucket: 'kms-exports' });
});

const refusals: [string, string, string, RegExp][] = [
  ['encrypted EBS', 'ami-0bad0000000000e01', 'image.encrypted', /encrypted EBS/],
  ['Marketplace', 'ami-0bad0000000000a01', 'image.marketplace', /Marketplace/],
  ['Windows', 'ami-0bad0000000000b01', 'image.third-party', /Windows/],
  ['shared from another account', 'ami-0bad0000000000c01', 'image.shared', /belongs to account 210987654321/],
  ['a volume over 1 TiB', 'ami-0bad0000000000d01', 'image.volume-too-large', /2048 GiB/],
  ['not available', 'ami-0bad0000000000f01', 'image.state', /"pending", not "available"/],
  ['unknown', 'ami-0123456789abcdef0', 'image.missing', /does not exist in us-east-1/],
];

for (const [what, imageId, code, message] of refusals) {
  test.serial(`names an unexportable AMI: ${what}`, async (t) => {
    const found = await problems(t, { imageId });
    t.true(found.some((p) => p.code === code && message.test(p.message)), JSON.stringify(found));
    t.true(found.every((p) => p.subject === 'image'), JSON.stringify(found));
    const aws = await awsAnswer(t, { imageId });
    t.truthy(aws?.code);
  });
}

test.serial('rejects a malformed AMI id before any call, with nothing left behind', async (t) => {
  const driver = t.context.driver();
  const before = t.context.emulator.inspect().tasks.length;
  const error = await t.throwsAsync(driver.preflightExport(spec(t, { imageId: 'ami-XYZ' })), { message: /imageId: "ami-XYZ" must be an AMI id/ });
  t.is(error?.name, 'SpecValidationError');
  await t.throwsAsync(driver.startExport(spec(t, { imageId: 'ami-XYZ' }), 'ip-x'), { message: /imageId/ });
  await t.throwsAsync(driver.checkExportPermissions(spec(t, { imageId: 'ami-XYZ' })), { message: /imageId/ });
  t.is(t.context.emulator.inspect().tasks.length, before);
});

test.serial('rejects a spec for another region than the driver\'s, naming both', async (t) => {
  const before = t.context.emulator.inspect().tasks.length;
  const error = await t.throwsAsync(t.context.driver().startExport(spec(t, { region: t.context.otherRegion }), 'ip-region'), {
    message: new RegExp(`region: "${t.context.otherRegion}" does not match the driver's region \\(${t.context.region}\\)`),
  });
  t.truthy(error);
  t.is(t.context.emulator.inspect().tasks.length, before);
});

test.serial('names an export of the same AMI already running and the reached quota, but not its own retry', async (t) => {
  const driver = t.context.driver();
  const token = deterministicToken(['preflight', 'running']);
  const ref = await driver.startExport(spec(t, { prefix: 'first/' }), token);
  const found = await problems(t, { prefix: 'second/' });
  t.deepEqual(found.map((p) => p.code), ['image.export-running', 'quota.concurrent-tasks']);
  t.regex(found[0].message, new RegExp(`an export of ${GOLDEN} is already running \\(${ref.taskId} to s3://${BUCKET}/first/\\)`));
  t.regex(found[1].message, new RegExp(`1 conversion tasks are already running in us-east-1 \\(limit 1\\): ${ref.taskId}`));
  t.deepEqual(await problems(t, { prefix: 'first/', clientToken: token }), [], 'the same export retried is not a problem');
  t.deepEqual((await problems(t, { prefix: 'second/' }, 5)).map((p) => p.code), ['image.export-running'], 'the quota is configurable');
  const aws = await awsAnswer(t, { prefix: 'second/' });
  t.regex(aws!.message, /already has an export image task in progress/);
  t.is(await driver.cancel(ref), 'cancelled');
});

test.serial('names the reached quota, where AWS answers ResourceLimitExceeded (a quota CloudError)', async (t) => {
  const driver = t.context.driver();
  const running = await driver.startImport(
    { cloud: 'aws', region: t.context.region, disks: [{ snapshotId: 'snap-0600d00000000a001' }], platform: 'Linux' },
    deterministicToken(['preflight', 'quota-import']),
  );
  const found = await problems(t, {});
  t.deepEqual(found.map((p) => p.code), ['quota.concurrent-tasks']);
  t.regex(found[0].message, new RegExp(`\\(limit 1\\): ${running.taskId}`));
  const aws = await awsAnswer(t, {});
  t.is(aws?.kind, 'quota');
  t.is(aws?.code, 'ResourceLimitExceeded');
  t.is(await driver.cancel(running), 'cancelled');
});
