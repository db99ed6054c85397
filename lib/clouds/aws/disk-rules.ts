import { describeValue } from '../../model/validation-issue';
import { redactUrl } from '../url-redaction';
import { IssueCollector } from './issue-collector';
import { S3_BUCKET_RULES_SOURCE, SNAPSHOT_ID_PATTERN, checkBucketName, checkObjectKey, matchAnyCase } from './name-rules';

/** @see {@link redactUrl} (shared by every cloud's rules; exported here for existing callers). */
export { redactUrl };

/** Most disks one ImportImage may carry ("A VM import task fails for VMs with more than 21 volumes attached"). */
export const AWS_IMPORT_MAX_DISKS = 21;

/** Which kind of source a disk names. */
export type DiskSourceKind = 'bucket' | 'url' | 'snapshot';

/** What the disk checks learned about one disk, for the combination rules. */
export interface CheckedDisk {
  /** The disk's source kind, when exactly one was given. @default - none or several */
  readonly source?: DiskSourceKind;
}

/**
 * Checks `disks`: a list of 1 to 21 disk sources, each exactly one of `bucket` + `key`, `url` (`https://` or
 * `s3://`) or `snapshotId` (`snap-…`), with a `format` from `formats` for file sources.
 */
export function checkImportDisks(issues: IssueCollector, value: unknown, formats: readonly string[]): CheckedDisk[] {
  const disks = issues.list('disks', value, true);
  if (!disks) return [];
  if (disks.length === 0) {
    issues.add({ field: 'disks', value: [], rule: 'must name at least one disk (the system disk first)', code: 'disks.empty' });
  }
  if (disks.length > AWS_IMPORT_MAX_DISKS) {
    issues.add({
      field: 'disks',
      value: `${disks.length} disks`,
      rule: `must hold at most ${AWS_IMPORT_MAX_DISKS} disks (a VM import fails with more than ${AWS_IMPORT_MAX_DISKS} volumes)`,
      code: 'disks.too-many',
    });
  }
  return disks.map((disk, index) => checkDisk(issues, `disks[${index}]`, disk, formats));
}

function checkDisk(issues: IssueCollector, field: string, value: unknown, formats: readonly string[]): CheckedDisk {
  const disk = issues.object(field, value, true);
  if (!disk) return {};
  const kinds: DiskSourceKind[] = [];
  if (disk.bucket !== undefined || disk.key !== undefined) kinds.push('bucket');
  if (disk.url !== undefined) kinds.push('url');
  if (disk.snapshotId !== undefined) kinds.push('snapshot');
  if (kinds.length !== 1) {
    issues.add({
      field,
      value: kinds.length === 0 ? undefined : `${kinds.join(' and ')} sources`,
      rule: kinds.length === 0
        ? 'must name its source: bucket and key, url, or snapshotId'
        : `must name exactly one source, not ${kinds.join(' and ')}: bucket and key, url, or snapshotId`,
      code: 'disk.source',
    });
  }
  for (const kind of kinds) checkSource(issues, field, disk, kind);

  const format = issues.string(`${field}.format`, disk.format);
  if (format !== undefined && !matchAnyCase(format, formats)) {
    issues.add({ field: `${field}.format`, value: format, rule: 'is not an import format of AWS', code: 'format.not-allowed', allowed: formats });
  } else if (disk.format === undefined && kinds.length === 1 && kinds[0] !== 'snapshot') {
    issues.add({ field: `${field}.format`, value: undefined, rule: 'is required for a disk file (AWS does not detect the format)', code: 'required', allowed: formats });
  }
  issues.string(`${field}.description`, disk.description);
  issues.string(`${field}.deviceName`, disk.deviceName);
  if (disk.sizeGiB !== undefined) {
    issues.add({
      field: `${field}.sizeGiB`,
      value: disk.sizeGiB,
      rule: 'is not supported on AWS: ImportImage DiskContainer has no such parameter (it is an Alibaba Cloud and JD Cloud field; AWS reads the size from the file)',
      code: 'field.unsupported',
    });
  }
  return { source: kinds.length === 1 ? kinds[0] : undefined };
}

function checkSource(issues: IssueCollector, field: string, disk: Record<string, unknown>, kind: DiskSourceKind): void {
  if (kind === 'bucket') {
    const bucket = issues.string(`${field}.bucket`, disk.bucket, true);
    if (bucket !== undefined) checkBucketName(issues, `${field}.bucket`, bucket);
    const key = issues.string(`${field}.key`, disk.key, true);
    if (key !== undefined) checkObjectKey(issues, `${field}.key`, key, 'key');
  } else if (kind === 'url') {
    const url = issues.string(`${field}.url`, disk.url, true);
    if (url !== undefined) checkUrl(issues, `${field}.url`, url);
  } else {
    const id = issues.string(`${field}.snapshotId`, disk.snapshotId, true);
    if (id !== undefined && !SNAPSHOT_ID_PATTERN.test(id)) {
      issues.add({
        field: `${field}.snapshotId`,
        value: id,
        rule: 'must be an EBS snapshot id: "snap-" and 8 or 17 lower-case hexadecimal digits',
        code: 'snapshot-id.format',
      });
    }
  }
}

function checkUrl(issues: IssueCollector, field: string, url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 's3:')) {
    issues.add({ field, value: redactUrl(url), rule: 'must be an https:// or s3:// URL', code: 'url.scheme' });
    return;
  }
  if (parsed.protocol === 's3:') {
    if (parsed.hostname) checkUrlBucket(issues, field, url, parsed.hostname);
    else issues.add({ field, value: redactUrl(url), rule: 'must name a bucket: s3://bucket/key', code: 'url.bucket' });
    const key = decodeKey(parsed.pathname.replace(/^\//, ''));
    if (key === undefined) {
      issues.add({
        field,
        value: redactUrl(url),
        rule: 'must percent-encode its key: a "%" must start an escape like %20 (write %25 for a literal "%")',
        code: 'url.key-encoding',
      });
    } else if (!key) {
      issues.add({ field, value: redactUrl(url), rule: 'must name an object: s3://bucket/key', code: 'url.key' });
    }
  } else if (!parsed.hostname) {
    issues.add({ field, value: redactUrl(url), rule: 'must name a host', code: 'url.host' });
  }
}

/**
 * Checks the bucket of an `s3://` URL against the S3 naming rules; the issues name the URL field (the bucket is
 * part of its value, not a field of its own) and quote the bucket in the rule.
 */
function checkUrlBucket(issues: IssueCollector, field: string, url: string, bucket: string): void {
  const bucketIssues = new IssueCollector(S3_BUCKET_RULES_SOURCE);
  checkBucketName(bucketIssues, field, bucket);
  for (const issue of bucketIssues.issues) {
    issues.add({ ...issue, value: redactUrl(url), rule: `names the bucket ${describeValue(bucket)}, which ${issue.rule}` });
  }
}

/** The percent-decoded key of an `s3://` URL, or `undefined` when its escapes are malformed (`100%.vmdk`). */
function decodeKey(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
