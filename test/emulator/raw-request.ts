import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Node crypto in the shape `@smithy/signature-v4` expects (SHA-256, or HMAC-SHA256 when given a secret). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  public constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  public update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  public digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** A raw HTTP answer. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Options of {@link rawRequest}. */
export interface RawRequestOptions {
  /** Endpoint (`http://127.0.0.1:port`). */
  readonly endpoint: string;
  /** Method. @default 'POST' */
  readonly method?: string;
  /** Path. @default '/' */
  readonly path?: string;
  /** Query parameters. @default - none */
  readonly query?: Record<string, string>;
  /** Body. @default - empty */
  readonly body?: string | Buffer;
  /** Extra headers. @default - none */
  readonly headers?: Record<string, string>;
  /** Sign with these credentials (SigV4 via @smithy/signature-v4); omit to send unsigned. @default - unsigned */
  readonly sign?: { readonly service: string; readonly region: string; readonly accessKeyId: string; readonly secretAccessKey: string; readonly signingDate?: Date };
}

/** The SDK's own SigV4 signer (`@smithy/signature-v4`) over Node crypto: what tests sign with. */
export function sdkSigner(service: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }): SignatureV4 {
  return new SignatureV4({ service, region, credentials, sha256: NodeSha256, uriEscapePath: service !== 's3', applyChecksum: service === 's3' });
}

/** Sends one HTTP request (optionally SigV4-signed with the SDK's own signer) and reads the whole answer. */
export async function rawRequest(options: RawRequestOptions): Promise<RawResponse> {
  const url = new URL(options.endpoint);
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  let headers: Record<string, string> = { host: url.host, ...options.headers };
  let path = options.path ?? '/';
  const query = options.query ?? {};
  if (options.sign) {
    const signer = sdkSigner(options.sign.service, options.sign.region, options.sign);
    const signed = await signer.sign(
      { method: options.method ?? 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query, headers, body },
      options.sign.signingDate ? { signingDate: options.sign.signingDate } : {},
    );
    headers = signed.headers as Record<string, string>;
  }
  const search = new URLSearchParams(query).toString().replace(/\+/g, '%20');
  if (search) path = `${path}?${search}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: options.method ?? 'POST', path, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The `<Code>` of an XML error body. */
export function errorCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}
