import { type ValidationIssue } from '../../model/validation-issue';
import { checkCommonFields, type ForeignField, type UntypedSpec } from './common-rules';
import { IssueCollector } from './issue-collector';
import { AMI_ID_PATTERN, S3_MAX_KEY_BYTES, characterCount, checkBucketName, checkObjectKey, matchAnyCase } from './name-rules';

/** Formats EC2 ExportImage writes (`DiskImageFormat`), in AWS's spelling. */
export const AWS_EXPORT_FORMATS = ['VMDK', 'RAW', 'VHD'] as const;

/** One of {@link AWS_EXPORT_FORMATS}. */
export type AwsExportFormat = (typeof AWS_EXPORT_FORMATS)[number];

/** Longest export description (documented for ExportImage `Description`). */
export const AWS_EXPORT_DESCRIPTION_MAX = 255;

/**
 * Longest key prefix: S3 keys are at most 1024 bytes and AWS appends `export-ami-` + 17 hex digits + `.` + the
 * extension (at most `vmdk`), 33 characters.
 */
export const AWS_EXPORT_PREFIX_MAX_BYTES = S3_MAX_KEY_BYTES - 'export-ami-0123456789abcdef0.vmdk'.length;

const SOURCE = 'AWS ExportImage';

/** Export fields other clouds have and AWS does not. */
const FOREIGN_EXPORT_FIELDS: readonly ForeignField[] = [{ field: 'allDisks', owner: 'JD Cloud' }];

/**
 * Every problem with an AWS export spec (EC2 ExportImage), all at once. Pure; accepts untyped input.
 *
 * Checks: required `region`, `imageId`, `format`, `bucket`; types; `format` one of VMDK, RAW, VHD (any case);
 * `imageId` an AMI id; `bucket` per S3 naming rules; `prefix` within S3 key limits; `roleName` per IAM rules;
 * `description` at most 255 characters; tags; `clientToken` at most 64 ASCII characters; fields AWS lacks.
 */
export function validateAwsExport(spec: unknown): ValidationIssue[] {
  const issues = new IssueCollector(SOURCE);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    issues.add({ field: '(spec)', value: spec, rule: 'must be an object with the export fields', code: 'type' });
    return issues.issues;
  }
  const fields = spec as UntypedSpec;
  checkCommonFields(issues, fields, 'ExportImage', FOREIGN_EXPORT_FIELDS);

  const imageId = issues.string('imageId', fields.imageId, true);
  if (imageId !== undefined && !AMI_ID_PATTERN.test(imageId)) {
    issues.add({
      field: 'imageId',
      value: imageId,
      rule: 'must be an AMI id: "ami-" and 8 or 17 lower-case hexadecimal digits (like ami-0123456789abcdef0)',
      code: 'image-id.format',
    });
  }

  const format = issues.string('format', fields.format);
  if (fields.format === undefined || fields.format === null) {
    issues.add({ field: 'format', value: undefined, rule: 'is required on AWS (DiskImageFormat has no default)', code: 'required', allowed: AWS_EXPORT_FORMATS });
  } else if (format !== undefined && !matchAnyCase(format, AWS_EXPORT_FORMATS)) {
    issues.add({ field: 'format', value: format, rule: 'is not an export format of AWS', code: 'format.not-allowed', allowed: AWS_EXPORT_FORMATS });
  }

  const bucket = issues.string('bucket', fields.bucket, true);
  if (bucket !== undefined) checkBucketName(issues, 'bucket', bucket);

  const prefix = issues.string('prefix', fields.prefix);
  if (prefix !== undefined) checkObjectKey(issues, 'prefix', prefix, 'prefix', AWS_EXPORT_PREFIX_MAX_BYTES);

  const description = issues.string('description', fields.description);
  if (description !== undefined && characterCount(description) > AWS_EXPORT_DESCRIPTION_MAX) {
    issues.add({
      field: 'description',
      value: description,
      rule: `must be at most ${AWS_EXPORT_DESCRIPTION_MAX} characters (it has ${characterCount(description)})`,
      code: 'description.too-long',
    });
  }
  return issues.issues;
}
