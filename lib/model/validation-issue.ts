/**
 * One problem found by a validator: which field, which value, which rule.
 *
 * Validators never stop at the first problem; they return every issue at once so a user fixes a spec in one pass.
 * Front ends decide how to surface the list (CDK: throw at synth; Pulumi: `check` failures; CLI: file:line:col).
 */
export interface ValidationIssue {
  /**
   * Path of the offending field in the spec, dotted, with `[n]` for list items: `format`, `tags.aws:team`,
   * `disks[0].bucket`.
   */
  readonly field: string;
  /** The offending value, as given (may be `undefined` for a missing required field). */
  readonly value: unknown;
  /** The rule that was broken, as a sentence fragment: `must be at most 255 characters`. */
  readonly rule: string;
  /** Stable machine-readable code: `format.not-allowed`, `description.too-long`, `required`. */
  readonly code: string;
  /** The allowed values when the field takes one of a closed set. @default - not a closed set */
  readonly allowed?: readonly string[];
  /** Where the rule comes from, when it is a cloud's documented limit: `AWS ExportImage`. @default - a generic rule */
  readonly source?: string;
}

/** Renders a value for a message: strings quoted, long values shortened, `undefined` as `(missing)`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? plainString(value);
  } catch {
    text = plainString(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `String(value)` on one line, or its type tag when it has no string form (a null-prototype object holding a BigInt). */
function plainString(value: unknown): string {
  let text: string;
  try {
    text = String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.replace(/\s+/g, ' ');
}

/**
 * Formats one issue as a single line: `format: "QCOW2" is not allowed: must be one of VMDK, RAW, VHD (AWS ExportImage)`.
 */
export function formatIssue(issue: ValidationIssue): string {
  const allowed = issue.allowed && issue.allowed.length > 0 ? ` (allowed: ${issue.allowed.join(', ')})` : '';
  const source = issue.source ? ` [${issue.source}]` : '';
  return `${issue.field}: ${describeValue(issue.value)} ${issue.rule}${allowed}${source}`;
}

/**
 * Thrown by a front end or driver that refuses to go on with an invalid spec. Carries every issue; the message
 * lists them one per line.
 */
export class SpecValidationError extends Error {
  /** Every problem found. */
  public readonly issues: readonly ValidationIssue[];

  /**
   * @param subject what was validated, for the first line of the message (`ImageExport "golden"`)
   * @param issues every problem found (at least one)
   */
  constructor(subject: string, issues: readonly ValidationIssue[]) {
    super(`${subject} is invalid:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.name = 'SpecValidationError';
    this.issues = issues;
  }
}
