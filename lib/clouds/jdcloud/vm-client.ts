import { CloudError } from '../../model/cloud-error';
import { type JdcloudApiClient } from './api-client';

/** exportImage body (`POST /v1/regions/{regionId}/images/{imageId}:exportImage`). */
export interface ExportImageRequest {
  /** Region of the image. */
  readonly regionId: string;
  /** Private image id, `img-…`. */
  readonly imageId: string;
  /** Service role the disk service assumes to write into the bucket. */
  readonly roleName: string;
  /** The bucket's full internal URL, `https://<bucket>.s3-internal.<region>.jdcloud-oss.com`. */
  readonly ossUrl: string;
  /** Object-name prefix: letters and digits, at most 32. @default - none */
  readonly ossPrefix?: string;
  /** Idempotency token, at most 64 characters. @default - none */
  readonly clientToken?: string;
  /** Export data disks too. @default - not sent (system disk only) */
  readonly isAllDisk?: boolean;
}

/** importImage body (`POST /v1/regions/{regionId}/images:import`). */
export interface ImportImageRequest {
  /** Region the image lands in. */
  readonly regionId: string;
  /** `x86_64` or `arm64`. */
  readonly architecture: string;
  /** `windows` or `linux`. */
  readonly osType: string;
  /** `Ubuntu`, `CentOS`, `Windows Server`, `Other Linux`, `Other Windows`. */
  readonly platform: string;
  /** `qcow2`, `vhd`, `vmdk`, `raw`. */
  readonly diskFormat: string;
  /** System disk size, 40-500 GiB, a multiple of 10. */
  readonly systemDiskSizeGB: number;
  /** Link to the object in JD OSS. */
  readonly imageUrl: string;
  /** Name of the new image. */
  readonly imageName: string;
  /** OS version. @default - none */
  readonly osVersion?: string;
  /** Description. @default - none */
  readonly description?: string;
  /** Skip the compliance check. @default - not sent (false) */
  readonly forceImport?: boolean;
  /** Idempotency token. @default - none */
  readonly clientToken?: string;
  /** `bios` or `uefi`. @default - not sent (bios) */
  readonly bootMode?: string;
}

/** What importImage answers. */
export interface ImportImageResult {
  /** The new image. */
  readonly imageId: string;
  /** The import task, from `taskId` or the older `importTaskId`. */
  readonly taskId: string;
}

/** imageTasks query (`GET /v1/regions/{regionId}/imageTasks`). */
export interface ImageTasksRequest {
  /** Region. */
  readonly regionId: string;
  /** `ImportImage` or `ExportImage`. @default - both */
  readonly taskAction?: 'ImportImage' | 'ExportImage';
  /** Task ids, sent as `taskIds.1=…&taskIds.2=…`. @default - all */
  readonly taskIds?: readonly string[];
  /** Filter by status. @default - all */
  readonly taskStatus?: string;
  /** Page number. @default - the service's default (1) */
  readonly pageNumber?: number;
  /** Page size, 10-100. @default - the service's default */
  readonly pageSize?: number;
}

/** One image task (`TaskInfo`), with `taskId` normalised to a string. */
export interface ImageTaskInfo {
  /** Task id (an integer in old API versions, a string now). */
  readonly taskId: string;
  /** `ImportImage` or `ExportImage`. */
  readonly action: string;
  /** `pending`, `running`, `failed`, `finished`. */
  readonly taskStatus: string;
  /** 0-100. @default - not reported */
  readonly progress?: number;
  /** Failure reason. @default - none */
  readonly errorInfo?: string;
  /** Extra description. @default - none */
  readonly message?: string;
  /** Creation time as the service writes it. @default - not reported */
  readonly createdTime?: string;
  /** End time. @default - not reported */
  readonly finishedTime?: string;
  /** The image. @default - not reported */
  readonly imageId?: string;
  /** Export: target OSS URL. @default - not an export */
  readonly ossUrl?: string;
  /** Export: object name of the system-disk file. @default - not written yet */
  readonly ossObject?: string;
  /** Export: object names of every disk (vm API 1.5.12+). @default - not reported */
  readonly ossObjects?: readonly string[];
  /** Import: image name. @default - not an import */
  readonly imageName?: string;
  /** Import: source link. @default - not an import */
  readonly imageUrl?: string;
}

