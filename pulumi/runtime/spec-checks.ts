import type * as pulumi from '@pulumi/pulumi';
import { type PreflightReport } from '../../lib/model/preflight';
import { formatIssue, type ValidationIssue } from '../../lib/model/validation-issue';
import { isUnknown } from './properties';

/** The top-level property a field path starts with: `tags.aws:x` → `tags`, `disks[0].key` → `disks`. */
export function rootProperty(field: string): string {
  return /^[^.[]*/.exec(field)?.[0] ?? field;
}

/**
 * `check` failures from the core's validation issues: one per issue, `property` the issue's field path, `reason`
 * the issue's one-line form (field, value, rule, allowed values, source). Issues about a property whose value is
 * not known yet (preview) are left for the update, when the value is known.
 */
export function failuresOf(issues: readonly ValidationIssue[], inputs: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  return issues
    .filter((issue) => !isUnknown(inputs[rootProperty(issue.field)]))
    .map((issue) => ({ property: issue.field, reason: formatIssue(issue) }));
}

/**
 * Runs a preflight and throws one error listing every problem (code, what, how to fix) when there is any, before
 * anything is started: a create that fails here leaves nothing behind.
 */
export async function preflightOrThrow(subject: string, preflight: () => Promise<PreflightReport>): Promise<void> {
  const report = await preflight();
  if (report.problems.length === 0) return;
  const lines = report.problems.map((p) => `  - [${p.code}] ${p.message}${p.fix ? ` Fix: ${p.fix}` : ''}`);
  throw new Error(`preflight of ${subject} found ${report.problems.length} problem(s):\n${lines.join('\n')}`);
}
