import anyTest, { type TestFn } from 'ava';
import { buildDiskImage } from '../../../../emulator/disk/build-disk-image';
import { createAlicloudDriver } from '../../../../lib/clouds/alicloud';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AlicloudExportSpec } from '../../../../lib/model/export-spec';
import { type AlicloudImportSpec } from '../../../../lib/model/import-spec';
import { deterministicToken } from '../../../../lib/model/token';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { layoutToBuffer } from '../../../emulator/alicloud/disk-bytes';
import { IMAGES, startAlicloudEmulator, type AlicloudEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AlicloudEmulatorFixture>;
const SOURCES = 'lifecycle-sources';
const EXPORTS = 'lifecycle-exports';

test.before(async (t) => {
  t.context = await startAlicloudEmulator();
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'import', policyMode: 'scoped', importBuckets: [SOURCES] });
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export', policyMode: 'scoped', exportBuckets: [EXPORTS] });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: SOURCES });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: EXPORTS });
  await driver.storage().put(SOURCES, 'system.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: 4 * 1024 * 1024 })));
});

test.after.always(async (t) => {
  await t.context?.stop();
});

function importSpec(name: string, tags: Record<string, string>): AlicloudImportSpec {
  return { cloud: 'alicloud', region: 'cn-hangzhou', disks: [{ bucket: SOURCES, key: 'system.qcow2', format: 'qcow2', sizeGiB: 20 }], imageName: name, platform: 'Ubuntu', tags };
}

function exportSpec(): AlicloudExportSpec {
  return { cloud: 'alicloud', region: 'cn-hangzhou', imageId: IMAGES.golden, bucket: EXPORTS };
}

function tagsOf(t: { context: AlicloudEmulatorFixture }, imageId: string): Promise<Record<string, string>> {
  return t.context
    .sdkApi()
    .describeImages({ regionId: 'cn-hangzhou', imageId, status: 'Creating,Waiting,Available' })
    .then((images) => Object.fromEntries((images[0]?.tags?.tag ?? []).map((tag) => [tag.tagKey ?? '', tag.tagValue ?? ''])));
}

test.serial('updateTags sets an import\'s image tags to exactly the new set; exports are not-supported', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startImport(importSpec('tagged', { team: 'a', stage: 'dev' }), deterministicToken(['ali-lifecycle', 'tags']));
  await t.context.wait(driver, ref);
  t.deepEqual(await tagsOf(t, ref.imageId!), { team: 'a', stage: 'dev' });
  t.is(await driver.updateTags(ref, { team: 'b', owner: 'ops' }), 'updated');
  t.deepEqual(await tagsOf(t, ref.imageId!), { team: 'b', owner: 'ops' });
  t.is(await driver.updateTags({ ...ref, imageId: undefined }, {}), 'updated', 'the image is found from the task when the ref lacks it');
  t.deepEqual(await tagsOf(t, ref.imageId!), {});

  const exportRef = await driver.startExport(exportSpec(), deterministicToken(['ali-lifecycle', 'export']));
  t.is(await driver.updateTags(exportRef, { team: 'b' }), 'not-supported');
  t.is(await driver.cancel(exportRef), 'cancelled');
});

test.serial('updateTags rejects tags that break the ECS tag rules, naming each, before any call', async (t) => {
  const driver = t.context.driver();
  const ref = { cloud: 'alicloud' as const, region: 'cn-hangzhou', kind: 'import' as const, taskId: 't-unknown', imageId: 'm-unknown0000000001' };
  const error = await t.throwsAsync(driver.updateTags(ref, { 'acs:team': 'x', url: 'https://example.com', long: 'v'.repeat(129) }), { instanceOf: SpecValidationError });
  t.deepEqual(
    error!.issues.map((issue) => [issue.field, issue.code]),
    [
      ['tags.acs:team', 'tags.key-reserved'],
      ['tags.url', 'tags.value-url'],
      ['tags.long', 'tags.value-length'],
    ],
  );
  const missing = await t.throwsAsync(driver.updateTags(ref, { team: 'x' }), { instanceOf: CloudError });
  t.is(missing!.kind, 'not-found');
});

