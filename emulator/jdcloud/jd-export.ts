import { buildDiskImage } from '../disk/build-disk-image';
import { type TaskFaultKind } from '../core/fault-injector';
import { positionAt, slowedDown, type TimelinePlan, type TimelinePosition } from '../core/task-timeline';
import { type TaskSnapshotJson } from '../types';
import { failedPrecondition, invalidArgument, notFound, optionalString, requireString } from './jd-response';
import { type JdExportDisk, type JdExportTaskRecord } from './jd-vm-state';
import { type JdImageView, type JdVmWorld } from './jd-vm-world';

const MINUTE = 60_000;

/** Failure reason of a `fail-task` fault, worded like a disk-service error. */
const FAILED_EXPORT = 'export image failed: writing the snapshot data to OSS was interrupted, please retry';

/**
 * Object key of an exported disk. The JD guide gives `<prefix>_exportImage_*<imageId>*` (with `*` wildcards): the
 * suffix after the image id and the name without a prefix are UNCONFIRMED. The emulator appends the task id (so
 * repeated exports never collide), `_data<N>` for data disks, and `.qcow2`. Clients must read `ossObject` /
 * `ossObjects` from the task instead of guessing.
 */
export function exportObjectKey(prefix: string | undefined, imageId: string, taskId: string, dataDiskIndex?: number): string {
  const head = prefix ? `${prefix}_exportImage_` : 'exportImage_';
  return `${head}${imageId}_${taskId}${dataDiskIndex === undefined ? '' : `_data${dataDiskIndex}`}.qcow2`;
}

/** The JD export guide's image rules, each with its own message. */
function assertExportable(image: JdImageView): void {
  if (image.status !== 'ready') throw failedPrecondition(`image ${image.imageId} is ${image.status}: only a ready image can be exported`);
  if (image.imageSource !== 'private') {
    throw failedPrecondition(`image ${image.imageId} is a ${image.imageSource} image: only your own private images can be exported`);
  }
  if (image.rootDeviceType !== 'cloudDisk') {
    throw failedPrecondition(`image ${image.imageId} has a ${image.rootDeviceType} system disk: only cloud-disk system-disk images can be exported; convert it first`);
  }
  if (image.osType === 'windows' && !image.imported) {
    throw failedPrecondition(`image ${image.imageId} is a Windows Server image: Windows images can be exported only when they were imported`);
  }
}

function exportPlan(now: number, image: JdImageView, disks: number): TimelinePlan {
  return {
    startedAt: now,
    durationMs: 3 * MINUTE + image.systemDiskSizeGB * 3_000 + (disks - 1) * 2 * MINUTE,
    phases: [
      { name: 'pending', share: 0.1, progress: [0, 0] },
      { name: 'running', share: 0.9, progress: [1, 99] },
    ],
  };
}

/** `POST /v1/regions/{regionId}/images/{imageId}:exportImage`. Returns `{taskId}` (a string). */
export function exportImage(world: JdVmWorld, region: string, imageId: string, body: Record<string, unknown>, taskFault?: TaskFaultKind): unknown {
  world.assertRegion(region);
  const roleName = requireString(body, 'roleName');
  const ossUrl = requireString(body, 'ossUrl');
  const ossPrefix = optionalString(body, 'ossPrefix');
  const clientToken = optionalString(body, 'clientToken');
  const isAllDisk = body.isAllDisk === undefined || body.isAllDisk === null ? false : body.isAllDisk;
  if (ossPrefix !== undefined && !/^[A-Za-z0-9]{0,32}$/.test(ossPrefix)) {
    throw invalidArgument(`ossPrefix "${ossPrefix}" is invalid: letters and digits only, at most 32 characters`);
  }
  if (clientToken !== undefined && (clientToken.length === 0 || clientToken.length > 64)) throw invalidArgument('clientToken must be 1 to 64 characters');
  if (typeof isAllDisk !== 'boolean') throw invalidArgument('isAllDisk must be true or false');

  const seen = world.token(region, 'ExportImage', clientToken);
  if (seen) return { taskId: seen.taskId };

  const image = world.image(region, imageId);
  if (!image) throw notFound(`image ${imageId} not found in ${region}`);
  assertExportable(image);
  const bucket = world.bucketOfOssUrl(ossUrl, region);
  world.checkBucket(bucket, region);
  const taskId = world.nextTaskId();
  const prefix = ossPrefix === '' ? undefined : ossPrefix;
  const disks: JdExportDisk[] = [{ key: exportObjectKey(prefix, imageId, taskId), virtualSizeBytes: image.virtualSizeBytes, disk: 'system' }];
  if (isAllDisk) {
    image.dataDisks.forEach((data, index) => {
      disks.push({ key: exportObjectKey(prefix, imageId, taskId, index + 1), virtualSizeBytes: data.virtualSizeBytes, disk: data.name });
    });
  }
  for (const disk of disks) world.checkExportRole(roleName, region, bucket, disk.key);

  const now = world.clock.now();
  let plan = exportPlan(now, image, disks.length);
  plan = { ...plan, durationMs: world.exportDurationMs({ cloud: 'jdcloud', region, imageId, defaultMs: plan.durationMs }) };
  if (taskFault === 'slow-task') plan = slowedDown(plan, 5);
  const failing = taskFault === 'fail-task';
  if (failing) plan = { ...plan, failAtShare: 0.5 };
  const task: JdExportTaskRecord = {
    taskId,
    region,
    imageId,
    bucket,
    ossUrl,
    ...(prefix !== undefined ? { ossPrefix: prefix } : {}),
    roleName,
    isAllDisk,
    disks,
    ...(clientToken !== undefined ? { clientToken } : {}),
    createdAt: now,
    plan,
    ...(failing ? { errorInfo: FAILED_EXPORT } : {}),
    settled: false,
  };
  world.state.exportTasks[taskId] = task;
  world.rememberToken(region, 'ExportImage', clientToken, { taskId });
  world.markDirty();
  return { taskId };
}

