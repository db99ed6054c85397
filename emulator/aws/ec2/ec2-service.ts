import { type SigV4FailureReason } from '../../core/sigv4-verifier';
import { AwsError } from '../aws-error';
import { awsPrincipalArn } from '../aws-identity';
import { type QueryServiceSpec } from '../query-service';
import { describeImageActions } from './describe-images';
import { type Ec2World } from './ec2-world';
import { ec2Error } from './ec2-xml';
import { exportImageActions, settleExports } from './export-image';
import { imageRemovalActions } from './image-removal';
import { importImageActions, settleImports } from './import-image';
import { resourceTagActions } from './resource-tags';

/** Brings every EC2 task's side effects up to the emulated clock. */
export function settleEc2(world: Ec2World): void {
  settleExports(world);
  settleImports(world);
}

/** The EC2 Query API (version 2016-11-15) for VM Import/Export, image lookups and removal, and tags. */
export function ec2ServiceSpec(world: Ec2World): QueryServiceSpec {
  return {
    service: 'ec2',
    version: '2016-11-15',
    actions: {
      ...exportImageActions(world),
      ...importImageActions(world),
      ...describeImageActions(world),
      ...imageRemovalActions(world),
      ...resourceTagActions(world),
    },
    renderError: ec2Error,
    authError: ec2AuthError,
    checkRegion: (region) =>
      world.regions.includes(region) ? undefined : new AwsError('AuthFailure', `Credential should be scoped to a valid region, not '${region}'.`, 401),
    throttleError: new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
    unavailableError: new AwsError('InternalError', 'An internal error has occurred', 500),
    beforeCall: () => settleEc2(world),
    isReadAction: (action) => action.startsWith('Describe'),
    unauthorized: (action, _params, principal) =>
      new AwsError(
        'UnauthorizedOperation',
        `You are not authorized to perform this operation. User: ${awsPrincipalArn(principal)} is not authorized to perform: ec2:${action} because no identity-based policy allows the ec2:${action} action`,
        403,
      ),
  };
}

/** EC2's answers to signature failures. */
function ec2AuthError(reason: SigV4FailureReason, detail: string): AwsError {
  switch (reason) {
    case 'expired':
    case 'not-yet-valid':
      return new AwsError('RequestExpired', `Request has expired. ${detail}`, 400);
    case 'malformed':
      return new AwsError('IncompleteSignature', detail, 400);
    case 'wrong-service':
      return new AwsError('AuthFailure', detail, 401);
    default:
      return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  }
}
