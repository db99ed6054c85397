import { type ServiceResponse } from '../http-service';
import { s3Empty, s3Error } from './s3-responses';

/**
 * Which bucket names and object keys the object store can keep on disk. s3rver maps a bucket to a folder and each
 * `/`-separated key segment to a path component, so a name with a NUL byte, a segment longer than a file name may
 * be, or a `.`/`..` segment (which would leave the bucket's folder) cannot be stored. Before this check such
 * requests reached the file system and came back as 500 InternalError (GET of `bucket/a%00`).
 */

/** S3's limit on an object key, UTF-8 bytes (longer keys are `KeyTooLongError` on S3). */
export const MAX_KEY_BYTES = 1024;

/** Longest file name (255 bytes on ext4, APFS, NTFS) less the longest suffix s3rver appends (`._S3rver_metadata.json`). */
export const MAX_KEY_SEGMENT_BYTES = 255 - '._S3rver_metadata.json'.length;

/** Why a bucket name cannot exist in the store, or undefined when it can. */
export function unstorableBucket(bucket: string): string | undefined {
  if (bucket.includes('\u0000')) return 'it contains a NUL character';
  if (bucket === '.' || bucket === '..' || bucket.includes('/') || bucket.includes('\\')) return 'it is not a single path segment';
  if (Buffer.byteLength(bucket) > 255) return 'it is longer than 255 bytes';
  return undefined;
}

/** Why an object key cannot be stored, or undefined when it can. */
export function unstorableKey(key: string): string | undefined {
  if (key.includes('\u0000')) return 'it contains a NUL character';
  const segments = key.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'it has a "." or ".." segment';
  if (segments.some((segment) => Buffer.byteLength(segment) > MAX_KEY_SEGMENT_BYTES)) {
    return `a "/"-separated part is longer than ${MAX_KEY_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/**
 * S3's answer for a request naming a bucket or key the store cannot hold, or undefined when both are storable.
 * Such a bucket or object cannot exist, so reads answer as for a missing one (`NoSuchBucket`, `NoSuchKey`, a
 * 204 for DeleteObject; `NoSuchBucket` first when the bucket does not exist either); a key over 1024 bytes is S3's
 * `KeyTooLongError`; creating either is refused with `InvalidBucketName` / `InvalidArgument` naming the reason (an
 * emulator limit: S3 would store such a key).
 */
export function unstorableNameResponse(
  method: string,
  bucket: string,
  key: string | undefined,
  requestId: string,
  bucketExists: (bucket: string) => boolean,
): ServiceResponse | undefined {
  const bucketProblem = unstorableBucket(bucket);
  if (bucketProblem) {
    if (method === 'PUT' && key === undefined) return s3Error(400, 'InvalidBucketName', `The specified bucket is not valid: ${bucketProblem}.`, requestId, { BucketName: bucket });
    return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', requestId, { BucketName: bucket });
  }
  if (key === undefined) return undefined;
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    return s3Error(400, 'KeyTooLongError', 'Your key is too long', requestId, { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(Buffer.byteLength(key)) });
  }
  const keyProblem = unstorableKey(key);
  if (!keyProblem) return undefined;
  if (!bucketExists(bucket)) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', requestId, { BucketName: bucket });
  if (method === 'GET' || method === 'HEAD') return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', requestId, { Key: key });
  if (method === 'DELETE') return s3Empty(requestId, 204);
  return s3Error(400, 'InvalidArgument', `The emulator cannot store this object key: ${keyProblem}.`, requestId, { ArgumentName: 'key' });
}
