import test from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { JdcloudApiClient, parseJdcloudResponse } from '../../../../lib/clouds/jdcloud/api-client';
import { JdcloudIamClient } from '../../../../lib/clouds/jdcloud/iam-client';
import { signJdcloudRequest } from '../../../../lib/clouds/jdcloud/signer';
import { JdcloudVmClient, parseExportImageResult, parseImportImageResult, parseTaskInfo } from '../../../../lib/clouds/jdcloud/vm-client';

interface Captured {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

const SECRET = 'SECRET-never-shown-0123456789';

function fakeFetch(answers: (Response | Error)[], captured: Captured[]): typeof fetch {
  return (async (url: string | URL, init?: RequestInit) => {
    captured.push({
      url: String(url),
      method: String(init?.method),
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function clients(answers: (Response | Error)[], captured: Captured[], maxAttempts = 3) {
  const api = new JdcloudApiClient({
    credentials: () => ({ accessKeyId: 'AKTEST', secretAccessKey: SECRET }),
    fetch: fakeFetch(answers, captured),
    maxAttempts,
    sleep: async () => undefined,
    now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  });
  return { vm: new JdcloudVmClient(api, 'http://127.0.0.1:18080'), iam: new JdcloudIamClient(api, 'http://127.0.0.1:18081/') };
}

/** Re-signs a captured request with the signer and checks the Authorization header matches. */
function verifySignature(t: { is: (a: unknown, b: unknown, m?: string) => void }, request: Captured, region: string, service: string): void {
  const url = new URL(request.url);
  const auth = request.headers.authorization;
  const again = signJdcloudRequest({
    method: request.method,
    host: url.host,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    headers: { accept: request.headers.accept, 'content-type': request.headers['content-type'] },
    body: request.body ?? '',
    region,
    service,
    accessKeyId: 'AKTEST',
    secretAccessKey: SECRET,
    date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    nonce: request.headers['x-jdcloud-nonce'],
  });
  t.is(auth, again.authorization, 'signature');
}

test('exportImage sends the documented path (":" as %3A), only the set fields, and a valid JDCLOUD2 signature', async (t) => {
  const captured: Captured[] = [];
  const { vm } = clients([json(200, { requestId: 'r1', result: { taskId: '4521' } })], captured);
  const result = await vm.exportImage({
    regionId: 'cn-east-2',
    imageId: 'img-abc123',
    roleName: 'image-export',
    ossUrl: 'https://b.s3-internal.cn-east-2.jdcloud-oss.com',
    ossPrefix: 'jdcloud',
    clientToken: 'tok',
  });
  t.deepEqual(result, { taskId: '4521', requestId: 'r1' });
  const [request] = captured;
  t.is(request.method, 'POST');
  t.is(request.url, 'http://127.0.0.1:18080/v1/regions/cn-east-2/images/img-abc123%3AexportImage');
  t.deepEqual(JSON.parse(request.body ?? ''), {
    roleName: 'image-export',
    ossUrl: 'https://b.s3-internal.cn-east-2.jdcloud-oss.com',
    ossPrefix: 'jdcloud',
    clientToken: 'tok',
  });
  t.regex(request.headers.authorization, /^JDCLOUD2-HMAC-SHA256 Credential=AKTEST\/20260102\/cn-east-2\/vm\/jdcloud2_request, SignedHeaders=accept;content-type;host;x-jdcloud-date;x-jdcloud-nonce, Signature=[0-9a-f]{64}$/);
  t.is(request.headers['x-jdcloud-date'], '20260102T030405Z');
  t.regex(request.headers['x-jdcloud-nonce'], /^[0-9a-f-]{36}$/);
  verifySignature(t, request, 'cn-east-2', 'vm');
});

test('exportImage accepts the older integer exportTaskId', async (t) => {
  const { vm } = clients([json(200, { requestId: 'r', result: { exportTaskId: 1234 } })], []);
  t.is((await vm.exportImage({ regionId: 'cn-east-2', imageId: 'img-a', roleName: 'role', ossUrl: 'https://x' })).taskId, '1234');
  t.deepEqual(parseExportImageResult({ taskId: 'abc', exportTaskId: 9 }), { taskId: 'abc' });
  t.deepEqual(parseImportImageResult({ imageId: 'img-n', importTaskId: 77 }), { imageId: 'img-n', taskId: '77' });
  t.throws(() => parseExportImageResult({}), { instanceOf: CloudError, message: /neither taskId nor exportTaskId/ });
});

test('importImage posts to images:import with the documented fields', async (t) => {
  const captured: Captured[] = [];
  const { vm } = clients([json(200, { requestId: 'r', result: { imageId: 'img-new', taskId: 't-9' } })], captured);
  const result = await vm.importImage({
    regionId: 'cn-north-1',
    architecture: 'x86_64',
    osType: 'linux',
    platform: 'Other Linux',
    diskFormat: 'qcow2',
    systemDiskSizeGB: 50,
    imageUrl: 'https://b.s3.cn-north-1.jdcloud-oss.com/a.qcow2',
    imageName: 'imported',
    bootMode: 'uefi',
  });
  t.is(result.imageId, 'img-new');
  t.is(captured[0].url, 'http://127.0.0.1:18080/v1/regions/cn-north-1/images%3Aimport');
  t.deepEqual(Object.keys(JSON.parse(captured[0].body ?? '')).sort(), [
    'architecture', 'bootMode', 'diskFormat', 'imageName', 'imageUrl', 'osType', 'platform', 'systemDiskSizeGB',
  ]);
});

test('imageTasks encodes taskIds.N and normalises integer ids and string progress', async (t) => {
  const captured: Captured[] = [];
  const { vm } = clients(
    [json(200, { requestId: 'r', result: { taskSet: [{ taskId: 12, action: 'ExportImage', taskStatus: 'running', progress: '40' }], totalCount: 1 } })],
    captured,
  );
  const result = await vm.imageTasks({ regionId: 'cn-east-2', taskAction: 'ExportImage', taskIds: ['12', 'a b'] });
  t.is(new URL(captured[0].url).search, '?taskAction=ExportImage&taskIds.1=12&taskIds.2=a%20b');
  t.is(captured[0].method, 'GET');
  t.is(captured[0].body, undefined);
  t.deepEqual(result.taskSet[0], { taskId: '12', action: 'ExportImage', taskStatus: 'running', progress: 40 });
  verifySignature(t, captured[0], 'cn-east-2', 'vm');
});

test('parseTaskInfo keeps ossObject, ossObjects and errorInfo', (t) => {
  const info = parseTaskInfo({
    taskId: 't', action: 'ExportImage', taskStatus: 'finished', progress: 100,
    ossObject: 'p_exportImage_img-1.qcow2', ossObjects: ['p_exportImage_img-1.qcow2', 'p_exportImage_img-1_data1.qcow2'], errorInfo: '',
  });
  t.is(info.ossObject, 'p_exportImage_img-1.qcow2');
  t.is(info.ossObjects?.length, 2);
  t.is(info.errorInfo, undefined);
});

test('IAM calls are region-less, signed with region "jdcloud", and detachRolePolicy uses a query', async (t) => {
  const captured: Captured[] = [];
  const { iam } = clients(
    [
      json(200, { requestId: 'a', result: { roleInfo: { roleName: 'image-export', type: 3, account: '111122223333', jrn: 'jrn:iam::111122223333:role/image-export' } } }),
      json(200, { requestId: 'b' }),
      json(200, { requestId: 'c' }),
    ],
    captured,
  );
  const role = await iam.createRole({ roleName: 'image-export', type: 3, assumeRolePolicyDocument: '{}' });
  t.is(role.account, '111122223333');
  await iam.attachRolePolicy('image-export', 'image-export-policy');
  await iam.detachRolePolicy('image-export', 'image-export-policy');
  t.is(captured[0].url, 'http://127.0.0.1:18081/v1/role');
  t.deepEqual(JSON.parse(captured[0].body ?? ''), { createRoleInfo: { roleName: 'image-export', type: 3, assumeRolePolicyDocument: '{}' } });
  t.is(captured[1].url, 'http://127.0.0.1:18081/v1/role/image-export%3AattachRolePolicy');
  t.deepEqual(JSON.parse(captured[1].body ?? ''), { policyName: 'image-export-policy' });
  t.is(captured[2].method, 'DELETE');
  t.is(captured[2].url, 'http://127.0.0.1:18081/v1/role/image-export%3AdetachRolePolicy?policyName=image-export-policy');
  t.is(captured[2].body, undefined);
  t.regex(captured[0].headers.authorization, /\/jdcloud\/iam\/jdcloud2_request,/);
  verifySignature(t, captured[2], 'jdcloud', 'iam');
});

test('rejects with a CloudError classified by the gateway status string', async (t) => {
  const cases: [number, string, string][] = [
    [429, 'RATE_LIMIT_EXCEEDED', 'throttling'],
    [429, 'QUOTA_EXCEEDED', 'quota'],
    [503, 'UNAVAILABLE', 'transient'],
    [401, 'ACCESS_ERROR', 'auth'],
    [404, 'NOT_FOUND', 'not-found'],
    [409, 'ALREADY_EXISTS', 'conflict'],
    [400, 'INVALID_ARGUMENT', 'invalid'],
    [403, 'HTTP_FORBIDDEN', 'denied'],
    [400, 'SOMETHING_NEW', 'invalid'],
  ];
  for (const [status, code, kind] of cases) {
    const error = t.throws(() =>
      parseJdcloudResponse('exportImage', status, JSON.stringify({ requestId: 'req-1', error: { code: status, status: code, message: `msg ${code}` } })),
    ) as CloudError;
    t.true(error instanceof CloudError);
    t.is(error.code, code);
    t.is(error.kind as string, kind, code);
    t.is(error.httpStatus, status);
    t.is(error.requestId, 'req-1');
    t.is(error.message, `exportImage failed: ${code}: msg ${code}`);
  }
});

test('rejects a non-JSON failure with HTTP_<status>, and a non-JSON success as an invalid answer', (t) => {
  const bad = t.throws(() => parseJdcloudResponse('describeImage', 502, '<html>Bad gateway</html>')) as CloudError;
  t.is(bad.code, 'HTTP_502');
  t.is(bad.kind, 'transient');
  const weird = t.throws(() => parseJdcloudResponse('describeImage', 200, 'OK')) as CloudError;
  t.is(weird.code, 'InvalidResponse');
  t.deepEqual(parseJdcloudResponse('deleteRole', 200, ''), { requestId: '', result: undefined });
});

test('retries throttling and transient failures with a fresh nonce, then succeeds', async (t) => {
  const captured: Captured[] = [];
  const { vm } = clients(
    [
      json(429, { requestId: 'a', error: { code: 429, status: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } }),
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
      json(200, { requestId: 'c', result: { image: { imageId: 'img-a', status: 'ready' } } }),
    ],
    captured,
  );
  const image = await vm.describeImage('cn-east-2', 'img-a');
  t.is(image.status, 'ready');
  t.is(captured.length, 3);
  t.is(new Set(captured.map((c) => c.headers['x-jdcloud-nonce'])).size, 3);
});

test('rejects at once on a non-retryable error, and after maxAttempts on a retryable one', async (t) => {
  const invalid = clients([json(400, { requestId: 'a', error: { code: 400, status: 'INVALID_ARGUMENT', message: 'bad' } })], [], 3);
  await t.throwsAsync(invalid.vm.describeImage('cn-east-2', 'img-a'), { instanceOf: CloudError, message: /INVALID_ARGUMENT: bad/ });
  const captured: Captured[] = [];
  const busy = json(503, { requestId: 'b', error: { code: 503, status: 'UNAVAILABLE', message: 'busy' } });
  const down = clients([busy.clone(), busy.clone(), busy.clone(), busy.clone()], captured, 2);
  const error = await t.throwsAsync(down.vm.describeImage('cn-east-2', 'img-a'), { instanceOf: CloudError });
  t.is(error?.kind, 'transient');
  t.is(captured.length, 2);
});

test('a 401 signature failure never shows the secret', async (t) => {
  const { vm } = clients(
    [json(401, { error: { message: 'sign result is not same [gw]', status: 'ACCESS_ERROR', code: 401 }, requestId: 'ce6t' })],
    [],
  );
  const error = await t.throwsAsync(vm.describeImage('cn-east-2', 'img-a'), { instanceOf: CloudError });
  t.is(error?.kind, 'auth');
  t.false(JSON.stringify({ message: error?.message, stack: error?.stack }).includes(SECRET));
});
