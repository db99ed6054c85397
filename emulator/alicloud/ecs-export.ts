import { randomFrom } from '../core/ids';
import { slowedDown, type TimelinePlan } from '../core/task-timeline';
import { AcsApiError, missingParameter } from './acs-error';
import { type EcsContext } from './ecs-context';
import { type EcsImageState, type EcsTaskState } from './ecs-state';
import { imageStatus, regionOf, runningExports } from './ecs-tasks';

/** ImageFormat values of ExportImage. */
export const EXPORT_FORMATS = ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi'];
/** The export role ECS uses when RoleName is not given. */
export const EXPORT_ROLE = 'AliyunECSImageExportDefaultRole';
/** OSS actions the export role needs (ExportImage document). */
export const EXPORT_ROLE_ACTIONS = [
  'oss:GetObject',
  'oss:PutObject',
  'oss:DeleteObject',
  'oss:GetBucketLocation',
  'oss:GetBucketInfo',
  'oss:AbortMultipartUpload',
  'oss:ListMultipartUploads',
  'oss:ListParts',
];

const MIB = 1024 * 1024;
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new task id (`t-` and 20 lower-case letters and digits, like `t-bp67acfmxazb4p1234`). */
export function newTaskId(): string {
  return `t-${randomFrom(LOWER_ALNUM, 20)}`;
}

/**
 * Names of the objects an export writes, one per disk: `<prefix>_<imageId>_system.raw.tar.gz` for RAW (what real
 * exports produce, per Terraform and migration guides); `<prefix>_<imageId>_system.<format>` for other formats and
 * `…_data_<device>.<ext>` for data disks are UNCONFIRMED guesses (the driver reads the names from the task, never
 * from this rule). Without a prefix the name starts with the image id.
 */
export function exportObjectNames(prefix: string | undefined, image: EcsImageState, format: string): string[] {
  const base = prefix ? `${prefix}_${image.imageId}` : image.imageId;
  const extension = format === 'raw' ? 'raw.tar.gz' : format;
  return image.disks.map((disk) => (disk.type === 'system' ? `${base}_system.${extension}` : `${base}_data_${disk.device.replace(/^\/dev\//, '')}.${extension}`));
}

/** The timeline of an export: Waiting (queued), then Processing with progress; longer for bigger images. */
export function exportPlan(now: number, image: EcsImageState): TimelinePlan {
  const totalGiB = image.disks.reduce((sum, disk) => sum + disk.sizeGiB, 0);
  return {
    startedAt: now,
    durationMs: (8 + Math.ceil(totalGiB / 10) * 2) * 60_000,
    phases: [
      { name: 'Waiting', share: 1, progress: [0, 0] },
      { name: 'Processing', share: 9, progress: [0, 100] },
    ],
  };
}

/** Why ECS refuses to export this image (seed 004 table), or undefined. */
function imageRefusal(ctx: EcsContext, image: EcsImageState): AcsApiError | undefined {
  if (imageStatus(ctx, image).status !== 'Available') return new AcsApiError(400, 'IncorrectImageStatus', 'The specified Image is not available.');
  if (image.ownerAlias === 'marketplace' || image.productCode) {
    return new AcsApiError(403, 'ImageNotSupported', 'The specified image from the image market, do not support export image.');
  }
  if (image.ownerAlias !== 'self') return new AcsApiError(403, 'InvalidImageCategory.NotSupported', 'The specified image category is not supported.');
  if (image.disks.some((disk) => disk.encrypted)) {
    return new AcsApiError(400, 'ImageNotSupported', 'The specified Image contains encrypted snapshots, do not support export.');
  }
  const data = image.disks.filter((disk) => disk.type === 'data');
  if (data.length > 4) return new AcsApiError(400, 'InvalidImage.DiskAmountOrSize', `The image contains ${data.length} data disks; at most 4 can be exported.`);
  if (data.some((disk) => disk.sizeGiB > 500)) return new AcsApiError(400, 'InvalidImage.DiskAmountOrSize', 'The diskSize of the image exceeds the maximum size.');
  if (image.osType === 'windows') {
    // The user guide says images containing Windows Server cannot be exported; the code ECS answers is UNCONFIRMED.
    return new AcsApiError(403, 'ImageNotSupported', 'The specified image contains Windows Server, do not support export image.');
  }
  return undefined;
}

