import { type ValidationIssue } from '../../model/validation-issue';
import { checkCommonFields, type ForeignField, type UntypedSpec } from './common-rules';
import { checkImportDisks } from './disk-rules';
import { IssueCollector } from './issue-collector';
import { matchAnyCase } from './name-rules';

/** Formats EC2 ImportImage reads (`DiskContainer.Format`), in AWS's spelling. */
export const AWS_IMPORT_FORMATS = ['OVA', 'VHD', 'VHDX', 'VMDK', 'RAW'] as const;
/** Architectures of an imported VM. `arm64` appears in ImportImage output and imports of UEFI arm64 VMs. */
export const AWS_IMPORT_ARCHITECTURES = ['i386', 'x86_64', 'arm64'] as const;
/** Platforms of an imported VM. */
export const AWS_IMPORT_PLATFORMS = ['Windows', 'Linux'] as const;
/** License types. */
export const AWS_LICENSE_TYPES = ['AWS', 'BYOL'] as const;
/** Hypervisors (ImportImage `Hypervisor`: "Valid values: xen"). */
export const AWS_HYPERVISORS = ['xen'] as const;
/** Boot modes ImportImage takes; `bios` is accepted as an alias of `legacy-bios`. */
export const AWS_IMPORT_BOOT_MODES = ['legacy-bios', 'uefi'] as const;
/** Usage operations documented for imports (VM Import/Export licensing table). */
export const AWS_USAGE_OPERATIONS = [
  'RunInstances',
  'RunInstances:0002',
  'RunInstances:0006',
  'RunInstances:0102',
  'RunInstances:0202',
  'RunInstances:0800',
  'RunInstances:0100',
  'RunInstances:0004',
  'RunInstances:0200',
] as const;

/** Boot-mode aliases imageport accepts on every cloud, mapped to AWS's spelling. */
export const AWS_BOOT_MODE_ALIASES: Readonly<Record<string, (typeof AWS_IMPORT_BOOT_MODES)[number]>> = { bios: 'legacy-bios' };

const SOURCE = 'AWS ImportImage';
const KMS_KEY_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/-]+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[\w-]+|alias\/[\w/-]+))$/;
const LICENSE_CONFIGURATION_ARN_PATTERN = /^arn:aws[a-z-]*:license-manager:[a-z0-9-]*:\d{12}:license-configuration:lic-[0-9a-f]+$/;

/** Import fields other clouds have and AWS does not. */
const FOREIGN_IMPORT_FIELDS: readonly ForeignField[] = [
  { field: 'imageName', owner: 'Alibaba Cloud and JD Cloud' },
  { field: 'osType', owner: 'Alibaba Cloud and JD Cloud' },
  { field: 'detectionStrategy', owner: 'Alibaba Cloud' },
  { field: 'nvmeSupport', owner: 'Alibaba Cloud' },
  { field: 'osVersion', owner: 'JD Cloud' },
  { field: 'systemDiskSizeGiB', owner: 'JD Cloud' },
  { field: 'forceImport', owner: 'JD Cloud' },
];

/** Resolves a boot mode (any case, `bios` alias) to AWS's spelling, or `undefined` when it is not one AWS takes. */
export function resolveAwsBootMode(value: string): (typeof AWS_IMPORT_BOOT_MODES)[number] | undefined {
  const lower = value.trim().toLowerCase();
  return AWS_BOOT_MODE_ALIASES[lower] ?? matchAnyCase(lower, AWS_IMPORT_BOOT_MODES);
}

/**
 * Every problem with an AWS import spec (EC2 ImportImage), all at once. Pure; accepts untyped input.
 *
 * Beyond the per-field rules (closed sets, formats, names) it checks the documented combinations:
 * `licenseType` and `usageOperation` are exclusive; `kmsKeyId` needs `encrypted: true`; UEFI refuses encryption and
 * license configurations and needs `platform` for a snapshot source; `uefi-preferred` is refused; Linux imports
 * must be 64-bit; arm64 boots only UEFI.
 */
