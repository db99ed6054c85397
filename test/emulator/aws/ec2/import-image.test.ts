import test from 'ava';
import {
  CancelImportTaskCommand,
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  DescribeSnapshotsCommand,
  ExportImageCommand,
  DescribeExportImageTasksCommand,
  ImportImageCommand,
  type ImportImageCommandInput,
} from '@aws-sdk/client-ec2';
import { PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { buildDiskImage, layoutToBuffer } from '../../../../emulator/disk';
import { rejection, startAwsKit, type AwsKit } from '../aws-test-kit';

const MINUTE = 60_000;

async function kitWithUpload(key: string, body: Buffer): Promise<AwsKit> {
  const kit = await startAwsKit();
  await kit.createBucket('import-bucket');
  await kit.createBucket('export-bucket');
  await kit.createVmimportRole('import-bucket', 'export-bucket');
  await kit.s3.send(new PutObjectCommand({ Bucket: 'import-bucket', Key: key, Body: body }));
  return kit;
}

const describeTask = async (kit: AwsKit, id: string) => (await kit.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [id] }))).ImportImageTasks![0];

test('import-image: a stream-optimized VMDK goes pending → … → completed, registers an AMI that can itself be exported', async (t) => {
  const vmdk = layoutToBuffer(buildDiskImage('vmdk', { virtualSizeBytes: 3 * 1024 * 1024 }));
  const kit = await kitWithUpload('uploads/disk.vmdk', vmdk);
  t.teardown(() => kit.stop());
  const started = await kit.ec2.send(
    new ImportImageCommand({
      Description: 'from vmware',
      DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'import-bucket', S3Key: 'uploads/disk.vmdk' } }],
      TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'k', Value: 'v' }] }],
    }),
  );
  t.regex(started.ImportTaskId ?? '', /^import-ami-[0-9a-f]{17}$/);
  t.is(started.Status, 'active');
  t.is(started.StatusMessage, 'pending');
  t.is(started.Progress, '2');
  t.deepEqual(started.Tags, [{ Key: 'k', Value: 'v' }]);
  t.is(started.SnapshotDetails?.[0].Format, 'VMDK');
  t.deepEqual(started.SnapshotDetails?.[0].UserBucket, { S3Bucket: 'import-bucket', S3Key: 'uploads/disk.vmdk' });
  t.is(started.SnapshotDetails?.[0].DiskImageSize, 0);

  const seen: string[] = [];
  for (let i = 0; i < 200; i++) {
    const task = await describeTask(kit, started.ImportTaskId!);
    const label = task.Status === 'active' ? task.StatusMessage! : task.Status!;
    if (seen[seen.length - 1] !== label) seen.push(label);
    if (task.Status !== 'active') break;
    kit.clock.advance(5_000);
  }
  t.deepEqual(seen, ['pending', 'validating', 'validated', 'converting', 'updating', 'booting', 'preparing ami', 'completed']);
  const done = await describeTask(kit, started.ImportTaskId!);
  t.regex(done.ImageId ?? '', /^ami-[0-9a-f]{17}$/);
  t.is(done.Progress, undefined);
  t.is(done.StatusMessage, undefined);
  t.regex(done.SnapshotDetails?.[0].SnapshotId ?? '', /^snap-[0-9a-f]{17}$/);
  t.is(done.SnapshotDetails?.[0].Status, 'completed');
  t.is(done.SnapshotDetails?.[0].DiskImageSize, vmdk.length);
  t.is(done.Platform, 'Linux');

  const image = (await kit.ec2.send(new DescribeImagesCommand({ ImageIds: [done.ImageId!] }))).Images![0];
  t.is(image.State, 'available');
  t.is(image.OwnerId, kit.emulator.accounts.aws);
  t.is(image.BlockDeviceMappings?.[0].Ebs?.SnapshotId, done.SnapshotDetails?.[0].SnapshotId);
  const snapshots = await kit.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [done.SnapshotDetails![0].SnapshotId!] }));
  t.is(snapshots.Snapshots?.length, 1);

  const exported = await kit.ec2.send(new ExportImageCommand({ ImageId: done.ImageId, DiskImageFormat: 'RAW', S3ExportLocation: { S3Bucket: 'export-bucket' } }));
  kit.clock.advance(60 * MINUTE);
  const exportTask = (await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [exported.ExportImageTaskId!] }))).ExportImageTasks![0];
  t.is(exportTask.Status, 'completed');
  const object = await kit.s3.send(new GetObjectCommand({ Bucket: 'export-bucket', Key: `${exported.ExportImageTaskId}.raw` }));
  t.is(object.ContentLength, 3 * 1024 * 1024, 'the re-export has the imported disk size');
  t.is(kit.emulator.inspect().images.find((entry) => entry.id === done.ImageId)?.source, 'import');
});

