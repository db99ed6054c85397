import {
  compact,
  listAt,
  numberAt,
  recordOf,
  stringAt,
  TagCollector,
  type ConvertedEntry,
} from './converted-entry';
import { type PathSegment } from '../source-position';

const REQUEST = 'request';

/**
 * Converts the parameters of Alibaba Cloud ECS ExportImage (RegionId, ImageId, OSSBucket, OSSPrefix, ImageFormat,
 * RoleName; SDK plumbing such as OwnerId is accepted and ignored) to imageport's export fields.
 */
export function convertAlicloudExportRequest(request: unknown): ConvertedEntry {
  return {
    fields: compact({
      imageId: stringAt(request, 'ImageId'),
      format: stringAt(request, 'ImageFormat'),
      bucket: stringAt(request, 'OSSBucket'),
      prefix: stringAt(request, 'OSSPrefix'),
      roleName: stringAt(request, 'RoleName'),
    }),
    region: stringAt(request, 'RegionId'),
    paths: {
      region: [REQUEST, 'RegionId'],
      imageId: [REQUEST, 'ImageId'],
      format: [REQUEST, 'ImageFormat'],
      bucket: [REQUEST, 'OSSBucket'],
      prefix: [REQUEST, 'OSSPrefix'],
      roleName: [REQUEST, 'RoleName'],
    },
    issues: [],
  };
}

/**
 * Converts the parameters of Alibaba Cloud ECS ImportImage (RegionId, ImageName, Description, Architecture, OSType,
 * Platform, BootMode, LicenseType, RoleName, DetectionStrategy, DiskDeviceMapping, Tag, Features, ClientToken).
 */
export function convertAlicloudImportRequest(request: unknown): ConvertedEntry {
  const paths: Record<string, readonly PathSegment[]> = {
    region: [REQUEST, 'RegionId'],
    imageName: [REQUEST, 'ImageName'],
    description: [REQUEST, 'Description'],
    architecture: [REQUEST, 'Architecture'],
    osType: [REQUEST, 'OSType'],
    platform: [REQUEST, 'Platform'],
    bootMode: [REQUEST, 'BootMode'],
    licenseType: [REQUEST, 'LicenseType'],
    roleName: [REQUEST, 'RoleName'],
    detectionStrategy: [REQUEST, 'DetectionStrategy'],
    disks: [REQUEST, 'DiskDeviceMapping'],
    tags: [REQUEST, 'Tag'],
    nvmeSupport: [REQUEST, 'Features', 'NvmeSupport'],
    clientToken: [REQUEST, 'ClientToken'],
  };
  const disks = listAt(request, 'DiskDeviceMapping').map((mapping, index) => {
    const base: PathSegment[] = [REQUEST, 'DiskDeviceMapping', index];
    const sizeField = recordOf(mapping).DiskImageSize !== undefined ? 'DiskImageSize' : 'DiskImSize';
    paths[`disks[${index}]`] = base;
    paths[`disks[${index}].bucket`] = [...base, 'OSSBucket'];
    paths[`disks[${index}].key`] = [...base, 'OSSObject'];
    paths[`disks[${index}].format`] = [...base, 'Format'];
    paths[`disks[${index}].sizeGiB`] = [...base, sizeField];
    paths[`disks[${index}].deviceName`] = [...base, 'Device'];
    return compact({
      bucket: stringAt(mapping, 'OSSBucket'),
      key: stringAt(mapping, 'OSSObject'),
      format: stringAt(mapping, 'Format'),
      sizeGiB: numberAt(mapping, sizeField),
      deviceName: stringAt(mapping, 'Device'),
    });
  });
  const tags = new TagCollector();
  tags.addAll(listAt(request, 'Tag'), [REQUEST, 'Tag']);
  Object.assign(paths, tags.paths);
  return {
    fields: compact({
      disks,
      imageName: stringAt(request, 'ImageName'),
      description: stringAt(request, 'Description'),
      architecture: stringAt(request, 'Architecture'),
      osType: stringAt(request, 'OSType'),
      platform: stringAt(request, 'Platform'),
      bootMode: stringAt(request, 'BootMode'),
      licenseType: stringAt(request, 'LicenseType'),
      roleName: stringAt(request, 'RoleName'),
      detectionStrategy: stringAt(request, 'DetectionStrategy'),
      nvmeSupport: stringAt(recordOf(request).Features, 'NvmeSupport'),
      tags: tags.any ? tags.tags : undefined,
      clientToken: stringAt(request, 'ClientToken'),
    }),
    region: stringAt(request, 'RegionId'),
    paths,
    issues: tags.issues,
  };
}
