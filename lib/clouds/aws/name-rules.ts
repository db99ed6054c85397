import { type IssueCollector } from './issue-collector';

/** Where the S3 bucket naming rules come from. */
export const S3_BUCKET_RULES_SOURCE = 'Amazon S3 bucket naming rules';
/** Where the IAM name rules come from. */
export const IAM_NAME_RULES_SOURCE = 'IAM role name rules';
/** Where the tag rules come from. */
export const EC2_TAG_RULES_SOURCE = 'Amazon EC2 tag restrictions';

/** AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** AMI ids: `ami-` and 8 or 17 lower-case hex digits. */
export const AMI_ID_PATTERN = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** EBS snapshot ids: `snap-` and 8 or 17 lower-case hex digits. */
export const SNAPSHOT_ID_PATTERN = /^snap-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** IAM role names: 1-64 of `[\w+=,.@-]`. */
export const IAM_ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
/** Longest S3 object key, in UTF-8 bytes. */
export const S3_MAX_KEY_BYTES = 1024;
/** Most tags EC2 keeps on one resource. */
export const EC2_MAX_TAGS = 50;
/**
 * Tag key the driver adds to every task it starts, holding the idempotency token, so that a retried start and
 * preflight can recognise the task as their own (EC2 does not return the client token of a task).
 */
export const CLIENT_TOKEN_TAG_KEY = 'imageport:client-token';
/** Tag key prefix reserved for imageport's own tags. */
export const IMAGEPORT_TAG_PREFIX = 'imageport:';

const BUCKET_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Number of Unicode code points in a string (what AWS means by "characters"). */
export function characterCount(text: string): number {
  return [...text].length;
}

/**
 * Checks an S3 bucket name against every general-purpose bucket naming rule and records one issue per broken
 * rule (`bucket-name.*` codes), like the CDK's `Bucket` does.
 */
export function checkBucketName(issues: IssueCollector, field: string, name: string): void {
  const fail = (code: string, rule: string): void =>
    issues.add({ field, value: name, rule, code: `bucket-name.${code}`, source: S3_BUCKET_RULES_SOURCE });
  if (name.length < 3 || name.length > 63) fail('length', `must be 3 to 63 characters long (it has ${name.length})`);
  const bad = [...new Set(name.replace(/[a-z0-9.-]/g, ''))];
  if (bad.length > 0) {
    // At most ten of them: a long name of many scripts would otherwise make a rule of thousands of characters.
    const shown = bad.slice(0, 10).map((c) => JSON.stringify(c)).join(', ') + (bad.length > 10 ? ` and ${bad.length - 10} more` : '');
    fail('characters', `may contain only lower-case letters, digits, dots and hyphens (found ${shown})`);
  }
  if (name.length > 0 && (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name))) {
    fail('edges', 'must begin and end with a lower-case letter or a digit');
  }
  if (name.includes('..')) fail('adjacent-periods', 'must not contain two adjacent periods');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) fail('ip-address', 'must not be formatted as an IP address');
  const prefix = BUCKET_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) fail('reserved-prefix', `must not start with the reserved prefix "${prefix}"`);
  const suffix = BUCKET_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) fail('reserved-suffix', `must not end with the reserved suffix "${suffix}"`);
}

/** Checks an IAM role name (1-64 characters of letters, digits and `+=,.@_-`). */
export function checkRoleName(issues: IssueCollector, field: string, name: string): void {
  if (IAM_ROLE_NAME_PATTERN.test(name)) return;
  const rule =
    name.length === 0 || name.length > 64
      ? `must be 1 to 64 characters long (it has ${name.length})`
      : 'may contain only letters, digits and + = , . @ _ -';
  const code = name.length === 0 || name.length > 64 ? 'role-name.length' : 'role-name.characters';
  issues.add({ field, value: name, rule, code, source: IAM_NAME_RULES_SOURCE });
}

/** Checks an AWS region name (`us-east-1`). */
export function checkRegion(issues: IssueCollector, field: string, region: string): void {
  if (AWS_REGION_PATTERN.test(region)) return;
  issues.add({ field, value: region, rule: 'is not an AWS region name (like us-east-1 or eu-central-1)', code: 'region.format' });
}