for (const [title, key, body, format, reason] of [
  ['a file that is not a disk image of the declared format', 'notes.vmdk', Buffer.from('hello, this is not a disk'), 'VMDK', /^ClientError: Disk validation failed \[Unsupported specified file format\]$/],
  ['a VMDK that is not stream-optimized', 'flat.vmdk', Buffer.from('# Disk DescriptorFile\nversion=1\ncreateType="monolithicFlat"\nRW 8 FLAT "x-flat.vmdk" 0\n'), 'VMDK', /Unsupported VMDK File Format/],
  ['a QCOW2 declared as RAW', 'disk.raw', layoutToBuffer(buildDiskImage('qcow2', { virtualSizeBytes: 1024 * 1024 })), 'RAW', /Unsupported specified file format/],
] as const) {
  test(`import-image: fails during validation for ${title}`, async (t) => {
    const kit = await kitWithUpload(key, body);
    t.teardown(() => kit.stop());
    const started = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: format, UserBucket: { S3Bucket: 'import-bucket', S3Key: key } }] }));
    t.is(started.Status, 'active', 'the failure is not synchronous');
    kit.clock.advance(5 * MINUTE);
    const task = await describeTask(kit, started.ImportTaskId!);
    t.is(task.Status, 'deleted');
    t.regex(task.StatusMessage ?? '', reason);
    t.is(kit.emulator.inspect().tasks[0].outcome, 'failed');
  });
}

test('import-image: fails with the 403 disk validation message when the object does not exist', async (t) => {
  const kit = await kitWithUpload('present.raw', Buffer.alloc(1024 * 1024));
  t.teardown(() => kit.stop());
  const started = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: 'RAW', UserBucket: { S3Bucket: 'import-bucket', S3Key: 'absent.raw' } }] }));
  kit.clock.advance(5 * MINUTE);
  const task = await describeTask(kit, started.ImportTaskId!);
  t.is(task.StatusMessage, 'ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]');
});

test('import-image: a VHD and a raw disk in one task give an AMI with two snapshots', async (t) => {
  const kit = await kitWithUpload('disk.vhd', layoutToBuffer(buildDiskImage('vhd', { virtualSizeBytes: 2 * 1024 * 1024 })));
  t.teardown(() => kit.stop());
  await kit.s3.send(new PutObjectCommand({ Bucket: 'import-bucket', Key: 'data.raw', Body: layoutToBuffer(buildDiskImage('raw', { virtualSizeBytes: 1024 * 1024 })) }));
  const started = await kit.ec2.send(
    new ImportImageCommand({
      DiskContainers: [
        { Format: 'vhd', UserBucket: { S3Bucket: 'import-bucket', S3Key: 'disk.vhd' } },
        { Format: 'raw', UserBucket: { S3Bucket: 'import-bucket', S3Key: 'data.raw' } },
      ],
    }),
  );
  kit.clock.advance(60 * MINUTE);
  const task = await describeTask(kit, started.ImportTaskId!);
  t.is(task.Status, 'completed');
  const image = (await kit.ec2.send(new DescribeImagesCommand({ ImageIds: [task.ImageId!] }))).Images![0];
  t.is(image.BlockDeviceMappings?.length, 2);
});

test('import-image: from an EBS snapshot (no S3, no role needed)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const started = await kit.ec2.send(new ImportImageCommand({ Platform: 'Linux', DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }));
  kit.clock.advance(60 * MINUTE);
  const task = await describeTask(kit, started.ImportTaskId!);
  t.is(task.Status, 'completed');
  t.truthy(task.ImageId);
});

test('rejects an import from an unknown snapshot (InvalidSnapshot.NotFound)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const error = await rejection(kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-00000000000000000' }] })));
  t.is(error.name, 'InvalidSnapshot.NotFound');
});

test('rejects an import without a usable role, and one from a bucket in another region', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('import-bucket');
  await kit.s3.send(new PutObjectCommand({ Bucket: 'import-bucket', Key: 'd.raw', Body: Buffer.alloc(4096) }));
  const container = { Format: 'RAW', UserBucket: { S3Bucket: 'import-bucket', S3Key: 'd.raw' } };
  const noRole = await rejection(kit.ec2.send(new ImportImageCommand({ DiskContainers: [container] })));
  t.is(noRole.name, 'InvalidParameter');
  t.regex(noRole.message, /The service role <vmimport> does not exist/);
  await kit.createVmimportRole('some-other-bucket', 'export-bucket');
  const noGet = await rejection(kit.ec2.send(new ImportImageCommand({ DiskContainers: [container] })));
  t.is(noGet.name, 'InvalidParameter', 'the role cannot s3:GetObject on this bucket');
  await kit.createBucket('eu-imports', 'eu-west-1');
  const elsewhere = await rejection(kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: 'RAW', UserBucket: { S3Bucket: 'eu-imports', S3Key: 'd.raw' } }] })));
  t.is(elsewhere.name, 'InvalidParameter');
  t.regex(elsewhere.message, /not local to the region/);
});

