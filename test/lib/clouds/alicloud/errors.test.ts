import test from 'ava';
import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { CloudError } from '../../../../lib/model/cloud-error';
import { toCloudError } from '../../../../lib/clouds/alicloud/errors';

function clientError(statusCode: number, code: string, message: string): ClientError {
  return new ClientError({ statusCode, code, message: `code: ${statusCode}, ${message} request id: r-1`, data: { Code: code, Message: message, RequestId: 'r-1' }, requestId: 'r-1' });
}

/** Every ExportImage error of seed 004 (and reference §1), with the kind it must map to. */
const EXPORT_IMAGE_ERRORS: [number, string, string, CloudError['kind']][] = [
  [400, 'MissingParameter', 'An input parameter "RegionId" that is mandatory for processing the request is not supplied.', 'invalid'],
  [400, 'InvalidImageName.Malformed', 'The specified Image name is wrongly formed.', 'invalid'],
  [400, 'InvalidOSSPrefix.Malformed', 'The specified OSSPrefix format is wrongly formed.', 'invalid'],
  [400, 'InvalidRegionId.NotFound', 'The specified RegionId does not exist.', 'not-found'],
  [400, 'InvalidRegion.NotSupport', 'The specified region does not support image import or export.', 'invalid'],
  [404, 'InvalidImageId.NotFound', 'The specified ImageId does not exist.', 'not-found'],
  [400, 'IncorrectImageStatus', 'The specified Image is not available.', 'conflict'],
  [403, 'ImageNotSupported', 'The specified image from the image market, do not support export image.', 'invalid'],
  [400, 'InvalidImageFormat.Malformed', 'The specified Image Format is wrongly formed.', 'invalid'],
  [400, 'InvalidImageFormat.RegionNotSupported', 'The specified image format is not supported in current region.', 'invalid'],
  [403, 'ImageIsExporting', 'The specified Image is exporting.', 'conflict'],
  [403, 'ExportImageFailed', 'Exporting image is failed, Please contact the administrator.', 'other'],
  [403, 'UserNotInTheWhiteList', 'The user is not in the white list of exporting image.', 'denied'],
  [403, 'NoSetRoletoECSServiceAcount', 'ECS service account Have no right to access your OSS.please attach a role of access your oss to ECS service account.', 'denied'],
  [400, 'InvalidOSSBucket.NotFound', 'The specified OSS bucket does not exist in this region.', 'not-found'],
  [400, 'InvalidOSSBucket.NotMatched', 'The specified OSS bucket is incorrect, x.', 'invalid'],
  [400, 'InvalidOSSObject.NeedRestore', 'The specified OSS object is a archive object, need restore first.', 'invalid'],
  [400, 'OperationDenied', 'The specified image contains the snapshot of the data disk,does not support this operation.', 'invalid'],
  [400, 'InvalidImage.DiskAmountOrSize', 'The diskSize of the image exceeds the maximum size.', 'invalid'],
  [400, 'ImageNotSupported', 'The specified Image contains encrypted snapshots, do not support export.', 'invalid'],
  [403, 'ConcurrentQuotaExceed.ExportImage', 'too many', 'quota'],
  [403, 'WeeklyQuotaExceed.ExportImage', 'weekly', 'quota'],
  [403, 'InvalidImageLicense.NotSupported', 'license', 'invalid'],
  [403, 'InvalidImageCategory.NotSupported', 'The specified image category is not supported.', 'invalid'],
  [403, 'InvalidOSS.NotAuthorized', 'The specified OSS bucket or object is not allowed to access.', 'denied'],
  [403, 'InvalidOSSBucket.EncryptUnsupported', 'Accessing objects from encrypted OSS bucket is not supported.', 'invalid'],
];

for (const [status, code, message, kind] of EXPORT_IMAGE_ERRORS) {
  test(`ExportImage error ${code} (${status}) keeps code and message verbatim, is ${kind}, and says what to do`, (t) => {
    const error = toCloudError('ExportImage', clientError(status, code, message));
    t.true(error instanceof CloudError);
    t.is(error.code, code);
    t.is(error.kind, kind);
    t.is(error.httpStatus, status);
    t.is(error.requestId, 'r-1');
    t.is(error.cloud, 'alicloud');
    t.true(error.message.startsWith(`ExportImage failed: ${code}: ${message}`));
    t.regex(error.message, /what to do: \S+/);
    t.false(error.retryable);
  });
}

test('ThrottlingError and Throttling.* codes are retryable throttling', (t) => {
  const throttled = new ThrottlingError({ statusCode: 400, code: 'Throttling.User', message: 'x', data: { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' } });
  const error = toCloudError('DescribeTaskAttribute', throttled);
  t.is(error.kind, 'throttling');
  t.true(error.retryable);
  t.is(error.code, 'Throttling.User');
});

test('5xx ServerErrors, dropped connections and garbled answers are retryable transient', (t) => {
  const server = toCloudError('DescribeTasks', new ServerError({ statusCode: 503, code: 'ServiceUnavailable', message: 'x', data: { Message: 'The request has failed due to a temporary failure of the server.' } }));
  t.is(server.kind, 'transient');
  t.true(server.retryable);
  const unknown5xx = toCloudError('DescribeTasks', new ServerError({ statusCode: 500, code: 'SomethingOdd', message: 'x', data: {} }));
  t.is(unknown5xx.kind, 'transient');
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  t.is(toCloudError('DescribeTasks', reset).kind, 'transient');
  t.is(toCloudError('DescribeTasks', new SyntaxError('Unexpected token <')).code, 'MalformedResponse');
  t.true(toCloudError('DescribeTasks', new SyntaxError('Unexpected token <')).retryable);
});

test('gateway signature errors are auth errors', (t) => {
  for (const code of ['SignatureDoesNotMatch', 'SignatureNonceUsed', 'InvalidTimeStamp.Expired', 'InvalidAccessKeyId.NotFound']) {
    t.is(toCloudError('ExportImage', clientError(400, code, 'x')).kind, 'auth', code);
  }
});

test('a CloudError passes through unchanged', (t) => {
  const original = new CloudError({ cloud: 'alicloud', operation: 'X', code: 'Y', message: 'z', kind: 'other' });
  t.is(toCloudError('ExportImage', original), original);
});
