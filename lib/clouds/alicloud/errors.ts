import { CloudError, type CloudErrorKind } from '../../model/cloud-error';
import { type StaticCredentials } from '../../model/connection';
import { credentialFreeCause, redactCredentials } from '../credential-redaction';

/** What an error code means and what to do about it. */
interface ErrorGuide {
  readonly kind: CloudErrorKind;
  readonly fix: string;
}

const ROLE_FIX =
  'create the RAM role AliyunECSImageExportDefaultRole / AliyunECSImageImportDefaultRole trusting ecs.aliyuncs.com with ' +
  'AliyunECSImageExportRolePolicy / AliyunECSImageImportRolePolicy attached (imageport ensureRole does this)';

/**
 * Every documented ExportImage / ImportImage / task / RAM / gateway error code imageport knows, with its kind and
 * the fix. Sources: seed 004 (ExportImage), reference notes §1-§5.6.
 */
const GUIDES: Readonly<Record<string, ErrorGuide>> = {
  // ExportImage (seed 004 table and reference §1)
  MissingParameter: { kind: 'invalid', fix: 'pass the named parameter' },
  'InvalidImageName.Malformed': { kind: 'invalid', fix: 'use 2-128 letters, digits, ".", "_", "-", starting with a letter' },
  'InvalidOSSPrefix.Malformed': { kind: 'invalid', fix: 'use an OSS prefix of 1 to 30 letters and digits' },
  'InvalidRegionId.NotFound': { kind: 'not-found', fix: 'use a region id from DescribeRegions, such as cn-hangzhou' },
  'InvalidRegion.NotSupport': { kind: 'invalid', fix: 'export or import in a region that supports image import/export' },
  'InvalidImageId.NotFound': { kind: 'not-found', fix: 'check the image id and that the image is in this region and account' },
  IncorrectImageStatus: { kind: 'conflict', fix: 'wait until the image is Available, then retry' },
  ImageNotSupported: {
    kind: 'invalid',
    fix: 'images from Alibaba Cloud Marketplace or with encrypted snapshots cannot be exported; use a custom image without them',
  },
  'InvalidImageFormat.Malformed': { kind: 'invalid', fix: 'use one of raw, vhd, qcow2, vmdk, vdi (export) or RAW, VHD, QCOW2, VMDK (import)' },
  'InvalidImageFormat.RegionNotSupported': {
    kind: 'invalid',
    fix: 'this region exports RAW only: use format raw, or export from a region that honours ImageFormat',
  },
  ImageIsExporting: { kind: 'conflict', fix: 'an export of this image is already running: wait for it (DescribeTasks) or cancel it' },
  ExportImageFailed: { kind: 'other', fix: 'the export failed inside ECS: retry later or open a ticket with the request id' },
  UserNotInTheWhiteList: { kind: 'denied', fix: 'ask Alibaba Cloud support to enable image export for this account' },
  NoSetRoletoECSServiceAcount: { kind: 'denied', fix: ROLE_FIX },
  NoSetRoletoECSServiceAccount: { kind: 'denied', fix: ROLE_FIX },
  'InvalidOSSBucket.NotFound': { kind: 'not-found', fix: 'create the bucket in the same region as the image (imageport ensureBucket)' },
  'InvalidOSSBucket.NotMatched': { kind: 'invalid', fix: 'use a bucket of this account in the same region' },
  'InvalidOSSObject.NeedRestore': { kind: 'invalid', fix: 'restore the archived OSS object first' },
  OperationDenied: { kind: 'invalid', fix: 'this operation does not support images with data disk snapshots' },
  'InvalidImage.DiskAmountOrSize': { kind: 'invalid', fix: 'export images with at most 4 data disks of at most 500 GiB each' },
  'ConcurrentQuotaExceed.ExportImage': { kind: 'quota', fix: 'too many exports are running: wait for one to finish, then retry' },
  'WeeklyQuotaExceed.ExportImage': { kind: 'quota', fix: 'the weekly export quota is used up: retry next week or ask for more' },
  'InvalidImageLicense.NotSupported': { kind: 'invalid', fix: 'the image license does not allow export' },
  'InvalidImageCategory.NotSupported': { kind: 'invalid', fix: 'only custom images can be exported' },
  'InvalidOSS.NotAuthorized': { kind: 'denied', fix: `let the service role reach the bucket: ${ROLE_FIX}` },
  'InvalidOSSBucket.EncryptUnsupported': { kind: 'invalid', fix: 'use a bucket without server-side encryption' },
  // ImportImage (reference §3)
  'UnsupportedSuffix.OSSObject': { kind: 'invalid', fix: 'name the object with a .raw, .vhd, .qcow2 or .vmdk suffix' },
  'InvalidOSSObject.Malformed': { kind: 'invalid', fix: 'check the OSS object key' },
  'InvalidOSSBucket.Malformed': { kind: 'invalid', fix: 'check the OSS bucket name' },
  'InvalidOSSObject.Size': { kind: 'invalid', fix: 'the OSS object is empty: upload the disk image again' },
  'InvalidOSSObject.NotFound': { kind: 'not-found', fix: 'upload the disk image to that key in a bucket of the same region' },
  'InvalidDescription.Malformed': { kind: 'invalid', fix: 'use 2-256 characters, not starting with http:// or https://' },
  'InvalidArchitecture.Malformed': { kind: 'invalid', fix: 'use x86_64, i386 or arm64' },
  'InvalidPlatform.Malformed': { kind: 'invalid', fix: 'use a documented Platform value' },
  'InvalidOSType.Malformed': { kind: 'invalid', fix: 'use linux or windows' },
  'InvalidImageName.Duplicated': { kind: 'conflict', fix: 'an image with this name exists: choose another imageName' },
  InvalidImageSize: { kind: 'invalid', fix: 'set DiskImageSize (sizeGiB) to at least the size of the image file' },
  InvalidDataDiskSize: { kind: 'invalid', fix: 'use a data disk size from 1 to 2048 GiB' },
  'InvalidLicenseType.NotSupported': { kind: 'invalid', fix: 'use licenseType Auto, Aliyun or BYOL as the platform allows' },
  'InvalidLicenseType.BYOLOnly': { kind: 'invalid', fix: 'this platform takes licenseType BYOL only' },
  'InvalidOSSBucket.FlowLimit': { kind: 'throttling', fix: 'the bucket is throttled: retry later' },
  'InvalidBootMode.Malformed': { kind: 'invalid', fix: 'use BIOS or UEFI' },
  'InvalidBootMode.NotSupport': { kind: 'invalid', fix: 'this image does not support that boot mode (arm64 needs UEFI)' },
  'InvalidParameter.DetectionStrategy': { kind: 'invalid', fix: 'use detectionStrategy Standard or omit it' },
  'InvalidClientToken.Malformed': { kind: 'invalid', fix: 'use a client token of at most 64 ASCII characters' },
  'Account.Arrearage': { kind: 'denied', fix: 'the account has overdue payments: settle them first' },
  ImageIsImporting: { kind: 'conflict', fix: 'an import of this image is already running: wait for it' },
  'QuotaExceed.Image': { kind: 'quota', fix: 'the custom image quota is used up: delete unused images or ask for more' },
  ImportImageFailed: { kind: 'other', fix: 'the import failed inside ECS: check the disk file, retry later or open a ticket' },
  'InvalidParameter.Malformed': { kind: 'invalid', fix: 'check the DiskDeviceMapping parameters' },
  'MissingParameter.DiskDeviceMapping': { kind: 'invalid', fix: 'give at least one disk' },
  'InvalidBlockSize.NotSupport': { kind: 'invalid', fix: 'convert the disk image to a supported block size' },
  'ImageCheckUnsupported.WindowsImage': { kind: 'invalid', fix: 'omit detectionStrategy for Windows images' },
  'InvalidVHDImage.IncorrectSize': { kind: 'invalid', fix: 'a fixed VHD must have a size that is a whole number of MiB' },
  'InvalidArchitecture.PlatformUnsupported': { kind: 'invalid', fix: 'this platform does not support that architecture' },
  'InvalidAccountStatus.OSSDisabled': { kind: 'denied', fix: 'activate OSS for this account' },
  'TagKey.Duplication': { kind: 'invalid', fix: 'use each tag key once' },
  // Tasks (reference §2)
  'InvalidTaskId.NotFound': { kind: 'not-found', fix: 'check the task id and region' },
  'InvalidTaskId.IncorrectTaskStatus': { kind: 'conflict', fix: 'the task is no longer running' },
  'InvalidTaskId.TaskActionNotSupport': { kind: 'invalid', fix: 'only ImportImage and ExportImage tasks can be cancelled' },
  CancelTaskFailed: { kind: 'transient', fix: 'retry the cancel; if it keeps failing, open a ticket' },
  // RAM (reference §4)
  'EntityNotExist.Role': { kind: 'not-found', fix: 'create the role first' },
  'EntityNotExist.Policy': { kind: 'not-found', fix: 'create the policy first' },
  'EntityNotExist.Role.Policy': { kind: 'not-found', fix: 'the policy is not attached to the role' },
  'EntityAlreadyExists.Role': { kind: 'conflict', fix: 'the role exists already' },
  'EntityAlreadyExists.Policy': { kind: 'conflict', fix: 'the policy exists already' },
  'EntityAlreadyExists.Role.Policy': { kind: 'conflict', fix: 'the policy is attached already' },
  'DeleteConflict.Role.Policy': { kind: 'conflict', fix: 'detach every policy from the role first' },
  'DeleteConflict.Policy.Role': { kind: 'conflict', fix: 'detach the policy from every role first' },
  'LimitExceeded.Role': { kind: 'quota', fix: 'the RAM role quota is used up' },
  MalformedPolicyDocument: { kind: 'invalid', fix: 'fix the policy document JSON' },
  // Gateway (reference §5.6)
  'InvalidApi.NotFound': { kind: 'invalid', fix: 'check the endpoint: this API does not exist there' },
  'InvalidAccessKeyId.NotFound': { kind: 'auth', fix: 'check ALIBABA_CLOUD_ACCESS_KEY_ID' },
  'InvalidAccessKeyId.Inactive': { kind: 'auth', fix: 'the AccessKey is disabled: enable it or use another' },
  'InvalidTimeStamp.Expired': { kind: 'auth', fix: 'the clock of this machine is off by more than 15 minutes: sync it' },
  SignatureNonceUsed: { kind: 'auth', fix: 'a request nonce was replayed: retry (a new request gets a new nonce)' },
  SignatureDoesNotMatch: { kind: 'auth', fix: 'check ALIBABA_CLOUD_ACCESS_KEY_SECRET' },
  IncompleteSignature: { kind: 'auth', fix: 'the request signature is incomplete: check the credentials' },
  'InvalidSecurityToken.Expired': { kind: 'auth', fix: 'refresh the STS token' },
  'InvalidSecurityToken.Malformed': { kind: 'auth', fix: 'check ALIBABA_CLOUD_SECURITY_TOKEN' },
  InvalidAction: { kind: 'denied', fix: 'this action is not available to the caller' },
  'Forbidden.RAM': { kind: 'denied', fix: 'grant the caller the RAM permission for this action' },
  Forbidden: { kind: 'denied', fix: 'grant the caller the RAM permission for this action' },
  DryRunOperation: { kind: 'other', fix: 'the dry run passed: run again without dryRun' },
  'DRYRUN.SUCCESS': { kind: 'other', fix: 'the dry run passed: run again without dryRun' },
  InternalError: { kind: 'transient', fix: 'retry later' },
  ServiceUnavailable: { kind: 'transient', fix: 'retry later' },
};

