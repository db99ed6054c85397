import { type ValidationIssue } from '../../model/validation-issue';

/** Collects validation issues; every check adds to it and nothing throws. */
export class IssueCollector {
  /** Every issue found so far. */
  public readonly issues: ValidationIssue[] = [];

  /** @param source where the rules come from (`Alibaba Cloud ECS ExportImage`) */
  constructor(private readonly source: string) {}

  /**
   * Records one issue.
   * @param field dotted path of the field
   * @param value the offending value
   * @param rule the broken rule, as a sentence fragment
   * @param code stable code (`prefix.characters`)
   * @param allowed the allowed values, for a closed set
   */
  public add(field: string, value: unknown, rule: string, code: string, allowed?: readonly string[]): void {
    this.issues.push({ field, value, rule, code, source: this.source, ...(allowed ? { allowed } : {}) });
  }

  /** Records an issue when `value` is present but not a string; returns the string, or `undefined`. */
  public optionalString(field: string, value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.add(field, value, 'must be a string', `${codeName(field)}.type`);
      return undefined;
    }
    return value;
  }

  /** Records an issue when `value` is missing, empty or not a string; returns the string, or `undefined`. */
  public requiredString(field: string, value: unknown): string | undefined {
    if (value === undefined || value === null || value === '') {
      this.add(field, value, 'is required', 'required');
      return undefined;
    }
    return this.optionalString(field, value);
  }

  /**
   * Checks a value against a closed set, ignoring letter case; returns the set's own spelling, or `undefined`
   * (absent or not allowed).
   */
  public oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], code: string): T | undefined {
    const text = this.optionalString(field, value);
    if (text === undefined) return undefined;
    const found = allowed.find((candidate) => candidate.toLowerCase() === text.trim().toLowerCase());
    if (!found) this.add(field, value, 'is not an allowed value', code, allowed);
    return found;
  }

  /** Records an issue for a field the cloud does not take. */
  public unsupported(field: string, value: unknown, what: string): void {
    if (value === undefined || value === null) return;
    this.add(field, value, `is not supported by ${what}; remove it`, `${codeName(field)}.unsupported`);
  }
}

/**
 * The name a code starts with: the field's last name, without list positions (`disks[2].format` gives `format`,
 * `buckets[0]` gives `buckets`).
 */
function codeName(field: string): string {
  return field.replace(/\[\d+\]/g, '').replace(/^.*\./, '');
}

/**
 * The issue for a spec that is not an object at all (YAML and Pulumi hand over anything), or `undefined` when it is
 * one: the validators read its fields only after this check.
 */
export function notAnObject(spec: unknown, what: string, source: string): ValidationIssue | undefined {
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) return undefined;
  return { field: '(spec)', value: spec, rule: `must be an object with the ${what} fields`, code: 'type', source };
}

/** True when every character of `text` is 7-bit ASCII. */
export function isAscii(text: string): boolean {
  return [...text].every((character) => character.charCodeAt(0) < 128);
}

/**
 * Checks a region id (`cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`).
 * @param issues where to record problems
 * @param value the given region
 */
export function checkRegionId(issues: IssueCollector, value: unknown): void {
  const region = issues.requiredString('region', value);
  if (region !== undefined && !/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) {
    issues.add('region', value, 'must be an Alibaba Cloud region id such as cn-hangzhou or ap-southeast-1', 'region.format');
  }
}

/**
 * Checks an OSS bucket name against every naming rule (3-63 characters; lowercase letters, digits and hyphens;
 * starts and ends with a letter or digit), one issue per broken rule.
 * @param issues where to record problems
 * @param field field path
 * @param value the given name
 */
export function checkOssBucketName(issues: IssueCollector, field: string, value: unknown): void {
  const name = issues.requiredString(field, value);
  if (name === undefined) return;
  if (name.length < 3 || name.length > 63) {
    issues.add(field, value, 'must be 3 to 63 characters long (OSS bucket naming rules)', 'bucket.length');
  }
  if (!/^[a-z0-9-]*$/.test(name)) {
    issues.add(field, value, 'may contain only lowercase letters, digits and hyphens (OSS bucket naming rules)', 'bucket.characters');
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    issues.add(field, value, 'must start and end with a lowercase letter or a digit (OSS bucket naming rules)', 'bucket.edges');
  }
}

/**
 * Checks a RAM role name: 1-64 characters, letters, digits, periods and hyphens.
 * @param issues where to record problems
 * @param field field path
 * @param value the given name (absent is fine)
 */
export function checkRamRoleName(issues: IssueCollector, field: string, value: unknown): void {
  const name = issues.optionalString(field, value);
  if (name === undefined) return;
  if (name.length < 1 || name.length > 64) {
    issues.add(field, value, 'must be 1 to 64 characters long (RAM role names)', 'roleName.length');
  }
  if (!/^[A-Za-z0-9.-]*$/.test(name)) {
    issues.add(field, value, 'may contain only letters, digits, periods and hyphens (RAM role names)', 'roleName.characters');
  }
}
