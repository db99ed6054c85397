import {
  type ExportImageCommandInput,
  type ImageDiskContainer,
  type ImportImageCommandInput,
  type Tag,
} from '@aws-sdk/client-ec2';
import { type AwsExportSpec } from '../../model/export-spec';
import { type AwsImportSpec, type DiskSource } from '../../model/import-spec';
import { AWS_EXPORT_FORMATS } from './export-rules';
import {
  AWS_IMPORT_ARCHITECTURES,
  AWS_IMPORT_FORMATS,
  AWS_IMPORT_PLATFORMS,
  AWS_LICENSE_TYPES,
  resolveAwsBootMode,
} from './import-rules';
import { CLIENT_TOKEN_TAG_KEY, matchAnyCase } from './name-rules';

/** The EC2 tag list of a spec's tags plus imageport's token tag. */
export function taskTags(tags: Readonly<Record<string, string>> | undefined, token: string): Tag[] {
  return [...Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })), { Key: CLIENT_TOKEN_TAG_KEY, Value: token }];
}

/** The token tag of a task's tags, if any. */
export function tokenOfTags(tags: readonly Tag[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === CLIENT_TOKEN_TAG_KEY)?.Value;
}

/**
 * The ExportImage request of a validated spec. `DiskImageFormat` in AWS's spelling, the token as `ClientToken`,
 * tags as `TagSpecifications` of type `export-image-task` (plus the token tag).
 */
export function exportImageInput(spec: AwsExportSpec, token: string): ExportImageCommandInput {
  return {
    ImageId: spec.imageId,
    DiskImageFormat: matchAnyCase(String(spec.format), AWS_EXPORT_FORMATS),
    S3ExportLocation: { S3Bucket: spec.bucket, ...(spec.prefix ? { S3Prefix: spec.prefix } : {}) },
    ...(spec.roleName !== undefined ? { RoleName: spec.roleName } : {}),
    ...(spec.description !== undefined ? { Description: spec.description } : {}),
    ClientToken: token,
    TagSpecifications: [{ ResourceType: 'export-image-task', Tags: taskTags(spec.tags, token) }],
  };
}

/** One ImportImage disk container of a validated disk source. */
export function diskContainer(disk: DiskSource): ImageDiskContainer {
  const base: ImageDiskContainer = {
    ...(disk.format !== undefined ? { Format: matchAnyCase(String(disk.format), AWS_IMPORT_FORMATS) } : {}),
    ...(disk.description !== undefined ? { Description: disk.description } : {}),
    ...(disk.deviceName !== undefined ? { DeviceName: disk.deviceName } : {}),
  };
  if ('snapshotId' in disk) return { ...base, SnapshotId: disk.snapshotId };
  if ('url' in disk) return { ...base, Url: disk.url };
  return { ...base, UserBucket: { S3Bucket: disk.bucket, S3Key: disk.key } };
}

/**
 * The ImportImage request of a validated spec: closed-set values in AWS's spelling (`bios` → `legacy-bios`), the
 * token as `ClientToken` (ImportImage does not fill one itself), tags of type `import-image-task`.
 */
export function importImageInput(spec: AwsImportSpec, token: string): ImportImageCommandInput {
  const pick = <T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined =>
    value === undefined ? undefined : matchAnyCase(value, allowed);
  const input: ImportImageCommandInput = {
    DiskContainers: spec.disks.map(diskContainer),
    Architecture: pick(spec.architecture, AWS_IMPORT_ARCHITECTURES),
    Platform: pick(spec.platform, AWS_IMPORT_PLATFORMS),
    LicenseType: pick(spec.licenseType, AWS_LICENSE_TYPES),
    UsageOperation: spec.usageOperation,
    Hypervisor: spec.hypervisor?.toLowerCase(),
    BootMode: spec.bootMode !== undefined ? resolveAwsBootMode(spec.bootMode) : undefined,
    Encrypted: spec.encrypted,
    KmsKeyId: spec.kmsKeyId,
    RoleName: spec.roleName,
    Description: spec.description,
    ClientToken: token,
    LicenseSpecifications: spec.licenseConfigurationArns?.map((arn) => ({ LicenseConfigurationArn: arn })),
    ClientData: spec.clientData
      ? {
          Comment: spec.clientData.comment,
          UploadStart: spec.clientData.uploadStart ? new Date(spec.clientData.uploadStart) : undefined,
          UploadEnd: spec.clientData.uploadEnd ? new Date(spec.clientData.uploadEnd) : undefined,
          UploadSize: spec.clientData.uploadSize,
        }
      : undefined,
    TagSpecifications: [{ ResourceType: 'import-image-task', Tags: taskTags(spec.tags, token) }],
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ImportImageCommandInput;
}
