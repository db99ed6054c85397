import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { ENDPOINT_ENV_VARS, resolveEndpoint, type CloudConnection } from '../../model/connection';

/** How the SDK clients retry and time out. */
export interface AwsClientSettings {
  /**
   * Attempts per SDK call, first included. The SDK's standard retry strategy retries throttling
   * (`RequestLimitExceeded`, `Throttling`), 5xx and dropped connections with backoff; a retried ExportImage or
   * ImportImage carries the same ClientToken, so it finds the task the lost attempt created.
   * @default 4
   */
  readonly maxAttempts?: number;
  /** Socket timeout of one attempt, in milliseconds. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Connection timeout of one attempt, in milliseconds. @default 5000 */
  readonly connectionTimeoutMs?: number;
  /** Environment read for the S3 endpoint override (path-style addressing). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** The SDK clients of one account and region, each created on first use. */
export interface AwsClients {
  /** EC2 (ExportImage, ImportImage, DescribeImages, …). */
  readonly ec2: EC2Client;
  /** IAM (roles and policies). */
  readonly iam: IAMClient;
  /** STS (caller identity). */
  readonly sts: STSClient;
  /** S3 (bucket configuration the shared object storage does not cover). */
  readonly s3: S3Client;
  /** The S3 endpoint override in force (connection, then `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`). */
  readonly s3Endpoint: string | undefined;
}

/**
 * Builds lazily-created SDK clients for a connection.
 *
 * Endpoints: the connection's override per service; otherwise the SDK itself reads `AWS_ENDPOINT_URL_EC2`,
 * `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_S3` and `AWS_ENDPOINT_URL` (and `endpoint_url` in the
 * shared config file); that is `getEndpointUrlConfig` in `@smithy/core`. Credentials: the connection's static
 * credentials, else the SDK's default chain.
 */
export function createAwsClients(connection: CloudConnection, settings: AwsClientSettings = {}): AwsClients {
  const env = settings.env ?? process.env;
  const common = {
    region: connection.region,
    maxAttempts: settings.maxAttempts ?? 4,
    retryMode: 'standard',
    credentials: connection.credentials
      ? {
          accessKeyId: connection.credentials.accessKeyId,
          secretAccessKey: connection.credentials.secretAccessKey,
          sessionToken: connection.credentials.sessionToken,
        }
      : undefined,
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs ?? 30_000,
      connectionTimeout: settings.connectionTimeoutMs ?? 5_000,
    },
  };
  const endpoint = (service: 'ec2' | 'iam' | 'sts'): { endpoint?: string } => {
    const url = connection.endpoints?.[service];
    return url ? { endpoint: url } : {};
  };
  const s3Endpoint = resolveEndpoint(connection, 's3', ENDPOINT_ENV_VARS.aws.s3, env) ?? env.AWS_ENDPOINT_URL;
  let ec2: EC2Client | undefined;
  let iam: IAMClient | undefined;
  let sts: STSClient | undefined;
  let s3: S3Client | undefined;
  return {
    get ec2() {
      return (ec2 ??= new EC2Client({ ...common, ...endpoint('ec2') }));
    },
    get iam() {
      return (iam ??= new IAMClient({ ...common, ...endpoint('iam') }));
    },
    get sts() {
      return (sts ??= new STSClient({ ...common, ...endpoint('sts') }));
    },
    get s3() {
      return (s3 ??= new S3Client({
        ...common,
        ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
      }));
    },
    s3Endpoint,
  };
}
