import { CloudError } from '../../../../lib/model/cloud-error';
import { type ObjectInfo, type ObjectStorage } from '../../../../lib/storage/object-storage';
import {
  type AlicloudApi,
  type EcsImage,
  type EcsTaskAttribute,
  type ExportImageParams,
  type ImportImageParams,
  type RamAttachedPolicy,
} from '../../../../lib/clouds/alicloud/api';

/** A task the fake knows. */
export interface FakeTask {
  taskId: string;
  action: 'ExportImage' | 'ImportImage';
  status: string;
  resourceId?: string;
  progress?: string;
  items: { name: string; value: string }[];
  errorCode?: string;
  errorMsg?: string;
}

function fail(operation: string, code: string, kind: CloudError['kind'], message = code): CloudError {
  return new CloudError({ cloud: 'alicloud', operation, code, message, kind });
}

/** An in-memory AlicloudApi with just enough ECS and RAM behaviour for driver unit tests, recording every call. */
export class FakeAlicloudApi implements AlicloudApi {
  public readonly calls: string[] = [];
  public readonly tasks: FakeTask[] = [];
  public readonly images = new Map<string, EcsImage>();
  public readonly roles = new Map<string, { document: string; attached: RamAttachedPolicy[] }>();
  public readonly policies = new Map<string, string>();
  public exportError?: CloudError;
  public exportParams: ExportImageParams[] = [];
  public importParams: ImportImageParams[] = [];
  private counter = 0;

  public async exportImage(params: ExportImageParams): Promise<{ taskId?: string }> {
    this.calls.push('ExportImage');
    this.exportParams.push(params);
    if (this.exportError) throw this.exportError;
    const taskId = `t-${++this.counter}`;
    this.tasks.push({
      taskId,
      action: 'ExportImage',
      status: 'Waiting',
      resourceId: params.imageId,
      items: [
        { name: 'OSSBucket', value: params.OSSBucket },
        { name: 'ImageFormat', value: params.imageFormat ?? 'raw' },
      ],
    });
    return { taskId };
  }

  public async importImage(params: ImportImageParams): Promise<{ taskId?: string; imageId?: string }> {
    this.calls.push('ImportImage');
    this.importParams.push(params);
    const imageId = `m-new${++this.counter}`;
    const taskId = `t-${this.counter}`;
    this.images.set(imageId, { imageId, status: 'Creating' });
    this.tasks.push({ taskId, action: 'ImportImage', status: 'Processing', resourceId: imageId, items: [] });
    return { taskId, imageId };
  }

  public async describeTasks(params: { taskAction?: string; taskIds?: string }) {
    this.calls.push('DescribeTasks');
    const tasks = this.tasks.filter(
      (task) => (!params.taskAction || task.action === params.taskAction) && (!params.taskIds || params.taskIds.split(',').includes(task.taskId)),
    );
    return {
      totalCount: tasks.length,
      taskSet: { task: tasks.map((task) => ({ taskId: task.taskId, taskAction: task.action, taskStatus: task.status, resourceId: task.resourceId })) },
    };
  }

  public async describeTaskAttribute(params: { taskId: string }): Promise<EcsTaskAttribute> {
    this.calls.push('DescribeTaskAttribute');
    const task = this.tasks.find((candidate) => candidate.taskId === params.taskId);
    if (!task) throw fail('DescribeTaskAttribute', 'InvalidTaskId.NotFound', 'not-found');
    return {
      taskId: task.taskId,
      taskAction: task.action,
      taskStatus: task.status,
      taskProcess: task.progress,
      operationProgressSet: {
        operationProgress: [
          {
            operationStatus: task.status === 'Failed' ? 'Failed' : 'Success',
            errorCode: task.errorCode,
            errorMsg: task.errorMsg,
            relatedItemSet: { relatedItem: task.items },
          },
        ],
      },
    };
  }

  public async cancelTask(params: { taskId: string }): Promise<void> {
    this.calls.push('CancelTask');
    const task = this.tasks.find((candidate) => candidate.taskId === params.taskId);
    if (!task) throw fail('CancelTask', 'InvalidTaskId.NotFound', 'not-found');
    if (!['Waiting', 'Processing', 'Paused'].includes(task.status)) throw fail('CancelTask', 'InvalidTaskId.IncorrectTaskStatus', 'conflict');
    task.status = 'Deleted';
  }

  public async describeImages(params: { imageId: string }): Promise<readonly EcsImage[]> {
    this.calls.push('DescribeImages');
    const image = this.images.get(params.imageId);
    return image ? [image] : [];
  }

  public async deleteImage(params: { imageId: string }): Promise<void> {
    this.calls.push(`DeleteImage ${params.imageId}`);
    this.images.delete(params.imageId);
  }

  public async tagResources(params: { resourceIds: readonly string[]; tags: readonly { key: string; value: string }[] }): Promise<void> {
    this.calls.push(`TagResources ${params.resourceIds.join()} ${params.tags.map((tag) => `${tag.key}=${tag.value}`).join()}`);
    for (const id of params.resourceIds) {
      const image = this.images.get(id);
      if (!image) throw fail('TagResources', 'InvalidResourceId.NotFound', 'not-found');
      const tags = new Map((image.tags?.tag ?? []).map((tag) => [tag.tagKey ?? '', tag.tagValue ?? '']));
      for (const tag of params.tags) tags.set(tag.key, tag.value);
      this.images.set(id, { ...image, tags: { tag: [...tags].map(([tagKey, tagValue]) => ({ tagKey, tagValue })) } });
    }
  }

