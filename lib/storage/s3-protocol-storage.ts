import type * as S3 from '@aws-sdk/client-s3';
import { type Readable } from 'node:stream';
import { type CloudId, CLOUD_NAMES } from '../model/cloud';
import { CloudError } from '../model/cloud-error';
import { CREDENTIAL_ENV_VARS, ENDPOINT_ENV_VARS, type StaticCredentials } from '../model/connection';
import { defaultForcePathStyle } from './endpoints';
import { type ObjectInfo } from './object-storage';
import { toStorageCloudError } from './s3-errors';
import { type StreamingObjectStorage } from './streaming-object-storage';

/** Options of {@link createS3ProtocolStorage}. */
export interface S3ProtocolStorageOptions {
  /** Whose store: S3 (`aws`), OSS (`alicloud`) or JD OSS (`jdcloud`). */
  readonly cloud: CloudId;
  /** The region; requests are signed for it and buckets are created in it. */
  readonly region: string;
  /**
   * Endpoint URL (`http://127.0.0.1:4569` for an emulator).
   * @default - `AWS_ENDPOINT_URL_S3` / `ALIBABA_CLOUD_ENDPOINT_OSS` / `JDCLOUD_ENDPOINT_OSS`, else the public
   * endpoint (the SDK's own for S3, `https://s3.oss-<region>.aliyuncs.com`, `https://s3.<region>.jdcloud-oss.com`)
   */
  readonly endpoint?: string;
  /**
   * Static credentials.
   * @default - AWS: the SDK default chain; Alibaba: `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` (+ `_SECURITY_TOKEN`);
   * JD: `JDCLOUD_ACCESS_KEY` / `JDCLOUD_SECRET_KEY` (read at the first request)
   */
  readonly credentials?: StaticCredentials;
  /**
   * Path-style addressing (`https://host/bucket/key`) instead of virtual-hosted (`https://bucket.host/key`).
   * @default - true with an endpoint override (except Alibaba's own `*.aliyuncs.com` hosts, which deny it) and for
   * JD OSS; false for the public S3 and OSS endpoints
   */
  readonly forcePathStyle?: boolean;
  /**
   * Which list call to use: `2` (ListObjectsV2) or `1` (ListObjects with markers, for stores without V2).
   * @default 2
   */
  readonly listVersion?: 1 | 2;
  /** Keys per list page (the stores cap it at 1000). @default 1000 */
  readonly listPageSize?: number;
  /** SDK retry attempts per call (including the first). @default 3 */
  readonly maxAttempts?: number;
  /** Environment to read endpoint and credential variables from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

type S3Module = typeof S3;

/** Credentials from the cloud's own environment variables, read when a request is signed. */
function environmentCredentials(
  cloud: Exclude<CloudId, 'aws'>,
  env: NodeJS.ProcessEnv,
): () => Promise<StaticCredentials> {
  const names = CREDENTIAL_ENV_VARS[cloud];
  return async () => {
    const accessKeyId = env[names.accessKeyId];
    const secretAccessKey = env[names.secretAccessKey];
    if (!accessKeyId || !secretAccessKey) {
      throw new CloudError({
        cloud,
        operation: 'ResolveCredentials',
        code: 'MissingCredentials',
        message:
          `No ${CLOUD_NAMES[cloud]} credentials for the object store: set ${names.accessKeyId} and ` +
          `${names.secretAccessKey}, or pass credentials explicitly`,
        kind: 'auth',
      });
    }
    const sessionToken = env[names.sessionToken];
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };
}

/** The cloud's credential variables as they are now (for redaction only; the SDK resolves its own). */
function credentialsInEnvironment(cloud: CloudId, env: NodeJS.ProcessEnv): StaticCredentials | undefined {
  const names = CREDENTIAL_ENV_VARS[cloud];
  const accessKeyId = env[names.accessKeyId];
  const secretAccessKey = env[names.secretAccessKey];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env[names.sessionToken];
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** Region value of GetBucketLocation, normalised: S3's `null`/empty means us-east-1, `EU` eu-west-1; OSS `oss-x` → x. */
export function normalizeBucketLocation(cloud: CloudId, location: string | undefined | null): string | undefined {
  if (location === undefined || location === null || location === '') {
    return cloud === 'aws' ? 'us-east-1' : undefined;
  }
  if (cloud === 'aws' && location === 'EU') return 'eu-west-1';
  if (cloud === 'alicloud' && location.startsWith('oss-')) return location.slice('oss-'.length);
  return location;
}

/**
 * An {@link ObjectStorage} over the S3 protocol, for S3, OSS and JD OSS, on `@aws-sdk/client-s3`.
 *
 * The SDK is loaded and the client built on the first call, so importing this module is cheap. Checksums are
 * computed and validated only when an operation requires them (`WHEN_REQUIRED`): OSS and JD OSS reject the
 * aws-chunked trailing-checksum uploads that newer SDKs send by default. Every error is a {@link CloudError}.
 */
export function createS3ProtocolStorage(options: S3ProtocolStorageOptions): StreamingObjectStorage {
  const { cloud, region } = options;
  const env = options.env ?? process.env;
  const envVar = cloud === 'aws' ? ENDPOINT_ENV_VARS.aws.s3 : ENDPOINT_ENV_VARS[cloud].oss;
  const endpoint =
    options.endpoint ??
    (env[envVar] || undefined) ??
    (cloud === 'alicloud' ? `https://s3.oss-${region}.aliyuncs.com` : undefined) ??
    (cloud === 'jdcloud' ? `https://s3.${region}.jdcloud-oss.com` : undefined);
  const pageSize = options.listPageSize ?? 1000;
  const forcePathStyle = options.forcePathStyle ?? defaultForcePathStyle(cloud, options.endpoint ?? env[envVar]);
  let s3: S3Module | undefined;
  let client: S3.S3Client | undefined;

  const sdk = (): S3Module => {
    s3 ??= require('@aws-sdk/client-s3') as S3Module;
    return s3;
  };
  const getClient = (): S3.S3Client => {
    if (!client) {
      const credentials =
        options.credentials ?? (cloud === 'aws' ? undefined : environmentCredentials(cloud, env));
      client = new (sdk().S3Client)({
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials } : {}),
        forcePathStyle,
        followRegionRedirects: cloud === 'aws',
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: options.maxAttempts ?? 3,
      });
    }
    return client;
  };
  const call = async <T>(operation: string, run: (c: S3.S3Client, m: S3Module) => Promise<T>): Promise<T> => {
    try {
      return await run(getClient(), sdk());
    } catch (error) {
      throw toStorageCloudError(error, cloud, operation, options.credentials ?? credentialsInEnvironment(cloud, env));
    }
  };
  /** Runs `run`; a not-found error gives `fallback` instead. */
  const unlessMissing = async <T>(operation: string, fallback: T, run: (c: S3.S3Client, m: S3Module) => Promise<T>) => {
    try {
      return await call(operation, run);
    } catch (error) {
      if (error instanceof CloudError && error.kind === 'not-found') return fallback;
      throw error;
    }
  };
  const stripQuotes = (etag: string | undefined): string | undefined => etag?.replace(/^"|"$/g, '');
  const info = (key: string, size: number | undefined, etag?: string, lastModified?: Date): ObjectInfo => ({
    key,
    sizeBytes: size ?? 0,
    ...(etag ? { etag: stripQuotes(etag) } : {}),
    ...(lastModified ? { lastModified } : {}),
  });

