import { AcsApiError } from './acs-error';
import { type EcsContext } from './ecs-context';
import { ecsTime, type EcsImageState } from './ecs-state';
import { imageStatus, regionOf } from './ecs-tasks';

/** Image statuses of DescribeImages; its `Status` filter defaults to `Available`. */
export const IMAGE_STATUSES = ['Creating', 'Waiting', 'Available', 'UnAvailable', 'CreateFailed', 'Deprecated'] as const;

/** One image as DescribeImages answers it (`Images.Image[]`). */
export function imageJson(ctx: EcsContext, image: EcsImageState): Record<string, unknown> {
  const { status, progress } = imageStatus(ctx, image);
  const size = image.disks.find((disk) => disk.type === 'system')?.sizeGiB ?? 0;
  return {
    ImageId: image.imageId,
    ImageName: image.imageName,
    Description: image.description,
    Status: status,
    Progress: progress,
    ImageOwnerAlias: image.ownerAlias,
    ImageOwnerId: image.ownerAlias === 'self' ? Number(ctx.account) : 1,
    ...(image.productCode ? { ProductCode: image.productCode } : {}),
    IsSubscribed: image.ownerAlias === 'marketplace',
    IsSupportIoOptimized: true,
    IsSupportCloudinit: true,
    IsCopied: false,
    IsPublic: image.ownerAlias === 'system' || image.ownerAlias === 'marketplace',
    OSType: image.osType,
    Platform: image.platform,
    OSName: image.osName,
    OSNameEn: image.osName,
    Architecture: image.architecture,
    BootMode: image.bootMode,
    LicenseType: image.licenseType,
    Size: size,
    Usage: 'none',
    CreationTime: ecsTime(image.creationTime),
    DiskDeviceMappings: {
      DiskDeviceMapping: image.disks.map((disk) => ({
        Type: disk.type,
        Device: disk.device,
        Size: String(disk.sizeGiB),
        SnapshotId: disk.snapshotId,
        Encrypted: disk.encrypted,
        ...(disk.format ? { Format: disk.format } : {}),
        ...(disk.importOSSBucket ? { ImportOSSBucket: disk.importOSSBucket, ImportOSSObject: disk.importOSSObject } : {}),
        Progress: progress,
      })),
    },
    Tags: { Tag: Object.entries(image.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) },
  };
}

/**
 * DescribeImages: `ImageId` (comma-separated), `Status` (comma-separated; default `Available`, so images being created
 * are hidden unless asked for), `ImageOwnerAlias`, `ImageName`; PageNumber/PageSize (max 100, default 10).
 */
export function describeImages(ctx: EcsContext, params: ReadonlyMap<string, string>): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const pageNumber = Number(params.get('PageNumber') ?? 1);
  const pageSize = Number(params.get('PageSize') ?? 10);
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new AcsApiError(400, 'InvalidParameter', 'The specified parameter "PageNumber" is not valid.');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new AcsApiError(400, 'InvalidParameter', 'The specified parameter "PageSize" is not valid.');
  const ids = params.get('ImageId')?.split(',').map((id) => id.trim()).filter(Boolean);
  const statuses = (params.get('Status') || 'Available').split(',').map((s) => s.trim());
  for (const status of statuses) {
    if (status !== 'All' && !(IMAGE_STATUSES as readonly string[]).includes(status)) {
      throw new AcsApiError(400, 'InvalidStatus.ValueNotSupported', `The specified Status "${status}" is not supported.`);
    }
  }
  const owner = params.get('ImageOwnerAlias');
  const name = params.get('ImageName');
  const images = Object.values(ctx.state.images)
    .filter((image) => image.region === region)
    .filter((image) => !ids || ids.includes(image.imageId))
    .filter((image) => !owner || image.ownerAlias === owner)
    .filter((image) => !name || image.imageName === name)
    .filter((image) => statuses.includes('All') || statuses.includes(imageStatus(ctx, image).status))
    .sort((a, b) => b.creationTime - a.creationTime || (a.imageId < b.imageId ? -1 : 1));
  const page = images.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { RegionId: region, TotalCount: images.length, PageNumber: pageNumber, PageSize: pageSize, Images: { Image: page.map((image) => imageJson(ctx, image)) } };
}