test.serial('deleteImage deletes an imported image once Available; refuses it while Creating; missing is not-found', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startImport(importSpec('deleted', {}), deterministicToken(['ali-lifecycle', 'delete']));
  const creating = await t.throwsAsync(driver.deleteImage(ref.imageId!), { instanceOf: CloudError });
  t.is(creating!.code, 'ImageNotReady');
  t.regex(creating!.message, /is still (Waiting|Creating): ECS cannot delete an image whose import has not finished/);
  await t.context.wait(driver, ref);
  t.is(await driver.deleteImage(ref.imageId!), 'deleted');
  t.false(t.context.emulator.inspect().images.some((image) => image.id === ref.imageId));
  t.is(await driver.deleteImage(ref.imageId!), 'not-found');
});

test.serial('deleteImage refuses a public image without calling DeleteImage, and a malformed id', async (t) => {
  const driver = t.context.driver();
  const error = await t.throwsAsync(driver.deleteImage('m-refuse0publicimage'), { instanceOf: CloudError });
  t.is(error!.code, 'ImageNotOwned');
  t.regex(error!.message, /is a system image, not a custom image of this account/);
  t.true(t.context.emulator.inspect().images.some((image) => image.id === 'm-refuse0publicimage'));
  const malformed = await t.throwsAsync(driver.deleteImage('img-1'), { instanceOf: SpecValidationError });
  t.is(malformed!.issues[0].field, 'imageId');
});

test.serial('permission checks: the restricted key is denied (Forbidden.RAM), the full key allowed; neither starts a task', async (t) => {
  const before = t.context.emulator.inspect().tasks.length;
  const restricted = createAlicloudDriver({ ...t.context.connection(), credentials: t.context.emulator.restrictedCredentials.alicloud }, { env: {}, sleep: async () => undefined });
  const exportCheck = await restricted.checkExportPermissions(exportSpec());
  t.like(exportCheck, { allowed: false, verdict: 'denied', method: 'DryRun (ExportImage)' });
  t.regex(exportCheck.detail, /^Forbidden\.RAM: User not authorized to operate on the specified resource.*\[AuthAction ecs:ExportImage\]$/);
  const importCheck = await restricted.checkImportPermissions(importSpec('checked', {}));
  t.like(importCheck, { allowed: false, verdict: 'denied', method: 'DryRun (ImportImage)' });
  t.regex(importCheck.detail, /AuthAction ecs:ImportImage/);
  t.like(await t.context.driver().checkExportPermissions(exportSpec()), { allowed: true, verdict: 'allowed', detail: 'DryRunOperation' });
  t.like(await t.context.driver().checkImportPermissions(importSpec('checked', {})), { allowed: true, verdict: 'allowed', detail: 'DRYRUN.SUCCESS' });
  t.is(t.context.emulator.inspect().tasks.length, before);
  // The restricted key still preflights (reads only).
  t.deepEqual((await restricted.preflightExport(exportSpec())).problems, []);
});

test.serial('a DryRun stopped by another check than permissions is unknown, not allowed and not denied', async (t) => {
  const check = await t.context.driver().checkExportPermissions({ ...exportSpec(), imageId: 'm-doesnotexist000001' });
  t.like(check, { allowed: false, verdict: 'unknown', method: 'DryRun (ExportImage)' });
  t.regex(check.detail, /^InvalidImageId\.NotFound: .*nothing was confirmed\)$/);
  const noBucket = await t.context.driver().checkExportPermissions({ ...exportSpec(), bucket: 'not-created-yet' });
  t.like(noBucket, { verdict: 'unknown' });
  t.regex(noBucket.detail, /^InvalidOSSBucket\.NotFound/);
});
