import { type StaticCredentials } from '../../model/connection';
import { type ObjectStorage } from '../../storage/object-storage';

/** What the Alibaba driver needs to build the OSS store of one region. */
export interface AlicloudStorageOptions {
  /** The region. */
  readonly region: string;
  /** S3-protocol endpoint (`https://s3.oss-<region>.aliyuncs.com`, or an override). */
  readonly endpoint: string;
  /** Credentials (OSS takes the AccessKey pair over SigV4 on its S3-compatible endpoint). */
  readonly credentials: StaticCredentials;
  /** Path-style addressing: OSS accepts only virtual-hosted style, a local stand-in usually only path style. */
  readonly forcePathStyle: boolean;
}

/** Builds the OSS store of one region. */
export type AlicloudStorageFactory = (options: AlicloudStorageOptions) => ObjectStorage;

interface S3ProtocolStorageModule {
  createS3ProtocolStorage(options: {
    cloud: 'alicloud';
    region: string;
    endpoint?: string;
    credentials?: StaticCredentials;
    forcePathStyle?: boolean;
  }): ObjectStorage;
}

/**
 * True when an endpoint is Alibaba's own (`*.aliyuncs.com`), which only takes virtual-hosted-style requests
 * ("Path-style requests are denied"); anything else (the emulator on loopback) gets path style.
 */
export function needsPathStyle(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    host = endpoint;
  }
  return !/\.aliyuncs\.com$/i.test(host);
}

/**
 * The shared S3-protocol storage (`lib/storage/s3-protocol-storage.ts`), loaded on first use so that importing the
 * driver stays cheap (it pulls in `@aws-sdk/client-s3`).
 */
export const defaultAlicloudStorageFactory: AlicloudStorageFactory = (options) => {
  const storageModule = require('../../storage/s3-protocol-storage') as S3ProtocolStorageModule;
  return storageModule.createS3ProtocolStorage({
    cloud: 'alicloud',
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle,
  });
};
