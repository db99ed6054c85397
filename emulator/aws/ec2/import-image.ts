import { randomHex } from '../../core/ids';
import { type QueryParams } from '../../core/query-params';
import { cancelledPlan, positionAt, slowedDown, type TimelinePlan, type TimelinePosition } from '../../core/task-timeline';
import { type XmlObject } from '../../core/xml';
import { SNIFF_HEAD_BYTES, sniffDiskImage } from '../../disk/sniff-disk-image';
import { type TaskSnapshotJson } from '../../types';
import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID } from '../aws-identity';
import { type QueryAction } from '../query-service';
import {
  booleanParam,
  clientToken,
  description as readDescription,
  enumParam,
  filters,
  honourDryRun,
  matchesFilter,
  paginate,
  rejectUnknownParameters,
  tagSpecifications,
} from './ec2-params';
import { type ImportDiskRecord, type ImportTaskRecord } from './ec2-state';
import { DEFAULT_ROLE, type Ec2World } from './ec2-world';
import { ec2Response, itemSet, tagSet } from './ec2-xml';

/** Formats ImportImage reads. */
export const IMPORT_FORMATS = ['OVA', 'VHD', 'VHDX', 'VMDK', 'RAW'] as const;

const MINUTE = 60_000;
const GIB = 1024 ** 3;
/** Largest image the emulator later writes when this AMI is exported (the disk it writes stays small). */
const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;
const FORBIDDEN = 'ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]';

/**
 * ImportImage, DescribeImportImageTasks and CancelImportTask, with the import timeline
 * `active/pending (2) → validating → validated → converting → updating → booting → preparing ami → completed`.
 * The source object is read and sniffed when the task starts; a missing or mismatched file fails the task during
 * validation with `ClientError: Disk validation failed …`. A completed import registers a new AMI and snapshots.
 */
