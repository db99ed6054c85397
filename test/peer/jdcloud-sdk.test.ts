import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo } from 'node:net';
import { signJdcloudRequest } from '../../lib/clouds/jdcloud/signer';
import { JD_IMAGES, ManualClock, startJdKit } from '../emulator/jdcloud/jd-test-kit';

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

test('jdcloud-sdk-js runs exportImage and imageTasks against the emulator, and qemu-img reads the QCOW2 it wrote', async (t) => {
  const clock = new ManualClock();
  const kit = await startJdKit({ clock });
  const dir = mkdtempSync(join(tmpdir(), 'jd-peer-'));
  try {
    await kit.driver.ensureBucket({ cloud: 'jdcloud', region: 'cn-east-2', name: 'peer-exports' });
    await kit.exportRole(['peer-exports']);
    const host = new URL(kit.emulator.endpoints.jdcloud.vm).host;
    const vm = sdkVm({ credentials: kit.emulator.credentials.jdcloud, regionId: 'cn-east-2', endpoint: { host, protocol: 'http' } });
    const started = await vm.exportImage({
      imageId: JD_IMAGES.golden,
      roleName: 'image-export',
      ossUrl: `${kit.emulator.endpoints.jdcloud.oss}/peer-exports`,
      ossPrefix: 'peer',
      clientToken: 'peer-token-1',
    });
    const taskId = started.result.taskId;
    t.is(typeof taskId, 'string');
    const running = (await vm.imageTasks({ taskAction: 'ExportImage', taskIds: [taskId] })).result.taskSet as Record<string, unknown>[];
    t.is(running[0]?.taskStatus, 'pending');
    clock.advance(60 * 60_000);
    const answer = await vm.imageTasks({ taskAction: 'ExportImage', taskIds: [taskId] });
    const task = (answer.result.taskSet as Record<string, unknown>[])[0];
    t.is(task?.taskStatus, 'finished');
    const key = String(task?.ossObject);
    t.regex(key, new RegExp(`^peer_exportImage_${JD_IMAGES.golden}_`));

    const store = kit.driver.storage();
    const size = (await store.head('peer-exports', key))?.sizeBytes ?? 0;
    const file = join(dir, 'export.qcow2');
    writeFileSync(file, await store.readRange('peer-exports', key, 0, size - 1));
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' })) as { format: string; 'virtual-size': number };
    t.is(info.format, 'qcow2');
    t.is(info['virtual-size'], 4 * 1024 * 1024);
    execFileSync('qemu-img', ['check', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await kit.stop();
  }
});
