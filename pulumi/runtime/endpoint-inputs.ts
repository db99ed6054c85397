import type * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { ENDPOINT_ENV_VARS } from '../../lib/model/connection';
import { isUnknown } from './properties';

/** The services whose endpoints a resource of `cloud` may override (`ec2`, `iam`, `s3`, `sts`; `ecs`…; `vm`…). */
export function endpointServices(cloud: CloudId): string[] {
  return Object.keys(ENDPOINT_ENV_VARS[cloud]);
}

/**
 * Check failures of an `endpoints` input: a map from the cloud's service names to http(s) URLs. One failure per bad
 * entry, naming the service, the value and the rule.
 */
export function endpointFailures(cloud: CloudId, value: unknown): pulumi.dynamic.CheckFailure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    return [{ property: 'endpoints', reason: `endpoints: ${JSON.stringify(value)} must be a map of service names to URLs` }];
  }
  const services = endpointServices(cloud);
  const failures: pulumi.dynamic.CheckFailure[] = [];
  for (const [service, url] of Object.entries(value as Record<string, unknown>)) {
    if (isUnknown(url)) continue;
    if (!services.includes(service)) {
      failures.push({ property: `endpoints.${service}`, reason: `endpoints.${service}: "${service}" is not a ${cloud} service imageport calls (allowed: ${services.join(', ')})` });
    } else if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/.test(url)) {
      failures.push({ property: `endpoints.${service}`, reason: `endpoints.${service}: ${JSON.stringify(url)} must be an http(s) URL such as "https://ec2.us-east-1.amazonaws.com"` });
    }
  }
  return failures;
}

/** The `endpoints` input of a resource's properties, when it is a non-empty map of strings. */
export function endpointsOf(properties: Record<string, unknown>): Record<string, string> | undefined {
  const value = properties.endpoints;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