for (const [title, input, code] of [
  ['no disk container', {}, 'MissingParameter'],
  ['an unsupported format', { DiskContainers: [{ Format: 'qcow2', UserBucket: { S3Bucket: 'b', S3Key: 'k' } }] }, 'InvalidParameter'],
  ['both LicenseType and UsageOperation', { LicenseType: 'BYOL', UsageOperation: 'RunInstances', DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }, 'InvalidParameterCombination'],
  ['KmsKeyId without Encrypted', { KmsKeyId: 'alias/x', DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }, 'InvalidParameterCombination'],
  ['tags for an export task', { TagSpecifications: [{ ResourceType: 'export-image-task', Tags: [{ Key: 'k', Value: 'v' }] }], DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }, 'InvalidParameterValue'],
] as const) {
  test(`rejects an import with ${title} (${code})`, async (t) => {
    const kit = await startAwsKit();
    t.teardown(() => kit.stop());
    const error = await rejection(kit.ec2.send(new ImportImageCommand(input as unknown as ImportImageCommandInput)));
    t.is(error.name, code);
  });
}

test('import-image: ClientToken replay returns the same task; a different request with it is refused', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const input = { ClientToken: 'import-1', DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] };
  const first = await kit.ec2.send(new ImportImageCommand(input));
  const again = await kit.ec2.send(new ImportImageCommand(input));
  t.is(again.ImportTaskId, first.ImportTaskId);
  t.is(kit.emulator.inspect().tasks.length, 1);
  const error = await rejection(kit.ec2.send(new ImportImageCommand({ ...input, Description: 'changed' })));
  t.is(error.name, 'IdempotentParameterMismatch');
});

test('import-image: cancel answers previousState active / state deleting, then the task ends deleted', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const { ImportTaskId: id } = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }));
  kit.clock.advance(MINUTE);
  const cancelled = await kit.ec2.send(new CancelImportTaskCommand({ ImportTaskId: id, CancelReason: 'changed my mind' }));
  t.is(cancelled.ImportTaskId, id);
  t.is(cancelled.PreviousState, 'active');
  t.is(cancelled.State, 'deleting');
  kit.clock.advance(MINUTE);
  t.is((await describeTask(kit, id!)).Status, 'deleted');
  const again = await rejection(kit.ec2.send(new CancelImportTaskCommand({ ImportTaskId: id })));
  t.is(again.name, 'IncorrectState');
  const unknown = await rejection(kit.ec2.send(new CancelImportTaskCommand({ ImportTaskId: 'import-ami-00000000000000000' })));
  t.is(unknown.name, 'InvalidConversionTaskId');
});

test('import-image: describe filters by task-state with the Filters.N wire name', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const first = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }));
  kit.clock.advance(60 * MINUTE);
  const second = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }));
  const active = await kit.ec2.send(new DescribeImportImageTasksCommand({ Filters: [{ Name: 'task-state', Values: ['active'] }] }));
  t.deepEqual(active.ImportImageTasks?.map((task) => task.ImportTaskId), [second.ImportTaskId]);
  const completed = await kit.ec2.send(new DescribeImportImageTasksCommand({ Filters: [{ Name: 'task-state', Values: ['completed'] }] }));
  t.deepEqual(completed.ImportImageTasks?.map((task) => task.ImportTaskId), [first.ImportTaskId]);
});

test('import-image: a DiskContainer Url (s3://bucket/key) is read like a UserBucket', async (t) => {
  const kit = await kitWithUpload('by-url.vhd', layoutToBuffer(buildDiskImage('vhd', { virtualSizeBytes: 1024 * 1024 })));
  t.teardown(() => kit.stop());
  const started = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: 'VHD', Url: 's3://import-bucket/by-url.vhd' }] }));
  t.is(started.SnapshotDetails?.[0].Url, 's3://import-bucket/by-url.vhd');
  kit.clock.advance(60 * MINUTE);
  t.is((await describeTask(kit, started.ImportTaskId!)).Status, 'completed');
});
