import * as alicloud from '@pulumi/alicloud';
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { type ResolvedCloud } from '../../lib/pipeline/resolved-pipeline';

/** Explicit providers for a pipeline's `aws:` and `alicloud:` resources, by cloud. */
export type PipelineProviders = Partial<Record<Extract<CloudId, 'aws' | 'alicloud'>, pulumi.ProviderResource>>;

/**
 * The `aws` provider for a file whose `clouds.aws.endpoints` overrides services: the file's region and its `ec2`,
 * `iam`, `s3` and `sts` URLs (path-style S3 addressing with an S3 override, as imageport's own driver does).
 * Credentials stay the provider's own (the environment, an AWS profile). `undefined` without overrides: the default
 * provider and its `aws:` stack config apply.
 */
export function awsProviderFor(name: string, cloud: ResolvedCloud | undefined, opts: pulumi.ResourceOptions): aws.Provider | undefined {
  const endpoints = cloud?.endpoints;
  if (!cloud || !endpoints || Object.keys(endpoints).length === 0) return undefined;
  const { ec2, iam, s3, sts } = endpoints;
  return new aws.Provider(
    `${name}-aws`,
    { region: cloud.region, endpoints: [{ ec2, iam, s3, sts }], ...(s3 ? { s3UsePathStyle: true } : {}) },
    opts,
  );
}

/**
 * The `alicloud` provider for a file whose `clouds.alicloud.endpoints` overrides services: the file's region, the
 * `ecs`, `ram` and `oss` hosts (the provider takes host names, not URLs) and their scheme as `protocol`.
 * `undefined` without overrides.
 *
 * @throws Error naming the endpoints when they mix http and https (the provider has one protocol for all)
 */
export function alicloudProviderFor(name: string, cloud: ResolvedCloud | undefined, opts: pulumi.ResourceOptions): alicloud.Provider | undefined {
  const endpoints = cloud?.endpoints;
  if (!cloud || !endpoints || Object.keys(endpoints).length === 0) return undefined;
  const urls = Object.entries(endpoints).map(([service, text]) => [service, new URL(text)] as const);
  const schemes = new Set(urls.map(([, url]) => url.protocol));
  if (schemes.size > 1) {
    const listed = urls.map(([service, url]) => `${service}: ${url.href}`).join(', ');
    throw new Error(`clouds.alicloud.endpoints mix http and https (${listed}): the alicloud provider takes one protocol for every service`);
  }
  const hosts = Object.fromEntries(urls.map(([service, url]) => [service, url.host]));
  return new alicloud.Provider(
    `${name}-alicloud`,
    { region: cloud.region, endpoints: [{ ecs: hosts.ecs, ram: hosts.ram, oss: hosts.oss }], protocol: schemes.has('http:') ? 'HTTP' : 'HTTPS' },
    opts,
  );
}
