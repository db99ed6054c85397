import { buildDiskImage } from '../disk/build-disk-image';
import { type DiskImageFormat } from '../disk/disk-image-layout';
import { cancelledPlan, positionAt } from '../core/task-timeline';
import { AcsApiError, missingParameter } from './acs-error';
import { type EcsContext } from './ecs-context';
import { ecsTime, type EcsImageState, type EcsTaskState } from './ecs-state';

/** Emulated time between an import task's end and its image turning `Available` (the image keeps `Creating`). */
export const IMAGE_AVAILABLE_DELAY_MS = 2 * 60 * 1000;

/** A task at one instant, in ECS's terms. */
export interface TaskView {
  /** `Waiting`, `Processing`, `Finished`, `Failed`, `Deleted`. */
  readonly status: string;
  /** 0-100. */
  readonly progress: number;
  /** True while Waiting or Processing. */
  readonly running: boolean;
  /** Emulated end time, once ended. */
  readonly endedAt?: number;
}

/** Evaluates a task's timeline: phases Waiting → Processing, then Finished, Failed, or Deleted (cancelled). */
export function taskView(task: EcsTaskState, now: number): TaskView {
  const position = positionAt(task.plan, now);
  switch (position.outcome) {
    case 'running':
      return { status: position.phase, progress: position.progress, running: true };
    case 'succeeded':
      return { status: 'Finished', progress: 100, running: false, endedAt: position.endsAt };
    case 'failed':
      return { status: 'Failed', progress: position.progress, running: false, endedAt: position.endsAt };
    default:
      return { status: 'Deleted', progress: position.progress, running: false, endedAt: position.endsAt };
  }
}

/** Status and progress of an image: catalog images keep theirs; imported ones follow their task, then `Available`. */
export function imageStatus(ctx: EcsContext, image: EcsImageState): { status: string; progress: string } {
  if (image.source === 'catalog' || !image.importTaskId) return { status: image.status, progress: image.status === 'Available' ? '100%' : '0%' };
  const task = ctx.state.tasks[image.importTaskId];
  if (!task) return { status: image.status, progress: '100%' };
  const view = taskView(task, ctx.now());
  if (view.status === 'Waiting') return { status: 'Waiting', progress: '0%' };
  if (view.running) return { status: 'Creating', progress: `${view.progress}%` };
  if (view.status === 'Finished') {
    const ready = ctx.now() >= (view.endedAt ?? 0) + IMAGE_AVAILABLE_DELAY_MS;
    return ready ? { status: 'Available', progress: '100%' } : { status: 'Creating', progress: '99%' };
  }
  return { status: 'CreateFailed', progress: `${view.progress}%` };
}

/**
 * Runs the side effects of tasks that ended: a finished export writes one real disk image per disk into the bucket
 * (or fails with `InvalidOSSBucket.NotFound` when the bucket is gone by then); a cancelled import removes its image
 * (what real ECS does with it is UNCONFIRMED). Idempotent; called before every request and on a timer.
 */
export function settleTasks(ctx: EcsContext): void {
  const now = ctx.now();
  for (const task of Object.values(ctx.state.tasks)) {
    if (task.settled) continue;
    const view = taskView(task, now);
    if (view.running) continue;
    if (task.action === 'ExportImage' && view.status === 'Finished') {
      if (!ctx.oss.bucketExists(task.bucket)) {
        task.plan = { ...task.plan, failAtShare: 0.999 };
        task.failure = { code: 'InvalidOSSBucket.NotFound', message: 'The specified OSS bucket does not exist in this region.' };
      } else {
        task.objects.forEach((key, index) => {
          const layout = buildDiskImage(task.writeFormats[index] as DiskImageFormat, {
            virtualSizeBytes: task.writeSizes[index],
            label: `${task.imageId} ${key}`,
            innerFileName: `${task.imageId}.raw`,
          });
          ctx.oss.putObjectSync(task.bucket, key, layout);
        });
      }
    }
    if (task.action === 'ImportImage' && view.status === 'Deleted') delete ctx.state.images[task.imageId];
    task.settled = true;
    ctx.markDirty();
  }
}

type Params = ReadonlyMap<string, string>;

/** Checks RegionId: required and known. */
export function regionOf(ctx: EcsContext, params: Params): string {
  const region = params.get('RegionId');
  if (!region) throw missingParameter('RegionId');
  if (!ctx.regions.includes(region)) throw new AcsApiError(400, 'InvalidRegionId.NotFound', 'The specified RegionId does not exist.');
  return region;
}

function findTask(ctx: EcsContext, region: string, params: Params): EcsTaskState {
  const taskId = params.get('TaskId');
  if (!taskId) throw missingParameter('TaskId');
  const task = ctx.state.tasks[taskId];
  if (!task || task.region !== region) throw new AcsApiError(400, 'InvalidTaskId.NotFound', 'The specified "TaskId" is not found.');
  return task;
}

