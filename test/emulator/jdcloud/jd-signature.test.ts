import test from 'ava';
import { createHash, createHmac } from 'node:crypto';
import { NonceRegistry, verifyJdSignature, type JdSignedRequest } from '../../../emulator/jdcloud/jd-signature';

// Reference §5.6 (jdcloud-sdk-js capture) and the PySDK JDCLOUD3 vector (§5.4), verified server-side.
const SDK_NOW = Date.UTC(2026, 10, 22, 13, 11, 40);
const secrets = (ak: string) => ({ AKEXAMPLE: 'SKEXAMPLE', ak: 'sk' })[ak];

function sdkExportRequest(): JdSignedRequest {
  return {
    method: 'POST',
    rawPath: '/v1/regions/cn-east-2/images/img-abc123%3AexportImage',
    rawQuery: '',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      host: '127.0.0.1:18080',
      'x-jdcloud-date': '20261122T131136Z',
      'x-jdcloud-nonce': '31b4907e-2f38-4a31-9c89-5c0cef970337',
      authorization:
        'JDCLOUD2-HMAC-SHA256 Credential=AKEXAMPLE/20261122/cn-east-2/vm/jdcloud2_request, ' +
        'SignedHeaders=accept;content-type;host;x-jdcloud-date;x-jdcloud-nonce, ' +
        'Signature=8131c7a38ca034b904dd2c3359dfcc0553ec512a62985605984f1bdfea1b3abd',
    },
    body: Buffer.from('{"roleName":"image-export","ossUrl":"https://b.s3-internal.cn-east-2.jdcloud-oss.com","ossPrefix":"jdcloud"}'),
  };
}

test('accepts the JDCLOUD2 request captured from jdcloud-sdk-js', (t) => {
  const result = verifyJdSignature(sdkExportRequest(), secrets, new NonceRegistry(), SDK_NOW);
  t.deepEqual(result, { ok: true, caller: { accessKeyId: 'AKEXAMPLE', region: 'cn-east-2', service: 'vm', version: 'JDCLOUD2' } });
});

test('accepts the JDCLOUD2 imageTasks capture, whose query is signed sorted', (t) => {
  const request: JdSignedRequest = {
    ...sdkExportRequest(),
    method: 'GET',
    rawPath: '/v1/regions/cn-east-2/imageTasks',
    rawQuery: 'taskAction=ExportImage&pageSize=10&taskIds.1=task-1&taskIds.2=task-2',
    body: Buffer.alloc(0),
    headers: {
      ...sdkExportRequest().headers,
      'x-jdcloud-nonce': '2375b76c-887b-4af5-b200-8fc978d0d9ae',
      authorization:
        'JDCLOUD2-HMAC-SHA256 Credential=AKEXAMPLE/20261122/cn-east-2/vm/jdcloud2_request, ' +
        'SignedHeaders=accept;content-type;host;x-jdcloud-date;x-jdcloud-nonce, ' +
        'Signature=933ad068b95d1b6d179cabaccde3c926549b9292db77532062ad5ecd62d3c45c',
    },
  };
  t.true(verifyJdSignature(request, secrets, new NonceRegistry(), SDK_NOW).ok);
});

test('accepts the official JDCLOUD3 vector', (t) => {
  const request: JdSignedRequest = {
    method: 'GET',
    rawPath: '/',
    rawQuery: '',
    headers: {
      'content-type': 'application/json',
      host: 'apigw-internal-dev.cn-north-1.jcloudcs.com:8000',
      'x-jdcloud-date': '20190917T064708Z',
      'x-jdcloud-nonce': 'X-Jdcloud-Nonce',
      authorization:
        'JDCLOUD3-HMAC-SHA256 Credential=ak/20190917/cn-north-1/apigatewaytestproductline/jdcloud3_request, ' +
        'SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce, ' +
        'Signature=44c5ec30b6185516986ae171d8276552bc0f37f6a536a44e4f578958fc1c12be',
    },
    body: Buffer.alloc(0),
  };
  const result = verifyJdSignature(request, secrets, new NonceRegistry(), Date.UTC(2019, 8, 17, 6, 50, 0));
  t.true(result.ok);
  if (result.ok) t.is(result.caller.version, 'JDCLOUD3');
});

test('rejects a tampered body with 401 ACCESS_ERROR "sign result is not same [gw]"', (t) => {
  const request = { ...sdkExportRequest(), body: Buffer.from('{"roleName":"other"}') };
  t.deepEqual(verifyJdSignature(request, secrets, new NonceRegistry(), SDK_NOW), {
    ok: false,
    refusal: { httpStatus: 401, status: 'ACCESS_ERROR', message: 'sign result is not same [gw]' },
  });
});

