import { type CloudRules } from '../cloud-rules';
import { normalizeDiskFormat } from '../../model/disk-format';
import { type ExportSpec } from '../../model/export-spec';
import { type ImportSpec } from '../../model/import-spec';
import { type ValidationIssue } from '../../model/validation-issue';
import { redactUrl } from '../url-redaction';

const EXPORT_SOURCE = 'JD Cloud vm exportImage';
const IMPORT_SOURCE = 'JD Cloud vm importImage';
const BUCKET_SOURCE = 'JD Cloud OSS bucket naming';

/** The only format exportImage writes. */
export const JD_EXPORT_FORMATS = ['qcow2'] as const;
/** `diskFormat` values of importImage. */
export const JD_IMPORT_FORMATS = ['qcow2', 'vhd', 'vmdk', 'raw'] as const;
/** `architecture` values of importImage. */
export const JD_ARCHITECTURES = ['x86_64', 'arm64'] as const;
/** `osType` values of importImage. */
export const JD_OS_TYPES = ['windows', 'linux'] as const;
/** `platform` values of importImage, and the `osType` each implies. */
export const JD_PLATFORMS = ['Ubuntu', 'CentOS', 'Windows Server', 'Other Linux', 'Other Windows'] as const;
/** `bootMode` values of importImage. */
export const JD_BOOT_MODES = ['bios', 'uefi'] as const;

const PLATFORM_OS_TYPE: Readonly<Record<string, string>> = {
  Ubuntu: 'linux',
  CentOS: 'linux',
  'Other Linux': 'linux',
  'Windows Server': 'windows',
  'Other Windows': 'windows',
};

/** Export fields other clouds take and JD Cloud does not. */
const EXPORT_FOREIGN_FIELDS: Readonly<Record<string, string>> = {
  description: 'AWS ExportImage only: JD exportImage has no description',
  tags: 'AWS ExportImage only: JD exportImage takes no tags',
};

/** Import fields other clouds take and JD Cloud does not. */
const IMPORT_FOREIGN_FIELDS: Readonly<Record<string, string>> = {
  licenseType: 'AWS and Alibaba only: JD importImage has no license type',
  roleName: 'AWS and Alibaba only: JD importImage takes no role',
  tags: 'AWS and Alibaba only: JD importImage takes no tags',
  hypervisor: 'AWS only',
  encrypted: 'AWS only',
  kmsKeyId: 'AWS only',
  clientData: 'AWS only',
  licenseConfigurationArns: 'AWS only',
  usageOperation: 'AWS only',
  detectionStrategy: 'Alibaba Cloud only',
  nvmeSupport: 'Alibaba Cloud only',
};

type Issues = ValidationIssue[];

