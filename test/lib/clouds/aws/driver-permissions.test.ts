import anyTest, { type TestFn } from 'ava';
import { createAwsDriver } from '../../../../lib/clouds/aws';
import { type AwsExportSpec } from '../../../../lib/model/export-spec';
import { type AwsImportSpec } from '../../../../lib/model/import-spec';
import { startAwsEmulator, type AwsEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AwsEmulatorFixture>;

const BUCKET = 'permission-checks';

test.before(async (t) => {
  t.context = await startAwsEmulator();
  const driver = t.context.driver();
  await driver.ensureRole({ cloud: 'aws', purpose: 'both', exportBuckets: [BUCKET], importBuckets: [BUCKET] });
  await driver.ensureBucket({ cloud: 'aws', region: t.context.region, name: BUCKET });
});

test.after.always(async (t) => {
  await t.context?.stop();
});

function specs(region: string): { exportSpec: AwsExportSpec; importSpec: AwsImportSpec } {
  return {
    exportSpec: { cloud: 'aws', region, imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: BUCKET },
    importSpec: { cloud: 'aws', region, disks: [{ bucket: BUCKET, key: 'disk.vmdk', format: 'VMDK' }] },
  };
}

test('the restricted key is denied by DryRun (UnauthorizedOperation) for both calls; the full key is allowed', async (t) => {
  const { exportSpec, importSpec } = specs(t.context.region);
  const restricted = createAwsDriver({ ...t.context.connection(), credentials: t.context.emulator.restrictedCredentials.aws });
  const exportCheck = await restricted.checkExportPermissions(exportSpec);
  t.like(exportCheck, { allowed: false, verdict: 'denied', method: 'DryRun (ExportImage)' });
  t.regex(exportCheck.detail, /^UnauthorizedOperation: You are not authorized to perform this operation\..*ec2:ExportImage/);
  const importCheck = await restricted.checkImportPermissions(importSpec);
  t.like(importCheck, { allowed: false, verdict: 'denied', method: 'DryRun (ImportImage)' });
  t.regex(importCheck.detail, /ec2:ImportImage/);
  t.notRegex(exportCheck.detail + importCheck.detail, new RegExp(t.context.emulator.restrictedCredentials.aws.secretAccessKey), 'no secret in the detail');

  const full = t.context.driver();
  t.like(await full.checkExportPermissions(exportSpec), { allowed: true, verdict: 'allowed' });
  t.like(await full.checkImportPermissions(importSpec), { allowed: true, verdict: 'allowed' });
  t.is(t.context.emulator.inspect().tasks.length, 0, 'no check started a task');
});

test('the restricted key can still preflight (reads only) but cannot start, retag or delete', async (t) => {
  const { exportSpec } = specs(t.context.region);
  const restricted = createAwsDriver({ ...t.context.connection(), credentials: t.context.emulator.restrictedCredentials.aws });
  t.deepEqual((await restricted.preflightExport(exportSpec)).problems, []);
  const start = await t.throwsAsync(restricted.startExport(exportSpec, 'ip-restricted-start'));
  t.like(start, { code: 'UnauthorizedOperation', kind: 'denied' });
  const ref = await t.context.driver().startExport(exportSpec, 'ip-restricted-owner');
  await t.throwsAsync(restricted.updateTags(ref, { team: 'x' }), { message: /UnauthorizedOperation/ });
  await t.throwsAsync(restricted.deleteImage('ami-0600d000000000001'), { message: /UnauthorizedOperation/ });
  t.true(t.context.emulator.inspect().images.some((image) => image.id === 'ami-0600d000000000001'));
  t.is(await t.context.driver().cancel(ref), 'cancelled');
});
