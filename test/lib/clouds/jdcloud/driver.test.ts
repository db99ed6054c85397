import test from 'ava';
import { drainAndRemove } from '../../../../lib/clouds/jdcloud/drain-and-remove';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type JdcloudExportSpec } from '../../../../lib/model/export-spec';
import { type JdcloudImportSpec } from '../../../../lib/model/import-spec';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { VirtualClock } from '../../../../lib/wait/clock';
import { waitForTask, type WaitOptions } from '../../../../lib/wait/waiter';
import { JD_IMAGES, startJdKit, type JdKit } from '../../../emulator/jdcloud/jd-test-kit';

// The JD driver against the emulator, waiting with the shared waiter on a virtual clock (no wall-clock luck).

async function withKit(run: (kit: JdKit, wait: WaitOptions, clock: VirtualClock) => Promise<void>): Promise<void> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const kit = await startJdKit({ clock });
  try {
    await run(kit, { clock, minIntervalMs: 5_000, maxIntervalMs: 60_000, timeoutMs: 6 * 3600_000 }, clock);
  } finally {
    await kit.stop();
  }
}

function exportSpec(overrides: Partial<JdcloudExportSpec> = {}): JdcloudExportSpec {
  return { cloud: 'jdcloud', region: 'cn-east-2', imageId: JD_IMAGES.golden, bucket: 'exports', prefix: 'jd', roleName: 'image-export', ...overrides };
}

async function ready(kit: JdKit, buckets: readonly string[] = ['exports']): Promise<void> {
  for (const name of buckets) await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name });
  await kit.driver.ensureRole({ cloud: 'jdcloud', purpose: 'export', roleName: 'image-export', exportBuckets: buckets });
}

function jdTasks(kit: JdKit) {
  return kit.emulator.inspect().tasks.filter((task) => task.cloud === 'jdcloud');
}

test('exports to completion: preflight clean, waitForTask succeeds, the artifact is the QCOW2 the task names', async (t) => {
  await withKit(async (kit, wait) => {
    await ready(kit);
    const spec = exportSpec();
    t.deepEqual(kit.driver.validateExport(spec), []);
    t.deepEqual(await kit.driver.preflightExport(spec), { problems: [] });
    const ref = await kit.driver.startExport(spec, 'ip-token-1');
    t.like(ref, { cloud: 'jdcloud', kind: 'export', bucket: 'exports', prefix: 'jd', format: 'qcow2', clientToken: 'ip-token-1' });
    const events: string[] = [];
    const done = await waitForTask(() => kit.driver.describe(ref), { ...wait, onEvent: (e) => e.type === 'snapshot' && events.push(e.snapshot.rawStatus) });
    t.is(done.state, 'succeeded');
    t.true(events.includes('running'));
    t.is(done.artifacts.length, 1);
    const [artifact] = done.artifacts;
    t.is(artifact.key, `jd_exportImage_${JD_IMAGES.golden}_${ref.taskId}.qcow2`);
    t.is(artifact.format, 'qcow2');
    t.is(artifact.uri, `oss://exports/${artifact.key}`);
    const head = await kit.driver.storage().head('exports', artifact.key);
    t.is(artifact.sizeBytes, head?.sizeBytes);
    t.is((await kit.driver.storage().readRange('exports', artifact.key, 0, 3)).toString('binary'), 'QFI\xfb');
  });
});

test('imports to completion: the task finishes, then the image turns ready, and only then does it succeed', async (t) => {
  await withKit(async (kit, wait) => {
    await ready(kit, ['imports']);
    const header = Buffer.alloc(1024);
    header.write('QFI\xfb', 0, 'binary');
    header.writeUInt32BE(3, 4);
    header.writeBigUInt64BE(BigInt(16 * 1024 * 1024), 24);
    await kit.driver.storage().put('imports', 'disks/web.qcow2', header);
    const spec: JdcloudImportSpec = {
      cloud: 'jdcloud',
      region: 'cn-east-2',
      disks: [{ bucket: 'imports', key: 'disks/web.qcow2', format: 'qcow2' }],
      imageName: 'web-from-import',
      platform: 'Ubuntu',
      systemDiskSizeGiB: 50,
      osVersion: '22.04',
    };
    t.deepEqual(await kit.driver.preflightImport(spec), { problems: [] });
    const ref = await kit.driver.startImport(spec, 'ip-import-1');
    t.regex(ref.imageId ?? '', /^img-/);
    const raw: string[] = [];
    const done = await waitForTask(() => kit.driver.describe(ref), { ...wait, onEvent: (e) => e.type === 'snapshot' && raw.push(e.snapshot.rawStatus) });
    t.is(done.state, 'succeeded');
    t.is(done.imageId, ref.imageId);
    t.true(raw.includes('finished/image pending'), raw.join(','));
    t.like(await kit.driver.vm.describeImage('cn-east-2', ref.imageId ?? ''), { status: 'ready', imported: true, platform: 'Ubuntu', systemDiskSizeGB: 50 });
  });
});