function issue(
  issues: Issues,
  field: string,
  value: unknown,
  rule: string,
  code: string,
  source: string,
  allowed?: readonly string[],
): void {
  issues.push(allowed ? { field, value, rule, code, source, allowed } : { field, value, rule, code, source });
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Region ids look like `cn-east-2`. */
function checkRegion(issues: Issues, value: unknown, source: string): void {
  if (!isPresent(value) || value === '') {
    issue(issues, 'region', value, 'is required', 'region.required', source);
  } else if (typeof value !== 'string' || !/^[a-z]{2,}-[a-z]+-\d+$/.test(value)) {
    issue(issues, 'region', value, 'must be a JD Cloud region id such as cn-east-2 or cn-north-1', 'region.invalid', source);
  }
}

/**
 * Every problem with a JD OSS bucket name (3-63 characters; lower-case letters, digits and `-`; starts and ends with
 * a letter or digit; no consecutive hyphens), one issue per broken rule.
 */
export function bucketNameIssues(field: string, value: unknown): ValidationIssue[] {
  const issues: Issues = [];
  if (!isPresent(value) || value === '') {
    issue(issues, field, value, 'is required', `bucket.required`, BUCKET_SOURCE);
    return issues;
  }
  if (typeof value !== 'string') {
    issue(issues, field, value, 'must be a string', 'bucket.type', BUCKET_SOURCE);
    return issues;
  }
  if (value.length < 3 || value.length > 63) {
    issue(issues, field, value, `must be 3 to 63 characters long (it has ${value.length})`, 'bucket.length', BUCKET_SOURCE);
  }
  if (!/^[a-z0-9-]*$/.test(value)) {
    issue(issues, field, value, 'may contain only lower-case letters, digits and hyphens', 'bucket.characters', BUCKET_SOURCE);
  }
  if (!/^[a-z0-9]/.test(value) || !/[a-z0-9]$/.test(value)) {
    issue(issues, field, value, 'must start and end with a lower-case letter or a digit', 'bucket.edges', BUCKET_SOURCE);
  }
  if (value.includes('--')) {
    issue(issues, field, value, 'must not contain consecutive hyphens', 'bucket.consecutive-hyphens', BUCKET_SOURCE);
  }
  return issues;
}

/** Role (and policy) names: 4-64 characters, letters, digits, `-` and `_`, starting with a letter (JD IAM). */
export function iamNameIssues(field: string, value: unknown, what: 'role' | 'policy', required: boolean): ValidationIssue[] {
  const issues: Issues = [];
  const source = what === 'role' ? 'JD Cloud IAM createRole' : 'JD Cloud IAM createPolicy';
  if (!isPresent(value) || value === '') {
    if (required) issue(issues, field, value, 'is required', `${field}.required`, source);
    return issues;
  }
  if (typeof value !== 'string' || value.length < 4 || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(value)) {
    issue(
      issues,
      field,
      value,
      'must be 4 to 64 characters of letters, digits, "-" and "_", starting with a letter',
      `${field}.invalid`,
      source,
    );
  }
  return issues;
}

function checkClientToken(issues: Issues, value: unknown, source: string): void {
  if (!isPresent(value)) return;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    issue(issues, 'clientToken', value, 'must be a string of 1 to 64 characters', 'clientToken.invalid', source);
  }
}

function checkForeign(issues: Issues, spec: Record<string, unknown>, fields: Readonly<Record<string, string>>, source: string): void {
  for (const [field, why] of Object.entries(fields)) {
    const value = spec[field];
    if (!isPresent(value)) continue;
    if (field === 'tags' && typeof value === 'object' && Object.keys(value as object).length === 0) continue;
    issue(issues, field, value, `is not supported on JD Cloud (${why})`, `${field}.not-supported`, source);
  }
}

/** The issue for a spec that is not an object at all (YAML and Pulumi hand over anything), else `undefined`. */
function notAnObject(spec: unknown, what: string, source: string): ValidationIssue | undefined {
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) return undefined;
  return { field: '(spec)', value: spec, rule: `must be an object with the ${what} fields`, code: 'type', source };
}

/** `dryRun`: JD has no dry run, so only `false` (or nothing) is accepted; a non-boolean is a type issue. */
function checkDryRun(issues: Issues, value: unknown, rule: string, source: string): void {
  if (value === true) issue(issues, 'dryRun', value, rule, 'dryRun.not-supported', source);
  else if (isPresent(value) && typeof value !== 'boolean') issue(issues, 'dryRun', value, 'must be true or false', 'dryRun.type', source);
}

function checkCloud(issues: Issues, value: unknown, source: string): void {
  if (value !== 'jdcloud') issue(issues, 'cloud', value, 'must be "jdcloud" for the JD Cloud rules', 'cloud.mismatch', source, ['jdcloud']);
}

