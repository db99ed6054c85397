import { type StaticCredentials } from '../../model/connection';
import { type ObjectStorage } from '../../storage/object-storage';
import { createS3ProtocolStorage } from '../../storage/s3-protocol-storage';

/** What the JD driver needs to build the object store of one region. */
export interface JdcloudStorageOptions {
  /** The region. */
  readonly region: string;
  /** S3-protocol endpoint (`https://s3.<region>.jdcloud-oss.com`, or an override). */
  readonly endpoint: string;
  /** Credentials. JD OSS takes the same AccessKey pair over AWS SigV4. */
  readonly credentials: StaticCredentials;
  /** Path-style addressing (true for an overridden endpoint such as the emulator's). */
  readonly forcePathStyle: boolean;
}

/** Builds the object store of one region. */
export type JdcloudStorageFactory = (options: JdcloudStorageOptions) => ObjectStorage;

/**
 * The shared S3-protocol storage (`lib/storage/s3-protocol-storage.ts`); it loads `@aws-sdk/client-s3` on its first
 * request, so building a store (and importing the driver) stays cheap.
 */
export const defaultJdcloudStorageFactory: JdcloudStorageFactory = (options) =>
  createS3ProtocolStorage({
    cloud: 'jdcloud',
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle,
  });
