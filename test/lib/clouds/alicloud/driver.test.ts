import test from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AlicloudExportSpec } from '../../../../lib/model/export-spec';
import { type AlicloudImportSpec } from '../../../../lib/model/import-spec';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { createAlicloudDriver } from '../../../../lib/clouds/alicloud/driver';
import { ecsTrustPolicy } from '../../../../lib/clouds/alicloud/role-documents';
import { FakeAlicloudApi, FakeStorage } from './fake-alicloud';

const spec: AlicloudExportSpec = { cloud: 'alicloud', region: 'cn-hangzhou', imageId: 'm-golden', bucket: 'exports', prefix: 'pre' };

function setup() {
  const api = new FakeAlicloudApi();
  const storage = new FakeStorage();
  const lifecycles: unknown[] = [];
  const driver = createAlicloudDriver(
    { region: 'cn-hangzhou', credentials: { accessKeyId: 'ak', secretAccessKey: 'sk' } },
    { api, storageFactory: () => storage, lifecycleWriter: async (_o, bucket, rule) => void lifecycles.push({ bucket, rule }), lookupDelayMs: 0, sleep: async () => undefined },
  );
  return { api, storage, driver, lifecycles };
}

test('importing the driver module does not load the Alibaba SDKs', (t) => {
  const loaded = Object.keys(require.cache).filter((path) => path.includes('@alicloud/ecs20140526') || path.includes('@alicloud/ram20150501'));
  t.deepEqual(loaded, []);
});

test('startExport sends ExportImage with raw and the default role, and records token, bucket and prefix', async (t) => {
  const { api, driver } = setup();
  const ref = await driver.startExport(spec, 'ip-token');
  t.deepEqual(api.exportParams, [{ regionId: 'cn-hangzhou', imageId: 'm-golden', OSSBucket: 'exports', OSSPrefix: 'pre', imageFormat: 'raw', roleName: 'AliyunECSImageExportDefaultRole' }]);
  t.like(ref, { cloud: 'alicloud', kind: 'export', taskId: 't-1', imageId: 'm-golden', bucket: 'exports', prefix: 'pre', format: 'raw', clientToken: 'ip-token', adopted: false });
});

test('a second startExport for the same image and bucket adopts the running task instead of starting another', async (t) => {
  const { api, driver } = setup();
  const first = await driver.startExport(spec, 'ip-token');
  const second = await driver.startExport(spec, 'ip-token');
  t.is(second.taskId, first.taskId);
  t.true(second.adopted);
  t.is(api.calls.filter((call) => call === 'ExportImage').length, 1);
});

test('rejects an export of an image already being exported to another bucket (conflict, naming the task)', async (t) => {
  const { driver } = setup();
  await driver.startExport(spec, 'ip-token');
  const error = await t.throwsAsync(driver.startExport({ ...spec, bucket: 'elsewhere' }, 'ip-other'), { instanceOf: CloudError });
  t.is(error?.code, 'ImageIsExporting');
  t.is(error?.kind, 'conflict');
  t.regex(error!.message, /t-1/);
});

test('an ImageIsExporting answer is resolved by finding and adopting the task', async (t) => {
  const { api, driver } = setup();
  api.tasks.push({ taskId: 't-race', action: 'ExportImage', status: 'Processing', resourceId: 'm-golden', items: [{ name: 'OSSBucket', value: 'exports' }] });
  // The race: another caller's task is not listed on the first look; ECS refuses the duplicate; the next look sees it.
  const original = api.describeTasks.bind(api);
  let looks = 0;
  api.describeTasks = async (params) => (++looks === 1 ? { totalCount: 0, taskSet: { task: [] } } : original(params));
  api.exportError = new CloudError({ cloud: 'alicloud', operation: 'ExportImage', code: 'ImageIsExporting', message: 'The specified Image is exporting.', kind: 'conflict' });
  const ref = await driver.startExport(spec, 'ip-token');
  t.is(ref.taskId, 't-race');
  t.true(ref.adopted);
  t.is(api.calls.filter((call) => call === 'ExportImage').length, 1);
});

