import test from 'ava';
import { buildDiskImage, layoutToBuffer } from '../../../emulator/disk';
import { createS3ProtocolStorage } from '../../../lib/storage/s3-protocol-storage';
import { ImageImport as AlicloudImport } from '../../../pulumi/alicloud/image-import';
import { ImageImportRole } from '../../../pulumi/alicloud/image-import-role';
import { ImageImport as AwsImport } from '../../../pulumi/aws/image-import';
import { VmImportRole } from '../../../pulumi/aws/vm-import-role';
import { ImageImport as JdcloudImport } from '../../../pulumi/jdcloud/image-import';
import { applyAlicloudResources } from '../../support/pulumi-alicloud-apply';
import { applyAwsResources } from '../../support/pulumi-aws-apply';
import { alicloudImageTags, awsImageTags, awsTaskTags } from '../../support/pulumi-cloud-tags';
import { findSecrets, type ResourceStateEntry } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, resourceOf } from '../../support/pulumi-example-stack';
import { startHostFixture, waitUntil, type HostFixture } from '../../support/pulumi-host-fixture';
import { runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';
import { ProviderCallError } from '../../support/pulumi-provider-host';

const AWS_IMPORT = 'pulumi-nodejs:dynamic/imageport/aws:ImageImportTask';
const ALICLOUD_IMPORT = 'pulumi-nodejs:dynamic/imageport/alicloud:ImageImportTask';
const JDCLOUD_IMPORT = 'pulumi-nodejs:dynamic/imageport/jdcloud:ImageImportTask';
const DISK = 4 * 1024 * 1024;

let fx: HostFixture;

test.before(async () => {
  assertRuntimeBuilt();
  fx = await startHostFixture(600);
  // The source disks every test imports from, on each cloud.
  const aws = createS3ProtocolStorage({ cloud: 'aws', region: 'us-east-1', endpoint: fx.emulator.endpoints.aws.s3, credentials: fx.emulator.credentials.aws });
  const oss = createS3ProtocolStorage({ cloud: 'alicloud', region: 'cn-hangzhou', endpoint: fx.emulator.endpoints.alicloud.oss, credentials: fx.emulator.credentials.alicloud });
  const jd = createS3ProtocolStorage({ cloud: 'jdcloud', region: 'cn-east-2', endpoint: fx.emulator.endpoints.jdcloud.oss, credentials: fx.emulator.credentials.jdcloud });
  await Promise.all([aws.createBucket('import-uploads'), oss.createBucket('ali-import-uploads'), jd.createBucket('jd-import-uploads')]);
  await Promise.all([
    aws.put('import-uploads', 'disks/golden.vmdk', layoutToBuffer(buildDiskImage('vmdk', { virtualSizeBytes: DISK }))),
    aws.put('import-uploads', 'disks/other.vmdk', layoutToBuffer(buildDiskImage('vmdk', { virtualSizeBytes: DISK, label: 'other' }))),
    oss.put('ali-import-uploads', 'golden.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: DISK }))),
    jd.put('jd-import-uploads', 'golden.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: DISK }))),
  ]);
  const run = await runUnderMocks(() => {
    new VmImportRole('vmimport', { roleName: 'vmimport-imports', importBuckets: ['import-uploads'] });
    new ImageImportRole('import-role');
  });
  await applyAwsResources(run.resources, { endpoints: fx.emulator.endpoints.aws, credentials: fx.emulator.credentials.aws, region: 'us-east-1' });
  await applyAlicloudResources(run.resources, { endpoints: fx.emulator.endpoints.alicloud, credentials: fx.emulator.credentials.alicloud, region: 'cn-hangzhou' });
});

test.afterEach.always(() => {
  fx.clock.run();
  fx.emulator.faults.clear();
});

test.after.always(async () => {
  await fx?.stop();
});

function images(cloud: string): string[] {
  return fx.emulator.inspect().images.filter((image) => image.cloud === cloud && image.source === 'import').map((image) => image.id);
}

function importTasks(cloud: string) {
  return fx.emulator.inspect().tasks.filter((task) => task.cloud === cloud && task.kind === 'import');
}

function messagesSince(mark: number): string[] {
  return fx.host.logs.slice(mark).map((entry) => entry.message);
}

function userTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('imageport:')));
}

/** An AWS import of `key` from the uploads bucket, declared under mocks. */
async function awsImport(name: string, key: string, extra: Partial<ConstructorParameters<typeof AwsImport>[1]> = {}): Promise<RegisteredResource> {
  const run = await runUnderMocks(() => {
    new AwsImport(name, { region: 'us-east-1', roleName: 'vmimport-imports', disks: [{ bucket: 'import-uploads', key, format: 'VMDK' }], ...extra });
  });
  return resourceOf(run.resources, AWS_IMPORT);
}

