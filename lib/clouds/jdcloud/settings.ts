import { CloudError } from '../../model/cloud-error';
import {
  CREDENTIAL_ENV_VARS,
  ENDPOINT_ENV_VARS,
  resolveEndpoint,
  type CloudConnection,
  type StaticCredentials,
} from '../../model/connection';

/** The JD Cloud services imageport talks to. */
export type JdcloudService = 'vm' | 'iam' | 'oss';

/** Public endpoint of the vm OpenAPI. */
export const JD_VM_ENDPOINT = 'https://vm.jdcloud-api.com';
/** Public endpoint of the IAM OpenAPI (region-less). */
export const JD_IAM_ENDPOINT = 'https://iam.jdcloud-api.com';

/** Public S3-protocol endpoint of JD OSS in a region: `https://s3.<region>.jdcloud-oss.com`. */
export function jdOssPublicEndpoint(region: string): string {
  return `https://s3.${region}.jdcloud-oss.com`;
}

/**
 * The bucket's internal (VPC) domain, which exportImage wants as `ossUrl`:
 * `https://<bucket>.s3-internal.<region>.jdcloud-oss.com` (JD export guide, newest version).
 */
export function jdOssInternalBucketUrl(bucket: string, region: string): string {
  return `https://${bucket}.s3-internal.${region}.jdcloud-oss.com`;
}

/** Endpoints of one connection, resolved: override, then environment, then the public default. */
export interface JdcloudEndpoints {
  /** vm OpenAPI base URL (no trailing slash). */
  readonly vm: string;
  /** IAM OpenAPI base URL. */
  readonly iam: string;
  /** JD OSS S3-protocol base URL. */
  readonly oss: string;
  /** True when the OSS endpoint was overridden (an emulator or a private deployment). */
  readonly ossOverridden: boolean;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Resolves the three endpoints of a connection (`JDCLOUD_ENDPOINT_VM` / `_IAM` / `_OSS` when not given). */
export function resolveJdcloudEndpoints(connection: CloudConnection, env: NodeJS.ProcessEnv = process.env): JdcloudEndpoints {
  const vars = ENDPOINT_ENV_VARS.jdcloud;
  const oss = resolveEndpoint(connection, 'oss', vars.oss, env);
  return {
    vm: trimSlash(resolveEndpoint(connection, 'vm', vars.vm, env) ?? JD_VM_ENDPOINT),
    iam: trimSlash(resolveEndpoint(connection, 'iam', vars.iam, env) ?? JD_IAM_ENDPOINT),
    oss: trimSlash(oss ?? jdOssPublicEndpoint(connection.region)),
    ossOverridden: oss !== undefined,
  };
}

/**
 * Resolves credentials: the connection's, else `JDCLOUD_ACCESS_KEY` / `JDCLOUD_SECRET_KEY` (and
 * `JDCLOUD_SESSION_TOKEN`). Throws a `CloudError` of kind `auth` naming the variables (never their values) when
 * neither is set.
 */
export function resolveJdcloudCredentials(connection: CloudConnection, env: NodeJS.ProcessEnv = process.env): StaticCredentials {
  if (connection.credentials) return connection.credentials;
  const vars = CREDENTIAL_ENV_VARS.jdcloud;
  const accessKeyId = env[vars.accessKeyId];
  const secretAccessKey = env[vars.secretAccessKey];
  if (!accessKeyId || !secretAccessKey) {
    throw new CloudError({
      cloud: 'jdcloud',
      operation: 'resolveCredentials',
      code: 'MissingCredentials',
      message: `no JD Cloud credentials: pass connection.credentials or set ${vars.accessKeyId} and ${vars.secretAccessKey}`,
      kind: 'auth',
    });
  }
  const sessionToken = env[vars.sessionToken];
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}