export function importImageActions(world: Ec2World): Record<string, QueryAction> {
  return {
    ImportImage: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, [
        'Architecture',
        'ClientData',
        'ClientToken',
        'Description',
        'DiskContainer',
        'DryRun',
        'Encrypted',
        'Hypervisor',
        'KmsKeyId',
        'LicenseType',
        'Platform',
        'RoleName',
        'LicenseSpecifications',
        'TagSpecification',
        'UsageOperation',
        'BootMode',
      ]);
      const description = readDescription(params);
      const architecture = optionalEnum(params, 'Architecture', ['i386', 'x86_64', 'arm64']);
      const platform = optionalEnum(params, 'Platform', ['Windows', 'Linux']);
      const licenseType = optionalEnum(params, 'LicenseType', ['AWS', 'BYOL']);
      const hypervisor = optionalEnum(params, 'Hypervisor', ['xen']);
      const bootMode = optionalEnum(params, 'BootMode', ['legacy-bios', 'uefi', 'uefi-preferred']);
      if (bootMode === 'uefi-preferred') throw new AwsError('InvalidParameterValue', 'The uefi-preferred boot mode isn\'t supported for importing images.', 400);
      const usageOperation = params.get('UsageOperation');
      if (licenseType !== undefined && usageOperation !== undefined) {
        throw new AwsError('InvalidParameterCombination', 'You cannot specify both LicenseType and UsageOperation.', 400);
      }
      const encrypted = booleanParam(params, 'Encrypted');
      const kmsKeyId = params.get('KmsKeyId');
      if (kmsKeyId !== undefined && encrypted !== true) {
        throw new AwsError('InvalidParameterCombination', 'If a KmsKeyId is specified, the Encrypted flag must also be set.', 400);
      }
      const tags = tagSpecifications(params, 'import-image-task');
      const roleNameGiven = params.get('RoleName');
      const containers = params.structs('DiskContainer');
      if (containers.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter DiskContainer', 400);
      if (containers.length > 21) throw new AwsError('InvalidParameterValue', `An image can have at most 21 disks; the request has ${containers.length}.`, 400);
      const sources = containers.map((container, index) => readContainer(container, index));
      const token = clientToken(params);
      honourDryRun(params);

      const canonical = params.canonical(['Action', 'Version', 'ClientToken', 'DryRun']);
      if (token !== undefined) {
        const seen = world.token(region, 'ImportImage', token);
        if (seen) {
          if (seen.canonical !== canonical) {
            throw new AwsError('IdempotentParameterMismatch', `The client token '${token}' was already used with a different request (task ${seen.taskId}).`, 400);
          }
          const existing = world.state.importTasks[seen.taskId];
          return ec2Response('ImportImage', importTaskXml(existing, positionAt(existing.plan, world.clock.now()), false), call.requestId);
        }
      }

      const id = `import-ami-${randomHex(17)}`;
      const roleName = roleNameGiven ?? DEFAULT_ROLE;
      let failureMessage: string | undefined;
      const disks: ImportDiskRecord[] = sources.map((source) => {
        if (source.snapshotId !== undefined) {
          const snapshot = world.snapshot(region, source.snapshotId);
          if (!snapshot) throw new AwsError('InvalidSnapshot.NotFound', `The snapshot '${source.snapshotId}' does not exist.`, 400);
          return { ...source.record, sourceSnapshotId: snapshot.id, sizeBytes: snapshot.volumeSizeGiB * GIB, virtualSizeBytes: snapshot.virtualSizeBytes };
        }
        if (source.bucket === undefined || source.key === undefined) {
          failureMessage ??= FORBIDDEN;
          return { ...source.record, sizeBytes: 0, virtualSizeBytes: 0 };
        }
        const bucketRegion = world.objects.bucketRegion(source.bucket);
        if (bucketRegion !== undefined && bucketRegion !== region) {
          throw new AwsError('InvalidParameter', `The given S3 bucket (${source.bucket}) is not local to the region ${region} (it is in ${bucketRegion}).`, 400);
        }
        world.checkServiceRole(roleName, region, id, { action: 's3:GetObject', resource: `arn:aws:s3:::${source.bucket}/${source.key}` });
        const sizeBytes = world.objects.objectSize(source.bucket, source.key);
        if (sizeBytes === undefined) {
          failureMessage ??= FORBIDDEN;
          return { ...source.record, sizeBytes: 0, virtualSizeBytes: 0 };
        }
        const head = world.objects.readObjectRange(source.bucket, source.key, 0, SNIFF_HEAD_BYTES);
        const tail = world.objects.readObjectRange(source.bucket, source.key, Math.max(0, sizeBytes - 512), 512);
        const sniffed = sniffDiskImage(head, tail, sizeBytes);
        const problem = validationProblem(String(source.record.format), sniffed);
        if (problem) failureMessage ??= `ClientError: Disk validation failed [${problem}]`;
        return { ...source.record, sizeBytes, virtualSizeBytes: sniffed.virtualSizeBytes ?? sizeBytes };
      });
      world.checkQuota(region);

      const now = world.clock.now();
      const totalGib = Math.max(1, disks.reduce((sum, disk) => sum + disk.virtualSizeBytes, 0) / GIB);
      let plan = importPlan(now, totalGib);
      if (call.taskFault === 'slow-task') plan = slowedDown(plan, 5);
      if (failureMessage !== undefined) plan = { ...plan, failAtShare: 0.08 };
      else if (call.taskFault === 'fail-task') {
        plan = { ...plan, failAtShare: 0.5 };
        failureMessage = 'ClientError: Unsupported kernel version 4.15.0-1021-aws';
      }
      const task: ImportTaskRecord = {
        id,
        region,
        ...(description !== undefined ? { description } : {}),
        ...(architecture !== undefined ? { architecture } : {}),
        ...(platform !== undefined ? { platform } : {}),
        ...(licenseType !== undefined ? { licenseType } : {}),
        ...(hypervisor !== undefined ? { hypervisor } : {}),
        ...(bootMode !== undefined ? { bootMode } : {}),
        ...(encrypted !== undefined ? { encrypted } : {}),
        ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
        ...(usageOperation !== undefined ? { usageOperation } : {}),
        licenseConfigurationArns: params.structs('LicenseSpecifications').map((spec) => spec.get('LicenseConfigurationArn') ?? '').filter(Boolean),
        ...(roleNameGiven !== undefined ? { roleName: roleNameGiven } : {}),
        disks,
        tags,
        ...(token !== undefined ? { clientToken: token } : {}),
        createdAt: now,
        plan,
        ...(failureMessage !== undefined ? { failureMessage } : {}),
        effects: {},
      };
      world.state.importTasks[id] = task;
      if (token !== undefined) world.rememberToken(region, 'ImportImage', token, { canonical, taskId: id });
      world.markDirty();
      return ec2Response('ImportImage', importTaskXml(task, positionAt(plan, now), false), call.requestId);
    },

    DescribeImportImageTasks: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['DryRun', 'Filters', 'ImportTaskId', 'MaxResults', 'NextToken']);
      const wanted = params.list('ImportTaskId');
      const byState = filters(params, 'Filters', ['task-state']);
      honourDryRun(params);
      const now = world.clock.now();
      const tasks = Object.values(world.state.importTasks).filter((task) => task.region === region);
      for (const id of wanted) {
        if (!tasks.some((task) => task.id === id)) throw new AwsError('InvalidConversionTaskId', `The conversion task ID '${id}' does not exist`, 400);
      }
      const selected = tasks
        .filter((task) => wanted.length === 0 || wanted.includes(task.id))
        .map((task) => ({ task, position: positionAt(task.plan, now) }))
        .filter(({ task, position }) => matchesFilter(byState.get('task-state'), importStatus(task, position).status))
        .sort((a, b) => a.task.createdAt - b.task.createdAt);
      const { page, nextToken } = paginate(selected, params, { min: 1, max: 500 });
      return ec2Response(
        'DescribeImportImageTasks',
        { importImageTaskSet: itemSet(page.map(({ task, position }) => importTaskXml(task, position, true))), nextToken },
        call.requestId,
      );
    },

    CancelImportTask: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['CancelReason', 'DryRun', 'ImportTaskId']);
      const id = params.get('ImportTaskId');
      if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter ImportTaskId', 400);
      honourDryRun(params);
      const task = world.state.importTasks[id];
      if (!task || task.region !== region) throw new AwsError('InvalidConversionTaskId', `The conversion task ID '${id}' does not exist`, 400);
      const now = world.clock.now();
      const position = positionAt(task.plan, now);
      if (position.outcome !== 'running') {
        throw new AwsError('IncorrectState', `The import task ${id} is ${importStatus(task, position).status} and cannot be cancelled.`, 400);
      }
      task.plan = cancelledPlan(task.plan, now);
      world.markDirty();
      return ec2Response('CancelImportTask', { importTaskId: id, previousState: 'active', state: 'deleting' }, call.requestId);
    },
  };
}

