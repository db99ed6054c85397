import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as OpenApiCore from '@alicloud/openapi-core';
import type * as RamSdk from '@alicloud/ram20150501';
import { type StaticCredentials } from '../../model/connection';
import { type AlicloudApi, type RamPolicy, type RamRole } from './api';
import { type SdkEndpoint } from './connection-config';
import { hasCode, toCloudError } from './errors';

/** How to build the SDK clients. */
export interface SdkApiConfig {
  /** Region (`RegionId` of every ECS call, and the SDK's endpoint rule when no endpoint is given). */
  readonly region: string;
  /** Resolves credentials on first use (so a driver can be created without them). */
  readonly credentials: () => StaticCredentials;
  /** ECS endpoint override. @default - the SDK's regional endpoint */
  readonly ecsEndpoint?: SdkEndpoint;
  /** RAM endpoint override. @default - `ram.aliyuncs.com` */
  readonly ramEndpoint?: SdkEndpoint;
  /** Read timeout of one call, ms. @default 30000 */
  readonly readTimeoutMs?: number;
  /** Connect timeout, ms. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Attempts per call when the error is retryable (Throttling*, 5xx, dropped connection). @default 3 */
  readonly maxAttempts?: number;
  /** Sleep between attempts (tests pass a fast one). @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

function openApiConfig(config: SdkApiConfig, endpoint: SdkEndpoint | undefined): OpenApiCore.$OpenApiUtil.Config {
  const core: typeof OpenApiCore = require('@alicloud/openapi-core');
  const credentials = config.credentials();
  return new core.$OpenApiUtil.Config({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { securityToken: credentials.sessionToken } : {}),
    regionId: config.region,
    readTimeout: config.readTimeoutMs ?? 30_000,
    connectTimeout: config.connectTimeoutMs ?? 10_000,
    ...(endpoint ? { endpoint: endpoint.endpoint } : {}),
    ...(endpoint?.protocol ? { protocol: endpoint.protocol } : {}),
  });
}

/** The configured credentials, or undefined when they cannot be resolved (the error then says so itself). */
function safeCredentials(config: SdkApiConfig): StaticCredentials | undefined {
  try {
    return config.credentials();
  } catch {
    return undefined;
  }
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one API call, turning its errors into CloudErrors and retrying the retryable ones (throttling, 5xx, dropped
 * connections) with exponential backoff and jitter: 250 ms, 500 ms, … (a Throttling answer's retry-after when given).
 * Retrying ExportImage is safe: a duplicate answers ImageIsExporting, which the driver resolves by adoption.
 */
async function withRetries<T>(config: SdkApiConfig, operation: string, run: () => Promise<T>): Promise<T> {
  const attempts = Math.max(1, config.maxAttempts ?? 3);
  const sleep = config.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const cloudError = toCloudError(operation, error, safeCredentials(config));
      if (!cloudError.retryable || attempt >= attempts) throw cloudError;
      const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
      const base = typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : 250 * 2 ** (attempt - 1);
      await sleep(base / 2 + Math.random() * (base / 2));
    }
  }
}

/**
 * The {@link AlicloudApi} on the official SDKs (`@alicloud/ecs20140526` v7 and `@alicloud/ram20150501` on
 * `@alicloud/openapi-core`). The SDKs are loaded on the first call, so importing the driver stays cheap.
 */
export function createSdkApi(config: SdkApiConfig): AlicloudApi {
  let ecsModule: typeof EcsSdk | undefined;
  let ecsClient: EcsSdk.default | undefined;
  let ramModule: typeof RamSdk | undefined;
  let ramClient: RamSdk.default | undefined;
  const ecs = (): { sdk: typeof EcsSdk; client: EcsSdk.default } => {
    if (!ecsModule || !ecsClient) {
      ecsModule = require('@alicloud/ecs20140526') as typeof EcsSdk;
      ecsClient = new ecsModule.default(openApiConfig(config, config.ecsEndpoint));
    }
    return { sdk: ecsModule, client: ecsClient };
  };
  const call = <T>(operation: string, run: () => Promise<T>): Promise<T> => withRetries(config, operation, run);
  const ram = (): { sdk: typeof RamSdk; client: RamSdk.default } => {
    if (!ramModule || !ramClient) {
      ramModule = require('@alicloud/ram20150501') as typeof RamSdk;
      ramClient = new ramModule.default(openApiConfig(config, config.ramEndpoint));
    }
    return { sdk: ramModule, client: ramClient };
  };

  return {
    exportImage: (params) =>
      call('ExportImage', async () => {
        const { sdk, client } = ecs();
        const response = await client.exportImage(new sdk.ExportImageRequest({ ...params }));
        return { taskId: response.body?.taskId };
      }),
    importImage: (params) =>
      call('ImportImage', async () => {
        const { sdk, client } = ecs();
        const request = new sdk.ImportImageRequest({
          ...params,
          diskDeviceMapping: params.diskDeviceMapping.map((disk) => new sdk.ImportImageRequestDiskDeviceMapping({ ...disk })),
          features: params.features ? new sdk.ImportImageRequestFeatures({ ...params.features }) : undefined,
          tag: params.tag?.map((tag) => new sdk.ImportImageRequestTag({ ...tag })),
        });
        const response = await client.importImage(request);
        return { taskId: response.body?.taskId, imageId: response.body?.imageId };
      }),
    describeTasks: (params) =>
      call('DescribeTasks', async () => {
        const { sdk, client } = ecs();
        const response = await client.describeTasks(new sdk.DescribeTasksRequest({ ...params, resourceIds: params.resourceIds ? [...params.resourceIds] : undefined }));
        return response.body ?? {};
      }),
    describeTaskAttribute: (params) =>
      call('DescribeTaskAttribute', async () => {
        const { sdk, client } = ecs();
        const response = await client.describeTaskAttribute(new sdk.DescribeTaskAttributeRequest({ ...params }));
        return response.body ?? {};
      }),
    cancelTask: (params) =>
      call('CancelTask', async () => {
        const { sdk, client } = ecs();
        await client.cancelTask(new sdk.CancelTaskRequest({ ...params }));
      }),
    describeImages: (params) =>
      call('DescribeImages', async () => {
        const { sdk, client } = ecs();
        const response = await client.describeImages(
          new sdk.DescribeImagesRequest({ regionId: params.regionId, imageId: params.imageId, status: params.status, pageSize: 10 }),
        );
        return response.body?.images?.image ?? [];
      }),
    deleteImage: (params) =>
      call('DeleteImage', async () => {
        const { sdk, client } = ecs();
        await client.deleteImage(new sdk.DeleteImageRequest({ regionId: params.regionId, imageId: params.imageId }));
      }),
    tagResources: (params) =>
      call('TagResources', async () => {
        const { sdk, client } = ecs();
        await client.tagResources(
          new sdk.TagResourcesRequest({
            regionId: params.regionId,
            resourceType: params.resourceType,
            resourceId: [...params.resourceIds],
            tag: params.tags.map((tag) => new sdk.TagResourcesRequestTag({ ...tag })),
          }),
        );
      }),
    untagResources: (params) =>
      call('UntagResources', async () => {
        const { sdk, client } = ecs();
        await client.untagResources(
          new sdk.UntagResourcesRequest({ regionId: params.regionId, resourceType: params.resourceType, resourceId: [...params.resourceIds], tagKey: [...params.tagKeys] }),
        );
      }),

    getRole: async (roleName) => {
      try {
        return await call('GetRole', async () => {
          const { sdk, client } = ram();
          const response = await client.getRole(new sdk.GetRoleRequest({ roleName }));
          const role = response.body?.role;
          return role ? ({ roleName: role.roleName, arn: role.arn, assumeRolePolicyDocument: role.assumeRolePolicyDocument } satisfies RamRole) : undefined;
        });
      } catch (error) {
        if (hasCode(error, 'EntityNotExist.Role')) return undefined;
        throw error;
      }
    },
    createRole: (params) =>
      call('CreateRole', async () => {
        const { sdk, client } = ram();
        const response = await client.createRole(new sdk.CreateRoleRequest({ ...params }));
        const role = response.body?.role;
        return { roleName: role?.roleName ?? params.roleName, arn: role?.arn, assumeRolePolicyDocument: role?.assumeRolePolicyDocument };
      }),
    updateRole: (params) =>
      call('UpdateRole', async () => {
        const { sdk, client } = ram();
        await client.updateRole(new sdk.UpdateRoleRequest({ ...params }));
      }),
    deleteRole: (roleName) =>
      call('DeleteRole', async () => {
        const { sdk, client } = ram();
        await client.deleteRole(new sdk.DeleteRoleRequest({ roleName }));
      }),
    createPolicy: (params) =>
      call('CreatePolicy', async () => {
        const { sdk, client } = ram();
        await client.createPolicy(new sdk.CreatePolicyRequest({ ...params }));
      }),
    getPolicy: async (params) => {
      try {
        return await call('GetPolicy', async () => {
          const { sdk, client } = ram();
          const response = await client.getPolicy(new sdk.GetPolicyRequest({ ...params }));
          const policy = response.body?.policy;
          if (!policy) return undefined;
          const document = response.body?.defaultPolicyVersion?.policyDocument ?? policy.policyDocument;
          return { policyName: policy.policyName, policyType: policy.policyType, document } satisfies RamPolicy;
        });
      } catch (error) {
        if (hasCode(error, 'EntityNotExist.Policy')) return undefined;
        throw error;
      }
    },
    deletePolicy: (policyName) =>
      call('DeletePolicy', async () => {
        const { sdk, client } = ram();
        await client.deletePolicy(new sdk.DeletePolicyRequest({ policyName }));
      }),
    attachPolicyToRole: (params) =>
      call('AttachPolicyToRole', async () => {
        const { sdk, client } = ram();
        await client.attachPolicyToRole(new sdk.AttachPolicyToRoleRequest({ ...params }));
      }),
    detachPolicyFromRole: (params) =>
      call('DetachPolicyFromRole', async () => {
        const { sdk, client } = ram();
        await client.detachPolicyFromRole(new sdk.DetachPolicyFromRoleRequest({ ...params }));
      }),
    listPoliciesForRole: (roleName) =>
      call('ListPoliciesForRole', async () => {
        const { sdk, client } = ram();
        const response = await client.listPoliciesForRole(new sdk.ListPoliciesForRoleRequest({ roleName }));
        return response.body?.policies?.policy ?? [];
      }),
  };
}
