import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteSnapshotCommand, DeregisterImageCommand, DescribeImagesCommand, DescribeSnapshotsCommand, ImportImageCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { GOLDEN_AMI, rejection, startAwsKit, type AwsKit } from '../aws-test-kit';

/** Imports the stand-alone catalog snapshot and returns the new AMI (the import finishes within an emulated hour). */
async function importedAmi(kit: AwsKit): Promise<{ imageId: string; snapshotIds: string[] }> {
  await kit.createVmimportRole('unused-import', 'unused-export');
  const started = await kit.ec2.send(new ImportImageCommand({ DiskContainers: [{ SnapshotId: 'snap-0600d00000000a001' }], Platform: 'Linux' }));
  kit.clock.advance(3_600_000);
  const image = (await kit.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [started.ImportTaskId!] }] }))).Images![0];
  return { imageId: image.ImageId!, snapshotIds: image.BlockDeviceMappings!.map((mapping) => mapping.Ebs!.SnapshotId!) };
}

async function snapshotIds(ec2: EC2Client, ids: string[]): Promise<string[]> {
  const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'snapshot-id', Values: ids }] }));
  return (Snapshots ?? []).map((snapshot) => snapshot.SnapshotId!);
}

test('deregister-image: the AMI disappears, its snapshot is InvalidSnapshot.InUse until then and deletable after', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const { imageId, snapshotIds: [snapshotId] } = await importedAmi(kit);
  const inUse = await rejection(kit.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
  t.is(inUse.name, 'InvalidSnapshot.InUse');
  t.is(inUse.message, `The snapshot ${snapshotId} is currently in use by ${imageId}`);
  const out = await kit.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
  t.true(out.Return);
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })))).name, 'InvalidAMIID.NotFound');
  t.false(kit.emulator.inspect().images.some((image) => image.id === imageId));
  t.deepEqual(await snapshotIds(kit.ec2, [snapshotId]), [snapshotId], 'the snapshot outlives the AMI');
  await kit.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
  t.deepEqual(await snapshotIds(kit.ec2, [snapshotId]), []);
  t.is((await rejection(kit.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })))).name, 'InvalidSnapshot.NotFound');
  t.is((await rejection(kit.ec2.send(new DeregisterImageCommand({ ImageId: imageId })))).name, 'InvalidAMIID.NotFound');
});

test('deregister-image with DeleteAssociatedSnapshots reports each snapshot in DeleteSnapshotResults', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const { imageId, snapshotIds: ids } = await importedAmi(kit);
  const out = await kit.ec2.send(new DeregisterImageCommand({ ImageId: imageId, DeleteAssociatedSnapshots: true }));
  t.deepEqual(out.DeleteSnapshotResults, ids.map((SnapshotId) => ({ SnapshotId, ReturnCode: 'success' })));
  t.deepEqual(await snapshotIds(kit.ec2, ids), []);
});

test('a catalog AMI of the account can be deregistered; it and its deleted snapshot stay gone after a restart on the same state', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'imageport-removal-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const first = await startAwsKit({ stateDir });
  await first.ec2.send(new DeregisterImageCommand({ ImageId: GOLDEN_AMI['us-east-1'] }));
  await first.ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-0600d000000000001' }));
  await first.stop();
  const kit = await startAwsKit({ stateDir });
  t.teardown(() => kit.stop());
  const mine = await kit.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: ['imageport-golden-*'] }] }));
  t.deepEqual(mine.Images, []);
  t.deepEqual(await snapshotIds(kit.ec2, ['snap-0600d000000000001']), []);
  t.deepEqual((await kit.inRegion('eu-west-1').ec2.send(new DescribeImagesCommand({ ImageIds: [GOLDEN_AMI['eu-west-1']] }))).Images?.length, 1, 'other AMIs stay');
});

test('rejects deregistering another account\'s AMI (AuthFailure) and deleting its snapshot; malformed ids; DryRun', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const shared = await rejection(kit.ec2.send(new DeregisterImageCommand({ ImageId: 'ami-0bad0000000000c01' })));
  t.is(shared.name, 'AuthFailure');
  t.is(shared.message, 'Not authorized for image:ami-0bad0000000000c01');
  t.true(kit.emulator.inspect().images.some((image) => image.id === 'ami-0bad0000000000c01'));
  const sharedSnapshot = (await kit.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0bad0000000000c01'] }))).Images![0].BlockDeviceMappings![0].Ebs!.SnapshotId!;
  t.is((await rejection(kit.ec2.send(new DeleteSnapshotCommand({ SnapshotId: sharedSnapshot })))).name, 'UnauthorizedOperation');
  t.is((await rejection(kit.ec2.send(new DeregisterImageCommand({ ImageId: 'image-1' })))).name, 'InvalidAMIID.Malformed');
  t.is((await rejection(kit.ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snapshot-1' })))).name, 'InvalidSnapshotID.Malformed');
  const dry = await rejection(kit.ec2.send(new DeregisterImageCommand({ ImageId: GOLDEN_AMI['us-east-1'], DryRun: true })));
  t.is(dry.name, 'DryRunOperation');
  t.is(dry.$metadata?.httpStatusCode, 412);
  t.true(kit.emulator.inspect().images.some((image) => image.id === GOLDEN_AMI['us-east-1']), 'a dry run changes nothing');
});
