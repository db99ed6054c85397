import { type AccessKeyPair } from '../types';

/** The emulated JD Cloud account id (12 digits, shaped like the guide's `3241xxxx0385`). */
export const JD_ACCOUNT_ID = '324100000385';

/**
 * The only key pair the emulated JD Cloud accepts, for the OpenAPI (vm, IAM) and for JD OSS over S3 alike (JD OSS
 * takes the same AccessKey pair). Fixed, so a restarted emulator keeps working with the same environment.
 */
export const JD_CREDENTIALS: AccessKeyPair = {
  accessKeyId: 'JDCIMAGEPORTLOCALACCESSKEY000001',
  secretAccessKey: 'JdcImagePortEmulatorSecretKey000000000001',
};

/** Service code of the cloud-disk service (云硬盘): the service the export role must trust. */
export const JD_DISK_SERVICE = 'disk';

/**
 * A sub-user's key pair that may only read (GET OpenAPI calls, OSS GET/HEAD); every other call answers 403
 * `HTTP_FORBIDDEN`, so "not allowed" can be tested.
 */
export const JD_RESTRICTED_CREDENTIALS: AccessKeyPair = {
  accessKeyId: 'JDCIMAGEPORTREADERACCESSKEY00001',
  secretAccessKey: 'JdcImagePortEmulatorReaderKey000000000001',
};

/** Name of the sub-user behind {@link JD_RESTRICTED_CREDENTIALS}. */
export const JD_RESTRICTED_SUB_USER = 'imageport-reader';
