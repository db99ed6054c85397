import test from 'ava';
import { request as httpRequest, createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as OpenApi from '@alicloud/openapi-core';
import { AcsNonceRegistry, verifyAcsSignature, type AcsSignatureResult } from '../../../emulator/alicloud/acs-signature';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
  result: AcsSignatureResult;
}

/** A server that verifies every request with the emulator's verifier and answers like the gateway. */
async function verifyingServer(offsetMs = 0) {
  const nonces = new AcsNonceRegistry();
  const recorded: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const at = url.indexOf('?');
      const body = Buffer.concat(chunks);
      const result = verifyAcsSignature(
        { method: req.method ?? 'GET', rawPath: at < 0 ? url : url.slice(0, at), rawQuery: at < 0 ? '' : url.slice(at + 1), headers: req.headers, rawHeaders: req.rawHeaders, body },
        { secretFor: (ak) => (ak === 'ak-test' ? 'secret-test' : undefined), nonces, now: () => Date.now() + offsetMs },
      );
      recorded.push({ method: req.method ?? '', url, headers: req.headers, rawHeaders: req.rawHeaders, body, result });
      const answer = result.ok
        ? { status: 200, body: { RequestId: 'r', TotalCount: 0, TaskSet: { Task: [] } } }
        : { status: result.refusal.status, body: { RequestId: 'r', HostId: 'ecs.aliyuncs.com', Code: result.refusal.code, Message: result.refusal.message } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`, recorded, close: () => server.close() };
}

function client(endpoint: string, options: { secret?: string; v2?: boolean } = {}): Ecs {
  return new Ecs(
    new OpenApi.$OpenApiUtil.Config({
      accessKeyId: 'ak-test',
      accessKeySecret: options.secret ?? 'secret-test',
      regionId: 'cn-hangzhou',
      endpoint,
      protocol: 'http',
      ...(options.v2 ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
}

const awkward = new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou', taskAction: 'ExportImage', taskIds: "t-1,t (2)*!'~" });

test('accepts V3 ACS3-HMAC-SHA256 requests from the official SDK, values with spaces and reserved characters included', async (t) => {
  const server = await verifyingServer();
  t.teardown(server.close);
  await client(server.endpoint).describeTasks(awkward);
  const [first] = server.recorded;
  t.true(first.result.ok);
  t.is(first.result.ok && first.result.version, 'V3');
  t.is(first.result.ok && first.result.params.get('TaskIds'), "t-1,t (2)*!'~");
});

test('accepts V2 HMAC-SHA1 requests from the official SDK', async (t) => {
  const server = await verifyingServer();
  t.teardown(server.close);
  await client(server.endpoint, { v2: true }).describeTasks(awkward);
  const [first] = server.recorded;
  t.true(first.result.ok);
  t.is(first.result.ok && first.result.version, 'V2');
  t.is(first.result.ok && first.result.params.get('Action'), 'DescribeTasks');
});

test('rejects a wrong secret with SignatureDoesNotMatch (V3 and V2)', async (t) => {
  const server = await verifyingServer();
  t.teardown(server.close);
  for (const v2 of [false, true]) {
    const error = await t.throwsAsync(client(server.endpoint, { secret: 'wrong', v2 }).describeTasks(awkward));
    t.is((error as unknown as { code: string }).code, 'SignatureDoesNotMatch');
  }
});

test('rejects an unknown access key', async (t) => {
  const server = await verifyingServer();
  t.teardown(server.close);
  const other = new Ecs(new OpenApi.$OpenApiUtil.Config({ accessKeyId: 'nobody', accessKeySecret: 'x', regionId: 'cn-hangzhou', endpoint: server.endpoint, protocol: 'http' }));
  const error = await t.throwsAsync(other.describeTasks(awkward));
  t.is((error as unknown as { code: string }).code, 'InvalidAccessKeyId.NotFound');
});

test('rejects a stale timestamp with InvalidTimeStamp.Expired (V3 and V2)', async (t) => {
  const server = await verifyingServer(20 * 60 * 1000);
  t.teardown(server.close);
  for (const v2 of [false, true]) {
    const error = await t.throwsAsync(client(server.endpoint, { v2 }).describeTasks(awkward));
    t.is((error as unknown as { code: string }).code, 'InvalidTimeStamp.Expired');
  }
});

function replay(endpoint: string, recorded: Recorded, change?: (headers: Record<string, string>, url: string) => string): Promise<{ status: number; body: string }> {
  const [host, port] = endpoint.split(':');
  const headers: Record<string, string> = {};
  for (let i = 0; i < recorded.rawHeaders.length; i += 2) headers[recorded.rawHeaders[i].toLowerCase()] = recorded.rawHeaders[i + 1];
  const path = change ? change(headers, recorded.url) : recorded.url;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port: Number(port), method: recorded.method, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(recorded.body);
  });
}

test('rejects a replayed request with SignatureNonceUsed (V3 and V2)', async (t) => {
  const server = await verifyingServer();
  t.teardown(server.close);
  await client(server.endpoint).describeTasks(awkward);
  await client(server.endpoint, { v2: true }).describeTasks(awkward);
  for (const original of [...server.recorded]) {
    const answer = await replay(server.endpoint, original);
    t.is(answer.status, 400);
    t.is(JSON.parse(answer.body).Code, 'SignatureNonceUsed');
  }
});

test('rejects a tampered parameter with SignatureDoesNotMatch, and unsigned x-acs headers as IncompleteSignature', async (t) => {
  const server = await verifyingServer();
  t.teardown(server.close);
  await client(server.endpoint).describeTasks(awkward);
  const [original] = server.recorded;
  const tampered = await replay(server.endpoint, original, (_headers, url) => url.replace('ExportImage', 'ImportImage'));
  t.is(JSON.parse(tampered.body).Code, 'SignatureDoesNotMatch');
  const extra = await replay(server.endpoint, original, (headers, url) => {
    headers['x-acs-extra'] = 'sneaky';
    return url;
  });
  t.is(JSON.parse(extra.body).Code, 'IncompleteSignature');
});

test('rejects a request with no signature at all and a garbled Authorization header', async (t) => {
  const server = await verifyingServer();
  t.teardown(server.close);
  await client(server.endpoint).describeTasks(awkward);
  const [original] = server.recorded;
  const unsigned = await replay(server.endpoint, original, (headers, url) => {
    delete headers.authorization;
    return url;
  });
  t.is(JSON.parse(unsigned.body).Code, 'IncompleteSignature');
  const garbled = await replay(server.endpoint, original, (headers, url) => {
    headers.authorization = 'ACS3-HMAC-SHA256 garbage';
    return url;
  });
  t.is(JSON.parse(garbled.body).Code, 'IncompleteSignature');
});