/** Network error codes Node and the SDK raise for a connection that failed or dropped. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

/** The kind and fix of a code: exact entry, else by family (`Throttling*`, `Forbidden*`, `*.NotFound`, `*.Malformed`). */
export function guideFor(code: string, httpStatus?: number): ErrorGuide {
  const exact = GUIDES[code];
  if (exact) return exact;
  if (code.includes('Throttling')) return { kind: 'throttling', fix: 'slow down and retry' };
  if (code.startsWith('Forbidden') || code.startsWith('NoPermission')) return { kind: 'denied', fix: 'grant the caller the RAM permission for this action' };
  if (code.startsWith('MissingParameter')) return { kind: 'invalid', fix: 'pass the named parameter' };
  if (code.startsWith('EntityNotExist')) return { kind: 'not-found', fix: 'create it first' };
  if (code.startsWith('EntityAlreadyExists')) return { kind: 'conflict', fix: 'it exists already' };
  if (code.endsWith('.NotFound')) return { kind: 'not-found', fix: 'check the id and region' };
  if (code.endsWith('.Malformed') || code.startsWith('InvalidParameter')) return { kind: 'invalid', fix: 'check the parameter' };
  if (code.startsWith('QuotaExceed') || code.includes('QuotaExceed') || code.startsWith('LimitExceeded')) {
    return { kind: 'quota', fix: 'a quota was reached: wait or ask for more' };
  }
  if (httpStatus !== undefined && httpStatus >= 500) return { kind: 'transient', fix: 'retry later' };
  if (NETWORK_CODES.has(code)) return { kind: 'transient', fix: 'the connection failed: retry' };
  return { kind: 'other', fix: 'see the Alibaba Cloud error center for this code' };
}

