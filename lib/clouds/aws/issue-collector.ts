import { type ValidationIssue } from '../../model/validation-issue';

/** What a type check expects, for the message. */
export type ExpectedType = 'string' | 'boolean' | 'number' | 'object' | 'list';

/**
 * Collects {@link ValidationIssue}s and offers type-checking readers for untyped input (YAML and Pulumi inputs
 * arrive untyped: a number where a string belongs is an issue, never a crash).
 *
 * Pure; no I/O.
 */
export class IssueCollector {
  /** Every issue found so far, in the order found. */
  public readonly issues: ValidationIssue[] = [];

  /** @param source the documented origin of the rules checked here (`AWS ExportImage`) */
  constructor(private readonly source: string) {}

  /**
   * Records one issue.
   * @param issue the issue; `source` defaults to the collector's source
   */
  public add(issue: Omit<ValidationIssue, 'source'> & { source?: string }): void {
    this.issues.push({ ...issue, source: issue.source ?? this.source });
  }

  /**
   * Reads a field that must be a string when present.
   * @returns the string, or `undefined` when absent or of the wrong type (the latter recorded as an issue)
   */
  public string(field: string, value: unknown, required = false): string | undefined {
    return this.typed(field, value, 'string', required) as string | undefined;
  }

  /** Reads a field that must be a boolean when present. */
  public boolean(field: string, value: unknown, required = false): boolean | undefined {
    return this.typed(field, value, 'boolean', required) as boolean | undefined;
  }

  /** Reads a field that must be a finite number when present. */
  public number(field: string, value: unknown, required = false): number | undefined {
    return this.typed(field, value, 'number', required) as number | undefined;
  }

  /** Reads a field that must be a plain object (not a list) when present. */
  public object(field: string, value: unknown, required = false): Record<string, unknown> | undefined {
    return this.typed(field, value, 'object', required) as Record<string, unknown> | undefined;
  }

  /** Reads a field that must be a list when present. */
  public list(field: string, value: unknown, required = false): readonly unknown[] | undefined {
    return this.typed(field, value, 'list', required) as readonly unknown[] | undefined;
  }

  /** Records a `required` issue for a missing field. */
  public missing(field: string, rule = 'is required'): void {
    this.add({ field, value: undefined, rule, code: 'required' });
  }

  private typed(field: string, value: unknown, expected: ExpectedType, required: boolean): unknown {
    if (value === undefined || value === null) {
      if (required) this.missing(field);
      return undefined;
    }
    if (matchesType(value, expected)) return value;
    this.add({ field, value, rule: `must be ${article(expected)}, not ${typeName(value)}`, code: 'type' });
    return undefined;
  }
}

/** True when `value` has the expected type (`number` means a finite number; `object` excludes lists). */
export function matchesType(value: unknown, expected: ExpectedType): boolean {
  switch (expected) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'list':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** A short name of a value's type, for messages: `number`, `list`, `object`. */
export function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `a ${typeof value}`;
}

function article(expected: ExpectedType): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a finite number';
    case 'object':
      return 'an object (a map of fields)';
    case 'list':
      return 'a list';
  }
}
