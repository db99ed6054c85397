import test from 'ava';
import { verifySigV4, type SignedRequest } from '../../../emulator/core/sigv4-verifier';
import { sdkSigner } from '../raw-request';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const secretFor = (key: string) => (key === credentials.accessKeyId ? credentials.secretAccessKey : undefined);

async function signed(options: { service?: string; method?: string; path?: string; query?: Record<string, string>; body?: string; headers?: Record<string, string>; signingDate?: Date } = {}): Promise<SignedRequest> {
  const service = options.service ?? 'ec2';
  const body = options.body ?? 'Action=DescribeImages&Version=2016-11-15';
  const request = await sdkSigner(service, 'eu-west-1', credentials).sign(
    {
      method: options.method ?? 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: options.path ?? '/',
      query: options.query ?? {},
      headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      body,
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const rawQuery = Object.entries(request.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return { method: request.method, rawPath: request.path, rawQuery, headers, rawHeaders: Object.entries(headers).flat(), body: Buffer.from(body) };
}

test('sigv4: accepts what the SDK signer produces and reports key, region and date', async (t) => {
  const result = verifySigV4(await signed(), { service: 'ec2', secretFor });
  t.true(result.ok);
  if (result.ok) {
    t.is(result.accessKeyId, 'AKIDEXAMPLE');
    t.is(result.region, 'eu-west-1');
    t.is(result.scope.split('/').slice(1).join('/'), 'eu-west-1/ec2/aws4_request');
  }
});

test('sigv4: S3 paths are encoded once (spaces, plus, unicode) and query parameters are sorted', async (t) => {
  const request = await signed({ service: 's3', method: 'GET', path: '/bucket/dir/a%20b%2Bc%C3%A9.raw', query: { 'list-type': '2', prefix: 'a b', 'encoding-type': 'url' }, body: '' });
  t.true(verifySigV4(request, { service: 's3', s3: true, secretFor }).ok);
});

test('sigv4: accepts an S3 presigned URL until it expires', async (t) => {
  const signer = sdkSigner('s3', 'us-east-1', credentials);
  const at = new Date(Date.UTC(2026, 0, 1, 12));
  // As @aws-sdk/s3-request-presigner does: the payload is UNSIGNED-PAYLOAD and that header stays a header.
  const presigned = await signer.presign(
    { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/bucket/key', query: {}, headers: { host: '127.0.0.1:4566', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    { expiresIn: 300, signingDate: at, unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']) },
  );
  const rawQuery = Object.entries(presigned.query ?? {}).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&');
  t.regex(rawQuery, /X-Amz-Signature=/);
  const headers = { host: '127.0.0.1:4566', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const request: SignedRequest = { method: 'GET', rawPath: '/bucket/key', rawQuery, headers, rawHeaders: Object.entries(headers).flat(), body: Buffer.alloc(0) };
  t.true(verifySigV4(request, { service: 's3', s3: true, secretFor, now: () => at.getTime() + 200_000 }).ok);
  t.like(verifySigV4(request, { service: 's3', s3: true, secretFor, now: () => at.getTime() + 400_000 }), { ok: false, reason: 'expired' });
});

test('rejects tampered bodies, headers and query strings (mismatch)', async (t) => {
  const request = await signed();
  t.like(verifySigV4({ ...request, body: Buffer.from('Action=DeleteEverything&Version=2016-11-15') }, { service: 'ec2', secretFor }), { ok: false, reason: 'mismatch' });
  const headers = { ...request.headers, 'content-type': 'text/plain' };
  t.like(verifySigV4({ ...request, headers, rawHeaders: Object.entries(headers).flat() as string[] }, { service: 'ec2', secretFor }), { ok: false, reason: 'mismatch' });
  t.like(verifySigV4({ ...request, rawQuery: 'x=1' }, { service: 'ec2', secretFor }), { ok: false, reason: 'mismatch' });
  t.like(verifySigV4(request, { service: 'ec2', secretFor: () => 'another secret' }), { ok: false, reason: 'mismatch' });
});

test('rejects missing, malformed, unknown-key, wrong-service and skewed signatures with distinct reasons', async (t) => {
  const request = await signed();
  t.like(verifySigV4({ ...request, headers: { host: 'x' }, rawHeaders: ['Host', 'x'] }, { service: 'ec2', secretFor }), { ok: false, reason: 'missing' });
  const garbage = { ...request.headers, authorization: 'AWS4-HMAC-SHA256 nonsense' };
  t.like(verifySigV4({ ...request, headers: garbage }, { service: 'ec2', secretFor }), { ok: false, reason: 'malformed' });
  t.like(verifySigV4(request, { service: 'ec2', secretFor: () => undefined }), { ok: false, reason: 'unknown-key', accessKeyId: 'AKIDEXAMPLE' });
  t.like(verifySigV4(request, { service: 'iam', secretFor }), { ok: false, reason: 'wrong-service' });
  const old = await signed({ signingDate: new Date(Date.now() - 16 * 60_000) });
  t.like(verifySigV4(old, { service: 'ec2', secretFor }), { ok: false, reason: 'expired' });
  const future = await signed({ signingDate: new Date(Date.now() + 16 * 60_000) });
  t.like(verifySigV4(future, { service: 'ec2', secretFor }), { ok: false, reason: 'not-yet-valid' });
});

test('rejects an S3 request whose x-amz-content-sha256 does not match the body', async (t) => {
  const request = await signed({ service: 's3', method: 'PUT', path: '/bucket/key', body: 'original' });
  t.true(verifySigV4(request, { service: 's3', s3: true, secretFor }).ok);
  t.like(verifySigV4({ ...request, body: Buffer.from('replaced') }, { service: 's3', s3: true, secretFor }), { ok: false, reason: 'payload-mismatch' });
});
