import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One request exactly as a client sent it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** Raw header list `[name, value, …]`, in the order sent. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** An answer, read whole. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A loopback proxy in front of one emulated service: clients (the official SDKs) are pointed at it, it forwards
 * each request unchanged and keeps a byte-exact copy, so a test can send that very request again (a replay), or a
 * copy without its signature.
 */
export class RecordingProxy {
  /** Every request that went through, in order. */
  public readonly recorded: RecordedRequest[] = [];
  /** The service's answer to each recorded request (same index; missing while in flight or when the connection failed). */
  public readonly answers: RawAnswer[] = [];

  private constructor(
    private readonly server: Server,
    /** The proxy's endpoint (`http://127.0.0.1:port`). */
    public readonly endpoint: string,
    private readonly target: URL,
  ) {}

  /** Starts a proxy forwarding to `target` (`http://127.0.0.1:port`). */
  public static async start(target: string): Promise<RecordingProxy> {
    const url = new URL(target);
    const holder: { proxy?: RecordingProxy } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: [...req.rawHeaders], body: Buffer.concat(chunks) };
        const proxy = holder.proxy;
        const index = (proxy?.recorded.push(recorded) ?? 0) - 1;
        send(url, recorded).then(
          (answer) => {
            if (proxy && index >= 0) proxy.answers[index] = answer;
            const { 'content-length': _length, 'transfer-encoding': _encoding, connection: _connection, ...headers } = answer.headers;
            res.writeHead(answer.status, headers);
            res.end(answer.body);
          },
          () => res.destroy(),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new RecordingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, url);
    holder.proxy = proxy;
    return proxy;
  }

  /** The last request recorded and the answer it got; throws when there is none. */
  public last(): { request: RecordedRequest; answer: RawAnswer } {
    const index = this.recorded.length - 1;
    const answer = this.answers[index];
    if (index < 0 || !answer) throw new Error('no answered request went through the proxy');
    return { request: this.recorded[index], answer };
  }

  /** Sends a (recorded, possibly altered) request straight to the service. */
  public send(request: RecordedRequest): Promise<RawAnswer> {
    return send(this.target, request);
  }

  /** Stops the proxy. */
  public stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A copy of `request` without the headers `drop` names (lower case), e.g. its `authorization`. */
export function withoutHeaders(request: RecordedRequest, ...drop: string[]): RecordedRequest {
  const rawHeaders: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    if (!drop.includes(request.rawHeaders[i].toLowerCase())) rawHeaders.push(request.rawHeaders[i], request.rawHeaders[i + 1]);
  }
  return { ...request, rawHeaders };
}

function send(target: URL, request: RecordedRequest): Promise<RawAnswer> {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) headers.push([request.rawHeaders[i], request.rawHeaders[i + 1]]);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: headers.flat() as unknown as Record<string, string> },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
