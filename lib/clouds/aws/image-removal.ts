import { type Image } from '@aws-sdk/client-ec2';
import { CloudError } from '../../model/cloud-error';
import { type DeleteImageOutcome } from '../cloud-driver';
import { type Ec2Api } from './ec2-api';
import { isCloudErrorKind } from './errors';

/** What {@link deleteAwsImage} needs from the driver. */
export interface AwsImageRemovalDeps {
  /** EC2 calls. */
  readonly ec2: Pick<Ec2Api, 'describeImage' | 'deregisterImage' | 'deleteSnapshot'>;
  /** The caller's account id; `undefined` when it cannot be learnt (STS denied). */
  accountId(): Promise<string | undefined>;
  /** Waits between DeleteSnapshot attempts. @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Times DeleteSnapshot is tried while EC2 still reports the snapshot in use by the AMI just deregistered
 * (deregistration is eventually consistent; Terraform's `aws_ami` retries the same code).
 */
export const SNAPSHOT_IN_USE_ATTEMPTS = 6;

/** First wait between those attempts, doubled each time (2 s, 4 s, … about a minute in all). */
export const SNAPSHOT_IN_USE_FIRST_DELAY_MS = 2_000;

/**
 * Deletes an AMI and the EBS snapshots of its block-device mappings: DescribeImages (to read the owner and the
 * snapshots before they are no longer listed), DeregisterImage, then DeleteSnapshot for each snapshot.
 *
 * - A missing (or already deregistered) AMI is `not-found`.
 * - An AMI of another account is refused with `ImageNotOwned` before any change.
 * - A snapshot that is already gone is fine; one that another AMI still uses (`InvalidSnapshot.InUse` naming a
 *   different AMI) is left alone, since deleting it would break that image.
 */
export async function deleteAwsImage(deps: AwsImageRemovalDeps, imageId: string): Promise<DeleteImageOutcome> {
  const image = await deps.ec2.describeImage(imageId);
  if (!image || image.State === 'deregistered') return 'not-found';
  await assertOwned(deps, image, imageId);
  const snapshotIds = snapshotsOf(image);
  try {
    await deps.ec2.deregisterImage(imageId);
  } catch (error) {
    // Deregistered meanwhile (a concurrent or earlier attempt): its snapshots still have to go.
    if (!isCloudErrorKind(error, 'not-found')) throw error;
  }
  for (const snapshotId of snapshotIds) await deleteSnapshot(deps, snapshotId, imageId);
  return 'deleted';
}

/** The EBS snapshot ids of an AMI's block-device mappings, in mapping order, without duplicates. */
export function snapshotsOf(image: Image): string[] {
  const ids = (image.BlockDeviceMappings ?? []).map((mapping) => mapping.Ebs?.SnapshotId).filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)];
}

async function assertOwned(deps: AwsImageRemovalDeps, image: Image, imageId: string): Promise<void> {
  const account = await deps.accountId();
  const owned = account !== undefined ? image.OwnerId === account : (await deps.ec2.describeImage(imageId, ['self'])) !== undefined;
  if (owned) return;
  const whose = image.OwnerId ? `account ${image.OwnerId}${image.ImageOwnerAlias ? ` (${image.ImageOwnerAlias})` : ''}` : 'another account';
  throw new CloudError({
    cloud: 'aws',
    operation: 'deleteImage',
    code: 'ImageNotOwned',
    message: `${imageId} belongs to ${whose}, not to ${account ? `this account (${account})` : 'the caller'}: imageport deletes only AMIs the caller owns (those its imports created); nothing was deleted`,
    kind: 'invalid',
  });
}

async function deleteSnapshot(deps: AwsImageRemovalDeps, snapshotId: string, imageId: string): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.ec2.deleteSnapshot(snapshotId);
      return;
    } catch (error) {
      if (isCloudErrorKind(error, 'not-found')) return;
      if (!(error instanceof CloudError) || error.code !== 'InvalidSnapshot.InUse') throw error;
      const user = /\b(ami-[0-9a-f]+)\b/.exec(error.message)?.[1];
      if (user !== undefined && user !== imageId) return; // another AMI's snapshot now: keep it
      if (attempt >= SNAPSHOT_IN_USE_ATTEMPTS) throw error;
      await sleep(SNAPSHOT_IN_USE_FIRST_DELAY_MS * 2 ** (attempt - 1));
    }
  }
}