/** Shape of the errors `@alicloud/openapi-core` throws (ClientError, ServerError, ThrottlingError) and of Node's. */
interface SdkErrorLike {
  readonly name?: string;
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: string;
  readonly requestId?: unknown;
  readonly data?: { Message?: unknown; message?: unknown; RequestId?: unknown; statusCode?: unknown } | null;
}

/**
 * Turns whatever the Alibaba SDK (or Node) threw into a {@link CloudError}: the cloud's code verbatim, its message
 * verbatim followed by what to do, a kind (Throttling* and 5xx are retryable, so are dropped connections and garbled
 * answers) and the request id. A `CloudError` passes through unchanged. Message and cause carry no credential
 * (a V2 `SignatureDoesNotMatch` quotes the string to sign, AccessKeyId included).
 *
 * @param operation the API action (`ExportImage`, `CreateRole`)
 * @param error what was thrown
 * @param credentials the static credentials in use, if known, so they can be redacted verbatim
 */
export function toCloudError(operation: string, error: unknown, credentials?: StaticCredentials): CloudError {
  if (error instanceof CloudError) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkErrorLike;
  const httpStatus = typeof e.statusCode === 'number' ? e.statusCode : typeof e.data?.statusCode === 'number' ? e.data.statusCode : undefined;
  const rawCode = typeof e.code === 'string' && e.code !== 'undefined' && e.code !== '' ? e.code : undefined;
  let code: string;
  let message: string;
  if (rawCode !== undefined) {
    code = rawCode;
    const cloudMessage = e.data?.Message ?? e.data?.message;
    message = typeof cloudMessage === 'string' ? cloudMessage : (e.message ?? '');
  } else if (e.name === 'SyntaxError') {
    code = 'MalformedResponse';
    message = `the endpoint answered with something that is not JSON: ${e.message ?? ''}`;
  } else {
    code = httpStatus !== undefined ? `Http${httpStatus}` : 'NetworkError';
    message = e.message ?? String(error);
  }
  let guide = guideFor(code, httpStatus);
  if (code === 'MalformedResponse' || (code === 'NetworkError' && guide.kind === 'other')) {
    guide = { kind: 'transient', fix: 'the connection failed or the answer was garbled: retry' };
  }
  if (httpStatus !== undefined && httpStatus >= 500 && guide.kind === 'other') guide = { kind: 'transient', fix: 'retry later' };
  const requestId = typeof e.requestId === 'string' && e.requestId !== 'undefined' ? e.requestId : typeof e.data?.RequestId === 'string' ? e.data.RequestId : undefined;
  return new CloudError({
    cloud: 'alicloud',
    operation,
    code,
    message: message ? `${redactCredentials(message, credentials)} (what to do: ${guide.fix})` : `what to do: ${guide.fix}`,
    kind: guide.kind,
    httpStatus,
    requestId,
    cause: credentialFreeCause(error, credentials),
  });
}

/** True when `error` is a CloudError with one of these codes. */
export function hasCode(error: unknown, ...codes: string[]): error is CloudError {
  return error instanceof CloudError && codes.includes(error.code);
}
