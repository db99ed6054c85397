import { randomBytes } from 'node:crypto';
import { type TaskFaultKind } from '../core/fault-injector';
import { positionAt, slowedDown, type TimelinePlan, type TimelinePosition } from '../core/task-timeline';
import { SNIFF_HEAD_BYTES, sniffDiskImage } from '../disk/sniff-disk-image';
import { type TaskSnapshotJson } from '../types';
import { failedPrecondition, invalidArgument, optionalString, requireString } from './jd-response';
import { type JdImportTaskRecord } from './jd-vm-state';
import { type JdVmWorld } from './jd-vm-world';

const MINUTE = 60_000;
const GIB = 1024 ** 3;

const ARCHITECTURES = ['x86_64', 'arm64'];
const OS_TYPES = ['windows', 'linux'];
const PLATFORMS = ['Ubuntu', 'CentOS', 'Windows Server', 'Other Linux', 'Other Windows'];
const DISK_FORMATS = ['qcow2', 'vhd', 'vmdk', 'raw'];
const BOOT_MODES = ['bios', 'uefi'];

function oneOf(body: Record<string, unknown>, field: string, allowed: readonly string[], required: boolean): string | undefined {
  const value = required ? requireString(body, field) : optionalString(body, field);
  if (value !== undefined && !allowed.includes(value)) throw invalidArgument(`${field} "${value}" is invalid: one of ${allowed.join(', ')}`);
  return value;
}