/**
 * ExportImage, with the checks real ECS makes in this order: parameters, region, prefix, format (and whether the
 * region honours it), image (exists, Available, custom, not Marketplace, not encrypted, at most 4 data disks of at
 * most 500 GiB, not Windows), bucket in this region, service role (exists, trusts ECS, may write the bucket:
 * `NoSetRoletoECSServiceAcount`), one export per image (`ImageIsExporting`), the concurrency quota, DryRun.
 *
 * @param taskFault an injected task fault (`slow-task`, `fail-task`)
 */
export function exportImage(ctx: EcsContext, params: ReadonlyMap<string, string>, taskFault?: string): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const imageId = params.get('ImageId');
  if (!imageId) throw missingParameter('ImageId');
  const bucket = params.get('OSSBucket');
  if (!bucket) throw missingParameter('OSSBucket');
  const prefix = params.get('OSSPrefix') || undefined;
  if (prefix !== undefined && !/^[A-Za-z0-9]{1,30}$/.test(prefix)) {
    throw new AcsApiError(400, 'InvalidOSSPrefix.Malformed', 'The specified OSSPrefix format is wrongly formed.');
  }
  const format = (params.get('ImageFormat') || 'raw').toLowerCase();
  if (!EXPORT_FORMATS.includes(format)) throw new AcsApiError(400, 'InvalidImageFormat.Malformed', 'The specified Image Format is wrongly formed.');
  if (format !== 'raw' && !ctx.imageFormatRegions.includes(region)) {
    throw new AcsApiError(400, 'InvalidImageFormat.RegionNotSupported', 'The specified image format is not supported in current region.');
  }
  const image = ctx.state.images[imageId];
  if (!image || image.region !== region) throw new AcsApiError(404, 'InvalidImageId.NotFound', 'The specified ImageId does not exist.');
  const refusal = imageRefusal(ctx, image);
  if (refusal) throw refusal;
  if (!ctx.oss.bucketExists(bucket) || ctx.oss.bucketRegion(bucket) !== region) {
    throw new AcsApiError(400, 'InvalidOSSBucket.NotFound', 'The specified OSS bucket does not exist in this region.');
  }
  if (ctx.oss.bucketEncryption(bucket).includes('kms')) {
    throw new AcsApiError(403, 'InvalidOSSBucket.EncryptUnsupported', 'Accessing objects from encrypted OSS bucket is not supported.');
  }
  const roleName = params.get('RoleName') || EXPORT_ROLE;
  if (ctx.ram.serviceRoleProblem(roleName, EXPORT_ROLE_ACTIONS, bucket, region)) {
    throw new AcsApiError(
      403,
      'NoSetRoletoECSServiceAcount',
      'ECS service account Have no right to access your OSS.please attach a role of access your oss to ECS service account.',
    );
  }
  const running = runningExports(ctx, region);
  if (running.some((task) => task.imageId === imageId)) {
    throw new AcsApiError(403, 'ImageIsExporting', 'The specified Image is being exported. You can use the DescribeTasks API to check the status of existing tasks.');
  }
  if (running.length >= ctx.concurrentExports) {
    throw new AcsApiError(403, 'ConcurrentQuotaExceed.ExportImage', `The number of concurrent image export tasks has reached the quota (${ctx.concurrentExports}).`);
  }
  if (params.get('DryRun') === 'true') throw new AcsApiError(400, 'DryRunOperation', 'Request validation has been passed with DryRun flag set.');

  let plan = exportPlan(ctx.now(), image);
  if (ctx.exportDurationMs) plan = { ...plan, durationMs: ctx.exportDurationMs({ cloud: 'alicloud', region, imageId, defaultMs: plan.durationMs }) };
  if (taskFault === 'slow-task') plan = slowedDown(plan, 5);
  const task: EcsTaskState = {
    taskId: newTaskId(),
    region,
    action: 'ExportImage',
    imageId,
    bucket,
    objects: exportObjectNames(prefix, image, format),
    format,
    writeFormats: image.disks.map(() => (format === 'raw' ? 'raw.tar.gz' : format)),
    writeSizes: image.disks.map((disk) => disk.virtualSizeBytes ?? 4 * MIB),
    roleName,
    plan: taskFault === 'fail-task' ? { ...plan, failAtShare: 0.5 } : plan,
    ...(taskFault === 'fail-task' ? { failure: { code: 'ExportImageFailed', message: 'Exporting image is failed, Please contact the administrator.' } } : {}),
    settled: false,
  };
  ctx.state.tasks[task.taskId] = task;
  ctx.markDirty();
  return { RegionId: region, TaskId: task.taskId };
}
