import test from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { classifyAwsError, redactSecrets, toAwsCloudError } from '../../../../lib/clouds/aws/errors';
import { type CloudErrorKind } from '../../../../lib/model/cloud-error';

function sdkError(name: string, message: string, httpStatusCode?: number): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode, requestId: 'req-1' } });
}

test('classifies the documented codes', (t) => {
  const table: [string, number | undefined, CloudErrorKind][] = [
    ['RequestLimitExceeded', 503, 'throttling'],
    ['Throttling', 400, 'throttling'],
    ['InternalError', 500, 'transient'],
    ['Unknown5xx', 502, 'transient'],
    ['AuthFailure', 401, 'auth'],
    ['SignatureDoesNotMatch', 403, 'auth'],
    ['UnauthorizedOperation', 403, 'denied'],
    ['InvalidAMIID.NotFound', 400, 'not-found'],
    ['InvalidExportTaskID.NotFound', 400, 'not-found'],
    ['NoSuchEntity', 404, 'not-found'],
    ['InvalidConversionTaskId', 400, 'not-found'],
    ['InvalidConversionTaskId.Malformed', 400, 'invalid'],
    ['InvalidParameter', 400, 'invalid'],
    ['InvalidParameterValue', 400, 'invalid'],
    ['InvalidParameterCombination', 400, 'invalid'],
    ['NotExportable', 400, 'invalid'],
    ['InvalidAMIID.Malformed', 400, 'invalid'],
    ['IdempotentParameterMismatch', 400, 'conflict'],
    ['EntityAlreadyExists', 409, 'conflict'],
    ['ResourceLimitExceeded', 400, 'quota'],
    ['SomethingElse', 400, 'other'],
    ['NotImplemented', 501, 'other'],
  ];
  for (const [code, status, kind] of table) t.is(classifyAwsError(code, status), kind, code);
});

test('keeps the code, message, status and request id of an SDK error', (t) => {
  const error = toAwsCloudError('ExportImage', sdkError('NotExportable', 'The image ID provided (ami-1) is a marketplace AMI and is not exportable.', 400));
  t.true(error instanceof CloudError);
  t.is(error.code, 'NotExportable');
  t.is(error.kind, 'invalid');
  t.is(error.httpStatus, 400);
  t.is(error.requestId, 'req-1');
  t.is(error.message, 'ExportImage failed: NotExportable: The image ID provided (ami-1) is a marketplace AMI and is not exportable.');
  t.false(error.retryable);
});

test('network errors are transient and retryable', (t) => {
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const error = toAwsCloudError('DescribeExportImageTasks', reset);
  t.is(error.kind, 'transient');
  t.true(error.retryable);
  const wrapped = toAwsCloudError('X', Object.assign(new Error('outer'), { cause: Object.assign(new Error('inner'), { code: 'ETIMEDOUT' }) }));
  t.is(wrapped.code, 'ETIMEDOUT');
});

test('never keeps a credential in the message', (t) => {
  const credentials = { accessKeyId: 'AKIDEXAMPLEKEY123456', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };
  const text = `Credential=AKIDEXAMPLEKEY123456/20240101 secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token FwoGZXIvYXdzEXAMPLETOKEN and AKIAIOSFODNN7EXAMPLE`;
  const error = toAwsCloudError('GetRole', sdkError('SignatureDoesNotMatch', text, 403), credentials);
  for (const secret of [...Object.values(credentials), 'AKIAIOSFODNN7EXAMPLE']) t.false(error.message.includes(secret), secret);
  t.is(error.kind, 'auth');
  t.is(redactSecrets('key ASIAABCDEFGHIJKLMNOP here'), 'key [redacted] here');
});

test('a CloudError passes through unchanged', (t) => {
  const original = new CloudError({ cloud: 'aws', operation: 'x', code: 'y', message: 'z', kind: 'quota' });
  t.is(toAwsCloudError('other', original), original);
});
