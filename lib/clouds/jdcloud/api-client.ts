import { CloudError } from '../../model/cloud-error';
import { type StaticCredentials } from '../../model/connection';
import { classifyJdcloudError, networkError } from './errors';
import { buildQueryString, escapePath, signJdcloudRequest, type JdcloudSignatureAlgorithm } from './signer';

/** One JD OpenAPI call. */
export interface JdcloudApiRequest {
  /** Operation name for errors (`exportImage`). */
  readonly operation: string;
  /** Base URL of the service (`https://vm.jdcloud-api.com`). */
  readonly endpoint: string;
  /** Service code signed in the credential scope (`vm`, `iam`). */
  readonly service: string;
  /** Region signed in the credential scope (`cn-east-2`; `jdcloud` for IAM, as the Node SDK signs it). */
  readonly signingRegion: string;
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path after `/v1`, unescaped: `/regions/cn-east-2/images/img-x:exportImage`. Escaped segment by segment on the wire. */
  readonly path: string;
  /** Query pairs, decoded, in wire order. @default - none */
  readonly query?: readonly (readonly [string, string])[];
  /** JSON body; `undefined` sends none. @default - no body */
  readonly body?: unknown;
}

/** A successful answer: `{requestId, result}`. */
export interface JdcloudApiResponse<T> {
  /** The gateway's request id. */
  readonly requestId: string;
  /** The `result` object (absent for calls that return nothing). */
  readonly result: T;
}

/** How the client signs, sends and retries. */
export interface JdcloudApiClientOptions {
  /** Credentials, read on every call (so rotated environment credentials are picked up). */
  readonly credentials: () => StaticCredentials;
  /** Signature algorithm. @default 'JDCLOUD2-HMAC-SHA256' (what the Node and Go SDKs send) */
  readonly algorithm?: JdcloudSignatureAlgorithm;
  /** The fetch implementation. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Per-attempt timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** Attempts for throttling and transient failures (same body, fresh nonce and signature). @default 3 */
  readonly maxAttempts?: number;
  /** Sleeps between attempts. @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time for signatures. @default - `new Date()` */
  readonly now?: () => Date;
  /** `User-Agent` header. @default 'imageport jdcloud' */
  readonly userAgent?: string;
}

interface ErrorBody {
  requestId?: unknown;
  error?: { code?: unknown; status?: unknown; message?: unknown };
  result?: unknown;
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A small JD Cloud OpenAPI client on Node's `fetch`: signs each request (JDCLOUD2 by default), sends JSON, parses
 * `{requestId, result}` and turns `{requestId, error: {code, status, message}}` (or a bare HTTP failure) into a
 * `CloudError`. Throttling and transient failures are retried a few times with a fresh nonce. Nothing is logged,
 * and no credential ever appears in an error.
 */
export class JdcloudApiClient {
  private readonly options: JdcloudApiClientOptions;

  /** @param options how to sign, send and retry */
  constructor(options: JdcloudApiClientOptions) {
    this.options = options;
  }

  /** Sends one call (with retries) and returns `{requestId, result}`. */
  public async call<T>(request: JdcloudApiRequest): Promise<JdcloudApiResponse<T>> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 3);
    const sleep = this.options.sleep ?? realSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(request);
      } catch (error) {
        if (!(error instanceof CloudError) || !error.retryable || attempt >= maxAttempts) throw error;
        const base = error.kind === 'throttling' ? 1000 : 250;
        await sleep(base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      }
    }
  }

  private async once<T>(request: JdcloudApiRequest): Promise<JdcloudApiResponse<T>> {
    const base = new URL(request.endpoint);
    const basePath = base.pathname.replace(/\/+$/, '');
    const path = `${basePath}${escapePath(`/v1${request.path}`)}`;
    const query = buildQueryString(request.query ?? []);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const credentials = this.options.credentials();
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
    if (credentials.sessionToken) headers['x-jdcloud-security-token'] = credentials.sessionToken;
    const signed = signJdcloudRequest({
      algorithm: this.options.algorithm,
      method: request.method,
      host: base.host,
      path,
      query,
      headers,
      body: body ?? '',
      region: request.signingRegion,
      service: request.service,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      date: this.options.now?.(),
    });
    const url = `${base.protocol}//${base.host}${path}${query ? `?${query}` : ''}`;
    const doFetch = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers: { ...signed.headers, 'user-agent': this.options.userAgent ?? 'imageport jdcloud' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      text = await response.text();
    } catch (error) {
      throw networkError(request.operation, error);
    }
    return parseJdcloudResponse<T>(request.operation, response.status, text, response.headers.get('x-jdcloud-request-id') ?? undefined);
  }
}

/**
 * Parses a JD OpenAPI answer. Success (2xx) → `{requestId, result}`; `{error: {code, status, message}}` or any
 * non-2xx → `CloudError` keeping the gateway's `status` string as the code and its message verbatim.
 */
export function parseJdcloudResponse<T>(
  operation: string,
  httpStatus: number,
  text: string,
  headerRequestId?: string,
): JdcloudApiResponse<T> {
  let parsed: ErrorBody | undefined;
  if (text.trim().length > 0) {
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object') parsed = value as ErrorBody;
    } catch {
      parsed = undefined;
    }
  }
  const requestId = typeof parsed?.requestId === 'string' ? parsed.requestId : headerRequestId;
  const error = parsed?.error;
  if (error && typeof error === 'object') {
    const status = typeof error.status === 'string' ? error.status : undefined;
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const effectiveHttp = httpStatus >= 400 ? httpStatus : Number.isFinite(code) ? code : httpStatus;
    throw new CloudError({
      cloud: 'jdcloud',
      operation,
      code: status ?? `HTTP_${effectiveHttp}`,
      message: typeof error.message === 'string' ? error.message : 'no message',
      kind: classifyJdcloudError(status, effectiveHttp),
      httpStatus: effectiveHttp,
      requestId,
    });
  }
  if (httpStatus < 200 || httpStatus >= 300) {
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new CloudError({
      cloud: 'jdcloud',
      operation,
      code: `HTTP_${httpStatus}`,
      message: snippet.length > 0 ? snippet : 'empty answer',
      kind: classifyJdcloudError(undefined, httpStatus),
      httpStatus,
      requestId,
    });
  }
  if (text.trim().length > 0 && parsed === undefined) {
    throw new CloudError({
      cloud: 'jdcloud',
      operation,
      code: 'InvalidResponse',
      message: `answer is not JSON: ${text.replace(/\s+/g, ' ').trim().slice(0, 120)}`,
      kind: 'transient',
      httpStatus,
      requestId,
    });
  }
  return { requestId: requestId ?? '', result: parsed?.result as T };
}
