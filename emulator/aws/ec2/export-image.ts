import { buildDiskImage } from '../../disk/build-disk-image';
import { layoutSlice, type DiskImageFormat } from '../../disk/disk-image-layout';
import { randomHex } from '../../core/ids';
import { cancelledPlan, positionAt, slowedDown, type TimelinePlan, type TimelinePosition } from '../../core/task-timeline';
import { type XmlObject } from '../../core/xml';
import { type TaskSnapshotJson } from '../../types';
import { type CatalogImage } from '../aws-catalog';
import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID } from '../aws-identity';
import { type QueryAction } from '../query-service';
import {
  clientToken,
  description as readDescription,
  enumParam,
  filters,
  honourDryRun,
  matchesFilter,
  paginate,
  rejectUnknownParameters,
  requireParam,
  tagSpecifications,
} from './ec2-params';
import { type ExportTaskRecord } from './ec2-state';
import { DEFAULT_ROLE, type Ec2World } from './ec2-world';
import { ec2Response, itemSet, tagSet } from './ec2-xml';

/** Formats ExportImage writes. */
export const EXPORT_FORMATS = ['VMDK', 'RAW', 'VHD'] as const;

const MINUTE = 60_000;
const ONE_TIB_GIB = 1024;
/** Share of the run after which a cancel is refused ("transferring the final disk image"). */
const FINAL_TRANSFER_PROGRESS = 95;
/** Bytes of the image written as the partial object while `updating`. */
const PARTIAL_OBJECT_BYTES = 64 * 1024;

/**
 * ExportImage, DescribeExportImageTasks and CancelExportTask, with the export timeline
 * `active/validating (0) → converting → updating → completed` and its side effects: a partial object while
 * updating, the real disk image at completion, the partial object removed on cancel or failure.
 */
