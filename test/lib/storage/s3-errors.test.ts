import test from 'ava';
import { CloudError, type CloudErrorKind } from '../../../lib/model/cloud-error';
import { toStorageCloudError } from '../../../lib/storage/s3-errors';

const sdkError = (name: string, status: number, message = 'm', extra: object = {}): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'req-1' }, ...extra });

test('keeps the S3 code and message verbatim and classifies them', (t) => {
  const cases: [string, number, CloudErrorKind][] = [
    ['NoSuchKey', 404, 'not-found'],
    ['NoSuchBucket', 404, 'not-found'],
    ['AccessDenied', 403, 'denied'],
    ['SignatureDoesNotMatch', 403, 'auth'],
    ['InvalidAccessKeyId', 403, 'auth'],
    ['SlowDown', 503, 'throttling'],
    ['InternalError', 500, 'transient'],
    ['BucketAlreadyExists', 409, 'conflict'],
    ['TooManyBuckets', 400, 'quota'],
    ['InvalidRange', 416, 'invalid'],
  ];
  for (const [code, status, kind] of cases) {
    const error = toStorageCloudError(sdkError(code, status, `text of ${code}`), 'alicloud', 'GetObject');
    t.is(error.code, code);
    t.is(error.kind, kind, code);
    t.is(error.httpStatus, status);
    t.is(error.requestId, 'req-1');
    t.is(error.message, `GetObject failed: ${code}: text of ${code}`);
    t.is(error.cloud, 'alicloud');
  }
});

test('falls back to the HTTP status for unknown codes and bodiless answers', (t) => {
  t.is(toStorageCloudError(sdkError('WeirdVendorCode', 503), 'jdcloud', 'PutObject').kind, 'transient');
  t.is(toStorageCloudError(sdkError('WeirdVendorCode', 429), 'jdcloud', 'PutObject').kind, 'throttling');
  const bodiless = toStorageCloudError(sdkError('403', 403, 'UnknownError'), 'aws', 'HeadBucket');
  t.is(bodiless.code, 'Http403');
  t.is(bodiless.kind, 'denied');
  t.is(toStorageCloudError(sdkError('NotFound', 404), 'aws', 'HeadObject').kind, 'not-found');
});

test('network errors are transient with their code', (t) => {
  const reset = toStorageCloudError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'aws', 'GetObject');
  t.is(reset.code, 'ECONNRESET');
  t.is(reset.kind, 'transient');
  t.true(reset.retryable);
  t.is(toStorageCloudError(new Error('socket hang up'), 'aws', 'GetObject').kind, 'transient');
});

test('an SDK throttling flag wins, and a CloudError passes through', (t) => {
  t.is(toStorageCloudError(sdkError('Odd', 400, 'm', { $retryable: { throttling: true } }), 'aws', 'X').kind, 'throttling');
  const original = new CloudError({ cloud: 'aws', operation: 'X', code: 'C', message: 'm', kind: 'auth' });
  t.is(toStorageCloudError(original, 'aws', 'Y'), original);
});
