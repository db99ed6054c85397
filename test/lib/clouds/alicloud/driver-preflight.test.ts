import anyTest, { type TestFn } from 'ava';
import * as $Ram from '@alicloud/ram20150501';
import Ram from '@alicloud/ram20150501';
import * as OpenApi from '@alicloud/openapi-core';
import { type AlicloudExportSpec } from '../../../../lib/model/export-spec';
import { IMAGES, startAlicloudEmulator, type AlicloudEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AlicloudEmulatorFixture>;
const BUCKET = 'preflight-exports';

test.beforeEach(async (t) => {
  t.context = await startAlicloudEmulator();
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: BUCKET });
});

test.afterEach.always(async (t) => {
  await t.context?.stop();
});

function spec(overrides: Partial<AlicloudExportSpec> = {}): AlicloudExportSpec {
  return { cloud: 'alicloud', region: 'cn-hangzhou', imageId: IMAGES.golden, bucket: BUCKET, ...overrides };
}

function ram(t: { context: AlicloudEmulatorFixture }): Ram {
  const { emulator } = t.context;
  return new Ram(
    new OpenApi.$OpenApiUtil.Config({
      accessKeyId: emulator.credentials.alicloud.accessKeyId,
      accessKeySecret: emulator.credentials.alicloud.secretAccessKey,
      endpoint: new URL(emulator.endpoints.alicloud.ram).host,
      protocol: 'http',
    }),
  );
}

const IMAGE_PROBLEMS: [string, string, string][] = [
  ['a Marketplace-derived image', IMAGES.marketplace, 'image.marketplace'],
  ['an image with encrypted snapshots', IMAGES.encrypted, 'image.encrypted'],
  ['more than 4 data disks', IMAGES.fiveDataDisks, 'image.too-many-data-disks'],
  ['a data disk over 500 GiB', IMAGES.bigDataDisk, 'image.data-disk-too-big'],
  ['a Windows Server image', IMAGES.windows, 'image.windows'],
  ['an image that is not Available', IMAGES.unavailable, 'image.not-available'],
  ['a missing image', 'm-missing', 'image.missing'],
  ['an image of another region', IMAGES.goldenShanghai, 'image.missing'],
];

for (const [what, imageId, code] of IMAGE_PROBLEMS) {
  test(`preflight catches ${what} (${code}) before any task starts, as ECS would`, async (t) => {
    const driver = t.context.driver();
    const report = await driver.preflightExport(spec({ imageId }));
    t.deepEqual(report.problems.map((p) => p.code), [code]);
    t.truthy(report.problems[0].fix);
    await t.throwsAsync(driver.startExport(spec({ imageId }), 'tok'), undefined, 'ECS refuses it too');
    t.deepEqual(t.context.emulator.inspect().tasks, []);
  });
}

test('preflight catches a format the region does not honour (InvalidImageFormat.RegionNotSupported in advance)', async (t) => {
  const report = await t.context.driver().preflightExport(spec({ format: 'vmdk' }));
  t.deepEqual(report.problems.map((p) => p.code), ['region.format-not-supported']);
});

test('preflight catches a missing bucket and a bucket in another region', async (t) => {
  const driver = t.context.driver();
  t.deepEqual((await driver.preflightExport(spec({ bucket: 'no-such-bucket' }))).problems.map((p) => p.code).filter((c) => c.startsWith('bucket')), ['bucket.missing']);
  await t.context.driver({ region: 'cn-shanghai' }).ensureBucket({ cloud: 'alicloud', region: 'cn-shanghai', name: 'shanghai-bucket' });
  const report = await driver.preflightExport(spec({ bucket: 'shanghai-bucket' }));
  t.deepEqual(report.problems.map((p) => p.code), ['bucket.region']);
  t.regex(report.problems[0].message, /cn-shanghai/);
});

test('preflight catches a missing role, a role that does not trust ECS, and a role without the policy', async (t) => {
  const driver = t.context.driver();
  const client = ram(t);
  await driver.deleteRole({ cloud: 'alicloud', purpose: 'export' });
  t.deepEqual((await driver.preflightExport(spec())).problems.map((p) => p.code), ['role.missing']);
  const untrusting = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['oss.aliyuncs.com'] } }] });
  await client.createRole(new $Ram.CreateRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', assumeRolePolicyDocument: untrusting }));
  t.deepEqual((await driver.preflightExport(spec())).problems.map((p) => p.code), ['role.trust', 'role.permission']);
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  t.deepEqual((await driver.preflightExport(spec())).problems, []);
});

test('preflight accepts a running export to the same bucket (adoption) and flags one to another bucket', async (t) => {
  const driver = t.context.driver();
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'second-bucket' });
  await driver.startExport(spec(), 'tok');
  t.deepEqual((await driver.preflightExport(spec())).problems, []);
  t.deepEqual((await driver.preflightExport(spec({ bucket: 'second-bucket' }))).problems.map((p) => p.code), ['image.exporting']);
});

test('a scoped export role passes preflight for its bucket and fails it for another', async (t) => {
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export', policyMode: 'scoped', exportBuckets: [BUCKET] });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'unscoped-bucket' });
  t.deepEqual((await driver.preflightExport(spec())).problems, []);
  t.deepEqual((await driver.preflightExport(spec({ bucket: 'unscoped-bucket' }))).problems.map((p) => p.code), ['role.permission']);
});