export function exportImageActions(world: Ec2World): Record<string, QueryAction> {
  return {
    ExportImage: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['ClientToken', 'Description', 'DiskImageFormat', 'DryRun', 'ImageId', 'S3ExportLocation', 'RoleName', 'TagSpecification']);
      const imageId = requireParam(params, 'ImageId');
      const formatText = requireParam(params, 'DiskImageFormat');
      const bucket = requireParam(params, 'S3ExportLocation.S3Bucket');
      const prefixGiven = params.has('S3ExportLocation.S3Prefix');
      const prefix = params.get('S3ExportLocation.S3Prefix') ?? '';
      const format = enumParam(formatText, 'DiskImageFormat', EXPORT_FORMATS);
      const description = readDescription(params);
      const tags = tagSpecifications(params, 'export-image-task');
      const roleNameGiven = params.get('RoleName');
      if (roleNameGiven !== undefined && !/^[\w+=,.@-]{1,64}$/.test(roleNameGiven)) {
        throw new AwsError('InvalidParameterValue', `Value (${roleNameGiven}) for parameter RoleName is invalid. It must match [\\w+=,.@-]{1,64}.`, 400);
      }
      if (Buffer.byteLength(prefix) > 1000) throw new AwsError('InvalidParameterValue', `Value for parameter S3Prefix is invalid: it is longer than 1000 bytes.`, 400);
      assertWellFormedImageId(imageId);
      const token = clientToken(params);
      honourDryRun(params);

      if (token !== undefined) {
        const seen = world.token(region, 'ExportImage', token);
        const canonical = params.canonical(['Action', 'Version', 'ClientToken', 'DryRun']);
        if (seen) {
          if (seen.canonical !== canonical) {
            throw new AwsError('IdempotentParameterMismatch', `The client token '${token}' was already used with a different request (task ${seen.taskId}).`, 400);
          }
          const existing = world.state.exportTasks[seen.taskId];
          return ec2Response('ExportImage', exportResultXml(existing, positionAt(existing.plan, world.clock.now())), call.requestId);
        }
      }

      const image = world.image(region, imageId);
      if (!image) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`, 400);
      assertExportable(image);
      const roleName = roleNameGiven ?? DEFAULT_ROLE;
      const id = `export-ami-${randomHex(17)}`;
      const key = `${prefix}${id}.${format.toLowerCase()}`;
      world.checkServiceRole(roleName, region, id);
      const bucketRegion = world.objects.bucketRegion(bucket);
      if (bucketRegion === undefined) throw new AwsError('InvalidParameter', `The given S3 bucket (${bucket}) does not exist. The destination bucket must exist.`, 400);
      if (bucketRegion !== region) {
        throw new AwsError('InvalidParameter', `The given S3 bucket (${bucket}) is not local to the region ${region} (it is in ${bucketRegion}).`, 400);
      }
      const encryption = world.objects.bucketEncryption(bucket);
      if (encryption.startsWith('aws:kms')) {
        throw new AwsError('InvalidParameter', `The S3 bucket ${bucket} uses ${encryption} default encryption. VM Export writes only to unencrypted or SSE-S3 (AES256) buckets.`, 400);
      }
      world.checkServiceRole(roleName, region, id, { action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${key}` });
      const now = world.clock.now();
      const running = Object.values(world.state.exportTasks).find(
        (task) => task.region === region && task.imageId === imageId && positionAt(task.plan, now).outcome === 'running',
      );
      if (running) {
        throw new AwsError('InvalidParameter', `The image ${imageId} already has an export image task in progress (${running.id}). You can't have multiple export image tasks in progress for the same AMI at the same time.`, 400);
      }
      world.checkQuota(region);

      let plan = exportPlan(now, image);
      plan = { ...plan, durationMs: world.exportDurationMs({ cloud: 'aws', region, imageId, defaultMs: plan.durationMs }) };
      if (call.taskFault === 'slow-task') plan = slowedDown(plan, 5);
      const failing = call.taskFault === 'fail-task';
      if (failing) plan = { ...plan, failAtShare: 0.45 };
      const task: ExportTaskRecord = {
        id,
        region,
        imageId,
        format,
        bucket,
        prefix,
        prefixGiven,
        key,
        ...(roleNameGiven !== undefined ? { roleName: roleNameGiven } : {}),
        ...(description !== undefined ? { description } : {}),
        tags,
        ...(token !== undefined ? { clientToken: token } : {}),
        createdAt: now,
        virtualSizeBytes: image.virtualSizeBytes,
        plan,
        ...(failing ? { failureMessage: 'ClientError: Unable to read the EBS snapshot data of the image; the export was stopped. Retry the export.' } : {}),
        effects: {},
      };
      world.state.exportTasks[id] = task;
      if (token !== undefined) world.rememberToken(region, 'ExportImage', token, { canonical: params.canonical(['Action', 'Version', 'ClientToken', 'DryRun']), taskId: id });
      world.markDirty();
      return ec2Response('ExportImage', exportResultXml(task, positionAt(task.plan, now)), call.requestId);
    },

    DescribeExportImageTasks: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['DryRun', 'Filter', 'ExportImageTaskId', 'MaxResults', 'NextToken']);
      const wanted = params.list('ExportImageTaskId');
      const byState = filters(params, 'Filter', ['task-state']);
      honourDryRun(params);
      const now = world.clock.now();
      const tasks = Object.values(world.state.exportTasks).filter((task) => task.region === region);
      for (const id of wanted) {
        if (!tasks.some((task) => task.id === id)) throw new AwsError('InvalidExportTaskID.NotFound', `The export task ID '${id}' does not exist`, 400);
      }
      const selected = tasks
        .filter((task) => wanted.length === 0 || wanted.includes(task.id))
        .map((task) => ({ task, position: positionAt(task.plan, now) }))
        .filter(({ task, position }) => matchesFilter(byState.get('task-state'), exportStatus(task, position).status))
        .filter(({ task }) => [...byState].every(([name, values]) => !name.startsWith('tag:') || task.tags.some((tag) => tag.key === name.slice(4) && matchesFilter(values, tag.value))))
        .sort((a, b) => a.task.createdAt - b.task.createdAt);
      const { page, nextToken } = paginate(selected, params, { min: 1, max: 500 });
      return ec2Response(
        'DescribeExportImageTasks',
        { exportImageTaskSet: itemSet(page.map(({ task, position }) => exportTaskXml(task, position))), nextToken },
        call.requestId,
      );
    },

    CancelExportTask: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['ExportTaskId', 'DryRun']);
      const id = requireParam(params, 'ExportTaskId');
      honourDryRun(params);
      const task = world.state.exportTasks[id];
      if (!task || task.region !== region) throw new AwsError('InvalidExportTaskID.NotFound', `The export task ID '${id}' does not exist`, 400);
      const now = world.clock.now();
      const position = positionAt(task.plan, now);
      if (position.outcome === 'succeeded') throw new AwsError('IncorrectState', `Export task ${id} is already completed and cannot be cancelled.`, 400);
      if (position.outcome !== 'running') throw new AwsError('IncorrectState', `Export task ${id} is ${exportStatus(task, position).status} and cannot be cancelled.`, 400);
      if (position.phase === 'updating' && position.progress >= FINAL_TRANSFER_PROGRESS) {
        throw new AwsError('IncorrectState', `Export task ${id} is transferring the final disk image and can no longer be cancelled.`, 400);
      }
      task.plan = cancelledPlan(task.plan, now);
      world.markDirty();
      return ec2Response('CancelExportTask', { return: true }, call.requestId);
    },
  };
}