  const storage: StreamingObjectStorage = {
    head: (bucket, key) =>
      unlessMissing('HeadObject', undefined as ObjectInfo | undefined, async (c, m) => {
        const out = await c.send(new m.HeadObjectCommand({ Bucket: bucket, Key: key }));
        return info(key, out.ContentLength, out.ETag, out.LastModified);
      }),

    readRange: (bucket, key, start, endInclusive) => {
      if (!Number.isInteger(start) || !Number.isInteger(endInclusive) || start < 0 || endInclusive < start) {
        return Promise.reject(
          new RangeError(
            `readRange(${bucket}, ${key}): start ${start} and endInclusive ${endInclusive} must be integers ` +
              'with 0 <= start <= endInclusive',
          ),
        );
      }
      return call('GetObject', async (c, m) => {
        const out = await c.send(
          new m.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${endInclusive}` }),
        );
        if (!out.Body) return Buffer.alloc(0);
        return Buffer.from(await out.Body.transformToByteArray());
      });
    },

    readStream: (bucket, key) =>
      call('GetObject', async (c, m) => {
        const out = await c.send(new m.GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body as Readable;
      }),

    list: (bucket, prefix) =>
      call(options.listVersion === 1 ? 'ListObjects' : 'ListObjectsV2', async (c, m) => {
        const objects: ObjectInfo[] = [];
        if (options.listVersion === 1) {
          let marker: string | undefined;
          for (;;) {
            const out = await c.send(new m.ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker, MaxKeys: pageSize }));
            const contents = out.Contents ?? [];
            for (const o of contents) if (o.Key) objects.push(info(o.Key, o.Size, o.ETag, o.LastModified));
            if (!out.IsTruncated || contents.length === 0) return objects;
            marker = out.NextMarker ?? contents[contents.length - 1].Key;
          }
        }
        for await (const page of m.paginateListObjectsV2(
          { client: c, pageSize },
          { Bucket: bucket, Prefix: prefix, MaxKeys: pageSize },
        )) {
          for (const o of page.Contents ?? []) if (o.Key) objects.push(info(o.Key, o.Size, o.ETag, o.LastModified));
        }
        return objects;
      }),

    put: (bucket, key, body) =>
      call('PutObject', async (c, m) => {
        await c.send(new m.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      }),

    delete: (bucket, key) =>
      unlessMissing('DeleteObject', undefined, async (c, m) => {
        await c.send(new m.DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }),

    bucketExists: async (bucket) => {
      try {
        await call('HeadBucket', (c, m) => c.send(new m.HeadBucketCommand({ Bucket: bucket })));
        return true;
      } catch (error) {
        if (error instanceof CloudError && (error.kind === 'not-found' || error.kind === 'denied')) return false;
        throw error;
      }
    },

    bucketRegion: (bucket) =>
      call('GetBucketLocation', async (c, m) => {
        const out = await c.send(new m.GetBucketLocationCommand({ Bucket: bucket }));
        return normalizeBucketLocation(cloud, out.LocationConstraint);
      }),

    createBucket: async (bucket) => {
      try {
        await call('CreateBucket', (c, m) =>
          c.send(
            new m.CreateBucketCommand({
              Bucket: bucket,
              // Only S3 takes a LocationConstraint (and refuses one for us-east-1); OSS and JD OSS put the bucket in
              // the endpoint's region.
              ...(cloud === 'aws' && region !== 'us-east-1'
                ? { CreateBucketConfiguration: { LocationConstraint: region as S3.BucketLocationConstraint } }
                : {}),
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof CloudError)) throw error;
        if (error.code === 'BucketAlreadyOwnedByYou') return;
        // Some stores answer BucketAlreadyExists for the caller's own bucket too: it is ours if we can reach it.
        if (error.code === 'BucketAlreadyExists' && (await storage.bucketExists(bucket))) return;
        throw error;
      }
    },

    deleteBucket: (bucket) =>
      unlessMissing('DeleteBucket', undefined, async (c, m) => {
        await c.send(new m.DeleteBucketCommand({ Bucket: bucket }));
      }),
  };
  return storage;
}