test.serial('AWS: new tags retag the import task and the AMI in place; a new source replaces (new import first, then the old AMI is deleted); destroy deletes the AMI', async (t) => {
  const resource = await awsImport('restored', 'disks/golden.vmdk', { description: 'restored golden', tags: { team: 'a' } });
  t.is(resource.inputs.removalPolicy, 'destroy', 'the component records the default');
  const created = await fx.engine.create(resource);
  const imageId = String(created.outputs.imageId);
  t.regex(imageId, /^ami-/);
  t.true(images('aws').includes(imageId));
  t.deepEqual(userTags(await awsTaskTags(fx.emulator, 'import', created.id)), { team: 'a' });

  const tasksBefore = importTasks('aws').length;
  const tagged = await fx.engine.update(created, { ...resource.inputs, tags: { team: 'b', owner: 'ops' } });
  t.is(tagged.kind, 'updated');
  t.is(tagged.state.outputs.imageId, imageId);
  t.deepEqual(userTags(await awsTaskTags(fx.emulator, 'import', created.id)), { team: 'b', owner: 'ops' }, 'the task carries the new tags');
  t.deepEqual(userTags(await awsImageTags(fx.emulator, imageId)), { team: 'b', owner: 'ops' }, 'and so does the AMI');
  t.is(importTasks('aws').length, tasksBefore, 'no new import');

  const moved = await fx.engine.update(tagged.state, { ...resource.inputs, tags: { team: 'b', owner: 'ops' }, disks: [{ bucket: 'import-uploads', key: 'disks/other.vmdk', format: 'VMDK' }] });
  t.is(moved.kind, 'replaced', 'a new source replaces the import');
  t.deepEqual(moved.diff.replaces, ['disks']);
  t.is(moved.kind === 'replaced' ? moved.order : undefined, 'create-first');
  const movedImage = String(moved.state.outputs.imageId);
  t.not(movedImage, imageId);
  t.false(images('aws').includes(imageId), 'the replaced import deleted its AMI');

  await fx.engine.delete(moved.state);
  t.false(images('aws').includes(movedImage), 'destroy deleted the AMI');
});

test.serial('AWS: destroy then up again imports anew instead of reusing the deleted AMI; removalPolicy retain keeps the AMI; refresh of a deleted AMI reads as gone', async (t) => {
  const resource = await awsImport('again', 'disks/golden.vmdk');
  const first = await fx.engine.create(resource);
  await fx.engine.delete(first);
  t.false(images('aws').includes(String(first.outputs.imageId)));
  t.is(await fx.engine.refresh(first), undefined, 'the AMI is gone: drift');

  const mark = fx.host.logs.length;
  const second = await fx.engine.create(resource);
  t.not(second.id, first.id, 'the same token found the old task, whose AMI was deleted: a new import ran');
  t.true(images('aws').includes(String(second.outputs.imageId)));
  t.true(messagesSince(mark).some((m) => /lost its image \(deleted since\): starting a new one/.test(m)));
  await fx.engine.delete(second);

  const kept = await fx.engine.create(await awsImport('kept', 'disks/golden.vmdk', { removalPolicy: 'retain' }));
  await fx.engine.delete(kept);
  t.true(images('aws').includes(String(kept.outputs.imageId)), 'retain keeps the AMI');
});

test.serial('AWS: destroying a running import cancels it', async (t) => {
  const resource = await awsImport('slow', 'disks/golden.vmdk', { waitTimeout: '100ms' });
  fx.clock.freeze();
  const error = await t.throwsAsync(() => fx.engine.create(resource), { instanceOf: ProviderCallError });
  const failure = error!.initFailure!;
  const state: ResourceStateEntry = { urn: resource.urn, type: resource.type, name: resource.name, id: failure.id, inputs: resource.inputs, outputs: failure.properties };
  const mark = fx.host.logs.length;
  const destroyed = fx.engine.delete(state);
  await waitUntil(() => messagesSince(mark).some((m) => /cancel requested/.test(m)), 'the cancel');
  fx.clock.run();
  await destroyed;
  t.is(fx.emulator.inspect().tasks.find((task) => task.id === failure.id)?.outcome, 'cancelled');
});

