import { type ExportSpec } from '../../model/export-spec';
import { type ValidationIssue } from '../../model/validation-issue';
import { EXPORT_FORMATS, SOURCE_EXPORT } from './constants';
import { IssueCollector, checkOssBucketName, checkRamRoleName, checkRegionId, notAnObject } from './rule-helpers';

/**
 * Every problem with an Alibaba Cloud export spec, against the documented limits of ExportImage: RegionId, ImageId
 * (`m-…`), OSSBucket (OSS bucket naming rules), OSSPrefix (1-30 letters and digits), ImageFormat (raw, vhd, qcow2,
 * vmdk, vdi), RoleName; fields ExportImage does not take (description, tags, clientToken, allDisks) are issues too.
 * Pure: no network, no SDK.
 *
 * @param spec the spec, possibly untyped (YAML, Pulumi inputs)
 */
export function validateAlicloudExport(spec: ExportSpec): ValidationIssue[] {
  const notObject = notAnObject(spec, 'export', SOURCE_EXPORT);
  if (notObject) return [notObject];
  const issues = new IssueCollector(SOURCE_EXPORT);
  const input = spec as unknown as Record<string, unknown>;

  if (input.cloud !== 'alicloud') {
    issues.add('cloud', input.cloud, 'must be "alicloud" for the Alibaba Cloud driver', 'cloud.mismatch', ['alicloud']);
  }
  checkRegionId(issues, input.region);

  const imageId = issues.requiredString('imageId', input.imageId);
  if (imageId !== undefined && !/^m-[0-9a-z]+$/.test(imageId)) {
    issues.add('imageId', input.imageId, 'must be an ECS custom image id: "m-" followed by lowercase letters and digits', 'imageId.format');
  }

  checkOssBucketName(issues, 'bucket', input.bucket);
  checkPrefix(issues, input.prefix);
  checkFormat(issues, input.format);
  checkRamRoleName(issues, 'roleName', input.roleName);

  if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') {
    issues.add('dryRun', input.dryRun, 'must be true or false', 'dryRun.type');
  }
  issues.unsupported('description', input.description, 'Alibaba Cloud ExportImage (AWS only)');
  issues.unsupported('tags', input.tags, 'Alibaba Cloud ExportImage (AWS only)');
  issues.unsupported(
    'clientToken',
    input.clientToken,
    'Alibaba Cloud ExportImage, which has no client token (imageport adopts a running export of the same image instead)',
  );
  issues.unsupported('allDisks', input.allDisks, 'Alibaba Cloud ExportImage, which always exports every disk (JD Cloud only)');
  return issues.issues;
}

/** OSSPrefix: "1 to 30 characters in length and can contain digits and letters" (ExportImage doc). */
function checkPrefix(issues: IssueCollector, value: unknown): void {
  const prefix = issues.optionalString('prefix', value);
  if (prefix === undefined) return;
  if (prefix.length < 1 || prefix.length > 30) {
    issues.add('prefix', value, 'must be 1 to 30 characters long (omit it for no prefix)', 'prefix.length');
  }
  if (!/^[A-Za-z0-9]*$/.test(prefix)) {
    // At most ten of them: a long prefix of many scripts would otherwise make a rule of thousands of characters.
    const bad = [...new Set(prefix.replace(/[A-Za-z0-9]/g, ''))];
    const found = bad.slice(0, 10).map((c) => JSON.stringify(c)).join(', ') + (bad.length > 10 ? ` and ${bad.length - 10} more` : '');
    issues.add('prefix', value, `may contain only letters and digits (found ${found}); ECS joins it to the file name itself`, 'prefix.characters');
  }
}

/** ImageFormat: raw, vhd, qcow2, vmdk, vdi, any letter case. */
function checkFormat(issues: IssueCollector, value: unknown): void {
  const format = issues.optionalString('format', value);
  if (format === undefined) return;
  const lower = format.trim().toLowerCase();
  if (lower === 'raw.tar.gz') {
    issues.add('format', value, 'is what a RAW export produces, not a format to ask for: use "raw"', 'format.not-allowed', EXPORT_FORMATS);
  } else if (!(EXPORT_FORMATS as readonly string[]).includes(lower)) {
    issues.add('format', value, 'is not an ExportImage format', 'format.not-allowed', EXPORT_FORMATS);
  }
}
