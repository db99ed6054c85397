import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { type FaultInjector, type TaskFaultKind } from './fault-injector';

/** One request as a service handler sees it: fully read, never streamed. */
export interface ServiceRequest {
  /** Cloud id (`aws`). */
  readonly cloud: string;
  /** Service name (`ec2`). */
  readonly service: string;
  /** HTTP method, upper case. */
  readonly method: string;
  /** Path as sent on the wire (still percent-encoded), without the query. */
  readonly rawPath: string;
  /** Query string as sent on the wire, without `?`. */
  readonly rawQuery: string;
  /** Parsed query. */
  readonly query: URLSearchParams;
  /** Headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** Raw header list `[name, value, name, value, …]`, for signature checks. */
  readonly rawHeaders: readonly string[];
  /** Body bytes. */
  readonly body: Buffer;
  /** Request id generated for this exchange (echoed in the cloud's request-id header and body). */
  readonly requestId: string;
  /** Task fault drawn for this request; honoured only by handlers that create a task. @default - none */
  readonly taskFault?: TaskFaultKind;
  /** The underlying message (handlers that delegate to another HTTP app need it). */
  readonly incoming: IncomingMessage;
}

/** A response a handler returns. */
export interface ServiceResponse {
  /** HTTP status. */
  readonly status: number;
  /** Headers. @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Body. @default - empty */
  readonly body?: string | Buffer;
}

/** Marker a handler returns when it wrote the response itself (S3 delegates to s3rver). */
export const DELEGATED = Symbol('delegated');

/** Problems the plumbing answers on the handler's behalf, in the cloud's error shape. */
export type PlumbingProblem = 'throttle' | '5xx' | 'internal' | 'too-large' | 'malformed';

/** A service: the cloud-specific part behind one port. */
export interface ServiceHandler {
  /** Cloud id. */
  readonly cloud: string;
  /** Service name. */
  readonly service: string;
  /** Largest body accepted, bytes. @default 1048576 */
  readonly maxBodyBytes?: number;
  /** Answers one request; may write `res` itself and return {@link DELEGATED}. */
  handle(request: ServiceRequest, res: ServerResponse): Promise<ServiceResponse | typeof DELEGATED> | ServiceResponse | typeof DELEGATED;
  /** The cloud's answer for a problem the plumbing detected (throttling fault, 5xx fault, crash, oversized body). */
  problemResponse(problem: PlumbingProblem, request: Pick<ServiceRequest, 'requestId' | 'cloud' | 'service'>): ServiceResponse;
}

/** A listening service. */
export interface RunningService {
  /** `http://host:port`. */
  readonly url: string;
  /** Port. */
  readonly port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Options of {@link startHttpService}. */
export interface HttpServiceOptions {
  /** Address to bind. */
  readonly host: string;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Fault injection. @default - none */
  readonly faults?: FaultInjector;
}

/**
 * Runs one service on its own loopback port: reads the body (bounded), applies injected faults, calls the handler,
 * and turns any crash or unparseable exchange into the cloud's error shape. The emulator never dies on a request.
 */
export async function startHttpService(handler: ServiceHandler, options: HttpServiceOptions): Promise<RunningService> {
  const maxBodyBytes = handler.maxBodyBytes ?? 1024 * 1024;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void serve(handler, req, res, maxBodyBytes, options.faults);
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (error, socket) => {
    // Bytes that are not HTTP at all: answer 400 in the cloud's shape when the socket still can, then close.
    if (!socket.writable) return socket.destroy();
    const answer = handler.problemResponse('malformed', { requestId: randomUUID(), cloud: handler.cloud, service: handler.service });
    const body = Buffer.from(answer.body ?? '');
    const head = [`HTTP/1.1 400 Bad Request`, `Content-Length: ${body.length}`, 'Connection: close'];
    for (const [name, value] of Object.entries(answer.headers ?? {})) head.push(`${name}: ${value}`);
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
    void error;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function serve(
  handler: ServiceHandler,
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
  faults: FaultInjector | undefined,
): Promise<void> {
  const requestId = randomUUID();
  const ids = { requestId, cloud: handler.cloud, service: handler.service };
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  try {
    const draw = faults?.draw(handler.cloud, handler.service) ?? {};
    if (draw.request === 'drop') {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      write(res, handler.problemResponse('too-large', ids), true);
      return;
    }
    if (draw.request === 'throttle' || draw.request === '5xx') {
      write(res, handler.problemResponse(draw.request, ids));
      return;
    }
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : url.slice(queryAt + 1);
    const request: ServiceRequest = {
      ...ids,
      method: (req.method ?? 'GET').toUpperCase(),
      rawPath,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
      ...(draw.task ? { taskFault: draw.task } : {}),
      incoming: req,
    };
    if (draw.request === 'drop-after') swallowResponse(req, res);
    let answer: ServiceResponse | typeof DELEGATED;
    try {
      answer = await handler.handle(request, res);
    } catch (error) {
      reportCrash(handler, error);
      answer = handler.problemResponse('internal', ids);
    }
    if (answer === DELEGATED) return;
    if (draw.request === 'drop-after') {
      req.socket.destroy();
      return;
    }
    write(res, answer);
  } catch (error) {
    reportCrash(handler, error);
    if (!res.headersSent && !res.destroyed) write(res, handler.problemResponse('internal', ids), true);
  }
}

/** Reads the whole body, or returns undefined when it exceeds the limit. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

function write(res: ServerResponse, answer: ServiceResponse, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const body = answer.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(answer.body);
  const headers: Record<string, string | number> = { ...answer.headers, 'Content-Length': body.length };
  if (close) headers.Connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(body);
}

/**
 * For `drop-after` on a delegated response: let the handler run to completion (its side effects happen), then
 * destroy the socket instead of sending what it wrote.
 */
function swallowResponse(req: IncomingMessage, res: ServerResponse): void {
  const patched = res as unknown as Record<string, unknown>;
  patched.writeHead = () => res;
  patched.write = () => true;
  patched.end = () => {
    req.socket.destroy();
    return res;
  };
}

function reportCrash(handler: ServiceHandler, error: unknown): void {
  if (process.env.IMAGEPORT_EMULATOR_DEBUG) {
    console.error(`emulator ${handler.cloud}/${handler.service}: handler failed:`, error);
  }
}

