/**
 * The Alibaba Cloud calls the driver makes, one method per API action, each throwing a `CloudError`.
 * `sdk-api.ts` implements it on the official SDKs; tests may hand the driver another implementation.
 *
 * Request fields use the SDK models' own names (`regionId`, `OSSBucket`, …), so a request object is passed to the
 * SDK's model constructor as is. Responses are described structurally: the SDK's model instances fit.
 */

/** ExportImage request (SDK `ExportImageRequest`). */
export interface ExportImageParams {
  readonly regionId: string;
  readonly imageId: string;
  readonly OSSBucket: string;
  readonly OSSPrefix?: string;
  readonly imageFormat?: string;
  readonly roleName?: string;
  readonly dryRun?: boolean;
}

/** One `DiskDeviceMapping.N` of ImportImage (SDK `ImportImageRequestDiskDeviceMapping`). */
export interface ImportDiskParams {
  readonly OSSBucket: string;
  readonly OSSObject: string;
  readonly format?: string;
  readonly diskImageSize?: number;
}

/** ImportImage request (SDK `ImportImageRequest`). */
export interface ImportImageParams {
  readonly regionId: string;
  readonly diskDeviceMapping: readonly ImportDiskParams[];
  readonly imageName?: string;
  readonly description?: string;
  readonly architecture?: string;
  readonly OSType?: string;
  readonly platform?: string;
  readonly bootMode?: string;
  readonly licenseType?: string;
  readonly roleName?: string;
  readonly clientToken?: string;
  readonly detectionStrategy?: string;
  readonly features?: { readonly nvmeSupport?: string };
  readonly tag?: readonly { readonly key: string; readonly value: string }[];
  readonly dryRun?: boolean;
}

/** DescribeTasks request (SDK `DescribeTasksRequest`). */
export interface DescribeTasksParams {
  readonly regionId: string;
  readonly taskAction?: string;
  readonly taskIds?: string;
  readonly taskStatus?: string;
  readonly resourceIds?: readonly string[];
  readonly pageNumber?: number;
  readonly pageSize?: number;
}

/** One task of DescribeTasks (`TaskSet.Task[]`). */
export interface EcsTaskSummary {
  readonly taskId?: string;
  readonly taskAction?: string;
  readonly taskStatus?: string;
  readonly resourceId?: string;
  readonly creationTime?: string;
  readonly finishedTime?: string;
  readonly supportCancel?: string;
}

/** One page of DescribeTasks. */
export interface EcsTaskPage {
  readonly totalCount?: number;
  readonly pageNumber?: number;
  readonly pageSize?: number;
  readonly taskSet?: { readonly task?: readonly EcsTaskSummary[] };
}

/** A `RelatedItem` (`Name`/`Value`) of DescribeTaskAttribute. */
export interface EcsRelatedItem {
  readonly name?: string;
  readonly value?: string;
}

/** One `OperationProgress` of DescribeTaskAttribute. */
export interface EcsOperationProgress {
  readonly operationStatus?: string;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly relatedItemSet?: { readonly relatedItem?: readonly EcsRelatedItem[] };
}

/** DescribeTaskAttribute response. */
export interface EcsTaskAttribute {
  readonly taskId?: string;
  readonly taskAction?: string;
  readonly taskStatus?: string;
  readonly taskProcess?: string;
  readonly supportCancel?: string;
  readonly creationTime?: string;
  readonly finishedTime?: string;
  readonly operationProgressSet?: { readonly operationProgress?: readonly EcsOperationProgress[] };
}

/** One `DiskDeviceMapping` of DescribeImages. */
export interface EcsImageDisk {
  readonly type?: string;
  readonly device?: string;
  readonly size?: string;
  readonly snapshotId?: string;
  readonly encrypted?: boolean;
  readonly format?: string;
}

/** One image of DescribeImages. */
export interface EcsImage {
  readonly imageId?: string;
  readonly imageName?: string;
  readonly status?: string;
  readonly progress?: string;
  readonly imageOwnerAlias?: string;
  readonly productCode?: string;
  readonly isSubscribed?: boolean;
  readonly OSType?: string;
  readonly platform?: string;
  readonly OSName?: string;
  readonly architecture?: string;
  readonly size?: number;
  readonly usage?: string;
  readonly diskDeviceMappings?: { readonly diskDeviceMapping?: readonly EcsImageDisk[] };
  /** The image's tags (`Tags.Tag[]`). @default - none */
  readonly tags?: { readonly tag?: readonly { readonly tagKey?: string; readonly tagValue?: string }[] };
}