function newImageId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `img-${[...randomBytes(10)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/**
 * Why an uploaded file cannot become the image, as the import's compliance check words it; undefined when it can.
 * The declared `diskFormat` must match the file's header and the disk must fit in `systemDiskSizeGB`.
 */
function importProblem(world: JdVmWorld, bucket: string, key: string, diskFormat: string, systemDiskSizeGB: number): { problem?: string; virtualSizeBytes: number } {
  const sizeBytes = world.objects.objectSize(bucket, key);
  if (sizeBytes === undefined) return { problem: `download image file failed: object ${key} does not exist in bucket ${bucket}`, virtualSizeBytes: 0 };
  const head = world.objects.readObjectRange(bucket, key, 0, SNIFF_HEAD_BYTES);
  const tail = world.objects.readObjectRange(bucket, key, Math.max(0, sizeBytes - 512), 512);
  const sniffed = sniffDiskImage(head, tail, sizeBytes);
  const virtualSizeBytes = sniffed.virtualSizeBytes ?? sizeBytes;
  const found = sniffed.format === 'vmdk' || sniffed.format === 'vhd' || sniffed.format === 'qcow2' ? sniffed.format : 'raw';
  if (sniffed.format === 'empty') return { problem: 'image file check failed: the file is empty', virtualSizeBytes };
  if (found !== diskFormat) return { problem: `image file check failed: the file is ${sniffed.format}, not ${diskFormat} as declared`, virtualSizeBytes };
  if (virtualSizeBytes > systemDiskSizeGB * GIB) {
    return { problem: `image file check failed: the disk is ${Math.ceil(virtualSizeBytes / GIB)} GB, larger than systemDiskSizeGB ${systemDiskSizeGB}`, virtualSizeBytes };
  }
  return { virtualSizeBytes };
}

function importPlan(now: number, systemDiskSizeGB: number): TimelinePlan {
  return {
    startedAt: now,
    durationMs: 4 * MINUTE + systemDiskSizeGB * 3_000,
    phases: [
      { name: 'pending', share: 0.1, progress: [0, 0] },
      { name: 'running', share: 0.9, progress: [1, 99] },
    ],
  };
}

/** `POST /v1/regions/{regionId}/images:import`. Returns `{imageId, taskId}`; the image exists at once, `pending`. */
export function importImage(world: JdVmWorld, region: string, body: Record<string, unknown>, taskFault?: TaskFaultKind): unknown {
  world.assertRegion(region);
  const architecture = oneOf(body, 'architecture', ARCHITECTURES, true) as string;
  const osType = oneOf(body, 'osType', OS_TYPES, true) as string;
  const platform = oneOf(body, 'platform', PLATFORMS, true) as string;
  const diskFormat = oneOf(body, 'diskFormat', DISK_FORMATS, true) as string;
  const bootMode = oneOf(body, 'bootMode', BOOT_MODES, false) ?? 'bios';
  const systemDiskSizeGB = body.systemDiskSizeGB;
  if (typeof systemDiskSizeGB !== 'number' || !Number.isInteger(systemDiskSizeGB) || systemDiskSizeGB < 40 || systemDiskSizeGB > 500 || systemDiskSizeGB % 10 !== 0) {
    throw invalidArgument(`systemDiskSizeGB ${JSON.stringify(systemDiskSizeGB)} is invalid: 40-500 and a multiple of 10`);
  }
  const imageUrl = requireString(body, 'imageUrl');
  const imageName = requireString(body, 'imageName');
  if (imageName.length > 32 || !/^[\u4e00-\u9fa5A-Za-z0-9_-]+$/u.test(imageName)) {
    throw invalidArgument(`imageName "${imageName}" is invalid: 1-32 Chinese characters, letters, digits, "_" and "-"`);
  }
  const osVersion = optionalString(body, 'osVersion') ?? '';
  const description = optionalString(body, 'description') ?? '';
  if (description.length > 256) throw invalidArgument('description must be at most 256 characters');
  const clientToken = optionalString(body, 'clientToken');
  if (clientToken !== undefined && (clientToken.length === 0 || clientToken.length > 64)) throw invalidArgument('clientToken must be 1 to 64 characters');
  if (body.forceImport !== undefined && body.forceImport !== null && typeof body.forceImport !== 'boolean') throw invalidArgument('forceImport must be true or false');

  const seen = world.token(region, 'ImportImage', clientToken);
  if (seen) return { imageId: seen.imageId, taskId: seen.taskId };

  const source = world.objectOfImageUrl(imageUrl);
  if (source.region !== undefined && source.region !== region) {
    throw failedPrecondition(`imageUrl points at ${source.region}, but the import is in ${region}: the file must be in a bucket of the same region`);
  }
  const bucketRegion = world.objects.bucketRegion(source.bucket);
  if (bucketRegion !== undefined && bucketRegion !== region) {
    throw failedPrecondition(`the bucket ${source.bucket} is in ${bucketRegion}, but the import is in ${region}: the file must be in a bucket of the same region`);
  }

  const now = world.clock.now();
  const taskId = world.nextTaskId();
  const imageId = newImageId();
  const { problem, virtualSizeBytes } = importProblem(world, source.bucket, source.key, diskFormat, systemDiskSizeGB);
  let plan = importPlan(now, systemDiskSizeGB);
  if (taskFault === 'slow-task') plan = slowedDown(plan, 5);
  const errorInfo = problem ?? (taskFault === 'fail-task' ? 'import image failed: converting the image file failed, please check the file and retry' : undefined);
  if (errorInfo !== undefined) plan = { ...plan, failAtShare: problem ? 0.15 : 0.5 };
  const task: JdImportTaskRecord = {
    taskId,
    region,
    imageId,
    imageName,
    imageUrl,
    bucket: source.bucket,
    key: source.key,
    diskFormat,
    ...(clientToken !== undefined ? { clientToken } : {}),
    createdAt: now,
    plan,
    ...(errorInfo !== undefined ? { errorInfo } : {}),
    imageReadyDelayMs: 30_000,
  };
  world.state.importTasks[taskId] = task;
  world.state.images[imageId] = {
    imageId,
    region,
    name: imageName,
    desc: description,
    osType,
    platform,
    osVersion,
    architecture,
    systemDiskSizeGB,
    bootMode,
    taskId,
    createdAt: now,
    virtualSizeBytes: Math.max(1024 * 1024, Math.min(virtualSizeBytes, 64 * 1024 * 1024)),
  };
  world.rememberToken(region, 'ImportImage', clientToken, { taskId, imageId });
  world.markDirty();
  return { imageId, taskId };
}

function importStatus(position: TimelinePosition): string {
  if (position.outcome === 'succeeded') return 'finished';
  if (position.outcome === 'failed' || position.outcome === 'cancelled') return 'failed';
  return position.phase === 'pending' ? 'pending' : 'running';
}

function jdTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `TaskInfo` of an import. */
export function importTaskInfo(task: JdImportTaskRecord, now: number): Record<string, unknown> {
  const position = positionAt(task.plan, now);
  const status = importStatus(position);
  const ended = status === 'finished' || status === 'failed';
  return {
    taskId: task.taskId,
    action: 'ImportImage',
    taskStatus: status,
    progress: status === 'finished' ? 100 : position.progress,
    errorInfo: status === 'failed' ? (task.errorInfo ?? 'import image failed') : '',
    message: status === 'failed' ? (task.errorInfo ?? '') : '',
    createdTime: jdTime(task.createdAt),
    finishedTime: ended && position.endsAt !== undefined ? jdTime(position.endsAt) : '',
    imageId: task.imageId,
    imageName: task.imageName,
    imageUrl: task.imageUrl,
  };
}

/** The task as `inspect()` shows it. */
export function importTaskSnapshot(task: JdImportTaskRecord, now: number): TaskSnapshotJson {
  const position = positionAt(task.plan, now);
  const status = importStatus(position);
  return {
    cloud: 'jdcloud',
    service: 'vm',
    region: task.region,
    kind: 'import',
    id: task.taskId,
    rawStatus: status,
    ...(status === 'failed' && task.errorInfo ? { message: task.errorInfo } : {}),
    progress: status === 'finished' ? 100 : position.progress,
    outcome: position.outcome,
    createdAt: new Date(task.createdAt).toISOString(),
    imageId: task.imageId,
    bucket: task.bucket,
    key: task.key,
    format: task.diskFormat,
    ...(task.clientToken !== undefined ? { clientToken: task.clientToken } : {}),
  };
}
