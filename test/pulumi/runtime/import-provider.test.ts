import test from 'ava';
import { buildDiskImage, layoutToBuffer } from '../../../emulator/disk';
import { startEmulator, type Emulator } from '../../../emulator';
import { createS3ProtocolStorage } from '../../../lib/storage/s3-protocol-storage';
import { ExportBucket as AlicloudBucket } from '../../../pulumi/alicloud/export-bucket';
import { ImageImport as AlicloudImport } from '../../../pulumi/alicloud/image-import';
import { ImageImportRole } from '../../../pulumi/alicloud/image-import-role';
import { ExportBucket as AwsBucket } from '../../../pulumi/aws/export-bucket';
import { ImageImport as AwsImport } from '../../../pulumi/aws/image-import';
import { VmImportRole } from '../../../pulumi/aws/vm-import-role';
import { ImageImport as JdcloudImport } from '../../../pulumi/jdcloud/image-import';
import { applyAlicloudResources } from '../../support/pulumi-alicloud-apply';
import { applyAwsResources } from '../../support/pulumi-aws-apply';
import { findSecrets, MiniEngine, type ResourceStateEntry } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, resourceOf } from '../../support/pulumi-example-stack';
import { runUnderMocks } from '../../support/pulumi-mock-program';
import { FAST_POLLING, ProviderCallError, ProviderHost } from '../../support/pulumi-provider-host';

let emulator: Emulator;
let host: ProviderHost;
let engine: MiniEngine;

const DISK = 4 * 1024 * 1024;

test.before(async () => {
  assertRuntimeBuilt();
  emulator = await startEmulator({ speed: 600 });
  host = await ProviderHost.start({ env: { ...emulator.env }, config: FAST_POLLING });
  engine = new MiniEngine(host);
});

test.after.always(async () => {
  await host?.stop();
  await emulator?.stop();
});

function importedImages(cloud: string) {
  return emulator.inspect().images.filter((image) => image.cloud === cloud && image.source === 'import');
}

test.serial('AWS: imports a VMDK from S3 into an AMI through the real host; tags update in place, a new source replaces; destroy keeps the AMIs', async (t) => {
  const run = await runUnderMocks(() => {
    const bucket = new AwsBucket('uploads', { bucketName: 'import-uploads' });
    const role = new VmImportRole('vmimport', { roleName: 'vmimport-imports', importBuckets: [bucket.bucketName] });
    new AwsImport(
      'restored',
      { region: 'us-east-1', roleName: role.roleName, disks: [{ bucket: bucket.bucketName, key: 'disks/golden.vmdk', format: 'VMDK' }], description: 'restored golden' },
      { dependsOn: [role, bucket] },
    );
  });
  await applyAwsResources(run.resources, { endpoints: emulator.endpoints.aws, credentials: emulator.credentials.aws, region: 'us-east-1' });
  const s3 = createS3ProtocolStorage({ cloud: 'aws', region: 'us-east-1', endpoint: emulator.endpoints.aws.s3, credentials: emulator.credentials.aws });
  await s3.put('import-uploads', 'disks/golden.vmdk', layoutToBuffer(buildDiskImage('vmdk', { virtualSizeBytes: DISK })));

  const resource = resourceOf(run.resources, 'pulumi-nodejs:dynamic/imageport/aws:ImageImportTask');
  const created = await engine.create(resource);
  t.regex(String(created.outputs.imageId), /^ami-/);
  t.is(created.outputs.taskState, 'succeeded');
  t.true(importedImages('aws').some((image) => image.id === created.outputs.imageId));

  const tagged = await engine.update(created, { ...resource.inputs, tags: { team: 'ops' } });
  t.is(tagged.kind, 'updated');
  t.is(tagged.state.outputs.imageId, created.outputs.imageId);
  await s3.put('import-uploads', 'disks/other.vmdk', layoutToBuffer(buildDiskImage('vmdk', { virtualSizeBytes: DISK, label: 'other' })));
  const moved = await engine.update(tagged.state, { ...resource.inputs, tags: { team: 'ops' }, disks: [{ bucket: 'import-uploads', key: 'disks/other.vmdk', format: 'VMDK' }] });
  t.is(moved.kind, 'replaced', 'a new source replaces the import');
  t.deepEqual(moved.diff.replaces, ['disks']);
  t.is(moved.kind === 'replaced' ? moved.order : undefined, 'create-first');
  t.not(moved.state.outputs.imageId, created.outputs.imageId);

  await engine.delete(moved.state);
  const kept = importedImages('aws').map((image) => image.id);
  t.true(kept.includes(String(created.outputs.imageId)) && kept.includes(String(moved.state.outputs.imageId)), 'destroy keeps imported AMIs');
});

