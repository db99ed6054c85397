import test from 'ava';
import {
  buildQueryString,
  canonicalQueryString,
  escapePath,
  formatJdcloudDate,
  rfc3986Escape,
  signJdcloudRequest,
} from '../../../../lib/clouds/jdcloud/signer';

// Reference §5.6: captured from jdcloud-sdk-js@1.2.202 against a loopback server, recomputed independently.
const SDK_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };
const SDK_DATE = new Date(Date.UTC(2026, 10, 22, 13, 11, 36));

test('JDCLOUD2 reproduces the exportImage vector of jdcloud-sdk-js byte for byte', (t) => {
  const signed = signJdcloudRequest({
    method: 'POST',
    host: '127.0.0.1:18080',
    path: '/v1/regions/cn-east-2/images/img-abc123%3AexportImage',
    headers: SDK_HEADERS,
    body: '{"roleName":"image-export","ossUrl":"https://b.s3-internal.cn-east-2.jdcloud-oss.com","ossPrefix":"jdcloud"}',
    region: 'cn-east-2',
    service: 'vm',
    accessKeyId: 'AKEXAMPLE',
    secretAccessKey: 'SKEXAMPLE',
    date: SDK_DATE,
    nonce: '31b4907e-2f38-4a31-9c89-5c0cef970337',
  });
  t.is(
    signed.authorization,
    'JDCLOUD2-HMAC-SHA256 Credential=AKEXAMPLE/20261122/cn-east-2/vm/jdcloud2_request, ' +
      'SignedHeaders=accept;content-type;host;x-jdcloud-date;x-jdcloud-nonce, ' +
      'Signature=8131c7a38ca034b904dd2c3359dfcc0553ec512a62985605984f1bdfea1b3abd',
  );
  t.is(signed.headers['x-jdcloud-date'], '20261122T131136Z');
  t.is(signed.headers['x-jdcloud-nonce'], '31b4907e-2f38-4a31-9c89-5c0cef970337');
});

test('JDCLOUD2 reproduces the imageTasks vector (sorted canonical query) byte for byte', (t) => {
  const signed = signJdcloudRequest({
    method: 'GET',
    host: '127.0.0.1:18080',
    path: '/v1/regions/cn-east-2/imageTasks',
    query: 'taskAction=ExportImage&pageSize=10&taskIds.1=task-1&taskIds.2=task-2',
    headers: SDK_HEADERS,
    region: 'cn-east-2',
    service: 'vm',
    accessKeyId: 'AKEXAMPLE',
    secretAccessKey: 'SKEXAMPLE',
    date: SDK_DATE,
    nonce: '2375b76c-887b-4af5-b200-8fc978d0d9ae',
  });
  t.is(signed.canonicalRequest.split('\n')[2], 'pageSize=10&taskAction=ExportImage&taskIds.1=task-1&taskIds.2=task-2');
  t.is(signed.signature, '933ad068b95d1b6d179cabaccde3c926549b9292db77532062ad5ecd62d3c45c');
});

// Reference §5.4 and jdcloud-sdk-python signer_test.py: ak/sk, fixed date and nonce.
const V3_BASE = {
  algorithm: 'JDCLOUD3-HMAC-SHA256' as const,
  method: 'GET',
  host: 'apigw-internal-dev.cn-north-1.jcloudcs.com:8000',
  headers: { 'content-type': 'application/json' },
  region: 'cn-north-1',
  service: 'apigatewaytestproductline',
  accessKeyId: 'ak',
  secretAccessKey: 'sk',
  date: new Date(Date.UTC(2019, 8, 17, 6, 47, 8)),
  nonce: 'X-Jdcloud-Nonce',
};

test('JDCLOUD3 reproduces the official empty-path vector', (t) => {
  const signed = signJdcloudRequest({ ...V3_BASE, path: '' });
  t.is(
    signed.authorization,
    'JDCLOUD3-HMAC-SHA256 Credential=ak/20190917/cn-north-1/apigatewaytestproductline/jdcloud3_request, ' +
      'SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce, ' +
      'Signature=44c5ec30b6185516986ae171d8276552bc0f37f6a536a44e4f578958fc1c12be',
  );
});

test('JDCLOUD3 reproduces the official vectors for ":" and non-ASCII paths, odd slashes and queries', (t) => {
  const cases: [string, string, string][] = [
    ['/v1/regions/cn-north-1/instances/中文:GET', '', '936ed2dcb6fb4271ad640e0f46f1fe61763a0bad8bb4f4eb1224261f969612fa'],
    ['v1', '', '92cd3ed582c13af58b4c81ddad150c350e656c6cc9e78ec154d7385e499b91b6'],
    ['v1/', '', '035689ae2ce6a3603928ac3d60a6d2fbfb550d33c5da983342a6356419ccd914'],
    ['/v1%2Fregions/cn-north-1%2F%2F%2Finstances', '', '33df199719f9edc6de860e6b53c61d4824e1f389e6030fd37ddc977fda29e467'],
    ['/v1/regions/cn-north-1/instances', '=a&a=a', '43efb5fb00e86faf35d8bf0bed3b72e84cfc98ee4754065e29c3caa7bcaa12cb'],
    [
      '/v1/regions/cn-north-1/instances',
      ' =blank&%20=blank&+= 2&%2b= 1&blank= &blank=+&blank=%20',
      '78c0a4db84050d773533c78c1a0f73bf974faf5df881e39b18c3e0de8110324e',
    ],
  ];
  for (const [path, query, signature] of cases) {
    t.is(signJdcloudRequest({ ...V3_BASE, path, query }).signature, signature, `path ${path} query ${query}`);
  }
});

test('":" in a path is escaped to %3A, and escaping is strict RFC 3986', (t) => {
  t.is(escapePath('/v1/regions/cn-east-2/images/img-x:exportImage'), '/v1/regions/cn-east-2/images/img-x%3AexportImage');
  t.is(rfc3986Escape("a b*!'()~._-"), "a%20b%2A%21%27%28%29~._-");
  t.is(buildQueryString([['taskIds.1', 'a b'], ['k', 'x:y']]), 'taskIds.1=a%20b&k=x%3Ay');
  t.is(canonicalQueryString('b=2&a=1&a=0', 'JDCLOUD2-HMAC-SHA256'), 'a=0&a=1&b=2');
  t.is(formatJdcloudDate(new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 678))), '20200102T030405Z');
});

test('authorization and user-agent are never signed; a changed body changes the signature', (t) => {
  const input = {
    method: 'POST',
    host: 'vm.jdcloud-api.com',
    path: '/v1/x',
    headers: { 'content-type': 'application/json', 'User-Agent': 'x', Authorization: 'y' },
    body: '{}',
    region: 'cn-east-2',
    service: 'vm',
    accessKeyId: 'AK',
    secretAccessKey: 'SK',
    date: SDK_DATE,
    nonce: 'n',
  };
  const a = signJdcloudRequest(input);
  t.is(a.signedHeaders, 'content-type;host;x-jdcloud-date;x-jdcloud-nonce');
  t.not(signJdcloudRequest({ ...input, body: '{"a":1}' }).signature, a.signature);
  t.false(a.canonicalRequest.includes('SK'));
});
