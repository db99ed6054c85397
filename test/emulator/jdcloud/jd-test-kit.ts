import { request as httpRequest } from 'node:http';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../emulator';
import { JdcloudApiClient } from '../../../lib/clouds/jdcloud/api-client';
import { createJdcloudDriver, type JdcloudDriver } from '../../../lib/clouds/jdcloud/driver';
import { JdcloudIamClient } from '../../../lib/clouds/jdcloud/iam-client';
import { buildQueryString, escapePath, signJdcloudRequest, type JdcloudSignatureAlgorithm } from '../../../lib/clouds/jdcloud/signer';
import { JdcloudVmClient } from '../../../lib/clouds/jdcloud/vm-client';

/** Catalog images (emulator/catalog/jdcloud.json). */
export const JD_IMAGES = {
  golden: 'img-g01den0001',
  goldenNorth: 'img-g01den0002',
  notReady: 'img-n0tready01',
  publicImage: 'img-pub11c0001',
  shared: 'img-shared0001',
  localDisk: 'img-l0ca1d1sk1',
  windows: 'img-w1nd0ws001',
  windowsImported: 'img-w1nd0ws1mp',
} as const;

/** The default trust document of the driver (cloud-disk service). */
export const DISK_TRUST = { Version: '3', Statement: [{ Effect: 'Allow', Principal: { Service: ['disk'] }, Action: 'sts:assumeRole', Resource: '*' }] };

/** A hand-driven clock. */
export class ManualClock {
  private current: number;
  public constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }
  /** Now, epoch ms. */
  public now(): number {
    return this.current;
  }
  /** Moves time forward. */
  public advance(ms: number): void {
    this.current += ms;
  }
}

/** An emulator with JD clients and a driver bound to it. */
export interface JdKit {
  readonly emulator: Emulator;
  readonly vm: JdcloudVmClient;
  readonly iam: JdcloudIamClient;
  /** A driver for cn-east-2 (no retries, so tests see every answer). */
  readonly driver: JdcloudDriver;
  /** A driver for another region. */
  driverFor(region: string, options?: { maxAttempts?: number; sleep?: (ms: number) => Promise<void> }): JdcloudDriver;
  /** Creates the export role (trusted by the disk service, policy on `buckets`), returns its name. */
  exportRole(buckets: readonly string[], roleName?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts an emulator (high speed unless a clock is given) and binds clients to its JD endpoints. */
export async function startJdKit(options: EmulatorOptions = {}): Promise<JdKit> {
  const emulator = await startEmulator({ speed: 6000, ...options });
  const credentials = emulator.credentials.jdcloud;
  const api = new JdcloudApiClient({ credentials: () => credentials, maxAttempts: 1 });
  const endpoints = emulator.endpoints.jdcloud;
  const driverFor = (region: string, extra: { maxAttempts?: number; sleep?: (ms: number) => Promise<void> } = {}) =>
    createJdcloudDriver(
      { region, endpoints: { vm: endpoints.vm, iam: endpoints.iam, oss: endpoints.oss }, credentials },
      { maxAttempts: extra.maxAttempts ?? 1, sleep: extra.sleep ?? (async () => undefined) },
    );
  const driver = driverFor('cn-east-2');
  return {
    emulator,
    vm: new JdcloudVmClient(api, endpoints.vm),
    iam: new JdcloudIamClient(api, endpoints.iam),
    driver,
    driverFor,
    exportRole: async (buckets, roleName = 'image-export') => {
      await driver.ensureRole({ cloud: 'jdcloud', purpose: 'export', roleName, exportBuckets: buckets });
      return roleName;
    },
    stop: () => emulator.stop(),
  };
}

/** A raw JD answer. */
export interface JdRawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The body parsed as JSON, or undefined. */
  readonly json: Record<string, unknown> | undefined;
}

/** Options of {@link jdRaw}. */
export interface JdRawOptions {
  readonly endpoint: string;
  readonly method?: string;
  /** Wire path (already escaped as wanted). */
  readonly path: string;
  readonly query?: string;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Sign with these credentials; omit to send unsigned. */
  readonly sign?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly region: string;
    readonly service: string;
    readonly algorithm?: JdcloudSignatureAlgorithm;
    readonly date?: Date;
    readonly nonce?: string;
    /** Sign this path instead of the one sent (to forge mismatches). */
    readonly signedPath?: string;
  };
}

/** Sends one request (optionally JD-signed) and reads the whole answer. */
export function jdRaw(options: JdRawOptions): Promise<JdRawResponse> {
  const url = new URL(options.endpoint);
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  let headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.sign) {
    const signed = signJdcloudRequest({
      algorithm: options.sign.algorithm,
      method: options.method ?? 'GET',
      host: url.host,
      path: options.sign.signedPath ?? options.path,
      query: options.query ?? '',
      headers,
      body,
      region: options.sign.region,
      service: options.sign.service,
      accessKeyId: options.sign.accessKeyId,
      secretAccessKey: options.sign.secretAccessKey,
      date: options.sign.date,
      nonce: options.sign.nonce,
    });
    headers = signed.headers;
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: `${options.path}${options.query ? `?${options.query}` : ''}`,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Path helpers: the wire path of a vm call, `:` escaped as `%3A` (the SDKs' form) or left raw. */
export function vmPath(path: string, escapeColon = true): string {
  return escapeColon ? escapePath(`/v1${path}`) : `/v1${path}`;
}

/** `taskIds.N` query of a list of ids. */
export function taskIdsQuery(action: string, ids: readonly string[]): string {
  return buildQueryString([['taskAction', action], ...ids.map((id, i) => [`taskIds.${i + 1}`, id] as [string, string])]);
}