/** Brings every export task's side effects up to the clock: partial object, final image, clean-up. */
export function settleExports(world: Ec2World): void {
  const now = world.clock.now();
  for (const task of Object.values(world.state.exportTasks)) {
    if (task.effects.finalWritten || task.effects.cleanedUp) continue;
    const position = positionAt(task.plan, now);
    if (position.outcome === 'succeeded') {
      if (world.objects.bucketExists(task.bucket)) {
        world.objects.putObjectSync(task.bucket, task.key, diskImageFor(task));
      }
      task.effects.finalWritten = true;
      world.markDirty();
    } else if (position.outcome === 'failed' || position.outcome === 'cancelled') {
      if (task.effects.partialWritten) world.objects.deleteObjectSync(task.bucket, task.key);
      task.effects.cleanedUp = true;
      world.markDirty();
    } else if (position.phase === 'updating' && !task.effects.partialWritten && world.objects.bucketExists(task.bucket)) {
      const image = diskImageFor(task);
      const partial = layoutSlice(image, 0, Math.min(image.sizeBytes, PARTIAL_OBJECT_BYTES));
      world.objects.putObjectSync(task.bucket, task.key, { ...image, sizeBytes: partial.length, extents: [{ offset: 0, data: partial }] });
      task.effects.partialWritten = true;
      world.markDirty();
    }
  }
}

/** The task as {@link Emulator.inspect} shows it. */
export function exportTaskSnapshot(task: ExportTaskRecord, now: number): TaskSnapshotJson {
  const position = positionAt(task.plan, now);
  const { status, message, progress } = exportStatus(task, position);
  return {
    cloud: 'aws',
    service: 'ec2',
    region: task.region,
    kind: 'export',
    id: task.id,
    rawStatus: status,
    ...(message !== undefined ? { message } : {}),
    ...(progress !== undefined ? { progress } : {}),
    outcome: position.outcome,
    createdAt: new Date(task.createdAt).toISOString(),
    imageId: task.imageId,
    bucket: task.bucket,
    key: task.key,
    format: task.format,
    ...(task.clientToken !== undefined ? { clientToken: task.clientToken } : {}),
  };
}

function exportPlan(now: number, image: CatalogImage): TimelinePlan {
  const gib = image.blockDevices.reduce((sum, device) => sum + device.volumeSizeGiB, 0);
  return {
    startedAt: now,
    durationMs: 4 * MINUTE + gib * 45_000,
    phases: [
      { name: 'validating', share: 0.05, progress: [0, 0] },
      { name: 'converting', share: 0.6, progress: [5, 80] },
      { name: 'updating', share: 0.35, progress: [80, 99] },
    ],
    cancelTailMs: 30_000,
  };
}

