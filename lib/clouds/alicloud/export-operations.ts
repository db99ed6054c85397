import { type StartExportOptions } from '../cloud-driver';
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

/** An ExportImage task of one image, with what DescribeTaskAttribute says about its destination. */
export interface RunningExport {
  /** Task id. */
  readonly taskId: string;
  /** Raw status (Waiting, Processing, Paused; Finished or Failed when ended tasks were asked for). */
  readonly status: string;
  /** `OSSBucket` of the task. @default - not reported */
  readonly bucket?: string;
  /** `OSSObject`s of the task. */
  readonly objects: readonly string[];
  /** `ImageFormat` of the task. @default - not reported */
  readonly format?: string;
  /** `CreationTime`, epoch ms. @default - not reported */
  readonly createdAt?: number;
  /** True when the task has ended (only listed when ended tasks were asked for). @default false */
  readonly ended?: boolean;
}

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

/**
 * How much earlier than a recorded start a task may have been created and still be that start's: ECS reports
 * `CreationTime` to the minute, and the recording machine's clock may be off.
 */
export const RESUME_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Finds the running ExportImage tasks of an image: DescribeTasks (TaskAction=ExportImage, every page up to 2000 tasks,
 * no status filter since it cannot select Waiting) keeps the non-terminal ones whose ResourceId is the image, then
 * DescribeTaskAttribute reads each one's bucket, objects and format from its `OperationProgressSet`. With
 * `endedSince` (epoch ms), tasks created since then that have already ended (Finished, Failed) are listed too.
 */
export async function findRunningExports(ctx: DriverContext, imageId: string, options: { endedSince?: number } = {}): Promise<RunningExport[]> {
  const candidates: EcsTaskSummary[] = [];
  // An ended task is listed only when asked for, and only when created since then (or when ECS does not say when).
  const endedAndWanted = (status: string | undefined, creationTime: string | undefined): boolean => {
    const state = taskStateOf(status, false);
    if (options.endedSince === undefined || (state !== 'succeeded' && state !== 'failed')) return false;
    const createdAt = parseEcsTime(creationTime);
    return createdAt === undefined || createdAt >= options.endedSince - RESUME_CLOCK_SKEW_MS;
  };
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await ctx.api.describeTasks({ regionId: ctx.region, taskAction: 'ExportImage', pageNumber: page, pageSize: PAGE_SIZE });
    const tasks = answer.taskSet?.task ?? [];
    for (const task of tasks) {
      const state = taskStateOf(task.taskStatus, false);
      const running = state === 'pending' || state === 'running';
      if ((running || endedAndWanted(task.taskStatus, task.creationTime)) && task.taskId && (!task.resourceId || task.resourceId === imageId)) candidates.push(task);
    }
    const total = answer.totalCount ?? 0;
    if (tasks.length < PAGE_SIZE || page * PAGE_SIZE >= total) break;
  }
  const found: RunningExport[] = [];
  for (const task of candidates) {
    const attribute = await ctx.api.describeTaskAttribute({ regionId: ctx.region, taskId: task.taskId as string });
    const status = attribute.taskStatus ?? task.taskStatus ?? '';
    const state = taskStateOf(status, false);
    const ended = state !== 'pending' && state !== 'running';
    if (ended && !endedAndWanted(status, attribute.creationTime ?? task.creationTime)) continue;
    const items = relatedItemsOf(attribute);
    // Without a ResourceId the task is this image's only when its object names carry the image id.
    if (!task.resourceId && !items.objects.some((key) => key.includes(imageId))) continue;
    const createdAt = parseEcsTime(attribute.creationTime ?? task.creationTime);
    found.push({
      taskId: task.taskId as string,
      status,
      bucket: items.buckets[0],
      objects: items.objects,
      format: items.formats[0],
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(ended ? { ended: true } : {}),
    });
  }
  return found;
}

/** ECS times (`2026-06-01T12:00Z`, `…:00Z`) as epoch ms; `undefined` when absent or unreadable. */
function parseEcsTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
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
 * the image to another bucket is a `conflict`. With `resumingSince` (a killed run recorded this start then), a
 * matching task created since that has already ended is adopted too: it is that run's, and a second export would
 * repeat it. An `ImageIsExporting` answer (a race with another caller, or a retry
 * after a lost response) is resolved the same way.
 *
 * @throws SpecValidationError when the spec breaks a documented limit
 * @throws CloudError for every refusal of the cloud
 */
export async function startAlicloudExport(ctx: DriverContext, spec: AlicloudExportSpec, token: string, options: StartExportOptions = {}): Promise<TaskRef> {
  const issues = validateAlicloudExport(spec);
  if (issues.length > 0) throw new SpecValidationError(`Alibaba Cloud export of ${String(spec.imageId)}`, issues);

  // Resuming a start a killed run recorded: its task may have ended since, and is still the one to adopt.
  const since = options.resumingSince !== undefined ? Date.parse(options.resumingSince) : Number.NaN;
  const lookup = Number.isNaN(since) ? {} : { endedSince: since };
  const adoptOrThrow = (found: readonly RunningExport[]): TaskRef | undefined => {
    const running = found.filter((task) => !task.ended);
    const match = running.find((task) => exportMatchesSpec(task, spec)) ?? newest(found.filter((task) => task.ended && exportMatchesSpec(task, spec)));
    if (match) return refFor(ctx, spec, match.taskId, token, true);
    if (running.length > 0) throw conflictError(spec, running[0]);
    return undefined;
  };

  const adopted = adoptOrThrow(await findRunningExports(ctx, spec.imageId, lookup));
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
      const again = adoptOrThrow(await findRunningExports(ctx, spec.imageId, lookup));
      if (again) return again;
      await ctx.sleep(ctx.lookupDelayMs);
    }
    throw error;
  }
}

/** The most recently created of some tasks (`undefined` for none). */
function newest(tasks: readonly RunningExport[]): RunningExport | undefined {
  return [...tasks].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0];
}
