import { type PreflightProblem } from '../../model/preflight';
import { type EcsImage } from './api';
import { IMAGE_FORMAT_REGIONS, MAX_EXPORT_DATA_DISK_GIB, MAX_EXPORT_DATA_DISKS } from './constants';

/**
 * Why ExportImage would refuse this image, from its DescribeImages record (queried with every status): missing, not
 * Available, not a custom image of this account, derived from a Marketplace image, encrypted snapshots, more than 4
 * data disks or one over 500 GiB, Windows Server. Pure.
 *
 * @param imageId the image asked for
 * @param region the region it was looked up in
 * @param image the record, or `undefined` when DescribeImages did not find it
 */
export function exportImageProblems(imageId: string, region: string, image: EcsImage | undefined): PreflightProblem[] {
  if (!image) {
    return [
      {
        subject: 'image',
        code: 'image.missing',
        message: `image ${imageId} does not exist in ${region} (ExportImage would answer InvalidImageId.NotFound)`,
        fix: 'check the image id and the region; images are regional',
      },
    ];
  }
  const problems: PreflightProblem[] = [];
  if (image.status !== 'Available') {
    problems.push({
      subject: 'image',
      code: 'image.not-available',
      message: `image ${imageId} is ${image.status ?? 'in an unknown state'}, not Available (ExportImage would answer IncorrectImageStatus)`,
      fix: 'wait until the image is Available',
    });
  }
  const owner = (image.imageOwnerAlias ?? '').toLowerCase();
  if (owner === 'marketplace' || image.productCode || image.isSubscribed) {
    problems.push({
      subject: 'image',
      code: 'image.marketplace',
      message: `image ${imageId} comes from Alibaba Cloud Marketplace${image.productCode ? ` (product ${image.productCode})` : ''}; such images cannot be exported (ImageNotSupported)`,
      fix: 'export a custom image that was not created from a Marketplace image',
    });
  } else if (owner === 'system' || owner === 'others') {
    problems.push({
      subject: 'image',
      code: 'image.not-custom',
      message: `image ${imageId} is a ${owner === 'system' ? 'public' : 'shared'} image; only custom images of this account can be exported (InvalidImageCategory.NotSupported)`,
      fix: 'create a custom image from it (CopyImage or an instance snapshot) and export that',
    });
  }
  const disks = image.diskDeviceMappings?.diskDeviceMapping ?? [];
  const encrypted = disks.filter((disk) => disk.encrypted === true || String(disk.encrypted) === 'true');
  if (encrypted.length > 0) {
    problems.push({
      subject: 'image',
      code: 'image.encrypted',
      message: `image ${imageId} has encrypted snapshots (${encrypted.map((d) => d.snapshotId ?? d.device ?? '?').join(', ')}); they cannot be exported (ImageNotSupported)`,
      fix: 'create an unencrypted copy of the image and export that',
    });
  }
  const dataDisks = disks.filter((disk) => (disk.type ?? '').toLowerCase() === 'data');
  if (dataDisks.length > MAX_EXPORT_DATA_DISKS) {
    problems.push({
      subject: 'image',
      code: 'image.too-many-data-disks',
      message: `image ${imageId} has ${dataDisks.length} data disks; ExportImage takes at most ${MAX_EXPORT_DATA_DISKS} (InvalidImage.DiskAmountOrSize)`,
      fix: `create an image with at most ${MAX_EXPORT_DATA_DISKS} data disks`,
    });
  }
  const big = dataDisks.filter((disk) => Number(disk.size ?? 0) > MAX_EXPORT_DATA_DISK_GIB);
  if (big.length > 0) {
    problems.push({
      subject: 'image',
      code: 'image.data-disk-too-big',
      message: `image ${imageId} has data disks over ${MAX_EXPORT_DATA_DISK_GIB} GiB (${big.map((d) => `${d.device ?? d.snapshotId ?? '?'}: ${d.size} GiB`).join(', ')}) (InvalidImage.DiskAmountOrSize)`,
      fix: `create an image whose data disks are at most ${MAX_EXPORT_DATA_DISK_GIB} GiB`,
    });
  }
  if ((image.OSType ?? '').toLowerCase() === 'windows' || /windows/i.test(image.platform ?? '')) {
    problems.push({
      subject: 'image',
      code: 'image.windows',
      message: `image ${imageId} runs ${image.platform || 'Windows'}; images containing Windows Server cannot be exported`,
      fix: 'export Linux images only',
    });
  }
  return problems;
}

/**
 * Why ExportImage would refuse the format in this region: ImageFormat is honoured only in the regions the ExportImage
 * document lists; elsewhere a non-RAW format gives `InvalidImageFormat.RegionNotSupported`.
 */
export function exportFormatProblems(region: string, format: string): PreflightProblem[] {
  if (format === 'raw' || IMAGE_FORMAT_REGIONS.includes(region)) return [];
  return [
    {
      subject: 'region',
      code: 'region.format-not-supported',
      message: `${region} exports RAW only; format ${format} is honoured only in ${IMAGE_FORMAT_REGIONS.join(', ')} (InvalidImageFormat.RegionNotSupported)`,
      fix: 'use format raw, or copy the image to a region that honours ImageFormat and export it there',
    },
  ];
}
