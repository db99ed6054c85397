import test from 'ava';
import * as $Ecs from '@alicloud/ecs20140526';
import { buildDiskImage } from '../../../emulator/disk/build-disk-image';
import { layoutToBuffer } from './disk-bytes';
import { codeOf, startAlicloudKit, type AlicloudKit } from './alicloud-test-kit';

const HOUR = 60 * 60 * 1000;
const ALL_STATUSES = 'Creating,Waiting,Available,UnAvailable,CreateFailed';

async function readyKit(): Promise<AlicloudKit> {
  const kit = await startAlicloudKit();
  await kit.createBucket('sources');
  await kit.putObject('sources', 'disks/system.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: 4 * 1024 * 1024 })));
  await kit.putObject('sources', 'disks/data.vhd', layoutToBuffer(buildDiskImage('vhd', { virtualSizeBytes: 2 * 1024 * 1024 })));
  await kit.putObject('sources', 'empty.raw', Buffer.alloc(0));
  await kit.createServiceRole('AliyunECSImageImportDefaultRole', 'AliyunECSImageImportRolePolicy');
  return kit;
}

function importRequest(fields: Record<string, unknown> = {}, disks?: Record<string, unknown>[]): $Ecs.ImportImageRequest {
  return new $Ecs.ImportImageRequest({
    regionId: 'cn-hangzhou',
    imageName: 'imported-golden',
    OSType: 'linux',
    platform: 'Ubuntu',
    architecture: 'x86_64',
    diskDeviceMapping: (disks ?? [{ OSSBucket: 'sources', OSSObject: 'disks/system.qcow2', format: 'QCOW2', diskImageSize: 40 }]).map(
      (disk) => new $Ecs.ImportImageRequestDiskDeviceMapping(disk),
    ),
    ...fields,
  });
}

async function describeImage(kit: AlicloudKit, imageId: string, status?: string) {
  return (await kit.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', imageId, ...(status ? { status } : {}) }))).body!;
}

test('ImportImage creates an image Waiting, then Creating, then Available a little after its task finishes', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const started = (
    await kit.ecs.importImage(
      importRequest({ tag: [new $Ecs.ImportImageRequestTag({ key: 'team', value: 'infra' })] }, [
        { OSSBucket: 'sources', OSSObject: 'disks/system.qcow2', format: 'QCOW2', diskImageSize: 40 },
        { OSSBucket: 'sources', OSSObject: 'disks/data.vhd', diskImageSize: 10 },
      ]),
    )
  ).body!;
  t.regex(started.imageId ?? '', /^m-[a-z0-9]{20}$/);
  t.regex(started.taskId ?? '', /^t-/);
  const imageId = started.imageId as string;
  t.is((await describeImage(kit, imageId)).totalCount, 0, 'the default Status filter (Available) hides it');
  t.is((await describeImage(kit, imageId, ALL_STATUSES)).images?.image?.[0]?.status, 'Waiting');
  kit.clock.advance(10 * 60 * 1000);
  t.is((await describeImage(kit, imageId, ALL_STATUSES)).images?.image?.[0]?.status, 'Creating');
  kit.clock.advance(11 * 60 * 1000); // 40 + 10 GiB: the task takes 20 emulated minutes; the image turns Available 2 minutes later
  const task = (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'cn-hangzhou', taskId: started.taskId }))).body!;
  t.is(task.taskStatus, 'Finished');
  t.is(task.taskAction, 'ImportImage');
  t.is((await describeImage(kit, imageId, ALL_STATUSES)).images?.image?.[0]?.status, 'Creating', 'still Creating right after the task');
  kit.clock.advance(HOUR);
  const image = (await describeImage(kit, imageId)).images?.image?.[0];
  t.like(image, { imageId, imageName: 'imported-golden', status: 'Available', OSType: 'linux', platform: 'Ubuntu', imageOwnerAlias: 'self' });
  t.deepEqual(image?.diskDeviceMappings?.diskDeviceMapping?.map((d) => [d.type, d.size, d.format, d.importOSSObject]), [
    ['system', '40', 'QCOW2', 'disks/system.qcow2'],
    ['data', '10', 'VHD', 'disks/data.vhd'],
  ]);
  t.deepEqual(image?.tags?.tag?.map((tag) => [tag.tagKey, tag.tagValue]), [['team', 'infra']]);
  const tasks = (await kit.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou', taskAction: 'ImportImage' }))).body!;
  t.is(tasks.taskSet?.task?.[0]?.resourceId, imageId);
});

