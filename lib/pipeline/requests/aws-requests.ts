import {
  booleanAt,
  compact,
  listAt,
  numberAt,
  recordOf,
  stringAt,
  TagCollector,
  type ConversionIssue,
  type ConvertedEntry,
} from './converted-entry';
import { type PathSegment } from '../source-position';

const REQUEST = 'request';

/**
 * Converts the input of `aws ec2 export-image --cli-input-json` (EC2 ExportImage: DiskImageFormat, ImageId,
 * S3ExportLocation {S3Bucket, S3Prefix}, RoleName, Description, TagSpecifications, ClientToken, DryRun) to
 * imageport's export fields.
 */
export function convertAwsExportRequest(request: unknown): ConvertedEntry {
  const location = recordOf(request).S3ExportLocation;
  const tags = new TagCollector();
  const issues: ConversionIssue[] = [];
  const paths: Record<string, readonly PathSegment[]> = {
    imageId: [REQUEST, 'ImageId'],
    format: [REQUEST, 'DiskImageFormat'],
    bucket: [REQUEST, 'S3ExportLocation', 'S3Bucket'],
    prefix: [REQUEST, 'S3ExportLocation', 'S3Prefix'],
    roleName: [REQUEST, 'RoleName'],
    description: [REQUEST, 'Description'],
    tags: [REQUEST, 'TagSpecifications'],
    clientToken: [REQUEST, 'ClientToken'],
  };
  collectTagSpecifications(request, 'export-image-task', tags, issues);
  Object.assign(paths, tags.paths);
  return {
    fields: compact({
      imageId: stringAt(request, 'ImageId'),
      format: stringAt(request, 'DiskImageFormat'),
      bucket: stringAt(location, 'S3Bucket'),
      prefix: stringAt(location, 'S3Prefix'),
      roleName: stringAt(request, 'RoleName'),
      description: stringAt(request, 'Description'),
      tags: tags.any ? tags.tags : undefined,
      clientToken: stringAt(request, 'ClientToken'),
    }),
    paths,
    issues: [...issues, ...tags.issues],
  };
}

/**
 * Converts the input of `aws ec2 import-image --cli-input-json` (EC2 ImportImage: DiskContainers, Architecture,
 * ClientData, Encrypted, KmsKeyId, LicenseType, Platform, RoleName, TagSpecifications, UsageOperation, BootMode, …).
 */
export function convertAwsImportRequest(request: unknown): ConvertedEntry {
  const issues: ConversionIssue[] = [];
  const paths: Record<string, readonly PathSegment[]> = {
    disks: [REQUEST, 'DiskContainers'],
    architecture: [REQUEST, 'Architecture'],
    clientData: [REQUEST, 'ClientData'],
    clientToken: [REQUEST, 'ClientToken'],
    description: [REQUEST, 'Description'],
    encrypted: [REQUEST, 'Encrypted'],
    hypervisor: [REQUEST, 'Hypervisor'],
    kmsKeyId: [REQUEST, 'KmsKeyId'],
    licenseType: [REQUEST, 'LicenseType'],
    platform: [REQUEST, 'Platform'],
    roleName: [REQUEST, 'RoleName'],
    licenseConfigurationArns: [REQUEST, 'LicenseSpecifications'],
    tags: [REQUEST, 'TagSpecifications'],
    usageOperation: [REQUEST, 'UsageOperation'],
    bootMode: [REQUEST, 'BootMode'],
  };
  const disks = listAt(request, 'DiskContainers').map((container, index) => {
    const base: PathSegment[] = [REQUEST, 'DiskContainers', index];
    const bucket = recordOf(container).UserBucket;
    paths[`disks[${index}]`] = base;
    paths[`disks[${index}].format`] = [...base, 'Format'];
    paths[`disks[${index}].bucket`] = [...base, 'UserBucket', 'S3Bucket'];
    paths[`disks[${index}].key`] = [...base, 'UserBucket', 'S3Key'];
    paths[`disks[${index}].url`] = [...base, 'Url'];
    paths[`disks[${index}].snapshotId`] = [...base, 'SnapshotId'];
    paths[`disks[${index}].description`] = [...base, 'Description'];
    paths[`disks[${index}].deviceName`] = [...base, 'DeviceName'];
    const sources = [bucket !== undefined, stringAt(container, 'Url') !== undefined, stringAt(container, 'SnapshotId') !== undefined];
    if (sources.filter(Boolean).length !== 1) {
      issues.push({
        path: base,
        value: container,
        rule: 'needs exactly one of UserBucket, Url, SnapshotId',
        code: 'request.disk-source',
      });
    }
    return compact({
      bucket: stringAt(bucket, 'S3Bucket'),
      key: stringAt(bucket, 'S3Key'),
      url: stringAt(container, 'Url'),
      snapshotId: stringAt(container, 'SnapshotId'),
      format: stringAt(container, 'Format'),
      description: stringAt(container, 'Description'),
      deviceName: stringAt(container, 'DeviceName'),
    });
  });
  const clientData = recordOf(request).ClientData;
  const tags = new TagCollector();
  collectTagSpecifications(request, 'import-image-task', tags, issues);
  Object.assign(paths, tags.paths);
  const arns = listAt(request, 'LicenseSpecifications')
    .map((spec) => stringAt(spec, 'LicenseConfigurationArn'))
    .filter((arn): arn is string => arn !== undefined);
  return {
    fields: compact({
      disks,
      architecture: stringAt(request, 'Architecture'),
      clientData:
        clientData === undefined
          ? undefined
          : compact({
              comment: stringAt(clientData, 'Comment'),
              uploadStart: stringAt(clientData, 'UploadStart'),
              uploadEnd: stringAt(clientData, 'UploadEnd'),
              uploadSize: numberAt(clientData, 'UploadSize'),
            }),
      clientToken: stringAt(request, 'ClientToken'),
      description: stringAt(request, 'Description'),
      encrypted: booleanAt(request, 'Encrypted'),
      hypervisor: stringAt(request, 'Hypervisor'),
      kmsKeyId: stringAt(request, 'KmsKeyId'),
      licenseType: stringAt(request, 'LicenseType'),
      platform: stringAt(request, 'Platform'),
      roleName: stringAt(request, 'RoleName'),
      licenseConfigurationArns: arns.length > 0 ? arns : undefined,
      tags: tags.any ? tags.tags : undefined,
      usageOperation: stringAt(request, 'UsageOperation'),
      bootMode: stringAt(request, 'BootMode'),
    }),
    paths,
    issues: [...issues, ...tags.issues],
  };
}

function collectTagSpecifications(request: unknown, resourceType: string, tags: TagCollector, issues: ConversionIssue[]): void {
  listAt(request, 'TagSpecifications').forEach((specification, index) => {
    const type = stringAt(specification, 'ResourceType');
    if (type !== undefined && type !== resourceType) {
      issues.push({
        path: [REQUEST, 'TagSpecifications', index, 'ResourceType'],
        value: type,
        rule: `must be ${resourceType} for this call`,
        code: 'request.tag-resource-type',
      });
    }
    tags.addAll(listAt(specification, 'Tags'), [REQUEST, 'TagSpecifications', index, 'Tags']);
  });
}
