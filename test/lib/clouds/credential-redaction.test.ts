import { inspect } from 'node:util';
import test from 'ava';
import { credentialFreeCause, redactCredentials } from '../../../lib/clouds/credential-redaction';

/** The shape @alicloud/openapi-core gives a Forbidden.RAM answer (its V2 message quotes the string to sign). */
function toAlicloudTestError(accessKeyId: string): Error {
  return Object.assign(new Error(`code: 403, server string to sign is:GET&%2F&AccessKeyId%3D${accessKeyId}`), {
    name: 'ClientError',
    code: 'Forbidden.RAM',
    statusCode: 403,
    accessDeniedDetail: { AuthAction: 'ecs:ExportImage' },
    data: { Code: 'Forbidden.RAM', AccessDeniedDetail: { AuthAction: 'ecs:ExportImage' }, Message: `string to sign: AccessKeyId=${accessKeyId}` },
  });
}

const credentials = { accessKeyId: 'AKIAIMAGEPORTTEST001', secretAccessKey: 'Secret/Key+Value/0000000001', sessionToken: 'IQoJb3JpZ2luToken/AB+CD==' };

test('redactCredentials cuts the canonical string IAM and STS append, and blanks token parameters, scopes and key ids', (t) => {
  const iamMessage = [
    'The request signature we calculated does not match the signature you provided.',
    '',
    'The Canonical String for this request should have been',
    "'POST\n/\n\nhost:iam.amazonaws.com\nx-amz-security-token:IQoJb3JpZ2luToken/AB+CD==\n'",
  ].join('\n');
  t.is(redactCredentials(iamMessage, credentials), 'The request signature we calculated does not match the signature you provided.');
  t.is(
    redactCredentials('GET /b/k?X-Amz-Credential=AKIAIMAGEPORTTEST001%2F20260101&X-Amz-Security-Token=abc%2Bdef x-acs-security-token: CAIS.tok'),
    'GET /b/k?X-Amz-Credential=[redacted]&X-Amz-Security-Token=[redacted] x-acs-security-token: [redacted]',
  );
  t.is(redactCredentials('Credential=LTAI5tSomeAlibabaKey01/20260101, ASIAEXAMPLEEXAMPLE01'), 'Credential=[redacted]/20260101, [redacted]');
  const encoded = `GET&%2F&AccessKeyId%3D${encodeURIComponent(encodeURIComponent(credentials.accessKeyId))}&token=${encodeURIComponent(credentials.sessionToken)}`;
  const redacted = redactCredentials(encoded, credentials);
  t.false(redacted.includes(encodeURIComponent(credentials.sessionToken)), redacted);
  t.false(redacted.includes(credentials.accessKeyId), redacted);
});

test('credentialFreeCause drops the fields S3 echoes, keeps code, metadata and cloud details, and redacts nested causes', (t) => {
  const s3Error = Object.assign(new Error('The request signature we calculated does not match the signature you provided.'), {
    name: 'SignatureDoesNotMatch',
    $fault: 'client',
    $metadata: { httpStatusCode: 403, requestId: 'req-1' },
    Code: 'SignatureDoesNotMatch',
    AWSAccessKeyId: credentials.accessKeyId,
    StringToSign: 'AWS4-HMAC-SHA256\n20260101T000000Z',
    CanonicalRequest: `PUT\n/b/k\n\nx-amz-security-token:${credentials.sessionToken}\n`,
    CanonicalRequestBytes: Buffer.from(`x-amz-security-token:${credentials.sessionToken}`).toString('hex').replace(/(..)/g, '$1 '),
    SignatureProvided: 'abc',
    cause: Object.assign(new Error(`inner ${credentials.secretAccessKey}`), { code: 'ECONNRESET' }),
  });
  Object.defineProperty(s3Error, '$response', { value: { body: `<AWSAccessKeyId>${credentials.accessKeyId}</AWSAccessKeyId>` }, enumerable: false });
  const cause = credentialFreeCause(s3Error, credentials) as Error & Record<string, unknown>;
  const text = inspect(cause, { depth: 10, showHidden: true });
  for (const value of Object.values(credentials)) t.false(text.includes(value), `${value} in ${text}`);
  t.false(text.includes('x-amz-security-token'), text);
  t.true(cause instanceof Error);
  t.like(cause, { name: 'SignatureDoesNotMatch', Code: 'SignatureDoesNotMatch', $fault: 'client', $metadata: { httpStatusCode: 403, requestId: 'req-1' } });
  t.like(cause.cause, { code: 'ECONNRESET', message: 'inner [redacted]' });
  t.regex(String(cause.stack), /^SignatureDoesNotMatch: The request signature/);
});

test('credentialFreeCause keeps what Alibaba Cloud permission checks read (AccessDeniedDetail)', (t) => {
  const cause = credentialFreeCause(toAlicloudTestError(credentials.accessKeyId)) as Record<string, { AuthAction?: string; AccessDeniedDetail?: { AuthAction?: string } }>;
  t.is(cause.accessDeniedDetail.AuthAction, 'ecs:ExportImage');
  t.is(cause.data.AccessDeniedDetail?.AuthAction, 'ecs:ExportImage');
  t.false(inspect(cause, { depth: 10 }).includes(credentials.accessKeyId));
});

test('credentialFreeCause leaves non-objects alone and redacts strings', (t) => {
  t.is(credentialFreeCause(undefined), undefined);
  t.is(credentialFreeCause(42), 42);
  t.is(credentialFreeCause(`key ${credentials.accessKeyId}`), 'key [redacted]');
});