/** Registers the AMI and snapshots of every import that completed. */
export function settleImports(world: Ec2World): void {
  const now = world.clock.now();
  for (const task of Object.values(world.state.importTasks)) {
    if (task.effects.imageCreated || positionAt(task.plan, now).outcome !== 'succeeded') continue;
    const imageId = `ami-${randomHex(17)}`;
    const created = new Date(task.plan.startedAt + task.plan.durationMs).toISOString();
    const devices = task.disks.map((disk, index) => {
      const snapshotId = `snap-${randomHex(17)}`;
      disk.snapshotId = snapshotId;
      const volumeSizeGiB = Math.max(1, Math.ceil(disk.virtualSizeBytes / GIB));
      world.state.snapshots[snapshotId] = {
        id: snapshotId,
        region: task.region,
        description: `Created by AWS-VMImport service for ${task.id}`,
        owner: AWS_ACCOUNT_ID,
        volumeSizeGiB,
        encrypted: task.encrypted === true,
        virtualSizeBytes: disk.virtualSizeBytes,
      };
      return { deviceName: disk.deviceName ?? (index === 0 ? '/dev/sda1' : `/dev/sd${String.fromCharCode(98 + index - 1)}`), snapshotId, volumeSizeGiB, encrypted: task.encrypted === true, volumeType: 'gp2' };
    });
    const windows = task.platform === 'Windows';
    world.state.images[imageId] = {
      id: imageId,
      region: task.region,
      name: task.id,
      description: task.description ?? `AWS-VMImport service: ${task.id}`,
      state: 'available',
      owner: AWS_ACCOUNT_ID,
      public: false,
      architecture: task.architecture ?? 'x86_64',
      ...(windows ? { platform: 'windows' } : {}),
      platformDetails: windows ? 'Windows' : 'Linux/UNIX',
      usageOperation: task.usageOperation ?? (windows ? 'RunInstances:0002' : 'RunInstances'),
      ...(task.bootMode ? { bootMode: task.bootMode } : {}),
      creationDate: created,
      productCodes: [],
      virtualSizeBytes: Math.min(MAX_ARTIFACT_BYTES, Math.max(1024 * 1024, task.disks[0]?.virtualSizeBytes ?? 0)),
      blockDevices: devices,
      source: 'import',
    };
    task.imageId = imageId;
    task.effects.imageCreated = true;
    world.markDirty();
  }
}

