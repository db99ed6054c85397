import { randomFrom } from '../core/ids';
import { slowedDown, type TimelinePlan } from '../core/task-timeline';
import { sniffDiskImage, SNIFF_HEAD_BYTES } from '../disk/sniff-disk-image';
import { AcsApiError, missingParameter } from './acs-error';
import { type EcsContext } from './ecs-context';
import { readTags } from './ecs-tags';
import { type EcsImageDisk, type EcsImageState, type EcsTaskState } from './ecs-state';
import { newTaskId } from './ecs-export';
import { regionOf } from './ecs-tasks';

/** The import role ECS uses when RoleName is not given. */
export const IMPORT_ROLE = 'AliyunECSImageImportDefaultRole';
/** OSS actions the import role needs (ImportImage document). */
export const IMPORT_ROLE_ACTIONS = ['oss:GetObject', 'oss:GetBucketLocation', 'oss:GetBucketInfo'];

const PLATFORMS = [
  'Aliyun', 'Anolis', 'CentOS', 'Ubuntu', 'CoreOS', 'SUSE', 'Debian', 'OpenSUSE', 'FreeBSD', 'RedHat', 'Kylin', 'UOS', 'Fedora',
  'Fedora CoreOS', 'CentOS Stream', 'AlmaLinux', 'Rocky Linux', 'Gentoo', 'Customized Linux', 'Others Linux', 'Windows Server 2022',
  'Windows Server 2019', 'Windows Server 2016', 'Windows Server 2012', 'Windows Server 2008', 'Windows Server 2003',
];
const FORMATS = ['RAW', 'VHD', 'QCOW2', 'VMDK'];
const GIB = 1024 ** 3;
/** Parameters that belong to the signature, not to the request, when comparing requests with the same ClientToken. */
const SIGNATURE_PARAMS = ['Signature', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'AccessKeyId', 'SecurityToken', 'Format', 'Version', 'Action'];

type Params = ReadonlyMap<string, string>;

function malformed(code: string, message: string): AcsApiError {
  return new AcsApiError(400, code, message);
}

/** One source disk of the request (`DiskDeviceMapping.N.*`, N = 1..17; more are ignored, as documented). */
interface SourceDisk {
  readonly index: number;
  readonly bucket: string;
  readonly object: string;
  readonly format?: string;
  readonly sizeGiB?: number;
}

function sourceDisks(params: Params): SourceDisk[] {
  const disks: SourceDisk[] = [];
  for (let index = 1; index <= 17; index++) {
    const field = (name: string) => params.get(`DiskDeviceMapping.${index}.${name}`);
    const present = ['OSSBucket', 'OSSObject', 'Format', 'DiskImageSize', 'DiskImSize', 'Device'].some((name) => field(name) !== undefined);
    if (!present) {
      if (index === 1) throw missingParameter('DiskDeviceMapping.1.OSSBucket');
      break;
    }
    const bucket = field('OSSBucket');
    if (!bucket) throw missingParameter(`DiskDeviceMapping.${index}.OSSBucket`);
    const object = field('OSSObject');
    if (!object) throw missingParameter(`DiskDeviceMapping.${index}.OSSObject`);
    const format = field('Format');
    if (format && !FORMATS.includes(format.toUpperCase())) throw malformed('InvalidImageFormat.Malformed', 'The specified Image Format is wrongly formed.');
    const sizeText = field('DiskImageSize') ?? field('DiskImSize');
    const size = sizeText === undefined ? undefined : Number(sizeText);
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 2048)) {
      throw index === 1
        ? malformed('InvalidImageSize', 'The specified DiskDeviceMapping.1.DiskImageSize should be in the range 1 to 2048.')
        : malformed('InvalidDataDiskSize', `The specified DiskDeviceMapping.${index}.DiskImSize should be in the specified range.`);
    }
    disks.push({ index, bucket, object, ...(format ? { format: format.toUpperCase() } : {}), ...(size !== undefined ? { sizeGiB: size } : {}) });
  }
  return disks;
}

