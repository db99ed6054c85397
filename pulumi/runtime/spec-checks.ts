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
 * The spec `check` validates: the cloud spec plus the requested client token (`requestedClientToken`) under the
 * spec's own name, so the cloud's rules judge it (length, characters; Alibaba ExportImage takes none).
 */
export function withRequestedToken<T>(spec: T, inputs: Record<string, unknown>): T {
  return inputs.requestedClientToken === undefined ? spec : { ...spec, clientToken: inputs.requestedClientToken };
}

/** Check failures from the cloud's issues ({@link failuresOf}); an issue about `clientToken` belongs to the `requestedClientToken` input. */
export function specFailures(issues: readonly ValidationIssue[], inputs: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  return failuresOf(issues, { ...inputs, clientToken: inputs.requestedClientToken }).map((failure) =>
    rootProperty(failure.property) === 'clientToken' ? { ...failure, property: 'requestedClientToken' } : failure,
  );
}

/** One error listing every problem of a preflight (code, what, how to fix). */
export function preflightError(subject: string, report: PreflightReport): Error {
  const lines = report.problems.map((p) => `  - [${p.code}] ${p.message}${p.fix ? ` Fix: ${p.fix}` : ''}`);
  return new Error(`preflight of ${subject} found ${report.problems.length} problem(s):\n${lines.join('\n')}`);
}

/**
 * Runs a preflight and throws one error listing every problem (code, what, how to fix) when there is any, before
 * anything is started: a create that fails here leaves nothing behind.
 */
export async function preflightOrThrow(subject: string, preflight: () => Promise<PreflightReport>): Promise<void> {
  const report = await preflight();
  if (report.problems.length > 0) throw preflightError(subject, report);
}
