import test from 'ava';
import { DescribeImagesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { GOLDEN_AMI, rejection, startAwsKit } from '../aws-test-kit';

test('describe-images: returns a catalog AMI in the shape the SDK parses (block devices, product codes, owner)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const { Images } = await kit.ec2.send(new DescribeImagesCommand({ ImageIds: [GOLDEN_AMI['us-east-1'], 'ami-0bad0000000000a01'] }));
  t.is(Images?.length, 2);
  const golden = Images!.find((image) => image.ImageId === GOLDEN_AMI['us-east-1'])!;
  t.is(golden.State, 'available');
  t.is(golden.OwnerId, kit.emulator.accounts.aws);
  t.is(golden.RootDeviceType, 'ebs');
  t.deepEqual(golden.ProductCodes, []);
  t.deepEqual(golden.Tags, []);
  t.like(golden.BlockDeviceMappings?.[0], { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0600d000000000001', VolumeSize: 8, Encrypted: false } });
  const marketplace = Images!.find((image) => image.ImageId === 'ami-0bad0000000000a01')!;
  t.deepEqual(marketplace.ProductCodes, [{ ProductCodeId: '8fxnqdj5mcz3ne8nmgxyx8ks9', ProductCodeType: 'marketplace' }]);
});

test('describe-images: filters by owner, name wildcard and state; images are regional', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const self = await kit.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: ['imageport-golden-*'] }] }));
  t.deepEqual(self.Images?.map((image) => image.ImageId), [GOLDEN_AMI['us-east-1']]);
  const amazon = await kit.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  t.deepEqual(amazon.Images?.map((image) => image.Platform), ['windows']);
  const pending = await kit.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'state', Values: ['pending'] }] }));
  t.deepEqual(pending.Images?.map((image) => image.ImageId), ['ami-0bad0000000000f01']);
  const eu = await kit.inRegion('eu-west-1').ec2.send(new DescribeImagesCommand({}));
  t.deepEqual(eu.Images?.map((image) => image.ImageId), [GOLDEN_AMI['eu-west-1']]);
});

test('rejects describe-images for unknown and malformed ids, and unknown filters', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })))).name, 'InvalidAMIID.NotFound');
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({ ImageIds: ['image-1'] })))).name, 'InvalidAMIID.Malformed');
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })))).name, 'InvalidParameterValue');
});

test('describe-snapshots: lists catalog snapshots, including the stand-alone ones for ImportImage', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const { Snapshots } = await kit.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'encrypted', Values: ['true'] }] }));
  t.deepEqual(Snapshots?.map((snapshot) => snapshot.SnapshotId), ['snap-0bad0000000000e01']);
  const one = await kit.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0600d00000000a001'] }));
  t.like(one.Snapshots?.[0], { State: 'completed', VolumeSize: 8, Encrypted: false });
  t.is((await rejection(kit.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-00000000000000000'] })))).name, 'InvalidSnapshot.NotFound');
});

test('describe-images: paginates with MaxResults (5..1000) and refuses MaxResults together with ImageIds', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const first = await kit.ec2.send(new DescribeImagesCommand({ MaxResults: 5 }));
  t.is(first.Images?.length, 5);
  t.truthy(first.NextToken);
  const second = await kit.ec2.send(new DescribeImagesCommand({ MaxResults: 5, NextToken: first.NextToken }));
  t.is(second.Images?.length, 2, 'seven AMIs in us-east-1');
  t.is(second.NextToken, undefined);
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({ MaxResults: 5, ImageIds: [GOLDEN_AMI['us-east-1']] })))).name, 'InvalidParameterCombination');
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({ MaxResults: 4 })))).name, 'InvalidParameterValue');
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({ MaxResults: 5, NextToken: 'garbage' })))).name, 'InvalidPaginationToken');
});