export function validateAwsImport(spec: unknown): ValidationIssue[] {
  const issues = new IssueCollector(SOURCE);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    issues.add({ field: '(spec)', value: spec, rule: 'must be an object with the import fields', code: 'type' });
    return issues.issues;
  }
  const fields = spec as UntypedSpec;
  checkCommonFields(issues, fields, 'ImportImage', FOREIGN_IMPORT_FIELDS);
  const disks = checkImportDisks(issues, fields.disks, AWS_IMPORT_FORMATS);
  issues.string('description', fields.description);

  const architecture = closedSet(issues, 'architecture', fields.architecture, AWS_IMPORT_ARCHITECTURES, 'is not an architecture AWS imports');
  const platform = closedSet(issues, 'platform', fields.platform, AWS_IMPORT_PLATFORMS, 'is not a platform AWS imports');
  const licenseType = closedSet(issues, 'licenseType', fields.licenseType, AWS_LICENSE_TYPES, 'is not an AWS license type');
  closedSet(issues, 'hypervisor', fields.hypervisor, AWS_HYPERVISORS, 'is not a hypervisor AWS imports to');
  const usageOperation = closedSet(issues, 'usageOperation', fields.usageOperation, AWS_USAGE_OPERATIONS, 'is not a usage operation documented for imports', false);
  const bootMode = checkBootMode(issues, fields.bootMode);
  const encrypted = issues.boolean('encrypted', fields.encrypted);
  const kmsKeyId = issues.string('kmsKeyId', fields.kmsKeyId);
  const licenseArns = checkLicenseConfigurations(issues, fields.licenseConfigurationArns);
  checkClientData(issues, fields.clientData);

  if (licenseType !== undefined && usageOperation !== undefined) {
    issues.add({
      field: 'usageOperation',
      value: usageOperation,
      rule: `cannot be given together with licenseType (${JSON.stringify(licenseType)}): AWS returns an error when both are set; keep one`,
      code: 'usage-operation.exclusive',
    });
  }
  if (kmsKeyId !== undefined) {
    if (!KMS_KEY_PATTERN.test(kmsKeyId)) {
      issues.add({ field: 'kmsKeyId', value: kmsKeyId, rule: 'must be a KMS key id, key ARN, alias name (alias/…) or alias ARN', code: 'kms-key-id.format' });
    }
    // An encrypted flag of the wrong type has its own issue; comparing against it would only echo that problem.
    if (encrypted !== true && !isGivenButInvalid(fields.encrypted, encrypted)) {
      issues.add({ field: 'kmsKeyId', value: kmsKeyId, rule: 'requires encrypted: true (if a KmsKeyId is specified, the Encrypted flag must also be set)', code: 'kms-key-id.requires-encrypted' });
    }
  }
  if (bootMode === 'uefi') {
    if (encrypted === true) {
      issues.add({ field: 'encrypted', value: true, rule: 'cannot be used with bootMode uefi: UEFI imports cannot specify encryption', code: 'boot-mode.uefi-encryption' });
    }
    if (licenseArns.length > 0) {
      issues.add({ field: 'licenseConfigurationArns', value: licenseArns, rule: 'cannot be used with bootMode uefi: UEFI imports cannot specify a license configuration', code: 'boot-mode.uefi-license' });
    }
    if (platform === undefined && !isGivenButInvalid(fields.platform, platform) && disks.some((d) => d.source === 'snapshot')) {
      issues.add({ field: 'platform', value: undefined, rule: 'is required when importing a UEFI VM from an EBS snapshot', code: 'required' });
    }
  }
  if (platform === 'Linux' && architecture === 'i386') {
    issues.add({ field: 'architecture', value: fields.architecture, rule: 'must be 64-bit for a Linux import (AWS imports 64-bit Linux only)', code: 'architecture.linux-32-bit' });
  }
  if (architecture === 'arm64' && bootMode === 'legacy-bios') {
    issues.add({ field: 'bootMode', value: fields.bootMode, rule: 'must be uefi for an arm64 import (arm64 instances boot UEFI only)', code: 'boot-mode.arm64-bios' });
  }
  return issues.issues;
}