test.serial('Alibaba Cloud: imports a QCOW2 into a custom image; new tags retag the image in place; destroy deletes it; up again imports anew', async (t) => {
  const run = await runUnderMocks(() => {
    new AlicloudImport('restored', {
      region: 'cn-hangzhou',
      imageName: 'restored-golden',
      platform: 'Ubuntu',
      disks: [{ bucket: 'ali-import-uploads', key: 'golden.qcow2', format: 'QCOW2' }],
      tags: { team: 'a' },
    });
  });
  const resource = resourceOf(run.resources, ALICLOUD_IMPORT);
  const created = await fx.engine.create(resource);
  const imageId = String(created.outputs.imageId);
  t.regex(imageId, /^m-/);
  t.true(fx.emulator.inspect().images.some((image) => image.id === imageId && image.state === 'Available'));
  t.deepEqual(userTags(await alicloudImageTags(fx.emulator, imageId)), { team: 'a' });

  const tagged = await fx.engine.update(created, { ...resource.inputs, tags: { team: 'b', owner: 'ops' } });
  t.is(tagged.kind, 'updated');
  t.deepEqual(userTags(await alicloudImageTags(fx.emulator, imageId)), { team: 'b', owner: 'ops' }, 'the image carries the new tags');
  t.is(importTasks('alicloud').length, 1, 'no new import');
  t.is((await fx.engine.refresh(tagged.state))?.id, created.id);

  await fx.engine.delete(tagged.state);
  t.false(images('alicloud').includes(imageId), 'destroy deleted the image');
  // Alibaba reports a Finished import whose image is gone as still running (waiting for the image): read and create
  // must not wait for it.
  t.is(await fx.engine.refresh(tagged.state), undefined, 'the image is gone: drift');
  const again = await fx.engine.create(resource);
  t.not(again.outputs.imageId, imageId);
  t.true(images('alicloud').includes(String(again.outputs.imageId)));
  t.is(importTasks('alicloud').length, 2);
  await fx.engine.delete(again);
});

test.serial('JD Cloud: imports a QCOW2 into a private image; destroy deletes it; up again imports anew; a failed import is replaced on retry; tags JD cannot apply are a warning', async (t) => {
  const run = await runUnderMocks(() => {
    new JdcloudImport('restored', { region: 'cn-east-2', imageName: 'restored-golden', disks: [{ bucket: 'jd-import-uploads', key: 'golden.qcow2', format: 'qcow2' }] });
  });
  const resource = resourceOf(run.resources, JDCLOUD_IMPORT);
  const created = await fx.engine.create(resource);
  const imageId = String(created.outputs.imageId);
  t.regex(imageId, /^img-/);
  t.true(images('jdcloud').includes(imageId));

  // Check refuses tags on JD; a state that reaches update with some is told so, and nothing fails.
  const warned = fx.host.logs.length;
  await fx.host.update(resource.urn, created.id, created.outputs, { ...created.inputs, tags: { team: 'b' } });
  t.true(fx.host.logs.slice(warned).some((entry) => entry.severity === 'WARNING' && /jdcloud cannot tag this import/.test(entry.message)));

  await fx.engine.delete(created);
  t.false(images('jdcloud').includes(imageId), 'destroy deleted the image');
  const again = await fx.engine.create(resource);
  t.not(again.outputs.imageId, imageId, 'JD replays the token with the old task, whose image is gone: a new import ran');
  t.true(images('jdcloud').includes(String(again.outputs.imageId)));
  await fx.engine.delete(again);

  // A failed import: the retry replays its token, and JD answers with the failed task (no "adopted" flag).
  const failing = resourceOf((await runUnderMocks(() => {
    new JdcloudImport('failing', { region: 'cn-east-2', imageName: 'failing-golden', disks: [{ bucket: 'jd-import-uploads', key: 'golden.qcow2', format: 'qcow2' }] });
  })).resources, JDCLOUD_IMPORT);
  fx.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['jdcloud'], services: ['vm'], seed: 5 });
  await t.throwsAsync(() => fx.engine.create(failing), { message: /failed/ });
  fx.emulator.faults.clear();
  const mark = fx.host.logs.length;
  const retried = await fx.engine.create(failing);
  t.is(retried.outputs.taskState, 'succeeded');
  t.true(messagesSince(mark).some((m) => /has ended failed: starting a new one/.test(m)));
  await fx.engine.delete(retried);

  const secrets = Object.fromEntries((['aws', 'alicloud', 'jdcloud'] as const).map((cloud) => [cloud, fx.emulator.credentials[cloud].secretAccessKey]));
  t.deepEqual(findSecrets(secrets, { calls: fx.engine.calls, logs: fx.host.logs, out: fx.host.stdout + fx.host.stderr }), []);
});

test.serial('state recorded without a removal policy (before imports had one) keeps its image on delete', async (t) => {
  const resource = await awsImport('legacy', 'disks/golden.vmdk');
  const created = await fx.engine.create(resource);
  const { removalPolicy: _policy, ...legacyOutputs } = created.outputs;
  await fx.engine.delete({ ...created, outputs: legacyOutputs });
  t.true(images('aws').includes(String(created.outputs.imageId)));
});