/**
 * Checks an S3 object key or key prefix: at most `maxBytes` UTF-8 bytes, no control characters.
 * @param kind `key` (must not be empty) or `prefix`
 */
export function checkObjectKey(issues: IssueCollector, field: string, key: string, kind: 'key' | 'prefix', maxBytes = S3_MAX_KEY_BYTES): void {
  const source = 'Amazon S3 object key rules';
  if (kind === 'key' && key.length === 0) {
    issues.add({ field, value: key, rule: 'must not be empty', code: 'object-key.empty', source });
  }
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > maxBytes) {
    const why = kind === 'prefix' ? ` (S3 keys are at most ${S3_MAX_KEY_BYTES} bytes and AWS appends the task id and extension)` : '';
    issues.add({ field, value: key, rule: `must be at most ${maxBytes} UTF-8 bytes (it has ${bytes})${why}`, code: `object-${kind}.too-long`, source });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) {
    issues.add({ field, value: key, rule: 'must not contain control characters', code: `object-${kind}.control-characters`, source });
  }
}

/**
 * Checks EC2 tags given as a map: at most 49 (EC2 keeps 50 per resource and imageport uses one for its token),
 * keys 1-127 characters not starting with `aws:` or `imageport:`, values strings of at most 256 characters.
 */
export function checkTags(issues: IssueCollector, field: string, value: unknown): void {
  const tags = issues.object(field, value);
  if (!tags) return;
  const entries = Object.entries(tags);
  if (entries.length > EC2_MAX_TAGS - 1) {
    issues.add({
      field,
      value: `${entries.length} tags`,
      rule: `must hold at most ${EC2_MAX_TAGS - 1} tags (EC2 keeps ${EC2_MAX_TAGS} per resource; imageport uses one for its idempotency token)`,
      code: 'tags.too-many',
      source: EC2_TAG_RULES_SOURCE,
    });
  }
  for (const [key, tagValue] of entries) {
    const keyField = `${field}.${key}`;
    const length = characterCount(key);
    if (length < 1 || length > 127) {
      issues.add({ field: keyField, value: key, rule: `tag key must be 1 to 127 characters long (it has ${length})`, code: 'tag-key.length', source: EC2_TAG_RULES_SOURCE });
    }
    if (key.toLowerCase().startsWith('aws:')) {
      issues.add({ field: keyField, value: key, rule: 'tag key must not begin with "aws:" (reserved for AWS)', code: 'tag-key.reserved', source: EC2_TAG_RULES_SOURCE });
    } else if (key.toLowerCase().startsWith(IMAGEPORT_TAG_PREFIX)) {
      issues.add({ field: keyField, value: key, rule: `tag key must not begin with "${IMAGEPORT_TAG_PREFIX}" (reserved for imageport's own tags)`, code: 'tag-key.reserved', source: 'imageport' });
    }
    const text = issues.string(keyField, tagValue, true);
    if (text !== undefined && characterCount(text) > 256) {
      issues.add({ field: keyField, value: text, rule: `tag value must be at most 256 characters (it has ${characterCount(text)})`, code: 'tag-value.too-long', source: EC2_TAG_RULES_SOURCE });
    }
  }
}

/** Checks an EC2 client token: at most 64 printable ASCII characters. */
export function checkClientToken(issues: IssueCollector, field: string, token: string): void {
  const source = 'Amazon EC2 idempotency';
  if (token.length === 0 || token.length > 64) {
    issues.add({ field, value: token, rule: `must be 1 to 64 characters long (it has ${token.length})`, code: 'client-token.length', source });
  }
  if (!/^[\x20-\x7e]*$/.test(token)) {
    issues.add({ field, value: token, rule: 'must be printable ASCII characters only', code: 'client-token.characters', source });
  }
}

/**
 * Matches a value against a closed set in any letter case.
 * @returns the canonical spelling from `allowed`, or `undefined`
 */
export function matchAnyCase<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  const wanted = value.trim().toLowerCase();
  return allowed.find((a) => a.toLowerCase() === wanted);
}
