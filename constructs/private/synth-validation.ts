import { Token } from 'aws-cdk-lib';
import { SpecValidationError, type ValidationIssue } from '../../lib/model/validation-issue';

/** A region to validate with when the stack is environment-agnostic (region issues are then dropped). */
export const PLACEHOLDER_REGION = 'us-east-1';

/** True when a value is, or contains, a token that only resolves at deploy time. */
export function isUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(isUnresolved);
  if (typeof value === 'object') return Token.isUnresolved(value) || Object.entries(value).some(([k, v]) => isUnresolved(k) || isUnresolved(v));
  return false;
}

/**
 * Turns the core's issues into a construct error, or does nothing when there are none.
 *
 * Issues about values that are unresolved tokens are skipped (they are checked again by the handler at deploy time);
 * field names of the core spec are renamed to the construct's prop names (`imageId` → `image`), so the message
 * names the prop the user wrote. Every remaining issue is reported at once.
 *
 * @param subject e.g. `ImageExport "Golden"`
 * @param issues from the core validator plus the construct's own checks
 * @param propNames core field name (first path segment) → prop name
 * @param unresolvedFields fields whose input was a token: their issues are dropped
 */
export function throwIfInvalid(
  subject: string,
  issues: readonly ValidationIssue[],
  propNames: Readonly<Record<string, string>>,
  unresolvedFields: ReadonlySet<string> = new Set(),
): void {
  const kept = issues
    .filter((issue) => !isUnresolved(issue.value) && !unresolvedFields.has(rootField(issue.field)))
    .map((issue) => ({ ...issue, field: renameField(issue.field, propNames) }));
  if (kept.length > 0) throw new SpecValidationError(subject, kept);
}

function rootField(field: string): string {
  return field.split(/[.[]/, 1)[0];
}

function renameField(field: string, propNames: Readonly<Record<string, string>>): string {
  const root = rootField(field);
  const renamed = propNames[root];
  return renamed === undefined ? field : renamed + field.slice(root.length);
}