/** True when a field was given (not absent or null) but its reader refused it (the reader recorded why). */
function isGivenButInvalid(given: unknown, read: unknown): boolean {
  return given !== undefined && given !== null && read === undefined;
}

function closedSet<T extends string>(
  issues: IssueCollector,
  field: string,
  value: unknown,
  allowed: readonly T[],
  rule: string,
  anyCase = true,
): T | undefined {
  const text = issues.string(field, value);
  if (text === undefined) return undefined;
  const match = anyCase ? matchAnyCase(text, allowed) : allowed.find((a) => a === text);
  if (match === undefined) {
    const code = `${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.not-allowed`;
    issues.add({ field, value: text, rule, code, allowed });
  }
  return match;
}

function checkBootMode(issues: IssueCollector, value: unknown): (typeof AWS_IMPORT_BOOT_MODES)[number] | undefined {
  const text = issues.string('bootMode', value);
  if (text === undefined) return undefined;
  if (text.trim().toLowerCase() === 'uefi-preferred') {
    issues.add({
      field: 'bootMode',
      value: text,
      rule: 'is not supported for imports: AWS documents that "uefi-preferred boot mode isn\'t supported for importing images"; choose uefi or legacy-bios',
      code: 'boot-mode.uefi-preferred',
      allowed: [...AWS_IMPORT_BOOT_MODES, 'bios'],
    });
    return undefined;
  }
  const mode = resolveAwsBootMode(text);
  if (mode === undefined) {
    issues.add({ field: 'bootMode', value: text, rule: 'is not a boot mode AWS imports', code: 'boot-mode.not-allowed', allowed: [...AWS_IMPORT_BOOT_MODES, 'bios'] });
  }
  return mode;
}

function checkLicenseConfigurations(issues: IssueCollector, value: unknown): string[] {
  const list = issues.list('licenseConfigurationArns', value);
  if (!list) return [];
  const arns: string[] = [];
  list.forEach((item, index) => {
    const field = `licenseConfigurationArns[${index}]`;
    const arn = issues.string(field, item, true);
    if (arn === undefined) return;
    arns.push(arn);
    if (!LICENSE_CONFIGURATION_ARN_PATTERN.test(arn)) {
      issues.add({ field, value: arn, rule: 'must be a License Manager license configuration ARN (arn:aws:license-manager:<region>:<account>:license-configuration:lic-…)', code: 'license-configuration-arn.format' });
    }
  });
  return arns;
}

function checkClientData(issues: IssueCollector, value: unknown): void {
  const data = issues.object('clientData', value);
  if (!data) return;
  issues.string('clientData.comment', data.comment);
  const times: Record<string, number | undefined> = {};
  for (const name of ['uploadStart', 'uploadEnd'] as const) {
    const field = `clientData.${name}`;
    const text = issues.string(field, data[name]);
    if (text === undefined) continue;
    const time = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(time)) {
      issues.add({ field, value: text, rule: 'must be an ISO-8601 timestamp (like 2024-01-01T00:00:00Z)', code: 'client-data.timestamp' });
    } else {
      times[name] = time;
    }
  }
  if (times.uploadStart !== undefined && times.uploadEnd !== undefined && times.uploadEnd < times.uploadStart) {
    issues.add({ field: 'clientData.uploadEnd', value: data.uploadEnd, rule: 'must not be before clientData.uploadStart', code: 'client-data.order' });
  }
  const size = issues.number('clientData.uploadSize', data.uploadSize);
  if (size !== undefined && size < 0) {
    issues.add({ field: 'clientData.uploadSize', value: size, rule: 'must not be negative (GiB)', code: 'client-data.size' });
  }
}