/** Every problem with an export spec, against JD Cloud's documented limits. */
export function validateJdcloudExport(spec: ExportSpec): ValidationIssue[] {
  const notObject = notAnObject(spec, 'export', EXPORT_SOURCE);
  if (notObject) return [notObject];
  const raw = spec as unknown as Record<string, unknown>;
  const issues: Issues = [];
  checkCloud(issues, raw.cloud, EXPORT_SOURCE);
  checkRegion(issues, raw.region, EXPORT_SOURCE);

  const imageId = raw.imageId;
  if (!isPresent(imageId) || imageId === '') {
    issue(issues, 'imageId', imageId, 'is required', 'imageId.required', EXPORT_SOURCE);
  } else if (typeof imageId !== 'string' || !/^img-[a-z0-9]+$/.test(imageId)) {
    issue(issues, 'imageId', imageId, 'must be a JD Cloud private image id: "img-" followed by lower-case letters and digits', 'imageId.invalid', EXPORT_SOURCE);
  }

  if (isPresent(raw.format)) {
    const format = normalizeDiskFormat(raw.format);
    if (format !== 'qcow2') {
      issue(issues, 'format', raw.format, 'is not an export format of JD Cloud (exportImage always writes QCOW2)', 'format.not-allowed', EXPORT_SOURCE, JD_EXPORT_FORMATS);
    }
  }

  issues.push(...bucketNameIssues('bucket', raw.bucket));

  const prefix = raw.prefix;
  if (isPresent(prefix) && prefix !== '') {
    if (typeof prefix !== 'string' || !/^[A-Za-z0-9]+$/.test(prefix)) {
      issue(issues, 'prefix', prefix, 'may contain only letters and digits (ossPrefix)', 'prefix.characters', EXPORT_SOURCE);
    }
    if (typeof prefix === 'string' && prefix.length > 32) {
      issue(issues, 'prefix', prefix, `must be at most 32 characters (it has ${prefix.length})`, 'prefix.too-long', EXPORT_SOURCE);
    }
  }

  issues.push(...iamNameIssues('roleName', raw.roleName, 'role', true));
  checkClientToken(issues, raw.clientToken, EXPORT_SOURCE);
  if (isPresent(raw.allDisks) && typeof raw.allDisks !== 'boolean') {
    issue(issues, 'allDisks', raw.allDisks, 'must be true or false (isAllDisk)', 'allDisks.type', EXPORT_SOURCE);
  }
  checkDryRun(issues, raw.dryRun, 'is not supported on JD Cloud (exportImage has no dry run; preflight checks instead)', EXPORT_SOURCE);
  checkForeign(issues, raw, EXPORT_FOREIGN_FIELDS, EXPORT_SOURCE);
  return issues;
}

function checkEnum(issues: Issues, field: string, value: unknown, allowed: readonly string[], caseInsensitive: boolean): string | undefined {
  if (!isPresent(value)) return undefined;
  const text = typeof value === 'string' ? value : undefined;
  const found = text === undefined ? undefined : allowed.find((a) => (caseInsensitive ? a.toLowerCase() === text.toLowerCase() : a === text));
  if (!found) {
    issue(issues, field, value, 'is not one of the values JD Cloud accepts', `${field}.not-allowed`, IMPORT_SOURCE, allowed);
  }
  return found;
}

/**
 * Image names follow JD's general parameter rules: 1-32 characters of Chinese characters, letters, digits, `_` and
 * `-`. (The exact rule text is from JD's "公共参数规范"; treat the character set as the documented one.)
 */
export function imageNameIssues(field: string, value: unknown): ValidationIssue[] {
  const issues: Issues = [];
  if (!isPresent(value) || value === '') {
    issue(issues, field, value, 'is required on JD Cloud', `${field}.required`, IMPORT_SOURCE);
  } else if (typeof value !== 'string' || value.length > 32 || !/^[\u4e00-\u9fa5A-Za-z0-9_-]+$/u.test(value)) {
    issue(issues, field, value, 'must be 1 to 32 characters of Chinese characters, letters, digits, "_" and "-"', `${field}.invalid`, IMPORT_SOURCE);
  }
  return issues;
}

