import {
  CreateTagsCommand,
  DescribeExportImageTasksCommand,
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import anyTest, { type TestFn } from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { type AwsImportSpec } from '../../../../lib/model/import-spec';
import { type TaskRef } from '../../../../lib/model/task';
import { deterministicToken } from '../../../../lib/model/token';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { startAwsEmulator, type AwsEmulatorFixture } from './emulator-fixture';

const test = anyTest as TestFn<AwsEmulatorFixture & { ec2: EC2Client }>;

const BUCKET = 'lifecycle-exports';
/** Catalog AMI shared from another account (210987654321). */
const SHARED_AMI = 'ami-0bad0000000000c01';

test.before(async (t) => {
  const fixture = await startAwsEmulator();
  const driver = fixture.driver();
  await driver.ensureRole({ cloud: 'aws', purpose: 'both', exportBuckets: [BUCKET], importBuckets: [BUCKET] });
  await driver.ensureBucket({ cloud: 'aws', region: fixture.region, name: BUCKET });
  const ec2 = new EC2Client({ region: fixture.region, endpoint: fixture.emulator.endpoints.aws.ec2, credentials: fixture.emulator.credentials.aws, maxAttempts: 1 });
  t.context = { ...fixture, ec2 };
});

test.after.always(async (t) => {
  t.context?.ec2.destroy();
  await t.context?.stop();
});

function snapshotImport(region: string, tags: Record<string, string>): AwsImportSpec {
  return { cloud: 'aws', region, disks: [{ snapshotId: 'snap-0600d00000000a001' }], architecture: 'x86_64', platform: 'Linux', tags };
}

async function importedImage(t: { context: AwsEmulatorFixture }, name: string, tags: Record<string, string> = {}): Promise<{ ref: TaskRef; imageId: string }> {
  const driver = t.context.driver();
  const ref = await driver.startImport(snapshotImport(t.context.region, tags), deterministicToken(['lifecycle', name]));
  const done = await t.context.wait(driver, ref);
  return { ref, imageId: done.imageId! };
}

function tagMap(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

test.serial('updateTags retags a running export task in place and keeps the imageport token tag', async (t) => {
  const driver = t.context.driver();
  const ref = await driver.startExport(
    { cloud: 'aws', region: t.context.region, imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: BUCKET, tags: { team: 'a', stage: 'dev' } },
    deterministicToken(['lifecycle', 'export-tags']),
  );
  t.is(await driver.updateTags(ref, { team: 'b', owner: 'ops' }), 'updated');
  const taskCount = t.context.emulator.inspect().tasks.length;
  t.is((await driver.describe(ref)).state, 'pending', 'still validating: the update started nothing');
  const { ExportImageTasks } = await t.context.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [ref.taskId] }));
  t.deepEqual(tagMap(ExportImageTasks?.[0].Tags), { team: 'b', owner: 'ops', 'imageport:client-token': ref.clientToken! });
  t.is(t.context.emulator.inspect().tasks.length, taskCount, 'no second task');
  // The retried start still finds the task by its token tag.
  const again = await driver.startExport(
    { cloud: 'aws', region: t.context.region, imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: BUCKET, tags: { team: 'a' } },
    ref.clientToken!,
  );
  t.is(again.taskId, ref.taskId);
  t.true(again.adopted);
  t.is(await driver.cancel(ref), 'cancelled');
});

test.serial('updateTags on a finished import tags the task and the new AMI, leaving tags others put on the AMI', async (t) => {
  const driver = t.context.driver();
  const { ref, imageId } = await importedImage(t, 'import-tags', { team: 'a', stage: 'dev' });
  await t.context.ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: 'Name', Value: 'set by hand' }] }));
  t.is(await driver.updateTags(ref, { team: 'b', owner: 'ops' }), 'updated');
  const image = (await t.context.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0];
  t.deepEqual(tagMap(image?.Tags), { Name: 'set by hand', team: 'b', owner: 'ops' });
  const { ImportImageTasks } = await t.context.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [ref.taskId] }));
  t.deepEqual(tagMap(ImportImageTasks?.[0].Tags), { team: 'b', owner: 'ops', 'imageport:client-token': ref.clientToken! });
  t.is(await driver.updateTags(ref, {}), 'updated');
  const cleared = (await t.context.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0];
  t.deepEqual(tagMap(cleared?.Tags), { Name: 'set by hand' });
});

test.serial('rejects tags that break the EC2 or imageport rules before any call, naming each', async (t) => {
  const { ref } = await importedImage(t, 'bad-tags', { team: 'a' });
  const error = await t.throwsAsync(t.context.driver().updateTags(ref, { 'aws:team': 'x', 'imageport:client-token': 'y', ok: 'v'.repeat(257) }), { instanceOf: SpecValidationError });
  t.deepEqual(
    error!.issues.map((issue) => [issue.field, issue.code]),
    [
      ['tags.aws:team', 'tag-key.reserved'],
      ['tags.imageport:client-token', 'tag-key.reserved'],
      ['tags.ok', 'tag-value.too-long'],
    ],
  );
  const { ImportImageTasks } = await t.context.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [ref.taskId] }));
  t.is(tagMap(ImportImageTasks?.[0].Tags).team, 'a', 'nothing changed');
  await t.throwsAsync(t.context.driver().updateTags({ ...ref, taskId: 'import-ami-0123456789abcdef0' }, {}), { instanceOf: CloudError, message: /does not exist/ });
});

test.serial('deleteImage deregisters an imported AMI and deletes its snapshots; a second call is not-found', async (t) => {
  const { imageId } = await importedImage(t, 'delete');
  const image = (await t.context.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0];
  const snapshotIds = image.BlockDeviceMappings!.map((mapping) => mapping.Ebs!.SnapshotId!);
  t.true(snapshotIds.length > 0);
  const driver = t.context.driver();
  t.is(await driver.deleteImage(imageId), 'deleted');
  t.false(t.context.emulator.inspect().images.some((i) => i.id === imageId));
  const left = await t.context.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'snapshot-id', Values: snapshotIds }] }));
  t.deepEqual(left.Snapshots, []);
  t.is(await driver.deleteImage(imageId), 'not-found');
  t.is(await driver.deleteImage('ami-0123456789abcdef0'), 'not-found');
});

test.serial('deleteImage refuses another account\'s AMI without deleting anything, and a malformed id without a call', async (t) => {
  const driver = t.context.driver();
  const error = await t.throwsAsync(driver.deleteImage(SHARED_AMI), { instanceOf: CloudError });
  t.is(error!.code, 'ImageNotOwned');
  t.regex(error!.message, /belongs to account 210987654321, not to this account \(123456789012\)/);
  t.true(t.context.emulator.inspect().images.some((i) => i.id === SHARED_AMI));
  const malformed = await t.throwsAsync(driver.deleteImage('ami-XYZ'), { instanceOf: SpecValidationError });
  t.is(malformed!.issues[0].field, 'imageId');
});
