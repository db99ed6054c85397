import test from 'ava';
import { createJdcloudDriver } from '../../../../lib/clouds/jdcloud/driver';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type JdcloudExportSpec } from '../../../../lib/model/export-spec';
import { type JdcloudImportSpec } from '../../../../lib/model/import-spec';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { VirtualClock } from '../../../../lib/wait/clock';
import { waitForTask } from '../../../../lib/wait/waiter';
import { JD_IMAGES, startJdKit, type JdKit } from '../../../emulator/jdcloud/jd-test-kit';

async function withKit(run: (kit: JdKit, clock: VirtualClock) => Promise<void>): Promise<void> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const kit = await startJdKit({ clock });
  try {
    await run(kit, clock);
  } finally {
    await kit.stop();
  }
}

/** A QCOW2 v3 header of 8 MiB virtual size: enough for the emulator's import check. */
function qcow2Header(): Buffer {
  const header = Buffer.alloc(1024);
  header.write('QFI\xfb', 0, 'binary');
  header.writeUInt32BE(3, 4);
  header.writeUInt32BE(16, 20);
  header.writeBigUInt64BE(BigInt(8 * 1024 * 1024), 24);
  return header;
}

function importSpec(): JdcloudImportSpec {
  return { cloud: 'jdcloud', region: 'cn-east-2', disks: [{ bucket: 'uploads', key: 'disk.qcow2', format: 'qcow2' }], imageName: 'lifecycle-image' };
}

function exportSpec(): JdcloudExportSpec {
  return { cloud: 'jdcloud', region: 'cn-east-2', imageId: JD_IMAGES.golden, bucket: 'exports', roleName: 'image-export' };
}

function restrictedDriver(kit: JdKit, secret?: string) {
  const endpoints = kit.emulator.endpoints.jdcloud;
  const credentials = kit.emulator.restrictedCredentials.jdcloud;
  return createJdcloudDriver(
    { region: 'cn-east-2', endpoints: { vm: endpoints.vm, iam: endpoints.iam, oss: endpoints.oss }, credentials: { ...credentials, ...(secret ? { secretAccessKey: secret } : {}) } },
    { maxAttempts: 1 },
  );
}

test('deleteImage refuses an image its import still creates, deletes it once ready, then reports not-found', async (t) => {
  await withKit(async (kit, clock) => {
    await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'uploads' });
    await kit.driver.storage().put('uploads', 'disk.qcow2', qcow2Header());
    const ref = await kit.driver.startImport(importSpec(), 'ip-lifecycle-import');
    const busy = await t.throwsAsync(kit.driver.deleteImage(ref.imageId!), { instanceOf: CloudError });
    t.is(busy!.code, 'FAILED_PRECONDITION');
    t.regex(busy!.message, /task in progress/);
    const done = await waitForTask(() => kit.driver.describe(ref), { clock, minIntervalMs: 5_000, maxIntervalMs: 60_000, timeoutMs: 6 * 3600_000 });
    t.is(done.state, 'succeeded');
    t.is(await kit.driver.deleteImage(ref.imageId!), 'deleted');
    t.false(kit.emulator.inspect().images.some((image) => image.id === ref.imageId));
    t.is(await kit.driver.deleteImage(ref.imageId!), 'not-found');
  });
});

test('deleteImage refuses a public or shared image without a delete call, and a malformed id without any call', async (t) => {
  await withKit(async (kit) => {
    for (const imageId of [JD_IMAGES.publicImage, JD_IMAGES.shared]) {
      const error = await t.throwsAsync(kit.driver.deleteImage(imageId), { instanceOf: CloudError });
      t.is(error!.code, 'ImageNotOwned');
      t.regex(error!.message, /is a (public|shared) image, not a private image of this account/);
      t.true(kit.emulator.inspect().images.some((image) => image.id === imageId));
    }
    const malformed = await t.throwsAsync(kit.driver.deleteImage('ami-0123456789abcdef0'), { instanceOf: SpecValidationError });
    t.is(malformed!.issues[0].field, 'imageId');
  });
});

test('updateTags is not-supported (JD images and tasks take no tags), after checking its input', async (t) => {
  await withKit(async (kit) => {
    const ref = { cloud: 'jdcloud' as const, region: 'cn-east-2', kind: 'export' as const, taskId: '700001' };
    t.is(await kit.driver.updateTags(ref, { team: 'a' }), 'not-supported');
    await t.throwsAsync(kit.driver.updateTags({ ...ref, cloud: 'aws' }, {}), { instanceOf: SpecValidationError, message: /cloud: "aws" must be "jdcloud"/ });
  });
});

test('permission checks: the restricted key gets unknown (no dry run), its start is denied; a wrong secret is denied', async (t) => {
  await withKit(async (kit) => {
    await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'exports' });
    await kit.exportRole(['exports']);
    const reader = restrictedDriver(kit);
    const exportCheck = await reader.checkExportPermissions(exportSpec());
    t.like(exportCheck, { allowed: false, verdict: 'unknown', method: 'describe calls' });
    const importCheck = await reader.checkImportPermissions(importSpec());
    t.like(importCheck, { allowed: false, verdict: 'unknown' });
    const start = await t.throwsAsync(reader.startExport(exportSpec(), 'ip-reader'), { instanceOf: CloudError });
    t.like(start, { code: 'HTTP_FORBIDDEN', kind: 'denied' });
    await t.throwsAsync(reader.deleteImage(JD_IMAGES.golden), { instanceOf: CloudError, message: /HTTP_FORBIDDEN/ });
    t.deepEqual(kit.emulator.inspect().tasks.filter((task) => task.cloud === 'jdcloud'), []);

    const wrongSecret = restrictedDriver(kit, 'not-the-secret');
    const denied = await wrongSecret.checkExportPermissions(exportSpec());
    t.like(denied, { allowed: false, verdict: 'denied' });
    t.notRegex(denied.detail, /not-the-secret/);
    t.like(await wrongSecret.checkImportPermissions(importSpec()), { allowed: false, verdict: 'denied' });
  });
});
