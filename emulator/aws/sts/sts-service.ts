import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID, AWS_CALLER_USER_ID, AWS_RESTRICTED_USER_ID, awsPrincipalArn } from '../aws-identity';
import { stsIamAuthError } from '../iam/iam-service';
import { type QueryServiceSpec } from '../query-service';
import { queryXmlError, queryXmlResponse } from '../query-xml';

/** STS's XML namespace. */
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS (Query API, version 2011-06-15): GetCallerIdentity, so drivers can learn the account and build ARNs. */
export function stsServiceSpec(): QueryServiceSpec {
  return {
    service: 'sts',
    version: '2011-06-15',
    actions: {
      GetCallerIdentity: (call) =>
        queryXmlResponse(
          call.action,
          STS_XMLNS,
          {
            Arn: awsPrincipalArn(call.principal),
            UserId: call.principal === 'admin' ? AWS_CALLER_USER_ID : AWS_RESTRICTED_USER_ID,
            Account: AWS_ACCOUNT_ID,
          },
          call.requestId,
        ),
    },
    renderError: (error, requestId) => queryXmlError(error, STS_XMLNS, requestId),
    authError: stsIamAuthError,
    isReadAction: () => true,
    unauthorized: (action) => new AwsError('AccessDenied', `Not authorized to perform sts:${action}`, 403),
    throttleError: new AwsError('Throttling', 'Rate exceeded', 400),
    unavailableError: new AwsError('ServiceUnavailable', 'Service is unavailable. Please try again later.', 503),
  };
}
