import test from 'ava';
import { connect } from 'node:net';
import { jdRaw, JD_IMAGES, startJdKit, vmPath, type JdKit } from './jd-test-kit';

let kit: JdKit;
test.before(async () => {
  kit = await startJdKit();
});
test.after.always(async () => {
  await kit?.stop();
});

function sign(service = 'vm', region = 'cn-east-2', extra: Record<string, unknown> = {}) {
  const { accessKeyId, secretAccessKey } = kit.emulator.credentials.jdcloud;
  return { accessKeyId, secretAccessKey, region, service, ...extra };
}

test('a JDCLOUD2-signed describeImage answers exactly {requestId, result: {image}}', async (t) => {
  const res = await jdRaw({ endpoint: kit.emulator.endpoints.jdcloud.vm, path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}`), sign: sign() });
  t.is(res.status, 200);
  t.deepEqual(Object.keys(res.json ?? {}).sort(), ['requestId', 'result']);
  t.is(res.headers['x-jdcloud-request-id'], String(res.json?.requestId));
  const image = (res.json?.result as { image: Record<string, unknown> }).image;
  t.like(image, { imageId: JD_IMAGES.golden, status: 'ready', imageSource: 'private', rootDeviceType: 'cloudDisk', osType: 'linux', imported: false });
});

test('a JDCLOUD3-signed request is accepted too', async (t) => {
  const res = await jdRaw({
    endpoint: kit.emulator.endpoints.jdcloud.vm,
    path: vmPath('/regions/cn-east-2/imageTasks'),
    query: 'taskAction=ExportImage',
    sign: sign('vm', 'cn-east-2', { algorithm: 'JDCLOUD3-HMAC-SHA256' }),
  });
  t.is(res.status, 200, res.body);
  t.deepEqual(res.json?.result, { taskSet: [], totalCount: 0 });
});

test('":" and "%3A" route alike when each is signed as sent', async (t) => {
  const body = JSON.stringify({ roleName: 'nobody-here', ossUrl: `${kit.emulator.endpoints.jdcloud.oss}/no-bucket` });
  for (const escapeColon of [true, false]) {
    const res = await jdRaw({
      endpoint: kit.emulator.endpoints.jdcloud.vm,
      method: 'POST',
      path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}:exportImage`, escapeColon),
      body,
      sign: sign(),
    });
    // Routed to exportImage (not a 404): it reaches the bucket check.
    t.is(res.status, 400, res.body);
    t.regex(String((res.json?.error as { message: string }).message), /bucket no-bucket does not exist/);
  }
});

test('rejects a bad signature with 401 ACCESS_ERROR "sign result is not same [gw]"', async (t) => {
  const res = await jdRaw({
    endpoint: kit.emulator.endpoints.jdcloud.vm,
    path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}`),
    sign: sign('vm', 'cn-east-2', { secretAccessKey: 'wrong-secret' }),
  });
  t.is(res.status, 401);
  t.deepEqual(res.json?.error, { code: 401, status: 'ACCESS_ERROR', message: 'sign result is not same [gw]' });
  t.is(typeof res.json?.requestId, 'string');
});

test('rejects a signature made for another path, another service, or an unknown key', async (t) => {
  const endpoint = kit.emulator.endpoints.jdcloud.vm;
  const path = vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}`);
  const forged = await jdRaw({ endpoint, path, sign: sign('vm', 'cn-east-2', { signedPath: vmPath('/regions/cn-east-2/images/img-other') }) });
  t.is(forged.status, 401);
  const otherService = await jdRaw({ endpoint, path, sign: sign('iam', 'jdcloud') });
  t.is(otherService.status, 401);
  const unknown = await jdRaw({ endpoint, path, sign: sign('vm', 'cn-east-2', { accessKeyId: 'AKUNKNOWN' }) });
  t.is(unknown.status, 401);
  t.is((unknown.json?.error as { status: string }).status, 'ACCESS_ERROR');
});