test('rejects with ImageIsExporting when ECS refuses and no running task can be found', async (t) => {
  const { api, driver } = setup();
  api.exportError = new CloudError({ cloud: 'alicloud', operation: 'ExportImage', code: 'ImageIsExporting', message: 'The specified Image is exporting.', kind: 'conflict' });
  await t.throwsAsync(driver.startExport(spec, 'tok'), { instanceOf: CloudError, message: /ImageIsExporting/ });
});

test('rejects an invalid spec before any call, with every issue', async (t) => {
  const { api, driver } = setup();
  const error = await t.throwsAsync(driver.startExport({ ...spec, prefix: 'a-b', format: 'ova' }, 'tok'), { instanceOf: SpecValidationError });
  t.deepEqual(error?.issues.map((issue) => issue.field).sort(), ['format', 'prefix']);
  t.deepEqual(api.calls, []);
});

test('describe maps progress, then reads artifacts from the task and their sizes from OSS', async (t) => {
  const { api, storage, driver } = setup();
  const ref = await driver.startExport(spec, 'tok');
  api.tasks[0].status = 'Processing';
  api.tasks[0].progress = '45%';
  t.like(await driver.describe(ref), { state: 'running', progress: 45, rawStatus: 'Processing', artifacts: [] });
  await storage.createBucket('exports');
  await storage.put('exports', 'pre_m-golden_system.raw.tar.gz', Buffer.alloc(1234));
  api.tasks[0].status = 'Finished';
  api.tasks[0].progress = '100%';
  api.tasks[0].items.push({ name: 'OSSObject', value: 'pre_m-golden_system.raw.tar.gz' });
  const snapshot = await driver.describe(ref);
  t.is(snapshot.state, 'succeeded');
  t.deepEqual(snapshot.artifacts, [
    { bucket: 'exports', key: 'pre_m-golden_system.raw.tar.gz', format: 'raw.tar.gz', uri: 'oss://exports/pre_m-golden_system.raw.tar.gz', disk: 'system', sizeBytes: 1234 },
  ]);
});

test('describe of a finished export that names no object lists the bucket by <prefix>_<imageId>_', async (t) => {
  const { api, storage, driver } = setup();
  const ref = await driver.startExport(spec, 'tok');
  await storage.createBucket('exports');
  await storage.put('exports', 'pre_m-golden_system.raw.tar.gz', 'x');
  await storage.put('exports', 'other_m-golden_system.raw.tar.gz', 'y');
  api.tasks[0].status = 'Finished';
  const snapshot = await driver.describe(ref);
  t.deepEqual(snapshot.artifacts.map((a) => a.key), ['pre_m-golden_system.raw.tar.gz']);
});

test('a failed export reports the task error; a deleted task is failed unless we cancelled it', async (t) => {
  const { api, driver } = setup();
  const ref = await driver.startExport(spec, 'tok');
  Object.assign(api.tasks[0], { status: 'Failed', errorCode: 'ExportImageFailed', errorMsg: 'disk read error' });
  t.like(await driver.describe(ref), { state: 'failed', failure: { code: 'ExportImageFailed', message: 'disk read error' } });
  api.tasks[0].status = 'Deleted';
  t.like(await driver.describe(ref), { state: 'failed', failure: { code: 'TaskDeleted' } });
  t.like(await driver.describe({ ...ref, cancelRequested: true }), { state: 'cancelled' });
});

test('cancel cancels a running task (then describe says cancelled) and reports already-ended for a finished one', async (t) => {
  const { api, driver } = setup();
  const ref = await driver.startExport(spec, 'tok');
  t.is(await driver.cancel(ref), 'cancelled');
  t.is((await driver.describe(ref)).state, 'cancelled');
  const other = await driver.startExport({ ...spec, imageId: 'm-other' }, 'tok');
  api.tasks[1].status = 'Finished';
  t.is(await driver.cancel(other), 'already-ended');
  await t.throwsAsync(driver.cancel({ ...other, taskId: 't-missing' }), { instanceOf: CloudError, message: /InvalidTaskId\.NotFound/ });
});

const importSpec: AlicloudImportSpec = { cloud: 'alicloud', region: 'cn-hangzhou', disks: [{ bucket: 'src', key: 'disk.qcow2', format: 'qcow2' }] };

