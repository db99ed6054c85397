import { type XmlObject } from '../../core/xml';
import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID } from '../aws-identity';
import { type QueryAction } from '../query-service';
import { booleanParam, honourDryRun, rejectUnknownParameters, requireParam } from './ec2-params';
import { type Ec2World } from './ec2-world';
import { ec2Response, itemSet } from './ec2-xml';
import { assertWellFormedImageId } from './export-image';

/** `snap-` and 8 or 17 hex digits. */
const SNAPSHOT_ID = /^snap-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * DeregisterImage and DeleteSnapshot. Only the account's own AMIs and snapshots can go (another account's AMI:
 * `AuthFailure` "Not authorized for image:…", AWS's answer); a snapshot behind a registered AMI is refused with
 * `InvalidSnapshot.InUse` until that AMI is deregistered. `DeleteAssociatedSnapshots=true` deletes the AMI's
 * snapshots in the same call and reports each in `deleteSnapshotResultSet`.
 */
export function imageRemovalActions(world: Ec2World): Record<string, QueryAction> {
  return {
    DeregisterImage: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['ImageId', 'DeleteAssociatedSnapshots', 'DryRun']);
      const imageId = requireParam(params, 'ImageId');
      assertWellFormedImageId(imageId);
      const withSnapshots = booleanParam(params, 'DeleteAssociatedSnapshots') === true;
      honourDryRun(params);
      const image = world.image(region, imageId);
      if (!image) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`, 400);
      if (image.owner !== AWS_ACCOUNT_ID) throw new AwsError('AuthFailure', `Not authorized for image:${imageId}`, 401);
      world.deregisterImage(imageId);
      const content: XmlObject = { return: true };
      if (withSnapshots) {
        const results = [...new Set(image.blockDevices.map((device) => device.snapshotId))].map((snapshotId) => {
          const snapshot = world.snapshot(region, snapshotId);
          if (!snapshot) return { snapshotId, returnCode: 'skipped' };
          if (snapshot.owner !== AWS_ACCOUNT_ID) return { snapshotId, returnCode: 'missing-permissions' };
          if (world.imagesUsingSnapshot(region, snapshotId).length > 0) return { snapshotId, returnCode: 'client-error' };
          world.deleteSnapshot(snapshotId);
          return { snapshotId, returnCode: 'success' };
        });
        content.deleteSnapshotResultSet = itemSet(results);
      }
      return ec2Response('DeregisterImage', content, call.requestId);
    },

    DeleteSnapshot: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['SnapshotId', 'DryRun']);
      const snapshotId = requireParam(params, 'SnapshotId');
      if (!SNAPSHOT_ID.test(snapshotId)) throw new AwsError('InvalidSnapshotID.Malformed', `Invalid id: "${snapshotId}" (expecting "snap-...")`, 400);
      honourDryRun(params);
      const snapshot = world.snapshot(region, snapshotId);
      if (!snapshot) throw new AwsError('InvalidSnapshot.NotFound', `The snapshot '${snapshotId}' does not exist.`, 400);
      if (snapshot.owner !== AWS_ACCOUNT_ID) throw new AwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
      const user = world.imagesUsingSnapshot(region, snapshotId)[0];
      if (user) throw new AwsError('InvalidSnapshot.InUse', `The snapshot ${snapshotId} is currently in use by ${user.id}`, 400);
      world.deleteSnapshot(snapshotId);
      return ec2Response('DeleteSnapshot', { return: true }, call.requestId);
    },
  };
}
