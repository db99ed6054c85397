import anyTest, { type TestFn } from 'ava';
import { ecsTrustPolicy } from '../../../../lib/clouds/alicloud/role-documents';
import { startAlicloudEmulator, type AlicloudEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AlicloudEmulatorFixture>;

test.beforeEach(async (t) => {
  t.context = await startAlicloudEmulator();
});

test.afterEach.always(async (t) => {
  await t.context?.stop();
});

test('ensureRole creates the export role with the exact trust policy and the system policy, then is idempotent', async (t) => {
  const driver = t.context.driver();
  const first = await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  t.like(first, { roleName: 'AliyunECSImageExportDefaultRole', created: true, updated: false });
  t.regex(first.arn ?? '', /^acs:ram::\d{16}:role\/aliyunecsimageexportdefaultrole$/);
  const role = t.context.emulator.inspect().roles.find((r) => r.name === 'AliyunECSImageExportDefaultRole');
  t.deepEqual(role?.trustPolicy, ecsTrustPolicy());
  t.deepEqual(role?.attachedPolicies, ['System:AliyunECSImageExportRolePolicy']);
  t.like(await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' }), { created: false, updated: false });
});

test('ensureRole in scoped mode creates a policy on exactly the buckets, replaces it when they change, and deleteRole removes it all', async (t) => {
  const driver = t.context.driver();
  const roleSpec = { cloud: 'alicloud' as const, purpose: 'export' as const, policyMode: 'scoped' as const, exportBuckets: ['a-bucket'] };
  await driver.ensureRole(roleSpec);
  const policyOf = () => t.context.emulator.inspect().roles[0].inlinePolicies['imageport-AliyunECSImageExportDefaultRole'] as { Statement: { Resource: string[] }[] };
  t.deepEqual(policyOf().Statement.flatMap((s) => s.Resource), ['acs:oss:*:*:a-bucket/*', 'acs:oss:*:*:a-bucket']);
  t.like(await driver.ensureRole({ ...roleSpec, exportBuckets: ['a-bucket', 'b-bucket'] }), { created: false, updated: true });
  t.true(policyOf().Statement.flatMap((s) => s.Resource).includes('acs:oss:*:*:b-bucket/*'));
  await driver.deleteRole(roleSpec);
  t.deepEqual(t.context.emulator.inspect().roles, []);
  await t.notThrowsAsync(driver.deleteRole(roleSpec), 'a missing role is success');
  t.like(await driver.ensureRole(roleSpec), { created: true }, 'the custom policy was deleted too, so it can be created again');
});

test('ensureBucket creates a private bucket in the driver region once, writes lifecycle rules, deleteBucket forces it empty', async (t) => {
  const driver = t.context.driver({ region: 'ap-southeast-1' });
  const bucket = { cloud: 'alicloud' as const, region: 'ap-southeast-1', name: 'lifecycle-exports', lifecycle: { expireAfterDays: 30 } };
  t.deepEqual(await driver.ensureBucket(bucket), { name: 'lifecycle-exports', created: true });
  t.deepEqual(await driver.ensureBucket(bucket), { name: 'lifecycle-exports', created: false });
  const stored = t.context.emulator.inspect().buckets.find((b) => b.name === 'lifecycle-exports');
  t.is(stored?.region, 'ap-southeast-1');
  t.true(stored?.configs.includes('lifecycle'));
  await driver.storage().put('lifecycle-exports', 'x', 'y');
  await driver.deleteBucket(bucket, { force: true });
  t.false(t.context.emulator.inspect().buckets.some((b) => b.name === 'lifecycle-exports'));
  await t.notThrowsAsync(driver.deleteBucket(bucket));
});

test('ensureBucket refuses a bucket that exists in another region', async (t) => {
  await t.context.driver({ region: 'cn-shanghai' }).ensureBucket({ cloud: 'alicloud', region: 'cn-shanghai', name: 'taken' });
  await t.throwsAsync(t.context.driver().ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'taken' }), { message: /cn-shanghai/ });
});
