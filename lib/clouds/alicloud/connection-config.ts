import { CloudError } from '../../model/cloud-error';
import { CREDENTIAL_ENV_VARS, ENDPOINT_ENV_VARS, resolveEndpoint, type CloudConnection, type StaticCredentials } from '../../model/connection';

/** Where the Alibaba SDK sends requests: `endpoint` is the authority (host and port), `protocol` http or https. */
export interface SdkEndpoint {
  /** Host, with the port when there is one (`127.0.0.1:4510`); it becomes the Host header. */
  readonly endpoint: string;
  /** `http` or `https`. @default - the SDK's per-API protocol (HTTPS) */
  readonly protocol?: 'http' | 'https';
}

/**
 * Turns an endpoint override (`http://127.0.0.1:4510`, `https://ecs.example.com`, or a bare `host[:port]`) into what
 * the Alibaba SDK's Config takes (reference §5.5: `endpoint` host:port plus `protocol`).
 */
export function toSdkEndpoint(url: string): SdkEndpoint {
  const match = /^(https?):\/\/([^/]+)\/?$/i.exec(url.trim());
  if (match) return { endpoint: match[2], protocol: match[1].toLowerCase() as 'http' | 'https' };
  return { endpoint: url.trim().replace(/\/+$/, '') };
}

/** ECS or RAM endpoint override (connection, then `ALIBABA_CLOUD_ENDPOINT_ECS` / `_RAM`), or `undefined` for the SDK default. */
export function alicloudSdkEndpoint(
  connection: CloudConnection,
  service: 'ecs' | 'ram',
  env: NodeJS.ProcessEnv = process.env,
): SdkEndpoint | undefined {
  const url = resolveEndpoint(connection, service, ENDPOINT_ENV_VARS.alicloud[service], env);
  return url ? toSdkEndpoint(url) : undefined;
}

/**
 * The OSS S3-protocol endpoint: the connection's `oss` override, then `ALIBABA_CLOUD_ENDPOINT_OSS`, else
 * `https://s3.oss-<region>.aliyuncs.com` (OSS's documented S3-compatible endpoint).
 */
export function alicloudOssEndpoint(connection: CloudConnection, env: NodeJS.ProcessEnv = process.env): string {
  return resolveEndpoint(connection, 'oss', ENDPOINT_ENV_VARS.alicloud.oss, env) ?? `https://s3.oss-${connection.region}.aliyuncs.com`;
}

/**
 * Credentials: the connection's, else `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
 * (+ `ALIBABA_CLOUD_SECURITY_TOKEN`).
 *
 * @throws CloudError (kind `auth`) naming the variables to set, never their values
 */
export function alicloudCredentials(connection: CloudConnection, env: NodeJS.ProcessEnv = process.env): StaticCredentials {
  if (connection.credentials) return connection.credentials;
  const names = CREDENTIAL_ENV_VARS.alicloud;
  const accessKeyId = env[names.accessKeyId];
  const secretAccessKey = env[names.secretAccessKey];
  if (accessKeyId && secretAccessKey) {
    const sessionToken = env[names.sessionToken];
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  throw new CloudError({
    cloud: 'alicloud',
    operation: 'ResolveCredentials',
    code: 'MissingCredentials',
    message: `no Alibaba Cloud credentials: set ${names.accessKeyId} and ${names.secretAccessKey} (or pass connection.credentials)`,
    kind: 'auth',
  });
}
