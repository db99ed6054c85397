import { type ImportSpec } from '../../model/import-spec';
import { type ValidationIssue } from '../../model/validation-issue';
import {
  DISK_IMAGE_SIZE_GIB,
  IMPORT_ARCHITECTURES,
  IMPORT_BOOT_MODES,
  IMPORT_DETECTION_STRATEGIES,
  IMPORT_FORMATS,
  IMPORT_LICENSE_TYPES,
  IMPORT_NVME_SUPPORT,
  IMPORT_OS_TYPES,
  IMPORT_PLATFORMS,
  MAX_IMPORT_DISKS,
  MAX_IMPORT_TAGS,
  SOURCE_IMPORT,
} from './constants';
import { redactUrl } from '../url-redaction';
import { IssueCollector, checkOssBucketName, checkRamRoleName, checkRegionId, isAscii, notAnObject } from './rule-helpers';

const NOT_ALIBABA = 'Alibaba Cloud ImportImage';

/**
 * Every problem with an Alibaba Cloud import spec, against the documented limits of ImportImage: disk mappings
 * (system disk first, at most 17, each a bucket object), Format, DiskImageSize, OSType, Platform, Architecture,
 * BootMode, LicenseType, ImageName, Description, Tag.N, ClientToken, DetectionStrategy, Features.NvmeSupport.
 * Pure: no network, no SDK.
 *
 * @param spec the spec, possibly untyped (YAML, Pulumi inputs)
 */
export function validateAlicloudImport(spec: ImportSpec): ValidationIssue[] {
  const notObject = notAnObject(spec, 'import', SOURCE_IMPORT);
  if (notObject) return [notObject];
  const issues = new IssueCollector(SOURCE_IMPORT);
  const input = spec as unknown as Record<string, unknown>;

  if (input.cloud !== 'alicloud') {
    issues.add('cloud', input.cloud, 'must be "alicloud" for the Alibaba Cloud driver', 'cloud.mismatch', ['alicloud']);
  }
  checkRegionId(issues, input.region);
  checkDisks(issues, input.disks);
  checkImageName(issues, input.imageName);
  checkDescription(issues, input.description);

  const architecture = issues.oneOf('architecture', input.architecture, IMPORT_ARCHITECTURES, 'architecture.not-allowed');
  const osType = issues.oneOf('osType', input.osType, IMPORT_OS_TYPES, 'osType.not-allowed');
  const platform = issues.oneOf('platform', input.platform, IMPORT_PLATFORMS, 'platform.not-allowed');
  const bootMode = issues.oneOf('bootMode', input.bootMode, IMPORT_BOOT_MODES, 'bootMode.not-allowed');
  issues.oneOf('licenseType', input.licenseType, IMPORT_LICENSE_TYPES, 'licenseType.not-allowed');
  issues.oneOf('detectionStrategy', input.detectionStrategy, IMPORT_DETECTION_STRATEGIES, 'detectionStrategy.not-allowed');
  issues.oneOf('nvmeSupport', input.nvmeSupport, IMPORT_NVME_SUPPORT, 'nvmeSupport.not-allowed');

  if (architecture === 'arm64' && bootMode === 'BIOS') {
    issues.add('bootMode', input.bootMode, 'must be UEFI when architecture is arm64', 'bootMode.arm64-needs-uefi', ['UEFI']);
  }
  const windowsPlatform = platform?.startsWith('Windows') ?? false;
  if (platform !== undefined && osType !== undefined && windowsPlatform !== (osType === 'windows')) {
    issues.add('osType', input.osType, `does not match platform "${platform}"`, 'osType.platform-mismatch', [windowsPlatform ? 'windows' : 'linux']);
  }
  if (platform !== undefined && osType === undefined && windowsPlatform) {
    issues.add('osType', input.osType, `must be "windows" for platform "${platform}" (the default is linux)`, 'osType.platform-mismatch', ['windows']);
  }

  checkRamRoleName(issues, 'roleName', input.roleName);
  checkAlicloudTags(issues, input.tags);
  checkClientToken(issues, input.clientToken);
  if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') {
    issues.add('dryRun', input.dryRun, 'must be true or false', 'dryRun.type');
  }
  for (const field of ['hypervisor', 'encrypted', 'kmsKeyId', 'clientData', 'licenseConfigurationArns', 'usageOperation']) {
    issues.unsupported(field, input[field], `${NOT_ALIBABA} (AWS only)`);
  }
  for (const field of ['osVersion', 'systemDiskSizeGiB', 'forceImport']) {
    issues.unsupported(field, input[field], `${NOT_ALIBABA} (JD Cloud only); use disks[0].sizeGiB for the system disk size`);
  }
  return issues.issues;
}

function checkDisks(issues: IssueCollector, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    issues.add('disks', value, 'must list at least one disk (the system disk first)', 'disks.required');
    return;
  }
  if (value.length > MAX_IMPORT_DISKS) {
    issues.add('disks', `${value.length} disks`, `must list at most ${MAX_IMPORT_DISKS} disks (the system disk and 16 data disks)`, 'disks.too-many');
  }
  value.forEach((disk: unknown, index) => checkDisk(issues, `disks[${index}]`, disk));
}

