import { type PlumbingProblem, type ServiceHandler, type ServiceRequest, type ServiceResponse } from '../core/http-service';
import { type AccessKeyPair } from '../types';
import { AcsApiError, acsErrorBody, forbiddenRam, type RamPrincipal } from './acs-error';
import { AcsNonceRegistry, verifyAcsSignature } from './acs-signature';

/** One Alibaba Cloud RPC product (ECS `2014-05-26`, RAM `2015-05-01`) behind the gateway. */
export interface RpcServiceSpec {
  /** Service name for fault filters (`ecs`, `ram`). */
  readonly service: string;
  /** Product name for the troubleshooting link (`Ecs`, `Ram`). */
  readonly product: string;
  /** Host the gateway reports as `HostId`. */
  readonly hostId: string;
  /** API version the product speaks. */
  readonly version: string;
  /** The key pair requests must be signed with. */
  readonly credentials: AccessKeyPair;
  /** A RAM user's key pair that may call only {@link isReadAction} actions; others get `Forbidden.RAM`. @default - none */
  readonly restricted?: { readonly credentials: AccessKeyPair; readonly principal: RamPrincipal };
  /** True for the actions the restricted key may call (reads: `Describe*`, `Get*`, `List*`). */
  readonly isReadAction: (action: string) => boolean;
  /** Runs before each request (brings tasks up to the clock). @default - nothing */
  readonly beforeRequest?: () => void;
  /** Answers one action: the response body without RequestId, or throws {@link AcsApiError}. */
  readonly handle: (action: string, params: ReadonlyMap<string, string>, request: ServiceRequest) => Record<string, unknown>;
  /** Real time for the signature window. @default Date.now */
  readonly now?: () => number;
}

function json(status: number, body: string, requestId: string): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId }, body };
}

const PROBLEMS: Readonly<Record<PlumbingProblem, AcsApiError>> = {
  throttle: new AcsApiError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  '5xx': new AcsApiError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
  internal: new AcsApiError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.'),
  'too-large': new AcsApiError(400, 'InvalidParameter', 'The request body is too large.'),
  malformed: new AcsApiError(400, 'BadRequest', 'The request could not be parsed as HTTP.'),
};

/**
 * The gateway in front of an Alibaba Cloud RPC product: GET or POST on `/`, parameters from the query and a form
 * body, the action from `x-acs-action` or `Action`, the version from `x-acs-version` or `Version`, a V3 or V2
 * signature (reused nonce: `SignatureNonceUsed`; stale date: `InvalidTimeStamp.Expired`), RAM authorization of the
 * restricted key (`Forbidden.RAM` with `AccessDeniedDetail`), and every error as
 * `{RequestId, HostId, Code, Message, Recommend}` with its HTTP status.
 */
export function rpcServiceHandler(cloud: string, spec: RpcServiceSpec): ServiceHandler {
  const nonces = new AcsNonceRegistry();
  const fail = (error: AcsApiError, requestId: string): ServiceResponse => json(error.status, acsErrorBody(error, requestId, spec.hostId, spec.product), requestId);
  return {
    cloud,
    service: spec.service,
    problemResponse: (problem: PlumbingProblem, ids) => fail(PROBLEMS[problem], ids.requestId),
    handle: (request) => {
      if (request.method !== 'GET' && request.method !== 'POST') {
        return fail(new AcsApiError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.'), request.requestId);
      }
      const verified = verifyAcsSignature(request, {
        secretFor: (accessKeyId) =>
          accessKeyId === spec.credentials.accessKeyId
            ? spec.credentials.secretAccessKey
            : accessKeyId === spec.restricted?.credentials.accessKeyId
              ? spec.restricted.credentials.secretAccessKey
              : undefined,
        nonces,
        ...(spec.now ? { now: spec.now } : {}),
      });
      if (!verified.ok) return fail(new AcsApiError(verified.refusal.status, verified.refusal.code, verified.refusal.message), request.requestId);
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const action = header('x-acs-action') ?? verified.params.get('Action');
      const version = header('x-acs-version') ?? verified.params.get('Version');
      if (!action) return fail(new AcsApiError(400, 'MissingParameter', 'An input parameter "Action" that is mandatory for processing the request is not supplied.'), request.requestId);
      if (version !== spec.version) {
        return fail(new AcsApiError(400, 'InvalidVersion', `Specified parameter Version is not valid: ${JSON.stringify(version ?? '')} (expected ${spec.version}).`), request.requestId);
      }
      if (spec.restricted && verified.accessKeyId === spec.restricted.credentials.accessKeyId && !spec.isReadAction(action)) {
        // RAM authorization comes before the API's own checks, DryRun included.
        return fail(forbiddenRam(spec.service, action, spec.restricted.principal), request.requestId);
      }
      try {
        spec.beforeRequest?.();
        const body = spec.handle(action, verified.params, request);
        return json(200, JSON.stringify({ RequestId: request.requestId, ...body }), request.requestId);
      } catch (error) {
        if (error instanceof AcsApiError) return fail(error, request.requestId);
        throw error;
      }
    },
  };
}
