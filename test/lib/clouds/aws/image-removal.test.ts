import test from 'ava';
import { type Image } from '@aws-sdk/client-ec2';
import { deleteAwsImage, SNAPSHOT_IN_USE_ATTEMPTS, snapshotsOf, type AwsImageRemovalDeps } from '../../../../lib/clouds/aws/image-removal';
import { CloudError } from '../../../../lib/model/cloud-error';

const AMI = 'ami-0123456789abcdef0';
const OWN: Image = {
  ImageId: AMI,
  OwnerId: '123456789012',
  State: 'available',
  BlockDeviceMappings: [
    { DeviceName: '/dev/sda1', Ebs: { SnapshotId: 'snap-00000000000000001' } },
    { DeviceName: '/dev/sdb', Ebs: { SnapshotId: 'snap-00000000000000002' } },
    { DeviceName: '/dev/sdc', VirtualName: 'ephemeral0' },
  ],
};

function inUse(snapshotId: string, by: string): CloudError {
  return new CloudError({ cloud: 'aws', operation: 'DeleteSnapshot', code: 'InvalidSnapshot.InUse', message: `The snapshot ${snapshotId} is currently in use by ${by}`, kind: 'conflict' });
}

/** A scripted EC2: DescribeImages answers, DeleteSnapshot failures queued per snapshot; every call recorded. */
function fakeEc2(options: { image?: Image; ownImage?: Image; deleteFailures?: Record<string, CloudError[]>; account?: string }) {
  const calls: string[] = [];
  const sleeps: number[] = [];
  const deps: AwsImageRemovalDeps = {
    accountId: async () => options.account,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ec2: {
      describeImage: async (imageId, owners) => {
        calls.push(`DescribeImages ${imageId}${owners ? ` owners=${owners.join(',')}` : ''}`);
        return owners ? options.ownImage : options.image;
      },
      deregisterImage: async (imageId) => {
        calls.push(`DeregisterImage ${imageId}`);
      },
      deleteSnapshot: async (snapshotId) => {
        calls.push(`DeleteSnapshot ${snapshotId}`);
        const failure = options.deleteFailures?.[snapshotId]?.shift();
        if (failure) throw failure;
      },
    },
  };
  return { deps, calls, sleeps };
}

test('reads the snapshots of EBS mappings only, once each', (t) => {
  t.deepEqual(snapshotsOf({ BlockDeviceMappings: [...OWN.BlockDeviceMappings!, { Ebs: { SnapshotId: 'snap-00000000000000001' } }] }), [
    'snap-00000000000000001',
    'snap-00000000000000002',
  ]);
});

test('deregisters, then deletes each snapshot, retrying while EC2 still says the deregistered AMI uses it', async (t) => {
  const { deps, calls, sleeps } = fakeEc2({ image: OWN, account: '123456789012', deleteFailures: { 'snap-00000000000000001': [inUse('snap-00000000000000001', AMI), inUse('snap-00000000000000001', AMI)] } });
  t.is(await deleteAwsImage(deps, AMI), 'deleted');
  t.deepEqual(calls, [
    `DescribeImages ${AMI}`,
    `DeregisterImage ${AMI}`,
    'DeleteSnapshot snap-00000000000000001',
    'DeleteSnapshot snap-00000000000000001',
    'DeleteSnapshot snap-00000000000000001',
    'DeleteSnapshot snap-00000000000000002',
  ]);
  t.deepEqual(sleeps, [2000, 4000]);
});

test('leaves a snapshot another AMI uses and one already gone', async (t) => {
  const gone = new CloudError({ cloud: 'aws', operation: 'DeleteSnapshot', code: 'InvalidSnapshot.NotFound', message: 'x', kind: 'not-found' });
  const { deps, calls } = fakeEc2({
    image: OWN,
    account: '123456789012',
    deleteFailures: { 'snap-00000000000000001': [inUse('snap-00000000000000001', 'ami-0fedcba9876543210')], 'snap-00000000000000002': [gone] },
  });
  t.is(await deleteAwsImage(deps, AMI), 'deleted');
  t.is(calls.filter((call) => call.startsWith('DeleteSnapshot')).length, 2);
});

test('fails after the last attempt when the snapshot stays in use by the deregistered AMI', async (t) => {
  const failures = Array.from({ length: SNAPSHOT_IN_USE_ATTEMPTS }, () => inUse('snap-00000000000000001', AMI));
  const { deps } = fakeEc2({ image: OWN, account: '123456789012', deleteFailures: { 'snap-00000000000000001': failures } });
  const error = await t.throwsAsync(deleteAwsImage(deps, AMI), { instanceOf: CloudError });
  t.is(error!.code, 'InvalidSnapshot.InUse');
});

test('a missing or deregistered AMI is not-found, with no change', async (t) => {
  for (const image of [undefined, { ...OWN, State: 'deregistered' as const }]) {
    const { deps, calls } = fakeEc2({ image, account: '123456789012' });
    t.is(await deleteAwsImage(deps, AMI), 'not-found');
    t.deepEqual(calls, [`DescribeImages ${AMI}`]);
  }
});

test('rejects another account\'s AMI before any change; without a known account id, asks DescribeImages Owners=self', async (t) => {
  const foreign = { ...OWN, OwnerId: '210987654321', ImageOwnerAlias: 'amazon' };
  const known = fakeEc2({ image: foreign, account: '123456789012' });
  const error = await t.throwsAsync(deleteAwsImage(known.deps, AMI), { instanceOf: CloudError });
  t.is(error!.code, 'ImageNotOwned');
  t.regex(error!.message, /belongs to account 210987654321 \(amazon\), not to this account \(123456789012\).*nothing was deleted/);
  t.deepEqual(known.calls, [`DescribeImages ${AMI}`]);

  const unknownForeign = fakeEc2({ image: foreign, ownImage: undefined, account: undefined });
  await t.throwsAsync(deleteAwsImage(unknownForeign.deps, AMI), { instanceOf: CloudError, message: /not to the caller/ });
  t.deepEqual(unknownForeign.calls, [`DescribeImages ${AMI}`, `DescribeImages ${AMI} owners=self`]);

  const unknownOwn = fakeEc2({ image: OWN, ownImage: OWN, account: undefined });
  t.is(await deleteAwsImage(unknownOwn.deps, AMI), 'deleted');
});

test('an AMI deregistered between the describe and the deregister still gets its snapshots deleted', async (t) => {
  const { deps, calls } = fakeEc2({ image: OWN, account: '123456789012' });
  deps.ec2.deregisterImage = async () => {
    calls.push('DeregisterImage (gone)');
    throw new CloudError({ cloud: 'aws', operation: 'DeregisterImage', code: 'InvalidAMIID.Unavailable', message: 'gone', kind: 'not-found' });
  };
  t.is(await deleteAwsImage(deps, AMI), 'deleted');
  t.is(calls.filter((call) => call.startsWith('DeleteSnapshot')).length, 2);
});