/** Writes the QCOW2 files of every export that has finished (once); a failed export writes nothing. */
export function settleExports(world: JdVmWorld): void {
  const now = world.clock.now();
  for (const task of Object.values(world.state.exportTasks)) {
    if (task.settled) continue;
    const position = positionAt(task.plan, now);
    if (position.outcome === 'running') continue;
    if (position.outcome === 'succeeded' && world.objects.bucketExists(task.bucket)) {
      for (const disk of task.disks) {
        world.objects.putObjectSync(task.bucket, disk.key, buildDiskImage('qcow2', { virtualSizeBytes: disk.virtualSizeBytes, label: `${task.imageId} ${disk.disk}` }));
      }
    }
    task.settled = true;
    world.markDirty();
  }
}

function jdTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function exportStatus(position: TimelinePosition): string {
  if (position.outcome === 'succeeded') return 'finished';
  if (position.outcome === 'failed' || position.outcome === 'cancelled') return 'failed';
  return position.phase === 'pending' ? 'pending' : 'running';
}

/** `TaskInfo` of an export: `ossObject` / `ossObjects` once finished, `errorInfo` once failed. */
export function exportTaskInfo(task: JdExportTaskRecord, now: number): Record<string, unknown> {
  const position = positionAt(task.plan, now);
  const status = exportStatus(position);
  const ended = status === 'finished' || status === 'failed';
  return {
    taskId: task.taskId,
    action: 'ExportImage',
    taskStatus: status,
    progress: status === 'finished' ? 100 : position.progress,
    errorInfo: status === 'failed' ? (task.errorInfo ?? 'export image failed') : '',
    message: status === 'failed' ? (task.errorInfo ?? '') : '',
    createdTime: jdTime(task.createdAt),
    finishedTime: ended && position.endsAt !== undefined ? jdTime(position.endsAt) : '',
    imageId: task.imageId,
    ossUrl: task.ossUrl,
    ...(status === 'finished' ? { ossObject: task.disks[0].key, ossObjects: task.disks.map((disk) => disk.key) } : { ossObject: '', ossObjects: [] }),
  };
}

/** The task as `inspect()` shows it. */
export function exportTaskSnapshot(task: JdExportTaskRecord, now: number): TaskSnapshotJson {
  const position = positionAt(task.plan, now);
  const status = exportStatus(position);
  return {
    cloud: 'jdcloud',
    service: 'vm',
    region: task.region,
    kind: 'export',
    id: task.taskId,
    rawStatus: status,
    ...(status === 'failed' && task.errorInfo ? { message: task.errorInfo } : {}),
    progress: status === 'finished' ? 100 : position.progress,
    outcome: position.outcome,
    createdAt: new Date(task.createdAt).toISOString(),
    imageId: task.imageId,
    bucket: task.bucket,
    key: task.disks[0].key,
    format: 'qcow2',
    ...(task.clientToken !== undefined ? { clientToken: task.clientToken } : {}),
  };
}
