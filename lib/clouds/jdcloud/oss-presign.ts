import { createHash, createHmac } from 'node:crypto';
import { type StaticCredentials } from '../../model/connection';
import { escapePath, rfc3986Escape } from './signer';

/** What to presign. */
export interface PresignGetOptions {
  /** JD OSS S3 endpoint (`https://s3.<region>.jdcloud-oss.com`, or an override). */
  readonly endpoint: string;
  /** Bucket. */
  readonly bucket: string;
  /** Object key. */
  readonly key: string;
  /** Region the request is signed for. */
  readonly region: string;
  /** Credentials. */
  readonly credentials: StaticCredentials;
  /** Validity in seconds, 1 to 604800 (SigV4's limit). JD suggests at least a day for imports. @default 86400 */
  readonly expiresSeconds?: number;
  /** Signing time. @default - now */
  readonly date?: Date;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * A presigned GET link (AWS SigV4 query signing, which JD OSS accepts) to a private object, path-style:
 * `<endpoint>/<bucket>/<key>?X-Amz-Algorithm=…&X-Amz-Signature=…`. importImage needs such a link for an object in a
 * private bucket. Hand-written because the SDK's presigner is a separate package; it is the documented
 * "query string authentication" of SigV4 with an `UNSIGNED-PAYLOAD` body hash and only `host` signed.
 */
export function presignOssGetUrl(options: PresignGetOptions): string {
  const expires = options.expiresSeconds ?? 86_400;
  if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) {
    throw new RangeError(`expiresSeconds ${expires} must be a whole number of seconds from 1 to 604800`);
  }
  const base = new URL(options.endpoint);
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = `${basePath}${escapePath(`/${options.bucket}/${options.key.replace(/^\/+/, '')}`)}`;
  const amzDate = (options.date ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${options.region}/s3/aws4_request`;
  const params: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${options.credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expires)],
    ...(options.credentials.sessionToken ? [['X-Amz-Security-Token', options.credentials.sessionToken] as [string, string]] : []),
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = params
    .map(([name, value]) => [rfc3986Escape(name), rfc3986Escape(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonical = ['GET', path, query, `host:${base.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical, 'utf8').digest('hex')].join('\n');
  let key = hmac(`AWS4${options.credentials.secretAccessKey}`, day);
  for (const part of [options.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return `${base.protocol}//${base.host}${path}?${query}&X-Amz-Signature=${signature}`;
}