test('the same ClientToken gives the same task and image; a different request with it is refused', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const first = (await kit.ecs.importImage(importRequest({ clientToken: 'ip-token-1' }))).body!;
  const second = (await kit.ecs.importImage(importRequest({ clientToken: 'ip-token-1' }))).body!;
  t.is(second.taskId, first.taskId);
  t.is(second.imageId, first.imageId);
  t.is(kit.emulator.inspect().tasks.length, 1);
  t.is(codeOf(await t.throwsAsync(kit.ecs.importImage(importRequest({ clientToken: 'ip-token-1', imageName: 'other-name' })))), 'IdempotentParameterMismatch');
});

const REFUSALS: [string, Record<string, unknown>, Record<string, unknown>[] | undefined, string][] = [
  ['a missing object', {}, [{ OSSBucket: 'sources', OSSObject: 'nope.raw' }], 'InvalidOSSObject.NotFound'],
  ['an empty object', {}, [{ OSSBucket: 'sources', OSSObject: 'empty.raw' }], 'InvalidOSSObject.Size'],
  ['a missing bucket', {}, [{ OSSBucket: 'nobucket', OSSObject: 'a.raw' }], 'InvalidOSSBucket.NotFound'],
  ['a declared format that is not the file format', {}, [{ OSSBucket: 'sources', OSSObject: 'disks/system.qcow2', format: 'VHD' }], 'InvalidImageFormat.Malformed'],
  ['an unknown format', {}, [{ OSSBucket: 'sources', OSSObject: 'disks/system.qcow2', format: 'VDI' }], 'InvalidImageFormat.Malformed'],
  ['a size over 2048 GiB', {}, [{ OSSBucket: 'sources', OSSObject: 'disks/system.qcow2', diskImageSize: 4096 }], 'InvalidImageSize'],
  ['no disk', {}, [], 'MissingParameter'],
  ['a bad image name', { imageName: 'aliyun-x' }, undefined, 'InvalidImageName.Malformed'],
  ['a bad platform', { platform: 'Arch' }, undefined, 'InvalidPlatform.Malformed'],
  ['a bad OSType', { OSType: 'macos' }, undefined, 'InvalidOSType.Malformed'],
  ['a bad architecture', { architecture: 'riscv64' }, undefined, 'InvalidArchitecture.Malformed'],
  ['arm64 with BIOS', { architecture: 'arm64', bootMode: 'BIOS' }, undefined, 'InvalidBootMode.NotSupport'],
  ['a bad license type', { licenseType: 'AWS' }, undefined, 'InvalidLicenseType.NotSupported'],
  ['a bad detection strategy', { detectionStrategy: 'Deep' }, undefined, 'InvalidParameter.DetectionStrategy'],
  ['a client token over 64 characters', { clientToken: 'x'.repeat(65) }, undefined, 'InvalidClientToken.Malformed'],
  ['a role that does not exist', { roleName: 'NotThere' }, undefined, 'NoSetRoletoECSServiceAcount'],
  ['DryRun', { dryRun: true }, undefined, 'DRYRUN.SUCCESS'],
];

for (const [what, fields, disks, code] of REFUSALS) {
  test(`rejects ImportImage with ${what}: ${code}, creating nothing`, async (t) => {
    const kit = await readyKit();
    t.teardown(() => kit.stop());
    t.is(codeOf(await t.throwsAsync(kit.ecs.importImage(importRequest(fields, disks)))), code);
    t.deepEqual(kit.emulator.inspect().tasks, []);
    t.false(kit.emulator.inspect().images.some((image) => image.source === 'import'));
  });
}

test('rejects a duplicate image name with InvalidImageName.Duplicated', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  await kit.ecs.importImage(importRequest());
  t.is(codeOf(await t.throwsAsync(kit.ecs.importImage(importRequest()))), 'InvalidImageName.Duplicated');
});

test('a cancelled import ends Deleted and its image goes away', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const started = (await kit.ecs.importImage(importRequest())).body!;
  kit.clock.advance(10 * 60 * 1000);
  await kit.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: 'cn-hangzhou', taskId: started.taskId }));
  const task = (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'cn-hangzhou', taskId: started.taskId }))).body!;
  t.is(task.taskStatus, 'Deleted');
  t.is((await describeImage(kit, started.imageId as string, ALL_STATUSES)).totalCount, 0);
});