function checkDisk(issues: Issues, disks: unknown): void {
  if (!Array.isArray(disks) || disks.length === 0) {
    issue(issues, 'disks', disks, 'must list exactly one disk (the system disk), given by url or by bucket and key', 'disks.required', IMPORT_SOURCE);
    return;
  }
  if (disks.length > 1) {
    issue(issues, 'disks', `${disks.length} disks`, 'must list exactly one disk: JD importImage imports one system disk', 'disks.too-many', IMPORT_SOURCE);
  }
  if (typeof disks[0] !== 'object' || disks[0] === null || Array.isArray(disks[0])) {
    issue(issues, 'disks[0]', disks[0], 'must be an object with url, or bucket and key, and format', 'disks.type', IMPORT_SOURCE);
    return;
  }
  const disk = disks[0] as Record<string, unknown>;
  const hasUrl = isPresent(disk.url);
  const hasBucket = isPresent(disk.bucket) || isPresent(disk.key);
  if (isPresent(disk.snapshotId)) {
    issue(issues, 'disks[0].snapshotId', disk.snapshotId, 'is not supported on JD Cloud (AWS only); give url or bucket and key', 'disks.snapshot-not-supported', IMPORT_SOURCE);
  }
  if (hasUrl && hasBucket) {
    const url = typeof disk.url === 'string' ? redactUrl(disk.url) : disk.url;
    issue(issues, 'disks[0]', { url, bucket: disk.bucket, key: disk.key }, 'must give either url or bucket and key, not both', 'disks.ambiguous-source', IMPORT_SOURCE);
  } else if (hasUrl) {
    if (typeof disk.url !== 'string' || !/^https?:\/\/[^\s/]+\/\S+$/.test(disk.url)) {
      // A presigned link carries a key id and a signature: quote it without its query and user info.
      const url = typeof disk.url === 'string' ? redactUrl(disk.url) : disk.url;
      issue(issues, 'disks[0].url', url, 'must be an http(s) link to the object in JD OSS (imageUrl)', 'disks.url-invalid', IMPORT_SOURCE);
    }
  } else if (hasBucket) {
    issues.push(...bucketNameIssues('disks[0].bucket', disk.bucket));
    if (typeof disk.key !== 'string' || disk.key.length === 0) {
      issue(issues, 'disks[0].key', disk.key, 'is required with a bucket', 'disks.key-required', IMPORT_SOURCE);
    }
  } else if (!isPresent(disk.snapshotId)) {
    issue(issues, 'disks[0]', disk, 'must give url, or bucket and key', 'disks.source-required', IMPORT_SOURCE);
  }
  if (!isPresent(disk.format)) {
    issue(issues, 'disks[0].format', disk.format, 'is required on JD Cloud (diskFormat)', 'disks.format-required', IMPORT_SOURCE, JD_IMPORT_FORMATS);
  } else {
    const format = normalizeDiskFormat(disk.format);
    if (!format || !(JD_IMPORT_FORMATS as readonly string[]).includes(format)) {
      issue(issues, 'disks[0].format', disk.format, 'is not a disk format JD importImage reads', 'disks.format-not-allowed', IMPORT_SOURCE, JD_IMPORT_FORMATS);
    }
  }
  for (const field of ['description', 'deviceName']) {
    if (isPresent(disk[field])) {
      issue(issues, `disks[0].${field}`, disk[field], 'is not supported on JD Cloud (AWS only)', `disks.${field}-not-supported`, IMPORT_SOURCE);
    }
  }
}

