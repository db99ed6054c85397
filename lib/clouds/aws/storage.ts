import { type StaticCredentials } from '../../model/connection';
import { type ObjectStorage } from '../../storage/object-storage';

/** What the AWS driver needs to build the S3 object store of one region. */
export interface AwsStorageOptions {
  /** The region. */
  readonly region: string;
  /** Endpoint override (the emulator's). @default - the public S3 endpoint (and the SDK's own environment lookup) */
  readonly endpoint?: string;
  /** Static credentials. @default - the SDK default chain */
  readonly credentials?: StaticCredentials;
  /** Path-style addressing: true whenever the endpoint is overridden. */
  readonly forcePathStyle: boolean;
}

/** Builds the object store of one region. */
export type AwsStorageFactory = (options: AwsStorageOptions) => ObjectStorage;

interface S3ProtocolStorageModule {
  createS3ProtocolStorage(options: {
    cloud: 'aws';
    region: string;
    endpoint?: string;
    credentials?: StaticCredentials;
    forcePathStyle?: boolean;
  }): ObjectStorage;
}

/**
 * The shared S3-protocol storage (`lib/storage/s3-protocol-storage.ts`), loaded on first use so importing the
 * driver does not load `@aws-sdk/client-s3` twice over.
 */
export const defaultAwsStorageFactory: AwsStorageFactory = (options) => {
  const storageModule = require('../../storage/s3-protocol-storage') as S3ProtocolStorageModule;
  return storageModule.createS3ProtocolStorage({
    cloud: 'aws',
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle,
  });
};
