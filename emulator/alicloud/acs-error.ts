/** An Alibaba Cloud API error: HTTP status, code and message, answered as `{RequestId, HostId, Code, Message, Recommend}`. */
export class AcsApiError extends Error {
  /**
   * @param status HTTP status
   * @param code the cloud's error code (`InvalidImageId.NotFound`)
   * @param message the cloud's message
   */
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    /** Extra members of the error body (`AccessDeniedDetail`). @default - none */
    public readonly extra?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'AcsApiError';
  }
}

/** Who the restricted AccessKey belongs to, for `Forbidden.RAM`'s `AccessDeniedDetail`. */
export interface RamPrincipal {
  /** The Alibaba Cloud account (UID) owning the RAM user. */
  readonly accountId: string;
  /** The RAM user's id. */
  readonly userId: string;
}

/**
 * The gateway's `Forbidden.RAM` (HTTP 403) for a RAM user whose policies do not allow `<product>:<action>`, with the
 * `AccessDeniedDetail` the real gateway adds (implicit deny: no policy allows the action).
 */
export function forbiddenRam(product: string, action: string, principal: RamPrincipal): AcsApiError {
  const authAction = `${product}:${action}`;
  const diagnostic = { AuthAction: authAction, AuthPrincipalType: 'SubUser', AuthPrincipalOwnerId: principal.accountId, AuthPrincipalDisplayName: principal.userId, ExplicitDeny: false };
  return new AcsApiError(403, 'Forbidden.RAM', "User not authorized to operate on the specified resource, or this API doesn't support RAM.", {
    AccessDeniedDetail: {
      PolicyType: 'AccountLevelIdentityBasedPolicy',
      AuthPrincipalOwnerId: principal.accountId,
      AuthPrincipalType: 'SubUser',
      AuthPrincipalDisplayName: principal.userId,
      NoPermissionType: 'ImplicitDeny',
      AuthAction: authAction,
      EncodedDiagnosticMessage: Buffer.from(JSON.stringify(diagnostic)).toString('base64'),
    },
  });
}

/** `MissingParameter` for a required parameter, in ECS's wording. */
export function missingParameter(name: string): AcsApiError {
  return new AcsApiError(400, 'MissingParameter', `An input parameter "${name}" that is mandatory for processing the request is not supplied.`);
}

/**
 * The JSON error body of the ECS and RAM gateways (reference §5.6).
 *
 * @param error the error
 * @param requestId the request id of the exchange
 * @param hostId the host the client called (`ecs.aliyuncs.com`)
 * @param product the product for the troubleshooting link (`Ecs`, `Ram`)
 */
export function acsErrorBody(error: Pick<AcsApiError, 'code' | 'message'> & { extra?: Readonly<Record<string, unknown>> }, requestId: string, hostId: string, product: string): string {
  return JSON.stringify({
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}&requestId=${requestId}`,
    ...(error.extra ?? {}),
  });
}