function checkSystemDiskSize(issues: Issues, field: string, value: unknown): void {
  if (!isPresent(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 40 || value > 500 || value % 10 !== 0) {
    issue(issues, field, value, 'must be a whole number of GiB from 40 to 500 and a multiple of 10 (systemDiskSizeGB)', 'systemDiskSizeGiB.invalid', IMPORT_SOURCE);
  }
}

/** Every problem with an import spec, against JD Cloud's documented limits. */
export function validateJdcloudImport(spec: ImportSpec): ValidationIssue[] {
  const notObject = notAnObject(spec, 'import', IMPORT_SOURCE);
  if (notObject) return [notObject];
  const raw = spec as unknown as Record<string, unknown>;
  const issues: Issues = [];
  checkCloud(issues, raw.cloud, IMPORT_SOURCE);
  checkRegion(issues, raw.region, IMPORT_SOURCE);
  checkDisk(issues, raw.disks);
  checkEnum(issues, 'architecture', raw.architecture, JD_ARCHITECTURES, false);
  const osType = checkEnum(issues, 'osType', raw.osType, JD_OS_TYPES, true);
  const platform = checkEnum(issues, 'platform', raw.platform, JD_PLATFORMS, false);
  if (platform && osType && PLATFORM_OS_TYPE[platform] !== osType) {
    issue(issues, 'platform', raw.platform, `is a ${PLATFORM_OS_TYPE[platform]} platform but osType is ${osType}`, 'platform.os-type-mismatch', IMPORT_SOURCE);
  } else if (platform && !isPresent(raw.osType) && PLATFORM_OS_TYPE[platform] !== 'linux') {
    // The driver sends osType linux when none is given: a Windows platform needs osType windows spelled out.
    issue(issues, 'platform', raw.platform, `is a ${PLATFORM_OS_TYPE[platform]} platform but osType is linux (the default); set osType: windows`, 'platform.os-type-mismatch', IMPORT_SOURCE);
  }
  checkEnum(issues, 'bootMode', raw.bootMode, JD_BOOT_MODES, true);
  checkSystemDiskSize(issues, 'systemDiskSizeGiB', raw.systemDiskSizeGiB);
  // The disk's own size is the system disk size when systemDiskSizeGiB is absent; given, it must be one either way.
  const firstDisk = Array.isArray(raw.disks) ? raw.disks[0] : undefined;
  if (typeof firstDisk === 'object' && firstDisk !== null) checkSystemDiskSize(issues, 'disks[0].sizeGiB', (firstDisk as Record<string, unknown>).sizeGiB);
  issues.push(...imageNameIssues('imageName', raw.imageName));
  if (isPresent(raw.osVersion) && (typeof raw.osVersion !== 'string' || raw.osVersion.length === 0 || raw.osVersion.length > 64)) {
    issue(issues, 'osVersion', raw.osVersion, 'must be a short version string such as "7.4"', 'osVersion.invalid', IMPORT_SOURCE);
  }
  if (isPresent(raw.description) && (typeof raw.description !== 'string' || raw.description.length > 256)) {
    issue(issues, 'description', raw.description, 'must be a string of at most 256 characters', 'description.too-long', IMPORT_SOURCE);
  }
  if (isPresent(raw.forceImport) && typeof raw.forceImport !== 'boolean') {
    issue(issues, 'forceImport', raw.forceImport, 'must be true or false', 'forceImport.type', IMPORT_SOURCE);
  }
  checkClientToken(issues, raw.clientToken, IMPORT_SOURCE);
  checkDryRun(issues, raw.dryRun, 'is not supported on JD Cloud (importImage has no dry run)', IMPORT_SOURCE);
  checkForeign(issues, raw, IMPORT_FOREIGN_FIELDS, IMPORT_SOURCE);
  return issues;
}

/** JD Cloud's documented limits as pure functions (no network, no SDK). */
export const jdcloudRules: CloudRules = {
  cloud: 'jdcloud',
  exportFormats: ['QCOW2'],
  importFormats: JD_IMPORT_FORMATS,
  defaultExportFormat: 'qcow2',
  defaultExportRole: undefined,
  defaultImportRole: undefined,
  validateExport: validateJdcloudExport,
  validateImport: validateJdcloudImport,
};
