import test from 'ava';
import { gunzipSync } from 'node:zlib';
import * as $Ecs from '@alicloud/ecs20140526';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { GOLDEN_IMAGE, REFUSED_IMAGE, SECOND_GOLDEN_IMAGE, codeOf, startAlicloudKit, type AlicloudKit } from './alicloud-test-kit';

const HOUR = 60 * 60 * 1000;

async function readyKit(options: Parameters<typeof startAlicloudKit>[0] = {}): Promise<AlicloudKit> {
  const kit = await startAlicloudKit(options);
  await kit.createBucket('exports');
  await kit.createServiceRole('AliyunECSImageExportDefaultRole', 'AliyunECSImageExportRolePolicy');
  return kit;
}

function exportRequest(fields: Record<string, unknown> = {}): $Ecs.ExportImageRequest {
  return new $Ecs.ExportImageRequest({ regionId: 'cn-hangzhou', imageId: GOLDEN_IMAGE['cn-hangzhou'], OSSBucket: 'exports', OSSPrefix: 'EcsExport', ...fields });
}

test('ExportImage runs Waiting → Processing → Finished and writes <prefix>_<imageId>_system.raw.tar.gz', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const started = await kit.ecs.exportImage(exportRequest());
  const taskId = started.body?.taskId as string;
  t.regex(taskId, /^t-[a-z0-9]{20}$/);
  t.is(started.body?.regionId, 'cn-hangzhou');

  const attribute = async () => (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'cn-hangzhou', taskId }))).body!;
  const first = await attribute();
  t.is(first.taskStatus, 'Waiting');
  t.is(first.taskAction, 'ExportImage');
  t.is(first.supportCancel, 'true');
  kit.clock.advance(8 * 60 * 1000);
  const middle = await attribute();
  t.is(middle.taskStatus, 'Processing');
  t.regex(middle.taskProcess ?? '', /^\d+%$/);
  kit.clock.advance(HOUR);
  const done = await attribute();
  t.is(done.taskStatus, 'Finished');
  t.is(done.taskProcess, '100%');
  t.is(done.supportCancel, 'false');
  t.truthy(done.finishedTime);
  const items = done.operationProgressSet?.operationProgress?.[0]?.relatedItemSet?.relatedItem?.map((i) => [i.name, i.value]);
  const key = `EcsExport_${GOLDEN_IMAGE['cn-hangzhou']}_system.raw.tar.gz`;
  t.deepEqual(items, [['OSSBucket', 'exports'], ['OSSObject', key], ['ImageFormat', 'raw']]);

  const object = await kit.oss().send(new GetObjectCommand({ Bucket: 'exports', Key: key }));
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  t.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
  const tar = gunzipSync(bytes);
  t.is(tar.subarray(257, 262).toString(), 'ustar', 'a tar inside');
});

test('DescribeTasks answers TaskSet as an object the SDK reads, filtered by action and resource', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const { body } = await kit.ecs.exportImage(exportRequest());
  const page = (await kit.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou', taskAction: 'ExportImage', pageSize: 100 }))).body!;
  t.is(page.totalCount, 1);
  t.like(page.taskSet?.task?.[0], { taskId: body?.taskId, taskAction: 'ExportImage', taskStatus: 'Waiting', resourceId: GOLDEN_IMAGE['cn-hangzhou'], supportCancel: 'true' });
  const none = (await kit.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou', taskAction: 'ImportImage' }))).body!;
  t.is(none.totalCount, 0);
  const byResource = (await kit.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou', resourceIds: ['m-other'] }))).body!;
  t.is(byResource.totalCount, 0);
});

test('a qcow2 export in a region that honours ImageFormat writes every disk in that format', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('sg-exports', 'ap-southeast-1');
  await kit.createServiceRole('AliyunECSImageExportDefaultRole', 'AliyunECSImageExportRolePolicy');
  const started = await kit.ecs.exportImage(
    new $Ecs.ExportImageRequest({ regionId: 'ap-southeast-1', imageId: GOLDEN_IMAGE['ap-southeast-1'], OSSBucket: 'sg-exports', imageFormat: 'qcow2' }),
  );
  kit.clock.advance(2 * HOUR);
  const done = (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'ap-southeast-1', taskId: started.body?.taskId }))).body!;
  const objects = done.operationProgressSet?.operationProgress?.[0]?.relatedItemSet?.relatedItem?.filter((i) => i.name === 'OSSObject').map((i) => i.value);
  t.deepEqual(objects, [`${GOLDEN_IMAGE['ap-southeast-1']}_system.qcow2`, `${GOLDEN_IMAGE['ap-southeast-1']}_data_xvdb.qcow2`]);
  for (const key of objects as string[]) {
    const object = await kit.oss('ap-southeast-1').send(new GetObjectCommand({ Bucket: 'sg-exports', Key: key, Range: 'bytes=0-3' }));
    t.is(Buffer.from(await object.Body!.transformToByteArray()).toString('latin1'), 'QFI\xfb');
  }
});