test('startImport sends the token as ClientToken; the import succeeds only once the image is Available', async (t) => {
  const { api, driver } = setup();
  const ref = await driver.startImport(importSpec, 'ip-import');
  t.is(api.importParams[0].clientToken, 'ip-import');
  t.is(api.importParams[0].roleName, 'AliyunECSImageImportDefaultRole');
  t.like(ref, { kind: 'import', imageId: 'm-new1', clientToken: 'ip-import' });
  t.like(await driver.describe(ref), { state: 'running', imageId: 'm-new1' });
  api.tasks[0].status = 'Finished';
  t.like(await driver.describe(ref), { state: 'running', imageId: 'm-new1' }, 'task Finished but image still Creating');
  api.images.set('m-new1', { imageId: 'm-new1', status: 'Available' });
  t.like(await driver.describe(ref), { state: 'succeeded', progress: 100, imageId: 'm-new1' });
  const { imageId: _omit, ...withoutImage } = ref;
  t.like(await driver.describe(withoutImage), { state: 'succeeded', imageId: 'm-new1' }, 'a ref without the image id finds it via DescribeTasks');
});

test('ensureRole creates the role with the exact trust policy and the system policy, then is idempotent', async (t) => {
  const { api, driver } = setup();
  const first = await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  t.like(first, { roleName: 'AliyunECSImageExportDefaultRole', created: true, updated: false });
  const role = api.roles.get('AliyunECSImageExportDefaultRole')!;
  t.deepEqual(JSON.parse(role.document), ecsTrustPolicy());
  t.deepEqual(role.attached, [{ policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }]);
  const second = await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  t.like(second, { created: false, updated: false });
  t.is(api.calls.filter((c) => c.startsWith('CreateRole') || c.startsWith('AttachPolicyToRole')).length, 2);
});

test('ensureRole fixes a wrong trust policy and switches between system and scoped policies', async (t) => {
  const { api, driver } = setup();
  api.roles.set('AliyunECSImageExportDefaultRole', { document: '{"Version":"1","Statement":[]}', attached: [{ policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }] });
  const scoped = await driver.ensureRole({ cloud: 'alicloud', purpose: 'export', policyMode: 'scoped', exportBuckets: ['exports'] });
  t.like(scoped, { created: false, updated: true });
  const role = api.roles.get('AliyunECSImageExportDefaultRole')!;
  t.deepEqual(JSON.parse(role.document), ecsTrustPolicy());
  t.deepEqual(role.attached, [{ policyName: 'imageport-AliyunECSImageExportDefaultRole', policyType: 'Custom' }]);
  t.regex(api.policies.get('imageport-AliyunECSImageExportDefaultRole')!, /acs:oss:\*:\*:exports\/\*/);
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export', policyMode: 'scoped', exportBuckets: ['exports', 'more'] });
  t.regex(api.policies.get('imageport-AliyunECSImageExportDefaultRole')!, /more/);
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  t.deepEqual(role.attached, [{ policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }]);
});

test('deleteRole detaches, deletes the custom policy, then the role; a missing role is success', async (t) => {
  const { api, driver } = setup();
  const roleSpec = { cloud: 'alicloud' as const, purpose: 'import' as const, policyMode: 'scoped' as const, importBuckets: ['src'] };
  await driver.ensureRole(roleSpec);
  await driver.deleteRole(roleSpec);
  t.false(api.roles.has('AliyunECSImageImportDefaultRole'));
  t.false(api.policies.has('imageport-AliyunECSImageImportDefaultRole'));
  const order = api.calls.filter((c) => /^(Detach|DeletePolicy|DeleteRole)/.test(c));
  t.deepEqual(order, ['DetachPolicyFromRole imageport-AliyunECSImageImportDefaultRole', 'DeletePolicy imageport-AliyunECSImageImportDefaultRole', 'DeleteRole AliyunECSImageImportDefaultRole']);
  await t.notThrowsAsync(driver.deleteRole(roleSpec));
});

