import { normalizeDiskFormat, type DiskFormat } from '../../model/disk-format';
import { type AlicloudExportSpec } from '../../model/export-spec';
import { isBucketDisk, type AlicloudImportSpec } from '../../model/import-spec';
import { type ExportImageParams, type ImportImageParams } from './api';
import {
  DEFAULT_EXPORT_FORMAT,
  EXPORT_ROLE_NAME,
  IMPORT_ARCHITECTURES,
  IMPORT_BOOT_MODES,
  IMPORT_FORMATS,
  IMPORT_LICENSE_TYPES,
  IMPORT_NVME_SUPPORT,
  IMPORT_OS_TYPES,
  IMPORT_PLATFORMS,
  IMPORT_ROLE_NAME,
} from './constants';

/** The format an export asks for (`ImageFormat`), canonical lower case; `raw` when not given. */
export function exportFormatOf(spec: Pick<AlicloudExportSpec, 'format'>): DiskFormat {
  return normalizeDiskFormat(spec.format ?? DEFAULT_EXPORT_FORMAT) ?? 'raw';
}

/** The role an export uses: the spec's, else `AliyunECSImageExportDefaultRole`. */
export function exportRoleOf(spec: Pick<AlicloudExportSpec, 'roleName'>): string {
  return spec.roleName ?? EXPORT_ROLE_NAME;
}

/** The role an import uses: the spec's, else `AliyunECSImageImportDefaultRole`. */
export function importRoleOf(spec: Pick<AlicloudImportSpec, 'roleName'>): string {
  return spec.roleName ?? IMPORT_ROLE_NAME;
}

/**
 * The ExportImage request for a (validated) spec: RegionId, ImageId, OSSBucket, OSSPrefix, ImageFormat (always sent,
 * lower case), RoleName (always sent, the default role when not given).
 */
export function buildExportImageParams(spec: AlicloudExportSpec): ExportImageParams {
  return {
    regionId: spec.region,
    imageId: spec.imageId,
    OSSBucket: spec.bucket,
    ...(spec.prefix ? { OSSPrefix: spec.prefix } : {}),
    imageFormat: exportFormatOf(spec),
    roleName: exportRoleOf(spec),
    ...(spec.dryRun ? { dryRun: true } : {}),
  };
}

/** The documented spelling of a value of a closed set, matched ignoring case; the value itself when not found. */
function canonical<T extends string>(value: string | undefined, allowed: readonly T[]): string | undefined {
  if (value === undefined) return undefined;
  return allowed.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase()) ?? value;
}

/**
 * The ImportImage request for a (validated) spec: DiskDeviceMapping (system disk first; Format upper case,
 * DiskImageSize), OSType, Platform, Architecture, BootMode (`bios`/`uefi` accepted; UEFI by default for arm64),
 * LicenseType, ImageName, Description, Tag.N, RoleName (default role when not given), ClientToken (the spec's, else
 * the given token), DetectionStrategy, Features.NvmeSupport.
 *
 * @param spec the import spec
 * @param token the idempotency token to send when the spec has no clientToken
 */
export function buildImportImageParams(spec: AlicloudImportSpec, token?: string): ImportImageParams {
  const architecture = canonical(spec.architecture, IMPORT_ARCHITECTURES);
  const bootMode = canonical(spec.bootMode, IMPORT_BOOT_MODES) ?? (architecture === 'arm64' ? 'UEFI' : undefined);
  const clientToken = spec.clientToken ?? token;
  const tags = Object.entries(spec.tags ?? {});
  return {
    regionId: spec.region,
    diskDeviceMapping: spec.disks.filter(isBucketDisk).map((disk) => ({
      OSSBucket: disk.bucket,
      OSSObject: disk.key,
      ...(disk.format ? { format: canonical(disk.format, IMPORT_FORMATS) } : {}),
      ...(disk.sizeGiB !== undefined ? { diskImageSize: disk.sizeGiB } : {}),
    })),
    ...(spec.imageName ? { imageName: spec.imageName } : {}),
    ...(spec.description ? { description: spec.description } : {}),
    ...(architecture ? { architecture } : {}),
    ...(spec.osType ? { OSType: canonical(spec.osType, IMPORT_OS_TYPES) } : {}),
    ...(spec.platform ? { platform: canonical(spec.platform, IMPORT_PLATFORMS) } : {}),
    ...(bootMode ? { bootMode } : {}),
    ...(spec.licenseType ? { licenseType: canonical(spec.licenseType, IMPORT_LICENSE_TYPES) } : {}),
    roleName: importRoleOf(spec),
    ...(clientToken ? { clientToken } : {}),
    ...(spec.detectionStrategy ? { detectionStrategy: 'Standard' } : {}),
    ...(spec.nvmeSupport ? { features: { nvmeSupport: canonical(spec.nvmeSupport, IMPORT_NVME_SUPPORT) } } : {}),
    ...(tags.length > 0 ? { tag: tags.map(([key, value]) => ({ key, value })) } : {}),
    ...(spec.dryRun ? { dryRun: true } : {}),
  };
}