test('rejects a replayed nonce with 403', async (t) => {
  const request = { endpoint: kit.emulator.endpoints.jdcloud.vm, path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}`), sign: sign('vm', 'cn-east-2', { nonce: 'replayed-nonce-1', date: new Date() }) };
  t.is((await jdRaw(request)).status, 200);
  const again = await jdRaw(request);
  t.is(again.status, 403);
  t.is((again.json?.error as { status: string }).status, 'APIGW_NONCE_CONFLICT');
});

test('rejects an expired signature and an unsigned request with 401', async (t) => {
  const path = vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}`);
  const expired = await jdRaw({ endpoint: kit.emulator.endpoints.jdcloud.vm, path, sign: sign('vm', 'cn-east-2', { date: new Date(Date.now() - 20 * 60_000) }) });
  t.is(expired.status, 401);
  t.regex(String((expired.json?.error as { message: string }).message), /expired/);
  const unsigned = await jdRaw({ endpoint: kit.emulator.endpoints.jdcloud.vm, path });
  t.is(unsigned.status, 401);
  t.is((unsigned.json?.error as { status: string }).status, 'ACCESS_ERROR');
});

test('garbled bodies, unknown paths and unknown regions get JD error shapes', async (t) => {
  const endpoint = kit.emulator.endpoints.jdcloud.vm;
  const garbage = await jdRaw({ endpoint, method: 'POST', path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}:exportImage`), body: Buffer.from([0xff, 0x00, 0x7b, 0x13]), sign: sign() });
  t.is(garbage.status, 400);
  t.deepEqual(garbage.json?.error, { code: 400, status: 'INVALID_ARGUMENT', message: 'the request body is not valid JSON' });
  const missing = await jdRaw({ endpoint, method: 'POST', path: vmPath(`/regions/cn-east-2/images/${JD_IMAGES.golden}:exportImage`), body: '{}', sign: sign() });
  t.is((missing.json?.error as { message: string }).message, 'roleName is required');
  const unknown = await jdRaw({ endpoint, path: vmPath('/regions/cn-east-2/nothing'), sign: sign() });
  t.is(unknown.status, 404);
  t.is((unknown.json?.error as { status: string }).status, 'NOT_FOUND');
  const region = await jdRaw({ endpoint, path: vmPath('/regions/mars-1/imageTasks'), sign: sign('vm', 'mars-1') });
  t.is(region.status, 400);
  t.regex(String((region.json?.error as { message: string }).message), /regionId mars-1 is not a valid region/);
  const badQuery = await jdRaw({ endpoint, path: vmPath('/regions/cn-east-2/imageTasks'), query: 'pageSize=5', sign: sign() });
  t.is(badQuery.status, 400);
});

test('bytes that are not HTTP get a JD error, and the emulator keeps serving', async (t) => {
  const url = new URL(kit.emulator.endpoints.jdcloud.iam);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(Buffer.from('\x16\x03\x01 not http at all\r\n\r\n')));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  t.regex(answer, /^HTTP\/1\.1 400/);
  t.regex(answer, /"status":"INTERNAL"|"status":"INVALID_ARGUMENT"/);
  const after = await jdRaw({ endpoint: kit.emulator.endpoints.jdcloud.iam, path: '/v1/role/none-such', sign: sign('iam', 'jdcloud') });
  t.is(after.status, 404);
});

test('IAM answers 409 ALREADY_EXISTS on a duplicate role', async (t) => {
  const body = JSON.stringify({ createRoleInfo: { roleName: 'dup-role', type: 3, assumeRolePolicyDocument: JSON.stringify({ Version: '3', Statement: [{ Effect: 'Allow', Principal: { Service: ['disk'] }, Action: 'sts:assumeRole' }] }) } });
  const first = await jdRaw({ endpoint: kit.emulator.endpoints.jdcloud.iam, method: 'POST', path: '/v1/role', body, sign: sign('iam', 'jdcloud') });
  t.is(first.status, 200, first.body);
  const second = await jdRaw({ endpoint: kit.emulator.endpoints.jdcloud.iam, method: 'POST', path: '/v1/role', body, sign: sign('iam', 'jdcloud') });
  t.is(second.status, 409);
  t.deepEqual(second.json?.error, { code: 409, status: 'ALREADY_EXISTS', message: 'role dup-role already exists' });
});