function checkDisk(issues: IssueCollector, path: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.add(path, value, 'must be an object with bucket and key', 'disk.type');
    return;
  }
  const disk = value as Record<string, unknown>;
  if ('url' in disk || 'snapshotId' in disk) {
    const which = 'url' in disk ? 'url' : 'snapshotId';
    // A pre-signed URL carries a key id and a signature: quote it without its query and user info.
    const given = typeof disk[which] === 'string' && which === 'url' ? redactUrl(disk[which] as string) : disk[which];
    issues.add(`${path}.${which}`, given, 'is not supported: Alibaba Cloud imports only from an OSS bucket and key in the same region', 'disk.source');
    return;
  }
  checkOssBucketName(issues, `${path}.bucket`, disk.bucket);
  const key = issues.requiredString(`${path}.key`, disk.key);
  if (key !== undefined) {
    if (Buffer.byteLength(key, 'utf8') > 1023) {
      issues.add(`${path}.key`, disk.key, 'must be at most 1023 bytes (OSS object naming rules)', 'key.length');
    }
    if (key.startsWith('/') || key.startsWith('\\')) {
      issues.add(`${path}.key`, disk.key, 'must not start with "/" or "\\" (OSS object naming rules)', 'key.start');
    }
  }
  issues.oneOf(`${path}.format`, disk.format, IMPORT_FORMATS, 'format.not-allowed');
  if (disk.sizeGiB !== undefined) {
    const size = disk.sizeGiB;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < DISK_IMAGE_SIZE_GIB.min || size > DISK_IMAGE_SIZE_GIB.max) {
      issues.add(`${path}.sizeGiB`, size, `must be a whole number of GiB from ${DISK_IMAGE_SIZE_GIB.min} to ${DISK_IMAGE_SIZE_GIB.max} (DiskImageSize)`, 'sizeGiB.range');
    }
  }
  issues.unsupported(`${path}.description`, disk.description, `${NOT_ALIBABA} (AWS only)`);
  issues.unsupported(`${path}.deviceName`, disk.deviceName, `${NOT_ALIBABA} (DiskDeviceMapping.N.Device is deprecated)`);
}

/** ImageName: 2-128 characters, starts with a letter, not `acs:`/`aliyun`, no `http(s)://`, letters digits . : _ -. */
function checkImageName(issues: IssueCollector, value: unknown): void {
  const name = issues.optionalString('imageName', value);
  if (name === undefined) return;
  if (name.length < 2 || name.length > 128) issues.add('imageName', value, 'must be 2 to 128 characters long', 'imageName.length');
  if (!/^[A-Za-z]/.test(name)) issues.add('imageName', value, 'must start with a letter', 'imageName.start');
  if (/^(acs:|aliyun)/i.test(name)) issues.add('imageName', value, 'must not start with "acs:" or "aliyun"', 'imageName.reserved');
  if (/https?:\/\//i.test(name)) issues.add('imageName', value, 'must not contain "http://" or "https://"', 'imageName.url');
  else if (!/^[A-Za-z0-9.:_-]*$/.test(name)) {
    issues.add('imageName', value, 'may contain only letters, digits, ".", ":", "_" and "-"', 'imageName.characters');
  }
}

/** Description: 2-256 characters, not starting with `http(s)://`. */
function checkDescription(issues: IssueCollector, value: unknown): void {
  const text = issues.optionalString('description', value);
  if (text === undefined) return;
  if (text.length < 2 || text.length > 256) issues.add('description', value, 'must be 2 to 256 characters long', 'description.length');
  if (/^https?:\/\//i.test(text)) issues.add('description', value, 'must not start with "http://" or "https://"', 'description.url');
}

/**
 * Tag.N (ImportImage, TagResources): at most 20; key 1-128, not `acs:`/`aliyun`, no URL; value at most 128, not
 * `acs:`, no URL. Records issues on `tags` / `tags.<key>`.
 */
export function checkAlicloudTags(issues: IssueCollector, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    issues.add('tags', value, 'must be a map of tag keys to values', 'tags.type');
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_IMPORT_TAGS) {
    issues.add('tags', `${entries.length} tags`, `must have at most ${MAX_IMPORT_TAGS} tags (Tag.N)`, 'tags.too-many');
  }
  for (const [key, tagValue] of entries) {
    const field = `tags.${key}`;
    if (key.length < 1 || key.length > 128) issues.add(field, key, 'key must be 1 to 128 characters long', 'tags.key-length');
    if (/^(acs:|aliyun)/i.test(key)) issues.add(field, key, 'key must not start with "acs:" or "aliyun"', 'tags.key-reserved');
    if (/https?:\/\//i.test(key)) issues.add(field, key, 'key must not contain "http://" or "https://"', 'tags.key-url');
    if (typeof tagValue !== 'string') {
      issues.add(field, tagValue, 'value must be a string', 'tags.value-type');
      continue;
    }
    if (tagValue.length > 128) issues.add(field, tagValue, 'value must be at most 128 characters long', 'tags.value-length');
    if (/^acs:/i.test(tagValue)) issues.add(field, tagValue, 'value must not start with "acs:"', 'tags.value-reserved');
    if (/https?:\/\//i.test(tagValue)) issues.add(field, tagValue, 'value must not contain "http://" or "https://"', 'tags.value-url');
  }
}

/** ClientToken: at most 64 ASCII characters. */
function checkClientToken(issues: IssueCollector, value: unknown): void {
  const token = issues.optionalString('clientToken', value);
  if (token === undefined) return;
  if (token.length > 64) issues.add('clientToken', value, 'must be at most 64 characters long', 'clientToken.length');
  if (!isAscii(token)) issues.add('clientToken', value, 'may contain only ASCII characters', 'clientToken.ascii');
}
