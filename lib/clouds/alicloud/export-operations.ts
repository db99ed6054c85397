import { CloudError } from '../../model/cloud-error';
import { type AlicloudExportSpec } from '../../model/export-spec';
import { type TaskRef } from '../../model/task';
import { SpecValidationError } from '../../model/validation-issue';
import { type EcsTaskSummary } from './api';
import { type DriverContext } from './driver-context';
import { hasCode } from './errors';
import { validateAlicloudExport } from './export-rules';
import { buildExportImageParams, exportFormatOf } from './requests';
import { relatedItemsOf, taskStateOf } from './task-mapping';

/** A running ExportImage task of one image, with what DescribeTaskAttribute says about its destination. */
export interface RunningExport {
  /** Task id. */
  readonly taskId: string;
  /** Raw status (Waiting, Processing, Paused). */
  readonly status: string;
  /** `OSSBucket` of the task. @default - not reported */
  readonly bucket?: string;
  /** `OSSObject`s of the task. */
  readonly objects: readonly string[];
  /** `ImageFormat` of the task. @default - not reported */
  readonly format?: string;
}

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

/**
 * Finds the running ExportImage tasks of an image: DescribeTasks (TaskAction=ExportImage, every page up to 2000 tasks,
 * no status filter since it cannot select Waiting) keeps the non-terminal ones whose ResourceId is the image, then
 * DescribeTaskAttribute reads each one's bucket, objects and format from its `OperationProgressSet`.
 */
export async function findRunningExports(ctx: DriverContext, imageId: string): Promise<RunningExport[]> {
  const candidates: EcsTaskSummary[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await ctx.api.describeTasks({ regionId: ctx.region, taskAction: 'ExportImage', pageNumber: page, pageSize: PAGE_SIZE });
    const tasks = answer.taskSet?.task ?? [];
    for (const task of tasks) {
      const state = taskStateOf(task.taskStatus, false);
      const running = state === 'pending' || state === 'running';
      if (running && task.taskId && (!task.resourceId || task.resourceId === imageId)) candidates.push(task);
    }
    const total = answer.totalCount ?? 0;
    if (tasks.length < PAGE_SIZE || page * PAGE_SIZE >= total) break;
  }
  const found: RunningExport[] = [];
  for (const task of candidates) {
    const attribute = await ctx.api.describeTaskAttribute({ regionId: ctx.region, taskId: task.taskId as string });
    const status = attribute.taskStatus ?? task.taskStatus ?? '';
    const state = taskStateOf(status, false);
    if (state !== 'pending' && state !== 'running') continue;
    const items = relatedItemsOf(attribute);
    // Without a ResourceId the task is this image's only when its object names carry the image id.
    if (!task.resourceId && !items.objects.some((key) => key.includes(imageId))) continue;
    found.push({ taskId: task.taskId as string, status, bucket: items.buckets[0], objects: items.objects, format: items.formats[0] });
  }
  return found;
}

/** True when a running export writes where the spec asks: same bucket, same format, names under the same prefix. */
export function exportMatchesSpec(running: RunningExport, spec: AlicloudExportSpec): boolean {
  if (running.bucket !== spec.bucket) return false;
  if (running.format && running.format.toLowerCase() !== exportFormatOf(spec)) return false;
  const namePrefix = spec.prefix ? `${spec.prefix}_${spec.imageId}` : spec.imageId;
  return running.objects.every((key) => key.startsWith(namePrefix));
}

function conflictError(spec: AlicloudExportSpec, running: RunningExport): CloudError {
  const where = running.bucket ? `to bucket ${running.bucket}${running.format ? ` as ${running.format}` : ''}` : 'to a bucket ECS does not report';
  return new CloudError({
    cloud: 'alicloud',
    operation: 'ExportImage',
    code: 'ImageIsExporting',
    message:
      `image ${spec.imageId} is already being exported ${where} (task ${running.taskId}, ${running.status}); ECS runs one export per image ` +
      `(what to do: wait for task ${running.taskId} to end or cancel it, then export to ${spec.bucket})`,
    kind: 'conflict',
  });
}

function refFor(ctx: DriverContext, spec: AlicloudExportSpec, taskId: string, token: string, adopted: boolean): TaskRef {
  return {
    cloud: 'alicloud',
    region: ctx.region,
    kind: 'export',
    taskId,
    imageId: spec.imageId,
    bucket: spec.bucket,
    ...(spec.prefix ? { prefix: spec.prefix } : {}),
    format: exportFormatOf(spec),
    clientToken: token,
    adopted,
  };
}

/**
 * Starts an export, or adopts the one already running for the same image and bucket. ExportImage has no client token,
 * so this looks first (DescribeTasks + DescribeTaskAttribute) and adopts a match (`adopted: true`); a running export of
 * the image to another bucket is a `conflict`. An `ImageIsExporting` answer (a race with another caller, or a retry
 * after a lost response) is resolved the same way.
 *
 * @throws SpecValidationError when the spec breaks a documented limit
 * @throws CloudError for every refusal of the cloud
 */
export async function startAlicloudExport(ctx: DriverContext, spec: AlicloudExportSpec, token: string): Promise<TaskRef> {
  const issues = validateAlicloudExport(spec);
  if (issues.length > 0) throw new SpecValidationError(`Alibaba Cloud export of ${String(spec.imageId)}`, issues);

  const adoptOrThrow = (running: readonly RunningExport[]): TaskRef | undefined => {
    const match = running.find((task) => exportMatchesSpec(task, spec));
    if (match) return refFor(ctx, spec, match.taskId, token, true);
    if (running.length > 0) throw conflictError(spec, running[0]);
    return undefined;
  };

  const adopted = adoptOrThrow(await findRunningExports(ctx, spec.imageId));
  if (adopted) return adopted;
  try {
    const { taskId } = await ctx.api.exportImage(buildExportImageParams(spec));
    if (!taskId) {
      throw new CloudError({ cloud: 'alicloud', operation: 'ExportImage', code: 'MissingTaskId', message: 'ExportImage answered without a TaskId', kind: 'other' });
    }
    return refFor(ctx, spec, taskId, token, false);
  } catch (error) {
    if (!hasCode(error, 'ImageIsExporting')) throw error;
    // Another caller (or our own lost request) started it; it may take a moment to be listed.
    for (let attempt = 0; attempt < 3; attempt++) {
      const again = adoptOrThrow(await findRunningExports(ctx, spec.imageId));
      if (again) return again;
      await ctx.sleep(ctx.lookupDelayMs);
    }
    throw error;
  }
}