/** The resources of one TagResources / UntagResources call (ResourceType `image` for imageport). */
export interface EcsTagTarget {
  readonly regionId: string;
  readonly resourceType: 'image';
  readonly resourceIds: readonly string[];
}

/** A RAM role (GetRole). */
export interface RamRole {
  readonly roleName?: string;
  readonly arn?: string;
  readonly assumeRolePolicyDocument?: string;
}

/** A policy attached to a role (ListPoliciesForRole). */
export interface RamAttachedPolicy {
  readonly policyName?: string;
  readonly policyType?: string;
}

/** A RAM policy and its default version's document (GetPolicy). */
export interface RamPolicy {
  readonly policyName?: string;
  readonly policyType?: string;
  readonly document?: string;
}

/** The ECS and RAM calls of the Alibaba Cloud driver. Every method throws `CloudError`. */
export interface AlicloudApi {
  /** ECS ExportImage; returns the TaskId. */
  exportImage(params: ExportImageParams): Promise<{ readonly taskId?: string }>;
  /** ECS ImportImage; returns TaskId and ImageId. */
  importImage(params: ImportImageParams): Promise<{ readonly taskId?: string; readonly imageId?: string }>;
  /** ECS DescribeTasks, one page. */
  describeTasks(params: DescribeTasksParams): Promise<EcsTaskPage>;
  /** ECS DescribeTaskAttribute. */
  describeTaskAttribute(params: { readonly regionId: string; readonly taskId: string }): Promise<EcsTaskAttribute>;
  /** ECS CancelTask. */
  cancelTask(params: { readonly regionId: string; readonly taskId: string }): Promise<void>;
  /** ECS DescribeImages for one image id, with a `Status` filter. */
  describeImages(params: { readonly regionId: string; readonly imageId: string; readonly status: string }): Promise<readonly EcsImage[]>;
  /** ECS DeleteImage (a custom image; ECS ignores one that does not exist). */
  deleteImage(params: { readonly regionId: string; readonly imageId: string }): Promise<void>;
  /** ECS TagResources: adds or overwrites tags. */
  tagResources(params: EcsTagTarget & { readonly tags: readonly { readonly key: string; readonly value: string }[] }): Promise<void>;
  /** ECS UntagResources: removes the tags with these keys. */
  untagResources(params: EcsTagTarget & { readonly tagKeys: readonly string[] }): Promise<void>;

  /** RAM GetRole; `undefined` when the role does not exist. */
  getRole(roleName: string): Promise<RamRole | undefined>;
  /** RAM CreateRole. */
  createRole(params: { readonly roleName: string; readonly assumeRolePolicyDocument: string; readonly description?: string }): Promise<RamRole>;
  /** RAM UpdateRole (trust document). */
  updateRole(params: { readonly roleName: string; readonly newAssumeRolePolicyDocument: string }): Promise<void>;
  /** RAM DeleteRole. */
  deleteRole(roleName: string): Promise<void>;
  /** RAM CreatePolicy (custom). */
  createPolicy(params: { readonly policyName: string; readonly policyDocument: string; readonly description?: string }): Promise<void>;
  /** RAM GetPolicy; `undefined` when the policy does not exist. */
  getPolicy(params: { readonly policyName: string; readonly policyType: string }): Promise<RamPolicy | undefined>;
  /** RAM DeletePolicy (custom). */
  deletePolicy(policyName: string): Promise<void>;
  /** RAM AttachPolicyToRole. */
  attachPolicyToRole(params: { readonly policyType: string; readonly policyName: string; readonly roleName: string }): Promise<void>;
  /** RAM DetachPolicyFromRole. */
  detachPolicyFromRole(params: { readonly policyType: string; readonly policyName: string; readonly roleName: string }): Promise<void>;
  /** RAM ListPoliciesForRole. */
  listPoliciesForRole(roleName: string): Promise<readonly RamAttachedPolicy[]>;
}