function relatedItems(task: EcsTaskState): { Name: string; Value: string }[] {
  // OSSBucket, OSSObject (every disk) and ImageFormat, as in the DescribeTaskAttribute document's example. The
  // emulator reports the objects from the start (whether live ECS lists them before the end is UNCONFIRMED).
  return [
    { Name: 'OSSBucket', Value: task.bucket },
    ...task.objects.map((key) => ({ Name: 'OSSObject', Value: key })),
    { Name: 'ImageFormat', Value: task.format },
  ];
}

/** DescribeTaskAttribute. */
export function describeTaskAttribute(ctx: EcsContext, params: Params): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const task = findTask(ctx, region, params);
  const view = taskView(task, ctx.now());
  const failed = view.status === 'Failed';
  return {
    RegionId: region,
    TaskId: task.taskId,
    TaskAction: task.action,
    TaskStatus: view.status,
    TaskProcess: `${view.progress}%`,
    SupportCancel: view.running ? 'true' : 'false',
    CreationTime: ecsTime(task.plan.startedAt),
    ...(view.endedAt !== undefined ? { FinishedTime: ecsTime(view.endedAt) } : {}),
    TotalCount: 1,
    SuccessCount: view.status === 'Finished' ? 1 : 0,
    FailedCount: failed ? 1 : 0,
    OperationProgressSet: {
      OperationProgress: [
        {
          OperationStatus: failed ? 'Failed' : view.status === 'Finished' ? 'Success' : view.status,
          ErrorCode: failed ? (task.failure?.code ?? 'InternalError') : '',
          ErrorMsg: failed ? (task.failure?.message ?? 'The task failed.') : '',
          RelatedItemSet: { RelatedItem: relatedItems(task) },
        },
      ],
    },
  };
}

/**
 * DescribeTasks: filters TaskIds, TaskAction, TaskStatus (only Finished, Processing and Failed take effect, as
 * documented), ResourceIds.N; newest first; PageNumber/PageSize (max 100, default 10). `TaskSet` is an object
 * `{"Task": [...]}`, not an array (the SDK drops an array).
 */
export function describeTasks(ctx: EcsContext, params: Params): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const now = ctx.now();
  const pageNumber = Number(params.get('PageNumber') ?? 1);
  const pageSize = Number(params.get('PageSize') ?? 10);
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new AcsApiError(400, 'InvalidParameter', 'The specified parameter "PageNumber" is not valid.');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new AcsApiError(400, 'InvalidParameter', 'The specified parameter "PageSize" is not valid.');
  const ids = params.get('TaskIds')?.split(',').map((id) => id.trim()).filter(Boolean);
  const action = params.get('TaskAction')?.toLowerCase();
  const statusFilter = params.get('TaskStatus');
  const status = statusFilter && ['Finished', 'Processing', 'Failed'].includes(statusFilter) ? statusFilter : undefined;
  const resources = [...params.keys()].filter((key) => /^ResourceIds\.\d+$/.test(key)).map((key) => params.get(key) as string);
  const tasks = Object.values(ctx.state.tasks)
    .filter((task) => task.region === region)
    .filter((task) => !ids || ids.includes(task.taskId))
    .filter((task) => !action || task.action.toLowerCase() === action)
    .filter((task) => resources.length === 0 || resources.includes(task.imageId))
    .map((task) => ({ task, view: taskView(task, now) }))
    .filter(({ view }) => !status || view.status === status)
    .sort((a, b) => b.task.plan.startedAt - a.task.plan.startedAt || (a.task.taskId < b.task.taskId ? 1 : -1));
  const page = tasks.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    RegionId: region,
    TotalCount: tasks.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    TaskSet: {
      Task: page.map(({ task, view }) => ({
        TaskId: task.taskId,
        TaskAction: task.action,
        TaskStatus: view.status,
        ResourceId: task.imageId,
        SupportCancel: view.running ? 'true' : 'false',
        CreationTime: ecsTime(task.plan.startedAt),
        ...(view.endedAt !== undefined ? { FinishedTime: ecsTime(view.endedAt) } : {}),
      })),
    },
  };
}

/** CancelTask: only a running ImportImage or ExportImage task; it ends `Deleted`. */
export function cancelTask(ctx: EcsContext, params: Params): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const task = findTask(ctx, region, params);
  if (!taskView(task, ctx.now()).running) throw new AcsApiError(403, 'InvalidTaskId.IncorrectTaskStatus', 'The specified task status is not invalid.');
  task.plan = cancelledPlan(task.plan, ctx.now());
  ctx.markDirty();
  return {};
}

/** True while an export of `imageId` runs in `region`. */
export function runningExports(ctx: EcsContext, region: string): EcsTaskState[] {
  const now = ctx.now();
  return Object.values(ctx.state.tasks).filter((task) => task.region === region && task.action === 'ExportImage' && taskView(task, now).running);
}