test('preflight names every documented image refusal', async (t) => {
  await withKit(async (kit) => {
    await ready(kit);
    const codes = async (imageId: string) => (await kit.driver.preflightExport(exportSpec({ imageId }))).problems.map((p) => p.code);
    t.deepEqual(await codes(JD_IMAGES.notReady), ['image.not-ready']);
    t.deepEqual(await codes(JD_IMAGES.publicImage), ['image.not-private']);
    t.deepEqual(await codes(JD_IMAGES.shared), ['image.not-private']);
    t.deepEqual(await codes(JD_IMAGES.localDisk), ['image.local-disk']);
    t.deepEqual(await codes(JD_IMAGES.windows), ['image.windows-not-imported']);
    t.deepEqual(await codes('img-missing'), ['image.missing']);
    t.deepEqual(await codes(JD_IMAGES.windowsImported), []);
  });
});

test('preflight names a missing bucket, a bucket in another region, and every role problem', async (t) => {
  await withKit(async (kit) => {
    await ready(kit);
    const codes = async (spec: JdcloudExportSpec) => (await kit.driver.preflightExport(spec)).problems.map((p) => p.code);
    t.deepEqual(await codes(exportSpec({ bucket: 'ghost' })), ['bucket.missing', 'role.permission']);
    await kit.driverFor('cn-north-1').ensureBucket({ cloud: 'jdcloud', region: 'cn-north-1', name: 'north-bucket' });
    t.deepEqual(await codes(exportSpec({ bucket: 'north-bucket' })), ['bucket.region', 'role.permission']);
    t.deepEqual(await codes(exportSpec({ roleName: 'no-such-role' })), ['role.missing']);
    await kit.iam.createRole({ roleName: 'bare-role', type: 3, assumeRolePolicyDocument: JSON.stringify({ Version: '3', Statement: [{ Effect: 'Allow', Principal: { Service: ['disk'] }, Action: 'sts:assumeRole' }] }) });
    t.deepEqual(await codes(exportSpec({ roleName: 'bare-role' })), ['role.no-policy']);
    await kit.driver.ensureRole({
      cloud: 'jdcloud',
      purpose: 'export',
      roleName: 'account-trust',
      exportBuckets: ['exports'],
      trustPolicy: { Version: '3', Statement: [{ Effect: 'Allow', Principal: 'jrn:iam::324100000385:root', Action: 'sts:assumeRole', Resource: '*' }] },
    });
    t.deepEqual(await codes(exportSpec({ roleName: 'account-trust' })), ['role.trust']);
    // And the emulator agrees: starting anyway is refused.
    await t.throwsAsync(kit.driver.startExport(exportSpec({ roleName: 'account-trust' }), 'tok'), { instanceOf: CloudError, message: /not a service role trusted by the cloud-disk service/ });
  });
});

test('a retry with the same client token finds the same task: one export, not two (also after a dropped answer)', async (t) => {
  await withKit(async (kit) => {
    await ready(kit);
    const first = await kit.driver.startExport(exportSpec(), 'ip-same-token');
    const again = await kit.driver.startExport(exportSpec(), 'ip-same-token');
    t.is(again.taskId, first.taskId);
    t.is(jdTasks(kit).length, 1);

    // The cloud creates the task but the answer is lost; the driver retries with the same token (the fault is
    // lifted when the driver backs off, so the retry gets through).
    const retries: number[] = [];
    const retrying = kit.driverFor('cn-east-2', {
      maxAttempts: 3,
      sleep: async (ms) => {
        retries.push(ms);
        kit.emulator.faults.clear();
      },
    });
    kit.emulator.faults.set({ rate: 1, kinds: ['drop-after'], clouds: ['jdcloud'], services: ['vm'], seed: 7 });
    const adopted = await retrying.startExport(exportSpec(), 'ip-dropped-token');
    t.is(retries.length, 1);
    t.is(jdTasks(kit).length, 2);
    t.is(jdTasks(kit).find((task) => task.clientToken === 'ip-dropped-token')?.id, adopted.taskId);
  });
});

test('cancel says not-cancellable while the export runs (JD has no cancel API) and already-ended after', async (t) => {
  await withKit(async (kit, wait) => {
    await ready(kit);
    const ref = await kit.driver.startExport(exportSpec(), 'ip-cancel');
    t.is(await kit.driver.cancel(ref), 'not-cancellable');
    await waitForTask(() => kit.driver.describe(ref), wait);
    t.is(await kit.driver.cancel(ref), 'already-ended');
  });
});

test('deleting a running export waits for the end and then removes what it wrote', async (t) => {
  await withKit(async (kit, wait) => {
    await ready(kit);
    const ref = await kit.driver.startExport(exportSpec({ allDisks: true }), 'ip-drain');
    t.is((await kit.driver.describe(ref)).state, 'pending');
    const result = await drainAndRemove(kit.driver, ref, { ...wait, removeArtifacts: true });
    t.is(result.snapshot.state, 'succeeded');
    t.deepEqual([...result.removedKeys].sort(), [`jd_exportImage_${JD_IMAGES.golden}_${ref.taskId}.qcow2`, `jd_exportImage_${JD_IMAGES.golden}_${ref.taskId}_data1.qcow2`]);
    for (const key of result.removedKeys) t.is(await kit.driver.storage().head('exports', key), undefined);
    t.deepEqual(kit.emulator.inspect().buckets.find((b) => b.name === 'exports')?.objects, []);
  });
});