const REFUSALS: [string, Record<string, unknown>, string][] = [
  ['a Marketplace-derived image', { imageId: REFUSED_IMAGE.marketplace }, 'ImageNotSupported'],
  ['an image with encrypted snapshots', { imageId: REFUSED_IMAGE.encrypted }, 'ImageNotSupported'],
  ['an image with five data disks', { imageId: REFUSED_IMAGE.fiveDataDisks }, 'InvalidImage.DiskAmountOrSize'],
  ['an image with a 501 GiB data disk', { imageId: REFUSED_IMAGE.bigDataDisk }, 'InvalidImage.DiskAmountOrSize'],
  ['a Windows Server image', { imageId: REFUSED_IMAGE.windows }, 'ImageNotSupported'],
  ['an image that is not Available', { imageId: REFUSED_IMAGE.unavailable }, 'IncorrectImageStatus'],
  ['a public image', { imageId: REFUSED_IMAGE.publicImage }, 'InvalidImageCategory.NotSupported'],
  ['an unknown image', { imageId: 'm-doesnotexist' }, 'InvalidImageId.NotFound'],
  ['a golden image of another region', { imageId: GOLDEN_IMAGE['cn-shanghai'] }, 'InvalidImageId.NotFound'],
  ['a prefix with a dash', { OSSPrefix: 'my-exports' }, 'InvalidOSSPrefix.Malformed'],
  ['an unknown format', { imageFormat: 'vhdx' }, 'InvalidImageFormat.Malformed'],
  ['qcow2 where ImageFormat is not honoured', { imageFormat: 'qcow2' }, 'InvalidImageFormat.RegionNotSupported'],
  ['a missing bucket', { OSSBucket: 'nope' }, 'InvalidOSSBucket.NotFound'],
  ['an unknown region', { regionId: 'xx-nowhere-1' }, 'InvalidRegionId.NotFound'],
  ['no OSSBucket', { OSSBucket: undefined }, 'MissingParameter'],
  ['another role name that does not exist', { roleName: 'SomeOtherRole' }, 'NoSetRoletoECSServiceAcount'],
];

for (const [what, fields, code] of REFUSALS) {
  test(`rejects ExportImage of ${what} with ${code}, starting no task`, async (t) => {
    const kit = await readyKit();
    t.teardown(() => kit.stop());
    const error = await t.throwsAsync(kit.ecs.exportImage(exportRequest(fields)));
    t.is(codeOf(error), code);
    t.deepEqual(kit.emulator.inspect().tasks, []);
  });
}

test('rejects ExportImage to a bucket of another region: "does not exist in this region"', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('far-away', 'cn-shanghai');
  const error = await t.throwsAsync(kit.ecs.exportImage(exportRequest({ OSSBucket: 'far-away' })));
  t.is(codeOf(error), 'InvalidOSSBucket.NotFound');
  t.regex(String((error as { data?: { Message?: string } }).data?.Message), /does not exist in this region/);
});