/** Raw status, status message and progress of an export at a position. */
function exportStatus(task: ExportTaskRecord, position: TimelinePosition): { status: string; message?: string; progress?: number } {
  switch (position.outcome) {
    case 'running':
      return { status: 'active', message: position.phase, progress: position.progress };
    case 'succeeded':
      return { status: 'completed' };
    case 'failed':
      return { status: position.stopping ? 'deleting' : 'deleted', ...(task.failureMessage ? { message: task.failureMessage } : {}) };
    case 'cancelled':
      return { status: position.stopping ? 'deleting' : 'deleted' };
  }
}

function exportTaskXml(task: ExportTaskRecord, position: TimelinePosition): XmlObject {
  const { status, message, progress } = exportStatus(task, position);
  return {
    description: task.description,
    exportImageTaskId: task.id,
    imageId: task.imageId,
    progress: progress === undefined ? undefined : String(progress),
    s3ExportLocation: { s3Bucket: task.bucket, s3Prefix: task.prefixGiven ? task.prefix : undefined },
    status,
    statusMessage: message,
    tagSet: tagSet(task.tags),
  };
}

function exportResultXml(task: ExportTaskRecord, position: TimelinePosition): XmlObject {
  const { status, message, progress } = exportStatus(task, position);
  return {
    description: task.description,
    diskImageFormat: task.format,
    exportImageTaskId: task.id,
    imageId: task.imageId,
    roleName: task.roleName,
    progress: progress === undefined ? undefined : String(progress),
    s3ExportLocation: { s3Bucket: task.bucket, s3Prefix: task.prefixGiven ? task.prefix : undefined },
    status,
    statusMessage: message,
    tagSet: tagSet(task.tags),
  };
}

function diskImageFor(task: ExportTaskRecord) {
  return buildDiskImage(task.format.toLowerCase() as DiskImageFormat, { virtualSizeBytes: task.virtualSizeBytes, label: `imageport emulator export of ${task.imageId}` });
}

/** `InvalidAMIID.Malformed` unless the id looks like `ami-` + 8 or 17 hex digits. */
export function assertWellFormedImageId(imageId: string): void {
  if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(imageId)) {
    throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`, 400);
  }
}

/** Refuses the AMIs VM Export cannot export, with the error AWS gives for each. */
function assertExportable(image: CatalogImage): void {
  if (image.state !== 'available') {
    throw new AwsError('IncorrectState', `The image '${image.id}' is not in the 'available' state (it is '${image.state}').`, 400);
  }
  if (image.productCodes.some((code) => code.type === 'marketplace')) {
    throw new AwsError('NotExportable', `The image ID provided (${image.id}) is a marketplace AMI and is not exportable.`, 400);
  }
  if (image.platform === 'windows' || /windows|sql server/i.test(image.platformDetails)) {
    throw new AwsError('NotExportable', `The image ID provided (${image.id}) contains third-party software provided by AWS (${image.platformDetails}) and is not exportable.`, 400);
  }
  if (image.owner !== AWS_ACCOUNT_ID) {
    throw new AwsError('NotExportable', `The image ID provided (${image.id}) is shared from another account (${image.owner}) and is not exportable. Copy it into your account first.`, 400);
  }
  if (image.blockDevices.some((device) => device.encrypted)) {
    throw new AwsError('InvalidParameter', `The image ID (${image.id}) provided has encrypted EBS block devices and is not exportable.`, 400);
  }
  const large = image.blockDevices.find((device) => device.volumeSizeGiB > ONE_TIB_GIB);
  if (large) {
    throw new AwsError('InvalidParameter', `The image ID (${image.id}) has a ${large.volumeSizeGiB} GiB volume (${large.deviceName}); volumes larger than 1 TiB cannot be exported.`, 400);
  }
}
