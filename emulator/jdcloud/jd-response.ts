/** An HTTP answer in JD's OpenAPI shapes (structurally a framework `ServiceResponse`). */
export interface JdAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON body. */
  readonly body: string;
}

/** A business error a handler throws; the service turns it into `{requestId, error: {code, status, message}}`. */
export class JdApiError extends Error {
  /** HTTP status, also `error.code`. */
  public readonly httpStatus: number;
  /** `error.status` string (`INVALID_ARGUMENT`, `NOT_FOUND`, `ALREADY_EXISTS`, …). */
  public readonly status: string;

  /**
   * @param httpStatus HTTP status
   * @param status JD status string
   * @param message the message the client sees
   */
  constructor(httpStatus: number, status: string, message: string) {
    super(message);
    this.name = 'JdApiError';
    this.httpStatus = httpStatus;
    this.status = status;
  }
}

/** 400 `INVALID_ARGUMENT`. */
export function invalidArgument(message: string): JdApiError {
  return new JdApiError(400, 'INVALID_ARGUMENT', message);
}

/** 400 `FAILED_PRECONDITION` (the request is well formed but the resources do not allow it). */
export function failedPrecondition(message: string): JdApiError {
  return new JdApiError(400, 'FAILED_PRECONDITION', message);
}

/** 404 `NOT_FOUND`. */
export function notFound(message: string): JdApiError {
  return new JdApiError(404, 'NOT_FOUND', message);
}

/** 409 `ALREADY_EXISTS`. */
export function alreadyExists(message: string): JdApiError {
  return new JdApiError(409, 'ALREADY_EXISTS', message);
}

function headers(requestId: string): Record<string, string> {
  return { 'content-type': 'application/json; charset=utf-8', 'x-jdcloud-request-id': requestId };
}

/** `{requestId, result}` (result omitted when undefined, as JD does for calls that return nothing). */
export function jdOk(requestId: string, result?: unknown): JdAnswer {
  const body = result === undefined ? { requestId } : { requestId, result };
  return { status: 200, headers: headers(requestId), body: JSON.stringify(body) };
}

/** `{requestId, error: {code, status, message}}`. */
export function jdError(requestId: string, httpStatus: number, status: string, message: string): JdAnswer {
  return { status: httpStatus, headers: headers(requestId), body: JSON.stringify({ requestId, error: { code: httpStatus, status, message } }) };
}

/** Runs a handler, turning a thrown {@link JdApiError} into JD's error shape. Other errors propagate (the plumbing answers 500). */
export async function answer(requestId: string, run: () => Promise<unknown> | unknown): Promise<JdAnswer> {
  try {
    return jdOk(requestId, await run());
  } catch (error) {
    if (error instanceof JdApiError) return jdError(requestId, error.httpStatus, error.status, error.message);
    throw error;
  }
}

/** Parses a JSON object body; anything else is `INVALID_ARGUMENT`. An empty body is `{}`. */
export function jsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidArgument('the request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument('the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** A required non-empty string field, else `INVALID_ARGUMENT` naming it. Go SDK bodies carry `null` for unset fields: treated as absent. */
export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) throw invalidArgument(`${field} is required`);
  return value;
}

/** An optional string field (`null` = absent), else `INVALID_ARGUMENT`. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidArgument(`${field} must be a string`);
  return value;
}
