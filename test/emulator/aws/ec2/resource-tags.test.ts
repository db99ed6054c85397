import test from 'ava';
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeExportImageTasksCommand,
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  DescribeSnapshotsCommand,
  ExportImageCommand,
  ImportImageCommand,
} from '@aws-sdk/client-ec2';
import { GOLDEN_AMI, rejection, startAwsKit, type AwsKit } from '../aws-test-kit';

function tagMap(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

async function startExport(kit: AwsKit): Promise<string> {
  await kit.createBucket('tag-exports');
  await kit.createVmimportRole('tag-exports', 'tag-exports');
  const out = await kit.ec2.send(
    new ExportImageCommand({
      ImageId: GOLDEN_AMI['us-east-1'],
      DiskImageFormat: 'VMDK',
      S3ExportLocation: { S3Bucket: 'tag-exports' },
      TagSpecifications: [{ ResourceType: 'export-image-task', Tags: [{ Key: 'team', Value: 'a' }] }],
    }),
  );
  return out.ExportImageTaskId!;
}

test('create-tags / delete-tags change an export task\'s tagSet in DescribeExportImageTasks', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const taskId = await startExport(kit);
  await kit.ec2.send(new CreateTagsCommand({ Resources: [taskId], Tags: [{ Key: 'team', Value: 'b' }, { Key: 'stage', Value: 'dev' }, { Key: 'empty' }] }));
  const read = async () => tagMap((await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [taskId] }))).ExportImageTasks?.[0].Tags);
  t.deepEqual(await read(), { team: 'b', stage: 'dev', empty: '' });
  // A value given: removed only when it matches.
  await kit.ec2.send(new DeleteTagsCommand({ Resources: [taskId], Tags: [{ Key: 'team', Value: 'not-b' }, { Key: 'stage' }] }));
  t.deepEqual(await read(), { team: 'b', empty: '' });
  await kit.ec2.send(new DeleteTagsCommand({ Resources: [taskId], Tags: [{ Key: 'team', Value: 'b' }] }));
  t.deepEqual(await read(), { empty: '' });
  // No Tag.N: every tag goes.
  await kit.ec2.send(new DeleteTagsCommand({ Resources: [taskId] }));
  t.deepEqual(await read(), {});
});

test('create-tags tags several resources at once: an import task, its AMI and snapshot (tag filters find them)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createVmimportRole('x', 'y');
  const { ImportTaskId } = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }] }));
  kit.clock.advance(3_600_000);
  const task = (await kit.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [ImportTaskId!] }))).ImportImageTasks![0];
  const snapshotId = task.SnapshotDetails![0].SnapshotId!;
  await kit.ec2.send(new CreateTagsCommand({ Resources: [ImportTaskId!, task.ImageId!, snapshotId], Tags: [{ Key: 'owner', Value: 'ops' }] }));
  t.deepEqual(tagMap((await kit.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [ImportTaskId!] }))).ImportImageTasks![0].Tags), { owner: 'ops' });
  const images = await kit.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'tag:owner', Values: ['ops'] }] }));
  t.deepEqual(images.Images?.map((image) => [image.ImageId, tagMap(image.Tags)]), [[task.ImageId, { owner: 'ops' }]]);
  const byKey = await kit.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag-key', Values: ['owner'] }] }));
  t.deepEqual(byKey.Snapshots?.map((snapshot) => snapshot.SnapshotId), [snapshotId]);
});

test('rejects create-tags with an unknown or malformed resource (changing nothing), aws: keys, no tags, over 50 tags', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const taskId = await startExport(kit);
  const tags = async () => tagMap((await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [taskId] }))).ExportImageTasks?.[0].Tags);
  t.is((await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: [taskId, 'export-ami-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] })))).name, 'InvalidExportTaskID.NotFound');
  t.deepEqual(await tags(), { team: 'a' }, 'the first resource was not changed either');
  t.is((await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: ['i-1'], Tags: [{ Key: 'k', Value: 'v' }] })))).name, 'InvalidID');
  t.is((await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: ['ami-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] })))).name, 'InvalidAMIID.NotFound');
  t.is((await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: ['ami-0bad0000000000c01'], Tags: [{ Key: 'k', Value: 'v' }] })))).name, 'UnauthorizedOperation');
  t.is((await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: [taskId], Tags: [{ Key: 'aws:x', Value: 'v' }] })))).name, 'InvalidParameterValue');
  t.is((await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: [taskId], Tags: [] })))).name, 'MissingParameter');
  const many = Array.from({ length: 50 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
  t.is((await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: [taskId], Tags: many })))).name, 'TagLimitExceeded');
  t.deepEqual(await tags(), { team: 'a' });
  const dry = await rejection(kit.ec2.send(new CreateTagsCommand({ Resources: [taskId], Tags: [{ Key: 'k', Value: 'v' }], DryRun: true })));
  t.is(dry.name, 'DryRunOperation');
  t.deepEqual(await tags(), { team: 'a' });
});