test('preflightExport names every problem: image, format region, bucket, role', async (t) => {
  const { api, storage, driver } = setup();
  api.images.set('m-golden', { imageId: 'm-golden', status: 'Available', imageOwnerAlias: 'self', OSType: 'linux' });
  storage.buckets.set('exports', { region: 'cn-shanghai', objects: new Map() });
  const report = await driver.preflightExport({ ...spec, format: 'vhd' });
  t.deepEqual(report.problems.map((p) => p.code).sort(), ['bucket.region', 'region.format-not-supported', 'role.missing']);
  t.deepEqual(api.calls.filter((c) => c === 'ExportImage'), [], 'preflight starts nothing');
});

test('preflightExport passes for a ready setup and flags a role without trust or permission', async (t) => {
  const { api, storage, driver } = setup();
  api.images.set('m-golden', { imageId: 'm-golden', status: 'Available', imageOwnerAlias: 'self', OSType: 'linux' });
  await storage.createBucket('exports');
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  t.deepEqual((await driver.preflightExport(spec)).problems, []);
  const role = api.roles.get('AliyunECSImageExportDefaultRole')!;
  role.document = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['oss.aliyuncs.com'] } }] });
  role.attached = [];
  t.deepEqual((await driver.preflightExport(spec)).problems.map((p) => p.code), ['role.trust', 'role.permission']);
});

test('preflightExport accepts a running export to the same bucket (it will be adopted) but not to another', async (t) => {
  const { api, storage, driver } = setup();
  api.images.set('m-golden', { imageId: 'm-golden', status: 'Available', imageOwnerAlias: 'self' });
  await storage.createBucket('exports');
  await storage.createBucket('elsewhere');
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  await driver.startExport(spec, 'tok');
  t.deepEqual((await driver.preflightExport(spec)).problems, []);
  t.deepEqual((await driver.preflightExport({ ...spec, bucket: 'elsewhere' })).problems.map((p) => p.code), ['image.exporting']);
});

test('preflightImport checks objects, sizes and the import role', async (t) => {
  const { storage, driver } = setup();
  await storage.createBucket('src');
  await storage.put('src', 'empty.raw', '');
  const report = await driver.preflightImport({ ...importSpec, disks: [{ bucket: 'src', key: 'disk.qcow2' }, { bucket: 'src', key: 'empty.raw' }, { bucket: 'nope', key: 'x.raw' }] });
  t.deepEqual(report.problems.map((p) => p.code).sort(), ['bucket.missing', 'role.missing', 'source.empty', 'source.missing']);
});

test('ensureBucket creates once, refuses a bucket in another region, and writes the lifecycle rule', async (t) => {
  const { storage, driver, lifecycles } = setup();
  t.deepEqual(await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'exports', lifecycle: { expireAfterDays: 30 } }), { name: 'exports', created: true });
  t.deepEqual(await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'exports' }), { name: 'exports', created: false });
  t.deepEqual(lifecycles, [{ bucket: 'exports', rule: { ID: 'imageport-exports', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 30 } } }]);
  storage.buckets.set('far', { region: 'eu-central-1', objects: new Map() });
  await t.throwsAsync(driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'far' }), { instanceOf: CloudError, message: /eu-central-1/ });
  await t.throwsAsync(driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'x1', lifecycle: { expireAfterDays: 5, transitionAfterDays: 10 } }), {
    instanceOf: SpecValidationError,
  });
});

test('deleteBucket with force empties it first; a missing bucket is success', async (t) => {
  const { storage, driver } = setup();
  await storage.createBucket('exports');
  await storage.put('exports', 'a', 'x');
  await driver.deleteBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'exports' }, { force: true });
  t.false(storage.buckets.has('exports'));
  await t.notThrowsAsync(driver.deleteBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: 'exports' }));
});

test('rejects a spec for another cloud or another region', async (t) => {
  const { api, driver } = setup();
  await t.throwsAsync(driver.startExport({ ...spec, cloud: 'aws' }, 'tok'), { instanceOf: CloudError, message: /cloud "aws"/ });
  const error = await t.throwsAsync(driver.preflightExport({ ...spec, region: 'cn-shanghai' }), { instanceOf: SpecValidationError });
  t.is(error?.issues[0].code, 'region.mismatch');
  t.deepEqual(api.calls, []);
});
