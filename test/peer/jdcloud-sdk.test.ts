import test from 'ava';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';
import { signJdcloudRequest } from '../../lib/clouds/jdcloud/signer';

// Peer: the official jdcloud-sdk-js (CommonJS, no typings) against our signer and the emulator.

interface SdkConfig {
  credentials: { accessKeyId: string; secretAccessKey: string };
  regionId: string;
  endpoint: { host: string; protocol: string };
}
type SdkResult = { requestId: string; result: Record<string, unknown> };
interface SdkVm {
  exportImage(opts: Record<string, unknown>, regionId?: string): Promise<SdkResult>;
  imageTasks(opts: Record<string, unknown>, regionId?: string): Promise<SdkResult>;
}
interface SdkIam {
  detachRolePolicy(opts: Record<string, unknown>): Promise<SdkResult>;
}

function silenceSdk(): void {
  // The SDK prints every request through config.logger; keep the test output readable.
  const core = require('jdcloud-sdk-js/src/global') as { config: { logger: (...args: unknown[]) => void } };
  core.config.logger = () => undefined;
}

function sdkVm(config: SdkConfig): SdkVm {
  silenceSdk();
  const VM = require('jdcloud-sdk-js/src/services/vm') as new (config: SdkConfig & { logger: () => void }) => SdkVm;
  return new VM({ ...config, logger: () => undefined });
}

function sdkIam(config: SdkConfig): SdkIam {
  silenceSdk();
  const IAM = require('jdcloud-sdk-js/src/services/iam') as new (config: SdkConfig & { logger: () => void }) => SdkIam;
  return new IAM({ ...config, logger: () => undefined });
}

interface Capture {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

async function withCaptureServer(run: (host: string, captured: Capture[]) => Promise<void>): Promise<Capture[]> {
  const captured: Capture[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      captured.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ requestId: 'capture', result: { taskId: 't-1', taskSet: [], totalCount: 0 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`127.0.0.1:${(server.address() as AddressInfo).port}`, captured);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return captured;
}

/** Re-signs a request captured from the SDK with our signer (same date and nonce) and returns our Authorization. */
function ourAuthorization(capture: Capture, region: string, service: string): string {
  const [path, query = ''] = capture.url.split('?');
  const date = String(capture.headers['x-jdcloud-date']);
  return signJdcloudRequest({
    method: capture.method,
    host: String(capture.headers.host),
    path,
    query,
    headers: { accept: String(capture.headers.accept), 'content-type': String(capture.headers['content-type']) },
    body: capture.body,
    region,
    service,
    accessKeyId: 'AKPEER',
    secretAccessKey: 'SKPEER-secret',
    date: new Date(Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15))),
    nonce: String(capture.headers['x-jdcloud-nonce']),
  }).authorization;
}

test('jdcloud-sdk-js and our signer give the same signature for exportImage, imageTasks and an IAM call', async (t) => {
  const captured = await withCaptureServer(async (host) => {
    const config = { credentials: { accessKeyId: 'AKPEER', secretAccessKey: 'SKPEER-secret' }, regionId: 'cn-east-2', endpoint: { host, protocol: 'http' } };
    const vm = sdkVm(config);
    await vm.exportImage({ imageId: 'img-abc123', roleName: 'image-export', ossUrl: 'https://b.s3-internal.cn-east-2.jdcloud-oss.com', ossPrefix: 'jd', clientToken: 'tok' });
    await vm.imageTasks({ taskAction: 'ExportImage', taskIds: Array.from({ length: 11 }, (_, i) => `task-${i + 1}`), pageSize: 10 });
    await sdkIam(config).detachRolePolicy({ roleName: 'image-export', policyName: 'image-export-policy' });
  });
  t.is(captured.length, 3);
  t.is(captured[0].url, '/v1/regions/cn-east-2/images/img-abc123%3AexportImage');
  t.is(captured[2].url, '/v1/role/image-export%3AdetachRolePolicy?policyName=image-export-policy');
  const scopes: [string, string][] = [
    ['cn-east-2', 'vm'],
    ['cn-east-2', 'vm'],
    ['jdcloud', 'iam'],
  ];
  captured.forEach((capture, index) => {
    t.is(ourAuthorization(capture, ...scopes[index]), String(capture.headers.authorization), capture.url);
  });
});
