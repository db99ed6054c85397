import { describeValue } from '../model/validation-issue';
import { type SourcePosition } from './source-position';

/** Where a pipeline problem was found. */
export type PipelineIssueKind = 'syntax' | 'schema' | 'reference' | 'rule';

/**
 * One problem with a pipeline file: where (line and column), which field (dotted path), which value, which rule,
 * the allowed values for a closed set, and the cloud rule when one applies.
 */
export interface PipelineIssue {
  /** What found it: YAML syntax, the JSON Schema, reference checks, or a cloud's rules. */
  readonly kind: PipelineIssueKind;
  /** Where in the file. */
  readonly position: SourcePosition;
  /** Field path, dotted with `[n]` for list items: `exports.golden-aws.format`. Empty for the whole file. */
  readonly path: string;
  /** The offending value (`undefined` for a missing field). */
  readonly value: unknown;
  /** The rule, as a sentence fragment: `is not allowed`, `must be at most 30 characters`. */
  readonly rule: string;
  /** Stable code: `schema.enum`, `reference.unknown-bucket`, the cloud rule's own code. */
  readonly code: string;
  /** Allowed values of a closed set. @default - not a closed set */
  readonly allowed?: readonly string[];
  /** The cloud rule's source (`AWS ExportImage`). @default - not a cloud rule */
  readonly source?: string;
}

/** Orders issues by line, then column, then path, so a user reads the file top to bottom. */
export function compareIssues(a: PipelineIssue, b: PipelineIssue): number {
  return a.position.line - b.position.line || a.position.column - b.position.column || a.path.localeCompare(b.path);
}

/**
 * Formats one issue on one line, compiler-style:
 * `pipeline.yaml:12:13: exports.golden-aws.format: "qcow2" is not allowed (allowed: vmdk, raw, vhd) [AWS ExportImage]`.
 */
export function formatPipelineIssue(file: string, issue: PipelineIssue): string {
  const where = `${file}:${issue.position.line}:${issue.position.column}`;
  const value = omitsValue(issue) ? '' : `${describeValue(issue.value)} `;
  const allowed = issue.allowed && issue.allowed.length > 0 ? ` (allowed: ${issue.allowed.join(', ')})` : '';
  const source = issue.source ? ` [${issue.source}]` : '';
  const path = issue.path === '' ? '' : `${issue.path}: `;
  return `${where}: ${path}${value}${issue.rule}${allowed}${source}`;
}

/** True when the message reads better without the value: syntax errors, missing fields, unknown fields. */
function omitsValue(issue: PipelineIssue): boolean {
  return issue.kind === 'syntax' || issue.code === 'schema.unknown-field' || (issue.value === undefined && issue.code.endsWith('required'));
}
