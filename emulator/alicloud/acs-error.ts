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
  ) {
    super(message);
    this.name = 'AcsApiError';
  }
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
export function acsErrorBody(error: Pick<AcsApiError, 'code' | 'message'>, requestId: string, hostId: string, product: string): string {
  return JSON.stringify({
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}&requestId=${requestId}`,
  });
}