/** imageTasks answer. */
export interface ImageTasksResult {
  /** The tasks. */
  readonly taskSet: readonly ImageTaskInfo[];
  /** Total matching tasks. */
  readonly totalCount: number;
}

/** The image fields imageport reads (`describeImage` → `result.image`). */
export interface JdImage {
  /** Image id. */
  readonly imageId: string;
  /** Name. @default - not reported */
  readonly name?: string;
  /** `pending`, `ready`, `deleting`, `error`. */
  readonly status: string;
  /** `public`, `thirdparty`, `private`, `shared`, `community`. @default - not reported */
  readonly imageSource?: string;
  /** `localDisk` or `cloudDisk`. @default - not reported */
  readonly rootDeviceType?: string;
  /** `windows` or `linux`. @default - not reported */
  readonly osType?: string;
  /** Platform. @default - not reported */
  readonly platform?: string;
  /** Architecture. @default - not reported */
  readonly architecture?: string;
  /** System disk size in GB. @default - not reported */
  readonly systemDiskSizeGB?: number;
  /** True when the image came from importImage. @default false */
  readonly imported?: boolean;
  /** Conversion progress, a number as a string. @default - not reported */
  readonly progress?: string;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function malformed(operation: string, what: string): CloudError {
  return new CloudError({ cloud: 'jdcloud', operation, code: 'InvalidResponse', message: what, kind: 'transient' });
}

/** Reads the export task id: current `taskId` (string) or older `exportTaskId` (integer). */
export function parseExportImageResult(result: unknown): { taskId: string } {
  const record = (result ?? {}) as Record<string, unknown>;
  const taskId = str(record.taskId) ?? str(record.exportTaskId);
  if (!taskId) throw malformed('exportImage', 'the answer carries neither taskId nor exportTaskId');
  return { taskId };
}

/** Reads the import answer: `imageId` and `taskId` (or the older `importTaskId`). */
export function parseImportImageResult(result: unknown): ImportImageResult {
  const record = (result ?? {}) as Record<string, unknown>;
  const taskId = str(record.taskId) ?? str(record.importTaskId);
  const imageId = str(record.imageId);
  if (!taskId) throw malformed('importImage', 'the answer carries neither taskId nor importTaskId');
  if (!imageId) throw malformed('importImage', 'the answer carries no imageId');
  return { imageId, taskId };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Normalises one `TaskInfo` (ids to strings, progress to a number, `ossObjects` to strings). */
export function parseTaskInfo(value: unknown): ImageTaskInfo {
  const record = (value ?? {}) as Record<string, unknown>;
  const objects = Array.isArray(record.ossObjects) ? record.ossObjects.map(str).filter((o): o is string => !!o) : undefined;
  return {
    taskId: str(record.taskId) ?? str(record.exportTaskId) ?? str(record.importTaskId) ?? '',
    action: str(record.action) ?? '',
    taskStatus: str(record.taskStatus) ?? '',
    ...optional('progress', num(record.progress)),
    ...optional('errorInfo', str(record.errorInfo) || undefined),
    ...optional('message', str(record.message) || undefined),
    ...optional('createdTime', str(record.createdTime)),
    ...optional('finishedTime', str(record.finishedTime) || undefined),
    ...optional('imageId', str(record.imageId)),
    ...optional('ossUrl', str(record.ossUrl)),
    ...optional('ossObject', str(record.ossObject) || undefined),
    ...optional('ossObjects', objects),
    ...optional('imageName', str(record.imageName)),
    ...optional('imageUrl', str(record.imageUrl)),
  };
}

/** Reads `result.image`. */
export function parseImage(result: unknown): JdImage {
  const record = ((result ?? {}) as Record<string, unknown>).image as Record<string, unknown> | undefined;
  if (!record || typeof record !== 'object') throw malformed('describeImage', 'the answer carries no image');
  return {
    imageId: str(record.imageId) ?? '',
    status: str(record.status) ?? '',
    ...optional('name', str(record.name)),
    ...optional('imageSource', str(record.imageSource)),
    ...optional('rootDeviceType', str(record.rootDeviceType)),
    ...optional('osType', str(record.osType)),
    ...optional('platform', str(record.platform)),
    ...optional('architecture', str(record.architecture)),
    ...optional('systemDiskSizeGB', num(record.systemDiskSizeGB)),
    ...optional('imported', typeof record.imported === 'boolean' ? record.imported : undefined),
    ...optional('progress', str(record.progress)),
  };
}

function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** The vm calls imageport makes. Paths and bodies as the JD SDKs send them (only set fields in the body). */
export class JdcloudVmClient {
  private readonly api: JdcloudApiClient;
  private readonly endpoint: string;

  /**
   * @param api the signing client
   * @param endpoint vm base URL (`https://vm.jdcloud-api.com`)
   */
  constructor(api: JdcloudApiClient, endpoint: string) {
    this.api = api;
    this.endpoint = endpoint;
  }

  /** Starts an export; returns the task id (`taskId`, or `exportTaskId` from older API versions). */
  public async exportImage(request: ExportImageRequest): Promise<{ taskId: string; requestId: string }> {
    const response = await this.api.call<unknown>({
      operation: 'exportImage',
      endpoint: this.endpoint,
      service: 'vm',
      signingRegion: request.regionId,
      method: 'POST',
      path: `/regions/${request.regionId}/images/${request.imageId}:exportImage`,
      body: withoutUndefined({
        roleName: request.roleName,
        ossUrl: request.ossUrl,
        ossPrefix: request.ossPrefix,
        clientToken: request.clientToken,
        isAllDisk: request.isAllDisk,
      }),
    });
    return { ...parseExportImageResult(response.result), requestId: response.requestId };
  }

  /** Starts an import; returns the new image id and the task id. */
  public async importImage(request: ImportImageRequest): Promise<ImportImageResult & { requestId: string }> {
    const { regionId, ...body } = request;
    const response = await this.api.call<unknown>({
      operation: 'importImage',
      endpoint: this.endpoint,
      service: 'vm',
      signingRegion: regionId,
      method: 'POST',
      path: `/regions/${regionId}/images:import`,
      body: withoutUndefined(body as unknown as Record<string, unknown>),
    });
    return { ...parseImportImageResult(response.result), requestId: response.requestId };
  }

  /** Lists image tasks (`taskIds.N` array encoding). */
  public async imageTasks(request: ImageTasksRequest): Promise<ImageTasksResult> {
    const query: [string, string][] = [];
    if (request.taskAction) query.push(['taskAction', request.taskAction]);
    if (request.pageNumber !== undefined) query.push(['pageNumber', String(request.pageNumber)]);
    if (request.pageSize !== undefined) query.push(['pageSize', String(request.pageSize)]);
    if (request.taskStatus) query.push(['taskStatus', request.taskStatus]);
    (request.taskIds ?? []).forEach((id, index) => query.push([`taskIds.${index + 1}`, id]));
    const response = await this.api.call<{ taskSet?: unknown; totalCount?: unknown } | undefined>({
      operation: 'imageTasks',
      endpoint: this.endpoint,
      service: 'vm',
      signingRegion: request.regionId,
      method: 'GET',
      path: `/regions/${request.regionId}/imageTasks`,
      query,
    });
    const taskSet = Array.isArray(response.result?.taskSet) ? response.result.taskSet.map(parseTaskInfo) : [];
    return { taskSet, totalCount: num(response.result?.totalCount) ?? taskSet.length };
  }

  /** Describes one image. */
  public async describeImage(regionId: string, imageId: string): Promise<JdImage> {
    const response = await this.api.call<unknown>({
      operation: 'describeImage',
      endpoint: this.endpoint,
      service: 'vm',
      signingRegion: regionId,
      method: 'GET',
      path: `/regions/${regionId}/images/${imageId}`,
    });
    return parseImage(response.result);
  }

  /**
   * Deletes a private image (`DELETE /regions/{regionId}/images/{imageId}`); with `deleteSnapshot`, the snapshots
   * behind it too (`deleteSnapshot=true` query parameter, as the SDKs send it).
   */
  public async deleteImage(regionId: string, imageId: string, deleteSnapshot: boolean): Promise<void> {
    await this.api.call<unknown>({
      operation: 'deleteImage',
      endpoint: this.endpoint,
      service: 'vm',
      signingRegion: regionId,
      method: 'DELETE',
      path: `/regions/${regionId}/images/${imageId}`,
      query: [['deleteSnapshot', String(deleteSnapshot)]],
    });
  }
}