test('rejects the path sent with ":" when it was signed as %3A under JDCLOUD2', (t) => {
  const request = { ...sdkExportRequest(), rawPath: '/v1/regions/cn-east-2/images/img-abc123:exportImage' };
  const result = verifyJdSignature(request, secrets, new NonceRegistry(), SDK_NOW);
  t.false(result.ok);
});

test('rejects a replayed nonce with 403 APIGW_NONCE_CONFLICT', (t) => {
  const nonces = new NonceRegistry();
  t.true(verifyJdSignature(sdkExportRequest(), secrets, nonces, SDK_NOW).ok);
  const again = verifyJdSignature(sdkExportRequest(), secrets, nonces, SDK_NOW + 1000);
  t.false(again.ok);
  if (!again.ok) {
    t.is(again.refusal.httpStatus, 403);
    t.is(again.refusal.status, 'APIGW_NONCE_CONFLICT');
  }
});

test('rejects an expired date, an unknown key, a missing or malformed Authorization, and an unsigned host', (t) => {
  const expired = verifyJdSignature(sdkExportRequest(), secrets, new NonceRegistry(), SDK_NOW + 16 * 60 * 1000);
  t.false(expired.ok);
  if (!expired.ok) t.regex(expired.refusal.message, /expired/);
  const unknown = verifyJdSignature(sdkExportRequest(), () => undefined, new NonceRegistry(), SDK_NOW);
  t.false(unknown.ok);
  const headers = { ...sdkExportRequest().headers };
  delete headers.authorization;
  t.false(verifyJdSignature({ ...sdkExportRequest(), headers }, secrets, new NonceRegistry(), SDK_NOW).ok);
  const garbled = { ...sdkExportRequest(), headers: { ...headers, authorization: 'JDCLOUD2-HMAC-SHA256 garbage' } };
  const refused = verifyJdSignature(garbled, secrets, new NonceRegistry(), SDK_NOW);
  t.false(refused.ok);
  if (!refused.ok) t.is(refused.refusal.httpStatus, 401);
  const noHostSigned = {
    ...sdkExportRequest(),
    headers: { ...sdkExportRequest().headers, authorization: sdkExportRequest().headers.authorization!.replace(';host', '') },
  };
  const refusedHost = verifyJdSignature(noHostSigned as JdSignedRequest, secrets, new NonceRegistry(), SDK_NOW);
  t.false(refusedHost.ok);
  if (!refusedHost.ok) t.is(refusedHost.refusal.message, 'host must be signed');
});

/** Signs the way jdcloud-sdk-python does (JDCLOUD3, only content-type and host signed; date and nonce added after). */
function pythonStyle(date: string, nonce: string, body: string): JdSignedRequest {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  const canonical = ['POST', '/v1/regions/cn-east-2/images/img-abc123%3AexportImage', '', 'content-type:application/json\nhost:127.0.0.1:18080\n', 'content-type;host', hash(body)].join('\n');
  const scope = `${date.slice(0, 8)}/cn-east-2/vm/jdcloud3_request`;
  let key = createHmac('sha256', 'JDCLOUD3SKEXAMPLE').update(date.slice(0, 8)).digest();
  for (const part of ['cn-east-2', 'vm', 'jdcloud3_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(`JDCLOUD3-HMAC-SHA256\n${date}\n${scope}\n${hash(canonical)}`).digest('hex');
  return {
    method: 'POST',
    rawPath: '/v1/regions/cn-east-2/images/img-abc123%3AexportImage',
    rawQuery: '',
    headers: {
      'content-type': 'application/json',
      host: '127.0.0.1:18080',
      'user-agent': 'JdcloudSdkPython/1.6.0 vm/1.6.1',
      'x-jdcloud-date': date,
      'x-jdcloud-nonce': nonce,
      'x-jdcloud-content-sha256': hash(body),
      'jdcloud3-hmac-sha256': 'JDCLOUD3-HMAC-SHA256',
      authorization: `JDCLOUD3-HMAC-SHA256 Credential=AKEXAMPLE/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    },
    body: Buffer.from(body),
  };
}

test('accepts a Python-SDK-style JDCLOUD3 request whose date and nonce are sent but not signed, and still refuses its replay', (t) => {
  const nonces = new NonceRegistry();
  const request = pythonStyle('20261122T131136Z', 'py-nonce-1', '{"roleName":"image-export"}');
  t.true(verifyJdSignature(request, secrets, nonces, SDK_NOW).ok);
  t.false(verifyJdSignature(request, secrets, nonces, SDK_NOW).ok);
  const shifted = { ...request, headers: { ...request.headers, 'x-jdcloud-date': '20261122T131137Z', 'x-jdcloud-nonce': 'py-nonce-2' } };
  t.false(verifyJdSignature(shifted, secrets, nonces, SDK_NOW).ok, 'the date is part of the string to sign');
});
