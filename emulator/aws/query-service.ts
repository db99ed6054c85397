import { type ServerResponse } from 'node:http';
import { type PlumbingProblem, type ServiceHandler, type ServiceRequest, type ServiceResponse } from '../core/http-service';
import { QueryParams } from '../core/query-params';
import { verifySigV4, type SigV4FailureReason } from '../core/sigv4-verifier';
import { type TaskFaultKind } from '../core/fault-injector';
import { AwsError } from './aws-error';
import { awsPrincipalOf, awsSecretFor, type AwsPrincipal } from './aws-identity';

/** One parsed, authenticated Query-protocol call. */
export interface QueryCall {
  /** Action name. */
  readonly action: string;
  /** Parameters (body and query string merged). */
  readonly params: QueryParams;
  /** Region of the signature's credential scope. */
  readonly region: string;
  /** Request id of the exchange. */
  readonly requestId: string;
  /** Who signed the request. */
  readonly principal: AwsPrincipal;
  /** Task fault drawn for this request. @default - none */
  readonly taskFault?: TaskFaultKind;
}

/** An action handler: returns the response, or throws {@link AwsError}. */
export type QueryAction = (call: QueryCall) => ServiceResponse;

/** What differs between EC2, IAM and STS. */
export interface QueryServiceSpec {
  /** Service name (signing scope and fault filter). */
  readonly service: string;
  /** API version the service speaks (`2016-11-15`). */
  readonly version: string;
  /** Actions by name. */
  readonly actions: Readonly<Record<string, QueryAction>>;
  /** Renders an error in the service's shape. */
  renderError(error: AwsError, requestId: string): ServiceResponse;
  /** Maps a signature failure to the service's error (`computed`: what the server signed, for a mismatch). */
  authError(reason: SigV4FailureReason, detail: string, computed?: { readonly stringToSign: string; readonly canonicalRequest: string }): AwsError;
  /** Checks the scope's region (EC2 only serves known regions). @default - any region */
  checkRegion?(region: string): AwsError | undefined;
  /** The service's throttling error. */
  readonly throttleError: AwsError;
  /** The service's 5xx error. */
  readonly unavailableError: AwsError;
  /** Called before each authenticated call (bring tasks up to the clock). @default - nothing */
  beforeCall?(): void;
  /** True for the actions the restricted principal may call (reads). */
  isReadAction(action: string): boolean;
  /** The service's authorization error for a restricted principal calling a non-read action. */
  unauthorized(action: string, params: QueryParams, principal: AwsPrincipal): AwsError;
}

/**
 * A Query-protocol service (`POST /` with a form body, `Action=…&Version=…`): verifies SigV4, parses parameters
 * as a map (both content types), dispatches the action, and renders every failure in the service's error shape.
 */
export function queryServiceHandler(spec: QueryServiceSpec): ServiceHandler {
  return {
    cloud: 'aws',
    service: spec.service,
    handle: (request: ServiceRequest, _res: ServerResponse) => {
      try {
        return dispatch(spec, request);
      } catch (error) {
        if (error instanceof AwsError) return spec.renderError(error, request.requestId);
        throw error;
      }
    },
    problemResponse: (problem: PlumbingProblem, ids) => spec.renderError(problemError(spec, problem), ids.requestId),
  };
}

function dispatch(spec: QueryServiceSpec, request: ServiceRequest): ServiceResponse {
  if (request.method !== 'POST' && request.method !== 'GET') {
    throw new AwsError('InvalidAction', `The HTTP method ${request.method} is not supported; use POST.`, 400);
  }
  const auth = verifySigV4(request, {
    service: spec.service,
    secretFor: awsSecretFor,
  });
  if (!auth.ok) throw spec.authError(auth.reason, auth.detail, auth.computed);
  const principal = awsPrincipalOf(auth.accessKeyId) ?? 'restricted';
  const regionProblem = spec.checkRegion?.(auth.region);
  if (regionProblem) throw regionProblem;

  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  const formBody = contentType.startsWith('application/x-www-form-urlencoded') ? request.body.toString('utf8') : '';
  const params = QueryParams.parse(formBody, request.rawQuery);
  const action = params.get('Action');
  if (action === undefined || action === '') {
    throw new AwsError('MissingAction', 'The request must contain the parameter Action.', 400);
  }
  const handler = Object.prototype.hasOwnProperty.call(spec.actions, action) ? spec.actions[action] : undefined;
  if (!handler) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
  const version = params.get('Version');
  if (version === undefined || version === '') throw new AwsError('MissingParameter', 'The request must contain the parameter Version.', 400);
  if (version !== spec.version) {
    throw new AwsError('NoSuchVersion', `The requested version (${version}) of service ${spec.service} does not exist.`, 400);
  }
  // Authorization comes before any parameter check, DryRun included: a DryRun of a call the principal may not make
  // answers the authorization error, as AWS does.
  if (principal === 'restricted' && !spec.isReadAction(action)) throw spec.unauthorized(action, params, principal);
  spec.beforeCall?.();
  return handler({ action, params, region: auth.region, requestId: request.requestId, principal, ...(request.taskFault ? { taskFault: request.taskFault } : {}) });
}

function problemError(spec: QueryServiceSpec, problem: PlumbingProblem): AwsError {
  switch (problem) {
    case 'throttle':
      return spec.throttleError;
    case '5xx':
      return spec.unavailableError;
    case 'too-large':
      return new AwsError('RequestEntityTooLarge', 'The request body is larger than the service accepts.', 413);
    case 'malformed':
      return new AwsError('MalformedQueryString', 'The request could not be parsed.', 400);
    case 'internal':
      return new AwsError('InternalError', 'An internal error has occurred.', 500);
  }
}