/** The task as {@link Emulator.inspect} shows it. */
export function importTaskSnapshot(task: ImportTaskRecord, now: number): TaskSnapshotJson {
  const position = positionAt(task.plan, now);
  const { status, message, progress } = importStatus(task, position);
  const first = task.disks[0];
  return {
    cloud: 'aws',
    service: 'ec2',
    region: task.region,
    kind: 'import',
    id: task.id,
    rawStatus: status,
    ...(message !== undefined ? { message } : {}),
    ...(progress !== undefined ? { progress } : {}),
    outcome: position.outcome,
    createdAt: new Date(task.createdAt).toISOString(),
    ...(task.imageId ? { imageId: task.imageId } : {}),
    ...(first?.bucket ? { bucket: first.bucket } : {}),
    ...(first?.key ? { key: first.key } : {}),
    ...(first?.format ? { format: first.format } : {}),
    ...(task.clientToken !== undefined ? { clientToken: task.clientToken } : {}),
  };
}

interface ContainerSource {
  readonly record: Omit<ImportDiskRecord, 'sizeBytes' | 'virtualSizeBytes'>;
  readonly bucket?: string;
  readonly key?: string;
  readonly snapshotId?: string;
}

function readContainer(container: QueryParams, index: number): ContainerSource {
  const where = `DiskContainer.${index + 1}`;
  const snapshotId = container.get('SnapshotId');
  const url = container.get('Url');
  const bucket = container.get('UserBucket.S3Bucket');
  const key = container.get('UserBucket.S3Key');
  const formatText = container.get('Format');
  const sourceCount = [snapshotId, url, bucket ?? key].filter((value) => value !== undefined).length;
  if (sourceCount === 0) throw new AwsError('MissingParameter', `The request must contain one of ${where}.UserBucket, ${where}.Url or ${where}.SnapshotId`, 400);
  if (sourceCount > 1) throw new AwsError('InvalidParameterCombination', `${where}: specify only one of UserBucket, Url and SnapshotId.`, 400);
  const format = formatText === undefined ? undefined : IMPORT_FORMATS.find((item) => item.toLowerCase() === formatText.toLowerCase());
  if (snapshotId === undefined) {
    if (formatText === undefined || format === undefined) throw new AwsError('InvalidParameter', 'Parameter disk-image-size=0 has an invalid format.', 400);
  }
  if ((bucket === undefined) !== (key === undefined)) throw new AwsError('MissingParameter', `The request must contain the parameter ${where}.UserBucket.${bucket === undefined ? 'S3Bucket' : 'S3Key'}`, 400);
  const fromUrl = url === undefined ? undefined : /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  const record = {
    ...(formatText !== undefined ? { format: formatText } : {}),
    ...(bucket !== undefined ? { bucket, key } : fromUrl ? { bucket: fromUrl[1], key: fromUrl[2] } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(container.get('DeviceName') ? { deviceName: container.get('DeviceName') as string } : {}),
    ...(container.get('Description') ? { description: container.get('Description') as string } : {}),
  };
  return {
    record,
    ...(record.bucket !== undefined ? { bucket: record.bucket, key: record.key } : {}),
    ...(snapshotId !== undefined ? { snapshotId } : {}),
  };
}

/** Why a sniffed file is not a disk of the declared format (undefined when it is). */
function validationProblem(declared: string, sniffed: ReturnType<typeof sniffDiskImage>): string | undefined {
  const format = declared.toUpperCase();
  if (sniffed.format === 'empty') return 'The disk image is empty';
  if (format === 'VMDK') {
    if (sniffed.format !== 'vmdk') return 'Unsupported specified file format';
    return sniffed.vmdkCreateType === 'streamOptimized' ? undefined : 'Unsupported VMDK File Format';
  }
  if (format === 'VHD') return sniffed.format === 'vhd' ? undefined : 'Unsupported specified file format';
  if (format === 'VHDX') return sniffed.format === 'vhdx' ? undefined : 'Unsupported specified file format';
  if (format === 'OVA') return sniffed.format === 'ova' ? undefined : 'Unsupported specified file format';
  if (format === 'RAW') return sniffed.format === 'raw' ? undefined : 'Unsupported specified file format';
  return 'Unsupported specified file format';
}

function optionalEnum(params: QueryParams, name: string, allowed: readonly string[]): string | undefined {
  const value = params.get(name);
  return value === undefined ? undefined : enumParam(value, name, allowed);
}

function importPlan(now: number, gib: number): TimelinePlan {
  return {
    startedAt: now,
    durationMs: Math.round(6 * MINUTE + gib * 30_000),
    phases: [
      { name: 'pending', share: 0.04, progress: [2, 2] },
      { name: 'validating', share: 0.03, progress: [4, 4] },
      { name: 'validated', share: 0.03, progress: [6, 6] },
      { name: 'converting', share: 0.35, progress: [10, 39] },
      { name: 'updating', share: 0.2, progress: [41, 58] },
      { name: 'booting', share: 0.15, progress: [59, 75] },
      { name: 'preparing ami', share: 0.2, progress: [76, 99] },
    ],
    cancelTailMs: 30_000,
  };
}

function importStatus(task: ImportTaskRecord, position: TimelinePosition): { status: string; message?: string; progress?: number } {
  switch (position.outcome) {
    case 'running':
      return { status: 'active', message: position.phase, progress: position.progress };
    case 'succeeded':
      return { status: 'completed' };
    case 'failed':
      return { status: position.stopping ? 'deleting' : 'deleted', ...(task.failureMessage ? { message: task.failureMessage } : {}) };
    case 'cancelled':
      return { status: position.stopping ? 'deleting' : 'deleted', message: 'User initiated task cancelation' };
  }
}

function importTaskXml(task: ImportTaskRecord, position: TimelinePosition, describe: boolean): XmlObject {
  const { status, message, progress } = importStatus(task, position);
  const done = position.outcome === 'succeeded';
  const windows = task.platform === 'Windows';
  return {
    architecture: done ? (task.architecture ?? 'x86_64') : task.architecture,
    description: task.description,
    encrypted: task.encrypted,
    hypervisor: task.hypervisor,
    imageId: done ? task.imageId : undefined,
    importTaskId: task.id,
    kmsKeyId: task.kmsKeyId,
    licenseType: done ? (task.licenseType ?? (windows ? 'AWS' : 'BYOL')) : task.licenseType,
    platform: done ? (task.platform ?? 'Linux') : task.platform,
    progress: progress === undefined ? undefined : String(progress),
    snapshotDetailSet: itemSet(
      task.disks.map((disk) => ({
        description: disk.description,
        deviceName: disk.deviceName ?? (done ? '/dev/sda1' : undefined),
        diskImageSize: done || position.phaseIndex >= 3 ? `${disk.sizeBytes}.0` : '0.0',
        format: disk.format ?? (disk.sourceSnapshotId ? 'RAW' : undefined),
        snapshotId: done ? disk.snapshotId : undefined,
        status: done ? 'completed' : position.outcome === 'running' ? 'active' : 'deleted',
        url: disk.url,
        userBucket: disk.bucket !== undefined && disk.url === undefined ? { s3Bucket: disk.bucket, s3Key: disk.key } : undefined,
      })),
    ),
    status,
    statusMessage: message,
    licenseSpecifications: task.licenseConfigurationArns.length > 0 ? itemSet(task.licenseConfigurationArns.map((arn) => ({ licenseConfigurationArn: arn }))) : undefined,
    tagSet: tagSet(task.tags),
    usageOperation: done ? (task.usageOperation ?? (windows ? 'RunInstances:0002' : 'RunInstances')) : task.usageOperation,
    bootMode: describe ? task.bootMode : undefined,
  };
}