function checkScalars(params: Params): { architecture: string; osType: string; platform: string; bootMode: string; licenseType: string } {
  const name = params.get('ImageName');
  if (name !== undefined && (!/^[A-Za-z][A-Za-z0-9.:_-]{1,127}$/.test(name) || /^(acs:|aliyun)/i.test(name) || /https?:\/\//i.test(name))) {
    throw malformed('InvalidImageName.Malformed', 'The specified Image name is wrongly formed.');
  }
  const description = params.get('Description');
  if (description !== undefined && (description.length < 2 || description.length > 256 || /^https?:\/\//i.test(description))) {
    throw malformed('InvalidDescription.Malformed', 'The specified description is wrongly formed.');
  }
  const architecture = params.get('Architecture') ?? 'x86_64';
  if (!['x86_64', 'i386', 'arm64'].includes(architecture)) throw malformed('InvalidArchitecture.Malformed', 'The specified architecture is wrongly formed.');
  const osType = params.get('OSType') ?? 'linux';
  if (!['linux', 'windows'].includes(osType)) throw malformed('InvalidOSType.Malformed', 'The specified OSType is wrongly formed.');
  const platform = params.get('Platform') ?? 'Others Linux';
  if (!PLATFORMS.includes(platform)) throw malformed('InvalidPlatform.Malformed', 'The specified platform is wrongly formed.');
  const bootMode = params.get('BootMode') ?? 'BIOS';
  if (!['BIOS', 'UEFI'].includes(bootMode)) throw malformed('InvalidBootMode.Malformed', 'The specified boot mode is wrongly formed.');
  if (architecture === 'arm64' && bootMode !== 'UEFI') throw malformed('InvalidBootMode.NotSupport', 'The arm64 architecture supports only the UEFI boot mode.');
  const licenseType = params.get('LicenseType') ?? 'Auto';
  if (!['Auto', 'Aliyun', 'BYOL'].includes(licenseType)) throw malformed('InvalidLicenseType.NotSupported', 'The specified license type is not supported.');
  const detection = params.get('DetectionStrategy');
  if (detection !== undefined && detection !== 'Standard') throw malformed('InvalidParameter.DetectionStrategy', 'The specified DetectionStrategy is not supported.');
  if (detection !== undefined && osType === 'windows') {
    throw new AcsApiError(403, 'ImageCheckUnsupported.WindowsImage', 'The image check is not supported for Windows images.');
  }
  const nvme = params.get('Features.NvmeSupport');
  if (nvme !== undefined && !['supported', 'unsupported'].includes(nvme)) {
    throw malformed('InvalidParameter.FeaturesNvmeSupport', 'The specified Features.NvmeSupport is not valid.');
  }
  const token = params.get('ClientToken');
  if (token !== undefined && (token.length > 64 || ![...token].every((c) => c.charCodeAt(0) < 128))) {
    throw malformed('InvalidClientToken.Malformed', 'The specified client token is wrongly formed.');
  }
  return { architecture, osType, platform, bootMode, licenseType };
}

/** Reads what the object is (the way an import service validates an upload) and checks it against `declared`. */
function checkObject(ctx: EcsContext, region: string, disk: SourceDisk): { format: string; sizeBytes: number; virtualSizeBytes?: number } {
  if (!ctx.oss.bucketExists(disk.bucket) || ctx.oss.bucketRegion(disk.bucket) !== region) {
    throw malformed('InvalidOSSBucket.NotFound', 'The specified OSS bucket does not exist in this region.');
  }
  const size = ctx.oss.objectSize(disk.bucket, disk.object);
  if (size === undefined) throw malformed('InvalidOSSObject.NotFound', 'The specified OSS object does not exist in this region.');
  if (size === 0) throw malformed('InvalidOSSObject.Size', 'The specified OSS object size is zero.');
  if (disk.sizeGiB !== undefined && disk.sizeGiB * GIB < size) {
    throw malformed('InvalidImageSize', `The specified DiskDeviceMapping.${disk.index}.DiskImageSize (${disk.sizeGiB} GiB) is smaller than the image file.`);
  }
  const head = ctx.oss.readObjectRange(disk.bucket, disk.object, 0, Math.min(size, SNIFF_HEAD_BYTES));
  const tail = ctx.oss.readObjectRange(disk.bucket, disk.object, Math.max(0, size - 512), Math.min(size, 512));
  const sniff = sniffDiskImage(head, tail, size);
  const sniffed = sniff.format.toUpperCase();
  if (!FORMATS.includes(sniffed)) {
    throw new AcsApiError(403, 'InvalidImageFormat.Malformed', `The image file ${disk.object} is ${sniffed}, not one of RAW, VHD, QCOW2, VMDK.`);
  }
  if (disk.format && disk.format !== sniffed) {
    throw new AcsApiError(403, 'InvalidImageFormat.Malformed', `The image file ${disk.object} is ${sniffed}, not the specified ${disk.format}.`);
  }
  return { format: sniffed, sizeBytes: size, ...(sniff.virtualSizeBytes !== undefined ? { virtualSizeBytes: sniff.virtualSizeBytes } : {}) };
}

function importPlan(now: number, totalGiB: number): TimelinePlan {
  return {
    startedAt: now,
    durationMs: (10 + Math.ceil(totalGiB / 10) * 2) * 60_000,
    phases: [
      { name: 'Waiting', share: 1, progress: [0, 0] },
      { name: 'Processing', share: 9, progress: [0, 100] },
    ],
  };
}

/**
 * ImportImage: parameters (every ImportImage rule of the reference), each source object (bucket in this region,
 * object present, not empty, a format ECS reads and the one declared), the service role (`NoSetRoletoECSServiceAcount`),
 * image name uniqueness, ClientToken idempotency (same token and request: the same task and image; same token,
 * different request: `IdempotentParameterMismatch`), DryRun (`DRYRUN.SUCCESS`). The new image shows `Waiting`, then
 * `Creating`, then `Available` a little after the task finishes.
 *
 * @param taskFault an injected task fault (`slow-task`, `fail-task`)
 */
export function importImage(ctx: EcsContext, params: Params, taskFault?: string): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const disks = sourceDisks(params);
  const scalars = checkScalars(params);
  const tags = readTags(params);
  const token = params.get('ClientToken');
  const canonical = [...params.entries()]
    .filter(([key]) => !SIGNATURE_PARAMS.includes(key))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  if (token && ctx.state.clientTokens[token]) {
    const previous = ctx.state.clientTokens[token];
    if (previous.canonical !== canonical) {
      throw malformed('IdempotentParameterMismatch', 'The request uses the same client token as a previous, but non-identical request.');
    }
    return { RegionId: region, ImageId: previous.imageId, TaskId: previous.taskId };
  }
  const checked = disks.map((disk) => checkObject(ctx, region, disk));
  const roleName = params.get('RoleName') || IMPORT_ROLE;
  for (const bucket of new Set(disks.map((disk) => disk.bucket))) {
    if (ctx.ram.serviceRoleProblem(roleName, IMPORT_ROLE_ACTIONS, bucket, region)) {
      throw new AcsApiError(
        403,
        'NoSetRoletoECSServiceAcount',
        'ECS service account Have no right to access your OSS.please attach a role of access your oss to ECS service account.',
      );
    }
  }
  const imageName = params.get('ImageName');
  if (imageName && Object.values(ctx.state.images).some((image) => image.region === region && image.imageName === imageName)) {
    throw malformed('InvalidImageName.Duplicated', 'The destination image is exist.');
  }
  if (params.get('DryRun') === 'true') throw malformed('DRYRUN.SUCCESS', 'This request is a dryrun request with successful result.');

  const imageId = `m-${randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', 20)}`;
  const imageDisks: EcsImageDisk[] = disks.map((disk, index) => ({
    type: index === 0 ? 'system' : 'data',
    device: `/dev/xvd${String.fromCharCode(97 + index)}`,
    sizeGiB: disk.sizeGiB ?? Math.max(index === 0 ? 5 : 1, Math.ceil(checked[index].sizeBytes / GIB)),
    snapshotId: `s-${randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', 20)}`,
    encrypted: false,
    importOSSBucket: disk.bucket,
    importOSSObject: disk.object,
    format: checked[index].format,
    // What a later export of this image writes: the imported disk's size when small, else a small stand-in.
    virtualSizeBytes: Math.min(checked[index].virtualSizeBytes ?? checked[index].sizeBytes, 64 * 1024 * 1024),
  }));
  let plan = importPlan(ctx.now(), imageDisks.reduce((sum, disk) => sum + disk.sizeGiB, 0));
  if (taskFault === 'slow-task') plan = slowedDown(plan, 5);
  const taskId = newTaskId();
  const image: EcsImageState = {
    imageId,
    region,
    imageName: imageName ?? `import-${imageId}`,
    description: params.get('Description') ?? '',
    status: 'Creating',
    ownerAlias: 'self',
    osType: scalars.osType as 'linux' | 'windows',
    platform: scalars.platform,
    osName: scalars.platform,
    architecture: scalars.architecture,
    bootMode: scalars.bootMode,
    licenseType: scalars.licenseType,
    disks: imageDisks,
    creationTime: ctx.now(),
    tags,
    source: 'import',
    importTaskId: taskId,
  };
  const task: EcsTaskState = {
    taskId,
    region,
    action: 'ImportImage',
    imageId,
    bucket: disks[0].bucket,
    objects: disks.map((disk) => disk.object),
    format: checked[0].format,
    writeFormats: [],
    writeSizes: [],
    roleName,
    plan: taskFault === 'fail-task' ? { ...plan, failAtShare: 0.5 } : plan,
    ...(taskFault === 'fail-task' ? { failure: { code: 'ImportImageFailed', message: 'Importing image is failed, Please contact the administrator.' } } : {}),
    settled: false,
    ...(token ? { clientToken: token } : {}),
  };
  ctx.state.images[imageId] = image;
  ctx.state.tasks[taskId] = task;
  if (token) ctx.state.clientTokens[token] = { canonical, taskId, imageId };
  ctx.markDirty();
  return { RegionId: region, ImageId: imageId, TaskId: taskId };
}