test('draining without removal keeps the artifacts; a failed export drains without an error', async (t) => {
  await withKit(async (kit, wait) => {
    await ready(kit);
    const kept = await drainAndRemove(kit.driver, await kit.driver.startExport(exportSpec(), 'ip-keep'), wait);
    t.deepEqual(kept.removedKeys, []);
    t.truthy(await kit.driver.storage().head('exports', kept.snapshot.artifacts[0].key));
    kit.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['jdcloud'], services: ['vm'], seed: 2 });
    const failing = await kit.driver.startExport(exportSpec(), 'ip-fail');
    kit.emulator.faults.clear();
    const failed = await drainAndRemove(kit.driver, failing, { ...wait, removeArtifacts: true });
    t.is(failed.snapshot.state, 'failed');
    t.regex(failed.snapshot.failure?.message ?? '', /export image failed/);
  });
});

test('ensureRole is idempotent, follows bucket changes, and deleteRole removes everything (twice is fine)', async (t) => {
  await withKit(async (kit) => {
    const spec = { cloud: 'jdcloud' as const, purpose: 'export' as const, roleName: 'image-export', exportBuckets: ['b-one'] };
    t.like(await kit.driver.ensureRole(spec), { created: true, updated: false, arn: 'jrn:iam::324100000385:role/image-export' });
    t.like(await kit.driver.ensureRole(spec), { created: false, updated: false });
    t.like(await kit.driver.ensureRole({ ...spec, exportBuckets: ['b-one', 'b-two'] }), { created: false, updated: true });
    const policy = await kit.iam.describePolicy('image-export-policy');
    t.deepEqual(JSON.parse(policy.content ?? '{}'), kit.driver.roleDocuments({ ...spec, exportBuckets: ['b-one', 'b-two'], accountId: '324100000385' }).policies[0].document);
    await kit.driver.deleteRole(spec);
    await t.throwsAsync(kit.iam.describeRole('image-export'), { instanceOf: CloudError, message: /NOT_FOUND/ });
    await t.throwsAsync(kit.iam.describePolicy('image-export-policy'), { instanceOf: CloudError, message: /NOT_FOUND/ });
    await t.notThrowsAsync(kit.driver.deleteRole(spec));
  });
});

test('buckets: ensureBucket is idempotent, deleteBucket with force empties it first, a missing bucket is fine', async (t) => {
  await withKit(async (kit) => {
    const spec = { cloud: 'jdcloud' as const, region: 'cn-east-2', name: 'temp-bucket' };
    t.deepEqual(await kit.driver.ensureBucket(spec), { name: 'temp-bucket', created: true });
    t.deepEqual(await kit.driver.ensureBucket(spec), { name: 'temp-bucket', created: false });
    t.is(await kit.driver.storage().bucketRegion('temp-bucket'), 'cn-east-2');
    await kit.driver.storage().put('temp-bucket', 'a/b.txt', 'x');
    await kit.driver.deleteBucket(spec, { force: true });
    t.false(await kit.driver.storage().bucketExists('temp-bucket'));
    await t.notThrowsAsync(kit.driver.deleteBucket(spec));
    await t.throwsAsync(kit.driver.ensureBucket({ ...spec, lifecycle: { expireAfterDays: 3 } }), { instanceOf: CloudError, message: /lifecycle rules are not supported/ });
  });
});

test('checkExportPermissions: a role problem is denied; otherwise unknown (no dry run), never a guessed allowed', async (t) => {
  await withKit(async (kit) => {
    t.like(await kit.driver.checkExportPermissions(exportSpec()), { allowed: false, verdict: 'denied', method: 'describe calls' });
    await ready(kit);
    const check = await kit.driver.checkExportPermissions(exportSpec());
    t.like(check, { allowed: false, verdict: 'unknown', method: 'describe calls' });
    t.regex(check.detail, /JD Cloud has no dry run, so exportImage itself was not checked/);
  });
});

test('rejects an invalid spec before calling the cloud, and an unknown task as not-found', async (t) => {
  await withKit(async (kit) => {
    const error = await t.throwsAsync(kit.driver.startExport(exportSpec({ prefix: 'x'.repeat(33), format: 'vmdk' }), 'tok'), { instanceOf: SpecValidationError });
    t.deepEqual(error?.issues.map((i) => i.field).sort(), ['format', 'prefix']);
    t.is(jdTasks(kit).length, 0);
    const missing = await t.throwsAsync(kit.driver.describe({ cloud: 'jdcloud', region: 'cn-east-2', kind: 'export', taskId: '1', bucket: 'b' }), { instanceOf: CloudError });
    t.is(missing?.kind, 'not-found');
  });
});
