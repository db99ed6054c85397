import * as OpenApi from '@alicloud/openapi-core';
import Ram, * as RamModels from '@alicloud/ram20150501';
import { createS3ProtocolStorage } from '../../lib/storage/s3-protocol-storage';
import { type RegisteredResource } from './pulumi-mock-program';

/** Where the emulated Alibaba Cloud is. */
export interface AlicloudTarget {
  /** RAM and OSS (S3 protocol) endpoint URLs. */
  readonly endpoints: { readonly ram: string; readonly oss: string };
  /** The key pair the emulator accepts. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Region of the buckets. */
  readonly region: string;
}

/**
 * Stands in for the `pulumi-alicloud` provider plugin, which cannot run here: creates in the emulator what the
 * program's `alicloud:` resources declare (RAM roles, custom policies and attachments with the official RAM SDK;
 * OSS buckets over the S3 protocol), with exactly the registered inputs. The emulator then judges the role's trust
 * and policy when ECS writes the export.
 *
 * @returns the types applied, in order
 */
export async function applyAlicloudResources(resources: readonly RegisteredResource[], target: AlicloudTarget): Promise<string[]> {
  const url = new URL(target.endpoints.ram);
  const ram = new Ram(
    new OpenApi.$OpenApiUtil.Config({
      accessKeyId: target.credentials.accessKeyId,
      accessKeySecret: target.credentials.secretAccessKey,
      regionId: target.region,
      endpoint: url.host,
      protocol: url.protocol.replace(':', ''),
      // The SDK's 5 s connect timeout is for the Internet; the emulator shares a busy test process (2 cores).
      connectTimeout: 60_000,
      readTimeout: 60_000,
    }),
  );
  const oss = createS3ProtocolStorage({ cloud: 'alicloud', region: target.region, endpoint: target.endpoints.oss, credentials: target.credentials });
  const applied: string[] = [];
  for (const resource of resources) {
    const inputs = resource.inputs as Record<string, string>;
    switch (resource.type) {
      case 'alicloud:ram/role:Role':
        await ram.createRole(
          new RamModels.CreateRoleRequest({ roleName: inputs.roleName, assumeRolePolicyDocument: inputs.assumeRolePolicyDocument, description: inputs.description }),
        );
        break;
      case 'alicloud:ram/policy:Policy':
        await ram.createPolicy(new RamModels.CreatePolicyRequest({ policyName: inputs.policyName, policyDocument: inputs.policyDocument, description: inputs.description }));
        break;
      case 'alicloud:ram/rolePolicyAttachment:RolePolicyAttachment':
        await ram.attachPolicyToRole(
          new RamModels.AttachPolicyToRoleRequest({ roleName: inputs.roleName, policyName: inputs.policyName, policyType: inputs.policyType }),
        );
        break;
      case 'alicloud:oss/bucket:Bucket':
        await oss.createBucket(inputs.bucket);
        break;
      default:
        continue;
    }
    applied.push(resource.type);
  }
  return applied;
}
