/** Static credentials. Never written to a log, a template, a state file or Pulumi state. */
export interface StaticCredentials {
  /** Access key id (AWS), AccessKey ID (Alibaba), access key (JD). */
  readonly accessKeyId: string;
  /** Secret. */
  readonly secretAccessKey: string;
  /** Session / STS token. @default - none */
  readonly sessionToken?: string;
}

/**
 * How to reach one cloud in one region.
 *
 * Credentials default to each cloud's standard chain: the AWS SDK default chain; `ALIBABA_CLOUD_ACCESS_KEY_ID` /
 * `ALIBABA_CLOUD_ACCESS_KEY_SECRET`; `JDCLOUD_ACCESS_KEY` / `JDCLOUD_SECRET_KEY`.
 * Endpoints default to the public ones, overridable per service here or by environment variable:
 * `AWS_ENDPOINT_URL_EC2` / `_IAM` / `_S3` / `_STS`, `ALIBABA_CLOUD_ENDPOINT_ECS` / `_RAM` / `_OSS`,
 * `JDCLOUD_ENDPOINT_VM` / `_IAM` / `_OSS`.
 */
export interface CloudConnection {
  /** The region. */
  readonly region: string;
  /**
   * Per-service endpoint overrides, keyed by service (`ec2`, `iam`, `s3`, `sts`, `ecs`, `ram`, `oss`, `vm`),
   * each a URL such as `http://127.0.0.1:4510`.
   * @default - environment variables, then the cloud's public endpoints
   */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Credentials. @default - the cloud's standard credential chain */
  readonly credentials?: StaticCredentials;
  /** Account id, where policies need it (JD JRNs, AWS ARNs). @default - discovered from the cloud when needed */
  readonly accountId?: string;
}

/** Environment variable names that override each cloud's service endpoints. */
export const ENDPOINT_ENV_VARS = {
  aws: { ec2: 'AWS_ENDPOINT_URL_EC2', iam: 'AWS_ENDPOINT_URL_IAM', s3: 'AWS_ENDPOINT_URL_S3', sts: 'AWS_ENDPOINT_URL_STS' },
  alicloud: { ecs: 'ALIBABA_CLOUD_ENDPOINT_ECS', ram: 'ALIBABA_CLOUD_ENDPOINT_RAM', oss: 'ALIBABA_CLOUD_ENDPOINT_OSS' },
  jdcloud: { vm: 'JDCLOUD_ENDPOINT_VM', iam: 'JDCLOUD_ENDPOINT_IAM', oss: 'JDCLOUD_ENDPOINT_OSS' },
} as const;

/** Environment variable names of each cloud's static credentials (AWS also has its full default chain). */
export const CREDENTIAL_ENV_VARS = {
  aws: { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'AWS_SECRET_ACCESS_KEY', sessionToken: 'AWS_SESSION_TOKEN' },
  alicloud: {
    accessKeyId: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    secretAccessKey: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    sessionToken: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  },
  jdcloud: { accessKeyId: 'JDCLOUD_ACCESS_KEY', secretAccessKey: 'JDCLOUD_SECRET_KEY', sessionToken: 'JDCLOUD_SESSION_TOKEN' },
} as const;

/**
 * Resolves a service endpoint: the connection's override, else the environment variable, else `undefined`
 * (the caller's public default).
 */
export function resolveEndpoint(
  connection: CloudConnection,
  service: string,
  envVar: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return connection.endpoints?.[service] ?? (envVar ? env[envVar] : undefined) ?? undefined;
}
