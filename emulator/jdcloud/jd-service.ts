import { type PlumbingProblem, type ServiceHandler, type ServiceRequest, type ServiceResponse } from '../core/http-service';
import { answer, jdError } from './jd-response';
import { NonceRegistry, verifyJdSignature } from './jd-signature';

/** A decoded JD OpenAPI call, after the signature check. */
export interface JdCall {
  readonly method: string;
  /** Path after `/v1`, percent-decoded (`:action` suffixes arrive as `%3A` or `:`; both read as `:`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly request: ServiceRequest;
}

/** Options of {@link jdServiceHandler}. */
export interface JdServiceOptions {
  /** Service code (`vm`, `iam`): the credential scope must name it. */
  readonly service: string;
  /** Secret of a known access key. */
  readonly secretOf: (accessKeyId: string) => string | undefined;
  /** Answers a decoded call: returns the `result` or throws a `JdApiError`. */
  readonly route: (call: JdCall) => unknown;
  /**
   * A sub-user's access key that may only read (GET calls: describe, list); anything else it signs is 403
   * `HTTP_FORBIDDEN` before routing. @default - none
   */
  readonly readOnly?: { readonly accessKeyId: string; readonly subUser: string };
}

/** The gateway's answer to a problem the plumbing found (injected throttling or 5xx, a crash, an oversized body). */
export function jdProblemResponse(problem: PlumbingProblem | string, requestId: string): ServiceResponse {
  switch (problem) {
    case 'throttle':
      return jdError(requestId, 429, 'RATE_LIMIT_EXCEEDED', 'request rate limit exceeded, please retry later');
    case '5xx':
      return jdError(requestId, 503, 'UNAVAILABLE', 'service unavailable, please retry later');
    case 'too-large':
      return jdError(requestId, 400, 'INVALID_ARGUMENT', 'the request body is too large');
    case 'malformed':
      return jdError(requestId, 400, 'INVALID_ARGUMENT', 'the request could not be parsed');
    default:
      return jdError(requestId, 500, 'INTERNAL', 'internal error, please retry later');
  }
}

/**
 * The IAM action name of a call, for the refusal message: the `:action` suffix (`exportImage`), else a verb from the
 * method and the resource collection (`DELETE /regions/r/images/img-1` → `deleteImage`, `POST /role` → `createRole`).
 */
function actionName(method: string, path: string): string {
  const suffix = /:([A-Za-z]+)$/.exec(path)?.[1];
  if (suffix) return suffix;
  const segments = path.split('/').filter(Boolean);
  const noun = (method === 'POST' ? segments[segments.length - 1] : (segments[segments.length - 2] ?? segments[segments.length - 1])) ?? 'resource';
  const verb = ({ POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' } as Record<string, string>)[method] ?? method.toLowerCase();
  const singular = noun.replace(/ies$/, 'y').replace(/s$/, '');
  return `${verb}${singular.charAt(0).toUpperCase()}${singular.slice(1)}`;
}

function decodePath(rawPath: string): string | undefined {
  try {
    return rawPath
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    return undefined;
  }
}

/**
 * A JD OpenAPI service behind the framework's HTTP plumbing: verifies the JDCLOUD2/JDCLOUD3 signature (real time,
 * nonce replay), refuses non-GET calls of the read-only key (403 `HTTP_FORBIDDEN`), decodes the path (so
 * `images/img-x%3AexportImage` and `images/img-x:exportImage` route alike), and answers `{requestId, result}` or `{requestId, error: {code, status, message}}`.
 */
export function jdServiceHandler(options: JdServiceOptions): ServiceHandler {
  const nonces = new NonceRegistry();
  return {
    cloud: 'jdcloud',
    service: options.service,
    problemResponse: (problem, ids) => jdProblemResponse(problem, ids.requestId),
    handle: async (request) => {
      const id = request.requestId;
      const auth = verifyJdSignature(request, options.secretOf, nonces, Date.now());
      if (!auth.ok) return jdError(id, auth.refusal.httpStatus, auth.refusal.status, auth.refusal.message);
      if (auth.caller.service !== options.service) return jdError(id, 401, 'ACCESS_ERROR', 'sign result is not same [gw]');
      const decoded = decodePath(request.rawPath);
      if (decoded === undefined || !decoded.startsWith('/v1/')) {
        return jdError(id, 404, 'NOT_FOUND', `no API at ${request.method} ${request.rawPath}`);
      }
      if (options.readOnly && auth.caller.accessKeyId === options.readOnly.accessKeyId && request.method !== 'GET') {
        const action = actionName(request.method, decoded.slice(3));
        return jdError(id, 403, 'HTTP_FORBIDDEN', `sub-user ${options.readOnly.subUser} is not authorized to perform ${options.service}:${action}: no policy allows it`);
      }
      return answer(id, () =>
        options.route({ method: request.method, path: decoded.slice(3), query: request.query, body: request.body, request }),
      );
    },
  };
}