test.serial('AWS: destroying a running import cancels it', async (t) => {
  const run = await runUnderMocks(() => {
    new AwsImport('slow', { region: 'us-east-1', roleName: 'vmimport-imports', disks: [{ bucket: 'import-uploads', key: 'disks/golden.vmdk', format: 'VMDK' }], waitTimeout: '100ms' });
  });
  const resource = resourceOf(run.resources, 'pulumi-nodejs:dynamic/imageport/aws:ImageImportTask');
  // Five times slower than usual (3 real seconds): still running long after the 100 ms wait, however busy the machine.
  emulator.faults.set({ rate: 1, kinds: ['slow-task'], clouds: ['aws'], services: ['ec2'], seed: 1 });
  const error = await t.throwsAsync(() => engine.create(resource), { instanceOf: ProviderCallError }).finally(() => emulator.faults.clear());
  const failure = error!.initFailure!;
  const state: ResourceStateEntry = { urn: resource.urn, type: resource.type, name: resource.name, id: failure.id, inputs: resource.inputs, outputs: failure.properties };
  await engine.delete(state);
  t.is(emulator.inspect().tasks.find((task) => task.id === failure.id)?.outcome, 'cancelled');
});

test.serial('Alibaba Cloud: imports a QCOW2 from OSS into a custom image with the import role', async (t) => {
  const run = await runUnderMocks(() => {
    const bucket = new AlicloudBucket('uploads', { bucketName: 'ali-import-uploads' });
    const role = new ImageImportRole('import-role');
    new AlicloudImport(
      'restored',
      { region: 'cn-hangzhou', imageName: 'restored-golden', platform: 'Ubuntu', disks: [{ bucket: bucket.bucketName, key: 'golden.qcow2', format: 'QCOW2' }] },
      { dependsOn: [role, bucket] },
    );
  });
  await applyAlicloudResources(run.resources, { endpoints: emulator.endpoints.alicloud, credentials: emulator.credentials.alicloud, region: 'cn-hangzhou' });
  const oss = createS3ProtocolStorage({ cloud: 'alicloud', region: 'cn-hangzhou', endpoint: emulator.endpoints.alicloud.oss, credentials: emulator.credentials.alicloud });
  await oss.put('ali-import-uploads', 'golden.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: DISK })));

  const created = await engine.create(resourceOf(run.resources, 'pulumi-nodejs:dynamic/imageport/alicloud:ImageImportTask'));
  t.regex(String(created.outputs.imageId), /^m-/);
  t.true(importedImages('alicloud').some((image) => image.id === created.outputs.imageId && image.state === 'Available'));
  t.is((await engine.refresh(created))?.id, created.id);
  await engine.delete(created);
  t.true(importedImages('alicloud').some((image) => image.id === created.outputs.imageId), 'the imported image is kept');
});

test.serial('JD Cloud: imports a QCOW2 from JD OSS into a private image', async (t) => {
  const oss = createS3ProtocolStorage({ cloud: 'jdcloud', region: 'cn-east-2', endpoint: emulator.endpoints.jdcloud.oss, credentials: emulator.credentials.jdcloud });
  await oss.createBucket('jd-import-uploads');
  await oss.put('jd-import-uploads', 'golden.qcow2', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: DISK })));
  const run = await runUnderMocks(() => {
    new JdcloudImport('restored', { region: 'cn-east-2', imageName: 'restored-golden', disks: [{ bucket: 'jd-import-uploads', key: 'golden.qcow2', format: 'qcow2' }] });
  });
  const created = await engine.create(resourceOf(run.resources, 'pulumi-nodejs:dynamic/imageport/jdcloud:ImageImportTask'));
  t.regex(String(created.outputs.imageId), /^img-/);
  t.true(importedImages('jdcloud').some((image) => image.id === created.outputs.imageId));
  await engine.delete(created);

  const secrets = {
    aws: emulator.credentials.aws.secretAccessKey,
    alicloud: emulator.credentials.alicloud.secretAccessKey,
    jdcloud: emulator.credentials.jdcloud.secretAccessKey,
  };
  t.deepEqual(findSecrets(secrets, { calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }), []);
});
