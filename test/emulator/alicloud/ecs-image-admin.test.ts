import test from 'ava';
import * as $Ecs from '@alicloud/ecs20140526';
import { buildDiskImage } from '../../../emulator/disk/build-disk-image';
import { layoutToBuffer } from './disk-bytes';
import { codeOf, GOLDEN_IMAGE, REFUSED_IMAGE, startAlicloudKit, type AlicloudKit } from './alicloud-test-kit';

const HOUR = 60 * 60 * 1000;
const ALL_STATUSES = 'Creating,Waiting,Available,UnAvailable,CreateFailed';
const REGION = 'cn-hangzhou';

async function readyKit(): Promise<AlicloudKit> {
  const kit = await startAlicloudKit();
  await kit.createBucket('sources');
  await kit.putObject('sources', 'system.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: 4 * 1024 * 1024 })));
  await kit.createServiceRole('AliyunECSImageImportDefaultRole', 'AliyunECSImageImportRolePolicy');
  return kit;
}

async function importImage(kit: AlicloudKit, tags: Record<string, string> = {}): Promise<{ imageId: string; taskId: string }> {
  const body = (
    await kit.ecs.importImage(
      new $Ecs.ImportImageRequest({
        regionId: REGION,
        imageName: `imported-${Math.random().toString(36).slice(2, 8)}`,
        diskDeviceMapping: [new $Ecs.ImportImageRequestDiskDeviceMapping({ OSSBucket: 'sources', OSSObject: 'system.qcow2', format: 'QCOW2', diskImageSize: 40 })],
        tag: Object.entries(tags).map(([key, value]) => new $Ecs.ImportImageRequestTag({ key, value })),
      }),
    )
  ).body!;
  return { imageId: body.imageId!, taskId: body.taskId! };
}

async function imageOf(kit: AlicloudKit, imageId: string) {
  return (await kit.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: REGION, imageId, status: ALL_STATUSES }))).body!.images?.image?.[0];
}

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; statusCode?: number; data?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; statusCode?: number; data?: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

test('DeleteImage refuses an image while it is imported, then deletes it; a missing image is ignored', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const { imageId } = await importImage(kit);
  const importing = await errorOf(kit.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId })));
  t.is(codeOf(importing), 'ImageIsImporting');
  t.is(importing.statusCode, 403);
  kit.clock.advance(HOUR);
  t.is((await imageOf(kit, imageId))?.status, 'Available');
  const dry = await errorOf(kit.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId, dryRun: true })));
  t.is(codeOf(dry), 'DryRunOperation');
  t.truthy(await imageOf(kit, imageId), 'a dry run deletes nothing');
  await kit.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId }));
  t.is(await imageOf(kit, imageId), undefined);
  t.false(kit.emulator.inspect().images.some((image) => image.id === imageId));
  // Documented: "If the specified custom image does not exist, the request is ignored."
  await t.notThrowsAsync(kit.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId })));
});

test('DeleteImage refuses an image still Creating after its task, one being exported, and a public image', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const { imageId, taskId } = await importImage(kit);
  kit.clock.advance(HOUR);
  const task = (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: REGION, taskId }))).body!;
  t.is(task.taskStatus, 'Finished');
  t.is((await imageOf(kit, imageId))?.status, 'Available');

  const fresh = await importImage(kit);
  // Advance to just after the task finishes: the image still shows Creating for two emulated minutes.
  for (let step = 0; step < 60 && (await kit.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: REGION, taskId: fresh.taskId }))).body!.taskStatus !== 'Finished'; step++) {
    kit.clock.advance(30_000);
  }
  t.is((await imageOf(kit, fresh.imageId))?.status, 'Creating');
  t.is(codeOf(await errorOf(kit.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: fresh.imageId })))), 'ImageIsCreating');

  await kit.createBucket('exports');
  await kit.createServiceRole('AliyunECSImageExportDefaultRole', 'AliyunECSImageExportRolePolicy');
  await kit.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: REGION, imageId: GOLDEN_IMAGE[REGION], OSSBucket: 'exports' }));
  t.is(codeOf(await errorOf(kit.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: GOLDEN_IMAGE[REGION] })))), 'ImageIsExporting');
  const publicImage = await errorOf(kit.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: REFUSED_IMAGE.publicImage })));
  t.is(codeOf(publicImage), 'InvalidImageId.NotFound');
  t.truthy(kit.emulator.inspect().images.find((image) => image.id === REFUSED_IMAGE.publicImage));
});

test('TagResources / UntagResources / ListTagResources on an imported image; DescribeImages shows the tags', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const { imageId } = await importImage(kit, { team: 'a' });
  kit.clock.advance(HOUR);
  await kit.ecs.tagResources(
    new $Ecs.TagResourcesRequest({
      regionId: REGION,
      resourceType: 'image',
      resourceId: [imageId],
      tag: [new $Ecs.TagResourcesRequestTag({ key: 'team', value: 'b' }), new $Ecs.TagResourcesRequestTag({ key: 'owner', value: 'ops' })],
    }),
  );
  const tags = async () => Object.fromEntries(((await imageOf(kit, imageId))?.tags?.tag ?? []).map((tag) => [tag.tagKey, tag.tagValue]));
  t.deepEqual(await tags(), { team: 'b', owner: 'ops' });
  const listed = (await kit.ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: 'image', resourceId: [imageId] }))).body!;
  t.deepEqual(
    listed.tagResources?.tagResource?.map((row) => [row.resourceType, row.resourceId, row.tagKey, row.tagValue]),
    [
      ['image', imageId, 'team', 'b'],
      ['image', imageId, 'owner', 'ops'],
    ],
  );
  const byTag = (await kit.ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: 'image', tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'owner', value: 'ops' })] }))).body!;
  t.deepEqual([...new Set(byTag.tagResources?.tagResource?.map((row) => row.resourceId))], [imageId]);
  await kit.ecs.untagResources(new $Ecs.UntagResourcesRequest({ regionId: REGION, resourceType: 'image', resourceId: [imageId], tagKey: ['team'] }));
  t.deepEqual(await tags(), { owner: 'ops' });
  await kit.ecs.untagResources(new $Ecs.UntagResourcesRequest({ regionId: REGION, resourceType: 'image', resourceId: [imageId], all: true }));
  t.deepEqual(await tags(), {});
});

test('rejects TagResources on an unknown or foreign image, another resource type, reserved keys and too many tags', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  const { imageId } = await importImage(kit);
  const tag = (key: string, value = 'v') => new $Ecs.TagResourcesRequestTag({ key, value });
  const call = (fields: Record<string, unknown>) => errorOf(kit.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: REGION, resourceType: 'image', resourceId: [imageId], tag: [tag('k')], ...fields })));
  t.is(codeOf(await call({ resourceId: [imageId, 'm-doesnotexist0000001'] })), 'InvalidResourceId.NotFound');
  t.is(codeOf(await call({ resourceId: [REFUSED_IMAGE.publicImage] })), 'InvalidResourceId.NotFound');
  t.is(codeOf(await call({ resourceType: 'instance' })), 'InvalidResourceType.NotFound');
  t.is(codeOf(await call({ tag: [tag('acs:team')] })), 'InvalidTagKey.Malformed');
  t.is(codeOf(await call({ tag: Array.from({ length: 21 }, (_, index) => tag(`k${index}`)) })), 'InvalidParameter.TagCount');
  const image = await imageOf(kit, imageId);
  t.deepEqual(image?.tags?.tag ?? [], [], 'nothing was tagged, not even the existing image of the first call');
});
