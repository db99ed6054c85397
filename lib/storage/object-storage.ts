/** Metadata of one stored object. */
export interface ObjectInfo {
  /** Object key. */
  readonly key: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** ETag as the store returns it (quotes stripped). @default - not returned */
  readonly etag?: string;
  /** Last modification time. @default - not returned */
  readonly lastModified?: Date;
}

/**
 * The object-store operations imageport needs, over the S3 protocol that S3, OSS and JD OSS all speak.
 * Implemented once in `lib/storage/s3-protocol-storage.ts`; drivers hand out an instance bound to their endpoint.
 */
export interface ObjectStorage {
  /** Metadata of one object, or `undefined` when it does not exist. */
  head(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /** Bytes `start` to `endInclusive` of an object (a ranged GET; the whole object is never read). */
  readRange(bucket: string, key: string, start: number, endInclusive: number): Promise<Buffer>;
  /** Every object under a prefix (paginated internally). */
  list(bucket: string, prefix?: string): Promise<ObjectInfo[]>;
  /** Writes an object (small bodies: tests, fixtures, markers). */
  put(bucket: string, key: string, body: Buffer | string): Promise<void>;
  /** Deletes an object; a missing object is not an error. */
  delete(bucket: string, key: string): Promise<void>;
  /** True when the bucket exists and is reachable with these credentials. */
  bucketExists(bucket: string): Promise<boolean>;
  /** The bucket's region, or `undefined` when the store does not say. */
  bucketRegion(bucket: string): Promise<string | undefined>;
  /** Creates a bucket in the store's region; an existing bucket owned by the caller is not an error. */
  createBucket(bucket: string): Promise<void>;
  /** Deletes an empty bucket; a missing bucket is not an error. */
  deleteBucket(bucket: string): Promise<void>;
}