test('rejects ExportImage without a usable role: missing, not trusting ECS, or without the policy', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('exports');
  t.is(codeOf(await t.throwsAsync(kit.ecs.exportImage(exportRequest()))), 'NoSetRoletoECSServiceAcount', 'missing role');
  const $Ram = await import('@alicloud/ram20150501');
  const untrusting = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['oss.aliyuncs.com'] } }] });
  await kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', assumeRolePolicyDocument: untrusting }));
  await kit.ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }));
  t.is(codeOf(await t.throwsAsync(kit.ecs.exportImage(exportRequest()))), 'NoSetRoletoECSServiceAcount', 'role not trusting ecs.aliyuncs.com');
  const trust = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }] });
  await kit.ram.updateRole(new $Ram.UpdateRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', newAssumeRolePolicyDocument: trust }));
  await kit.ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }));
  t.is(codeOf(await t.throwsAsync(kit.ecs.exportImage(exportRequest()))), 'NoSetRoletoECSServiceAcount', 'role without policy');
  const scoped = JSON.stringify({ Version: '1', Statement: [{ Action: ['oss:*'], Resource: ['acs:oss:*:*:other', 'acs:oss:*:*:other/*'], Effect: 'Allow' }] });
  await kit.ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'only-other', policyDocument: scoped }));
  await kit.ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', policyName: 'only-other', policyType: 'Custom' }));
  t.is(codeOf(await t.throwsAsync(kit.ecs.exportImage(exportRequest()))), 'NoSetRoletoECSServiceAcount', 'policy scoped to another bucket');
  const right = JSON.stringify({ Version: '1', Statement: [{ Action: ['oss:*'], Resource: ['acs:oss:*:*:exports', 'acs:oss:*:*:exports/*'], Effect: 'Allow' }] });
  await kit.ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'exports-only', policyDocument: right }));
  await kit.ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', policyName: 'exports-only', policyType: 'Custom' }));
  await t.notThrowsAsync(kit.ecs.exportImage(exportRequest()), 'a policy scoped to the bucket is enough');
});

test('rejects a second export of the same image with ImageIsExporting', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  await kit.ecs.exportImage(exportRequest());
  t.is(codeOf(await t.throwsAsync(kit.ecs.exportImage(exportRequest({ OSSPrefix: 'Other' })))), 'ImageIsExporting');
  t.is(kit.emulator.inspect().tasks.length, 1);
});

test('rejects ExportImage beyond the concurrency quota until a task ends', async (t) => {
  const kit = await readyKit({ quotas: { alicloudConcurrentExports: 1 } });
  t.teardown(() => kit.stop());
  await kit.ecs.exportImage(exportRequest());
  t.is(codeOf(await t.throwsAsync(kit.ecs.exportImage(exportRequest({ imageId: SECOND_GOLDEN_IMAGE })))), 'ConcurrentQuotaExceed.ExportImage');
  kit.clock.advance(2 * HOUR);
  await t.notThrowsAsync(kit.ecs.exportImage(exportRequest({ imageId: SECOND_GOLDEN_IMAGE })));
});

test('DryRun answers DryRunOperation and starts nothing', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  t.is(codeOf(await t.throwsAsync(kit.ecs.exportImage(exportRequest({ dryRun: true })))), 'DryRunOperation');
  t.deepEqual(kit.emulator.inspect().tasks, []);
});

test('CancelTask ends a running export Deleted and refuses a finished one', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const taskId = (await kit.ecs.exportImage(exportRequest())).body?.taskId;
  await kit.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: 'cn-hangzhou', taskId }));
  const attribute = (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'cn-hangzhou', taskId }))).body!;
  t.is(attribute.taskStatus, 'Deleted');
  t.is(codeOf(await t.throwsAsync(kit.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: 'cn-hangzhou', taskId })))), 'InvalidTaskId.IncorrectTaskStatus');
  t.is(codeOf(await t.throwsAsync(kit.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: 'cn-hangzhou', taskId: 't-nope' })))), 'InvalidTaskId.NotFound');
  kit.clock.advance(2 * HOUR);
  await t.throwsAsync(kit.oss().send(new HeadObjectCommand({ Bucket: 'exports', Key: `EcsExport_${GOLDEN_IMAGE['cn-hangzhou']}_system.raw.tar.gz` })), undefined, 'a cancelled export writes nothing');
});

test('an injected fail-task fault ends the export Failed with an ErrorCode', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['alicloud'], services: ['ecs'], seed: 1 });
  const taskId = (await kit.ecs.exportImage(exportRequest())).body?.taskId;
  kit.emulator.faults.clear();
  kit.clock.advance(2 * HOUR);
  const attribute = (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'cn-hangzhou', taskId }))).body!;
  t.is(attribute.taskStatus, 'Failed');
  t.like(attribute.operationProgressSet?.operationProgress?.[0], { operationStatus: 'Failed', errorCode: 'ExportImageFailed' });
});
