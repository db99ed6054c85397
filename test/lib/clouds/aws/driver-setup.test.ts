import anyTest, { type TestFn } from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { AttachRolePolicyCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { CloudError } from '../../../../lib/model/cloud-error';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { startAwsEmulator, type AwsEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AwsEmulatorFixture>;

test.before(async (t) => {
  t.context = await startAwsEmulator();
});

test.after.always(async (t) => {
  await t.context?.stop();
});

test.serial('ensureRole creates the documented role, changes nothing the second time, and repairs drift', async (t) => {
  const driver = t.context.driver();
  const roleSpec = { cloud: 'aws' as const, purpose: 'both' as const, roleName: 'imageport-test', exportBuckets: ['out-a'], importBuckets: ['in-a'] };
  const documents = driver.roleDocuments(roleSpec);
  t.like(await driver.ensureRole(roleSpec), { roleName: 'imageport-test', created: true, updated: false });
  const stored = () => t.context.emulator.inspect().roles.find((r) => r.name === 'imageport-test');
  t.deepEqual(stored()?.trustPolicy, documents.trustPolicy);
  t.deepEqual(stored()?.inlinePolicies, { 'imageport-test': documents.policies[0].document });
  t.true(JSON.stringify(documents.trustPolicy).includes(`arn:aws:vmie:*:${t.context.emulator.accounts.aws}:*`), 'confused-deputy conditions with the known account');

  const second = await driver.ensureRole(roleSpec);
  t.like(second, { created: false, updated: false });
  t.regex(second.arn ?? '', /^arn:aws:iam::\d{12}:role\/imageport-test$/);

  const ec2Trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  await t.context.iam().send(new UpdateAssumeRolePolicyCommand({ RoleName: 'imageport-test', PolicyDocument: JSON.stringify(ec2Trust) }));
  await t.context.iam().send(new PutRolePolicyCommand({ RoleName: 'imageport-test', PolicyName: 'imageport-test', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
  t.like(await driver.ensureRole(roleSpec), { created: false, updated: true });
  t.deepEqual(stored()?.trustPolicy, documents.trustPolicy);
  t.deepEqual(stored()?.inlinePolicies, { 'imageport-test': documents.policies[0].document });

  const moved = { ...roleSpec, exportBuckets: ['out-b'] };
  t.like(await driver.ensureRole(moved), { updated: true });
  const policyText = JSON.stringify(stored()?.inlinePolicies);
  t.true(policyText.includes('arn:aws:s3:::out-b'));
  t.false(policyText.includes('out-a'), 'scoped to exactly the buckets in use');
});

test.serial('deleteRole removes inline policies, attachments and the role; a missing role is fine', async (t) => {
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'aws', purpose: 'export', roleName: 'to-delete', exportBuckets: ['x-bucket'] });
  await t.context.iam().send(new PutRolePolicyCommand({ RoleName: 'to-delete', PolicyName: 'extra', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeImages', Resource: '*' }] }) }));
  await t.context.iam().send(new AttachRolePolicyCommand({ RoleName: 'to-delete', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
  t.deepEqual(t.context.emulator.inspect().roles.find((r) => r.name === 'to-delete')?.attachedPolicies, ['arn:aws:iam::aws:policy/AmazonS3FullAccess']);
  await driver.deleteRole({ cloud: 'aws', purpose: 'export', roleName: 'to-delete' });
  t.falsy(t.context.emulator.inspect().roles.find((r) => r.name === 'to-delete'));
  await t.notThrowsAsync(driver.deleteRole({ cloud: 'aws', purpose: 'export', roleName: 'to-delete' }));
});

test.serial('rejects a bad role spec before any call', async (t) => {
  const error = await t.throwsAsync(t.context.driver().ensureRole({ cloud: 'aws', purpose: 'export', roleName: 'bad role', exportBuckets: ['Bad_Bucket'] }), { instanceOf: SpecValidationError });
  t.deepEqual(error!.issues.map((i) => i.code), ['role-name.characters', 'bucket-name.characters', 'bucket-name.edges']);
});

test.serial('ensureBucket creates a hardened bucket and is idempotent', async (t) => {
  const driver = t.context.driver();
  const bucketSpec = { cloud: 'aws' as const, region: t.context.region, name: 'hardened-exports', lifecycle: { expireAfterDays: 30 } };
  t.deepEqual(await driver.ensureBucket(bucketSpec), { name: 'hardened-exports', created: true });
  const stored = () => t.context.emulator.inspect().buckets.find((b) => b.name === 'hardened-exports');
  t.is(stored()?.region, t.context.region);
  t.deepEqual([...(stored()?.configs ?? [])].sort(), ['encryption', 'lifecycle', 'ownershipControls', 'policy', 'publicAccessBlock']);
  const policy = JSON.parse((await t.context.s3().send(new GetBucketPolicyCommand({ Bucket: 'hardened-exports' }))).Policy!);
  t.deepEqual(policy.Statement, [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::hardened-exports', 'arn:aws:s3:::hardened-exports/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
  t.deepEqual(await driver.ensureBucket(bucketSpec), { name: 'hardened-exports', created: false });
  const again = JSON.parse((await t.context.s3().send(new GetBucketPolicyCommand({ Bucket: 'hardened-exports' }))).Policy!);
  t.is(again.Statement.length, 1, 'the TLS statement is not added twice');
});

test.serial('ensureBucket keeps an existing bucket policy and adds the TLS-only statement to it', async (t) => {
  const driver = t.context.driver();
  await driver.storage().createBucket('shared-exports');
  const mine = { Sid: 'Audit', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared-exports/*' };
  await t.context.s3().send(new PutBucketPolicyCommand({ Bucket: 'shared-exports', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [mine] }) }));
  t.deepEqual(await driver.ensureBucket({ cloud: 'aws', region: t.context.region, name: 'shared-exports' }), { name: 'shared-exports', created: false });
  const policy = JSON.parse((await t.context.s3().send(new GetBucketPolicyCommand({ Bucket: 'shared-exports' }))).Policy!);
  t.deepEqual(policy.Statement.map((s: { Sid: string }) => s.Sid), ['Audit', 'DenyInsecureTransport']);
});

test.serial('ensureBucket refuses an existing bucket in another region', async (t) => {
  await t.context.driver({ region: t.context.otherRegion }).ensureBucket({ cloud: 'aws', region: t.context.otherRegion, name: 'elsewhere-exports' });
  const error = await t.throwsAsync(t.context.driver().ensureBucket({ cloud: 'aws', region: t.context.region, name: 'elsewhere-exports' }), { instanceOf: CloudError });
  t.is(error?.kind, 'conflict');
  t.regex(error!.message, new RegExp(`already exists in ${t.context.otherRegion}, not in ${t.context.region}`));
});

test.serial('rejects a bad bucket spec before any call', async (t) => {
  const error = await t.throwsAsync(t.context.driver().ensureBucket({ cloud: 'aws', region: t.context.otherRegion, name: 'ab' }), { instanceOf: SpecValidationError });
  t.deepEqual(error!.issues.map((i) => `${i.field}:${i.code}`), ['name:bucket-name.length', 'region:region.mismatch']);
  t.falsy(t.context.emulator.inspect().buckets.find((b) => b.name === 'ab'));
});

test.serial('deleteBucket: refuses a non-empty bucket without force, empties it with force, ignores a missing one', async (t) => {
  const driver = t.context.driver();
  await driver.ensureBucket({ cloud: 'aws', region: t.context.region, name: 'doomed-exports' });
  await driver.storage().put('doomed-exports', 'a/b.vmdk', 'data');
  await driver.storage().put('doomed-exports', 'c.raw', 'data');
  await t.throwsAsync(driver.deleteBucket({ cloud: 'aws', region: t.context.region, name: 'doomed-exports' }));
  t.truthy(t.context.emulator.inspect().buckets.find((b) => b.name === 'doomed-exports'));
  await driver.deleteBucket({ cloud: 'aws', region: t.context.region, name: 'doomed-exports' }, { force: true });
  t.falsy(t.context.emulator.inspect().buckets.find((b) => b.name === 'doomed-exports'));
  await t.notThrowsAsync(driver.deleteBucket({ cloud: 'aws', region: t.context.region, name: 'doomed-exports' }, { force: true }));
});

test.serial('reads endpoints and credentials from the AWS_ENDPOINT_URL_* and AWS_* variables when the connection has none', async (t) => {
  const root = path.resolve(__dirname, '../../../..');
  const script = `
    const { createAwsDriver } = require('./lib/clouds/aws/index.ts');
    const driver = createAwsDriver({ region: process.env.AWS_REGION });
    driver.preflightExport({ cloud: 'aws', region: process.env.AWS_REGION, imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: 'env-bucket' })
      .then((report) => process.stdout.write(JSON.stringify(report.problems.map((p) => p.code))))
      .catch((error) => { process.stderr.write(String(error)); process.exit(1); });
  `;
  const env = { ...process.env, ...t.context.emulator.env };
  for (const name of ['AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) delete env[name];
  // Asynchronous: the emulator answers from this process's event loop.
  const { stdout: out } = await promisify(execFile)(process.execPath, ['--import=tsx', '-e', script], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  // The emulator answered: the role and the bucket are missing there, the AMI exists.
  t.deepEqual(JSON.parse(out).sort(), ['bucket.missing', 'role.missing']);
});