  public async untagResources(params: { resourceIds: readonly string[]; tagKeys: readonly string[] }): Promise<void> {
    this.calls.push(`UntagResources ${params.resourceIds.join()} ${params.tagKeys.join()}`);
    for (const id of params.resourceIds) {
      const image = this.images.get(id);
      if (!image) throw fail('UntagResources', 'InvalidResourceId.NotFound', 'not-found');
      this.images.set(id, { ...image, tags: { tag: (image.tags?.tag ?? []).filter((tag) => !params.tagKeys.includes(tag.tagKey ?? '')) } });
    }
  }

  public async getRole(roleName: string) {
    this.calls.push(`GetRole ${roleName}`);
    const role = this.roles.get(roleName);
    return role ? { roleName, arn: `acs:ram::1:role/${roleName.toLowerCase()}`, assumeRolePolicyDocument: role.document } : undefined;
  }

  public async createRole(params: { roleName: string; assumeRolePolicyDocument: string }) {
    this.calls.push(`CreateRole ${params.roleName}`);
    if (this.roles.has(params.roleName)) throw fail('CreateRole', 'EntityAlreadyExists.Role', 'conflict');
    this.roles.set(params.roleName, { document: params.assumeRolePolicyDocument, attached: [] });
    return { roleName: params.roleName, arn: `acs:ram::1:role/${params.roleName.toLowerCase()}` };
  }

  public async updateRole(params: { roleName: string; newAssumeRolePolicyDocument: string }): Promise<void> {
    this.calls.push(`UpdateRole ${params.roleName}`);
    this.roles.get(params.roleName)!.document = params.newAssumeRolePolicyDocument;
  }

  public async deleteRole(roleName: string): Promise<void> {
    this.calls.push(`DeleteRole ${roleName}`);
    const role = this.roles.get(roleName);
    if (!role) throw fail('DeleteRole', 'EntityNotExist.Role', 'not-found');
    if (role.attached.length > 0) throw fail('DeleteRole', 'DeleteConflict.Role.Policy', 'conflict');
    this.roles.delete(roleName);
  }

  public async createPolicy(params: { policyName: string; policyDocument: string }): Promise<void> {
    this.calls.push(`CreatePolicy ${params.policyName}`);
    if (this.policies.has(params.policyName)) throw fail('CreatePolicy', 'EntityAlreadyExists.Policy', 'conflict');
    this.policies.set(params.policyName, params.policyDocument);
  }

  public async getPolicy(params: { policyName: string; policyType: string }) {
    this.calls.push(`GetPolicy ${params.policyName}`);
    if (params.policyType === 'System') return { policyName: params.policyName, policyType: 'System', document: '{"Version":"1","Statement":[]}' };
    const document = this.policies.get(params.policyName);
    return document ? { policyName: params.policyName, policyType: 'Custom', document } : undefined;
  }

  public async deletePolicy(policyName: string): Promise<void> {
    this.calls.push(`DeletePolicy ${policyName}`);
    if (!this.policies.delete(policyName)) throw fail('DeletePolicy', 'EntityNotExist.Policy', 'not-found');
  }

  public async attachPolicyToRole(params: { policyType: string; policyName: string; roleName: string }): Promise<void> {
    this.calls.push(`AttachPolicyToRole ${params.policyName}`);
    const role = this.roles.get(params.roleName)!;
    if (role.attached.some((p) => p.policyName === params.policyName)) throw fail('AttachPolicyToRole', 'EntityAlreadyExists.Role.Policy', 'conflict');
    role.attached.push({ policyName: params.policyName, policyType: params.policyType });
  }

  public async detachPolicyFromRole(params: { policyType: string; policyName: string; roleName: string }): Promise<void> {
    this.calls.push(`DetachPolicyFromRole ${params.policyName}`);
    const role = this.roles.get(params.roleName);
    if (!role) throw fail('DetachPolicyFromRole', 'EntityNotExist.Role', 'not-found');
    role.attached = role.attached.filter((p) => p.policyName !== params.policyName);
  }

  public async listPoliciesForRole(roleName: string): Promise<readonly RamAttachedPolicy[]> {
    this.calls.push(`ListPoliciesForRole ${roleName}`);
    return [...(this.roles.get(roleName)?.attached ?? [])];
  }
}

/** An in-memory ObjectStorage with bucket regions. */
export class FakeStorage implements ObjectStorage {
  public readonly buckets = new Map<string, { region: string; objects: Map<string, Buffer> }>();

  constructor(private readonly region = 'cn-hangzhou') {}

  public async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const body = this.buckets.get(bucket)?.objects.get(key);
    return body ? { key, sizeBytes: body.length } : undefined;
  }
  public async readRange(bucket: string, key: string, start: number, endInclusive: number): Promise<Buffer> {
    return (this.buckets.get(bucket)?.objects.get(key) ?? Buffer.alloc(0)).subarray(start, endInclusive + 1);
  }
  public async list(bucket: string, prefix = ''): Promise<ObjectInfo[]> {
    return [...(this.buckets.get(bucket)?.objects ?? new Map<string, Buffer>()).entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, body]) => ({ key, sizeBytes: body.length }));
  }
  public async put(bucket: string, key: string, body: Buffer | string): Promise<void> {
    this.buckets.get(bucket)!.objects.set(key, Buffer.from(body));
  }
  public async delete(bucket: string, key: string): Promise<void> {
    this.buckets.get(bucket)?.objects.delete(key);
  }
  public async bucketExists(bucket: string): Promise<boolean> {
    return this.buckets.has(bucket);
  }
  public async bucketRegion(bucket: string): Promise<string | undefined> {
    return this.buckets.get(bucket)?.region;
  }
  public async createBucket(bucket: string): Promise<void> {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, { region: this.region, objects: new Map() });
  }
  public async deleteBucket(bucket: string): Promise<void> {
    this.buckets.delete(bucket);
  }
}
