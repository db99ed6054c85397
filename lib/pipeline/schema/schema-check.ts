import { type ErrorObject } from 'ajv';
import { type DocumentLocator } from '../document-locator';
import { type PipelineIssue } from '../pipeline-issue';
import { fromJsonPointer, type PathSegment } from '../source-position';
import { validate as generatedValidate } from './pipeline-schema-validator.generated';

type GeneratedValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
const validateSchema = generatedValidate as unknown as GeneratedValidator;

/** Human wording of the schema's patterns, by pattern source. */
const PATTERN_RULES: Readonly<Record<string, string>> = {
  '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$':
    'is not a valid key: use letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters',
  '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$': 'is not a duration: write a number and a unit (ms, s, m, h, d), such as 90m, 2h or 1h30m',
  '^[a-z]{2}(-[a-z0-9]+){1,3}$': 'is not a region name such as us-east-1, cn-hangzhou or cn-east-2',
  '^[a-z0-9][a-z0-9-]{0,62}$': 'is not a valid pipeline name: use lower-case letters, digits and "-", at most 63 characters',
  '^https?://[^\\s]+$': 'is not an http:// or https:// URL',
  '^https://': 'must be an https:// URL',
};

/** Disk sources, in the order the schema's `oneOf` lists them. */
const DISK_SOURCES = ['bucket + key', 'url', 'snapshotId', 'fromExport'];

/**
 * Validates a parsed file against `schema/pipeline.schema.json` and turns ajv's errors into pipeline issues the way
 * serverless's `normalize-ajv-errors` does: noise from `if`/`then` dropped, `oneOf` branch errors folded into one
 * message, unknown fields and enums listing what is allowed, wording a user can act on, duplicates removed.
 */
export function checkSchema(value: unknown, locator: DocumentLocator): PipelineIssue[] {
  if (validateSchema(value)) return [];
  return normalizeSchemaErrors(validateSchema.errors ?? [], value, locator);
}

/** Normalises raw ajv errors (exported for tests). */
export function normalizeSchemaErrors(errors: readonly ErrorObject[], root: unknown, locator: DocumentLocator): PipelineIssue[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const issues: PipelineIssue[] = [];
  const seen = new Set<string>();
  const add = (issue: PipelineIssue): void => {
    const id = `${issue.path}\u0000${issue.code}\u0000${issue.rule}`;
    if (seen.has(id)) return;
    seen.add(id);
    issues.push(issue);
  };

  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (error.schemaPath.includes('/oneOf/') && oneOfPaths.has(error.instancePath)) continue;
    const base: PathSegment[] = fromJsonPointer(error.instancePath).map((segment, depth, all) =>
      isListIndex(root, all.slice(0, depth), segment) ? Number(segment) : segment,
    );
    const data = valueAt(root, base);
    if (isNestedPropertyNameError(error, data)) continue; // folded into its `propertyNames` error
    if (error.keyword === 'propertyNames') {
      const key = String((error.params as { propertyName: string }).propertyName);
      const nested = errors.find((other) => other !== error && other.instancePath === error.instancePath && other.data === key);
      const rule = nested?.keyword === 'pattern' ? (PATTERN_RULES[String((nested.params as { pattern: string }).pattern)] ?? 'is not a valid key') : 'must not be empty';
      add({ kind: 'schema', path: locator.display([...base, key]), position: locator.positionOf([...base, key], 'key'), value: key, rule, code: 'schema.key' });
      continue;
    }
    const issue = describeError(error, base, data, locator);
    if (issue) add(issue);
  }
  return issues;
}

/**
 * ajv reports a bad mapping key twice: a `propertyNames` error naming the key, and the nested keyword error (whose
 * `data` is the key, though its path is the mapping's). The second is recognised by its string data on a non-string.
 */
function isNestedPropertyNameError(error: ErrorObject, valueAtPath: unknown): boolean {
  return error.keyword !== 'propertyNames' && typeof error.data === 'string' && typeof valueAtPath !== 'string';
}

function describeError(error: ErrorObject, path: PathSegment[], data: unknown, locator: DocumentLocator): PipelineIssue | undefined {
  const at = (segments: PathSegment[], part: 'key' | 'value'): Pick<PipelineIssue, 'path' | 'position'> => ({
    path: locator.display(segments),
    position: locator.positionOf(segments, part),
  });
  const parent = error.parentSchema as { properties?: Record<string, unknown>; description?: string } | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      return {
        kind: 'schema',
        ...at([...path, field], 'key'),
        value: field,
        rule: 'is not a known field here',
        code: 'schema.unknown-field',
        allowed,
      };
    }
    case 'required': {
      const field = String((error.params as { missingProperty: string }).missingProperty);
      return { kind: 'schema', ...at([...path, field], 'key'), value: undefined, rule: 'is required', code: 'schema.required' };
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => String(v));
      return { kind: 'schema', ...at(path, 'value'), value: data, rule: 'is not allowed', code: 'schema.enum', allowed };
    }
    case 'type': {
      const type = String((error.params as { type: string }).type).replace(/,/g, ' or ');
      return { kind: 'schema', ...at(path, 'value'), value: data, rule: `must be ${article(type)} ${type}`, code: 'schema.type' };
    }
    case 'pattern': {
      const pattern = String((error.params as { pattern: string }).pattern);
      const rule = PATTERN_RULES[pattern] ?? `must match the pattern ${pattern}`;
      return { kind: 'schema', ...at(path, 'value'), value: data, rule, code: 'schema.pattern' };
    }
    case 'oneOf': {
      const passing = (error.params as { passingSchemas: number[] | null }).passingSchemas;
      const rule =
        passing && passing.length > 1
          ? `has more than one source (${passing.map((i) => DISK_SOURCES[i] ?? String(i)).join(' and ')}): give exactly one of ${DISK_SOURCES.join(', ')}`
          : `needs exactly one source: ${DISK_SOURCES.join(', ')}`;
      return { kind: 'schema', ...at(path, 'key'), value: data, rule, code: 'schema.one-source' };
    }
    case 'minLength':
    case 'maxLength': {
      const limit = (error.params as { limit: number }).limit;
      const rule = error.keyword === 'minLength' ? (limit === 1 ? 'must not be empty' : `must be at least ${limit} characters`) : `must be at most ${limit} characters`;
      return { kind: 'schema', ...at(path, 'value'), value: data, rule, code: `schema.${error.keyword}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      return { kind: 'schema', ...at(path, 'value'), value: data, rule: `must be ${comparison} ${limit}`, code: `schema.${error.keyword}` };
    }
    case 'multipleOf':
      return { kind: 'schema', ...at(path, 'value'), value: data, rule: `must be a multiple of ${(error.params as { multipleOf: number }).multipleOf}`, code: 'schema.multipleOf' };
    case 'minItems':
    case 'maxItems': {
      const limit = (error.params as { limit: number }).limit;
      const rule = error.keyword === 'minItems' ? `must have at least ${limit} item${limit === 1 ? '' : 's'}` : `must have at most ${limit} item${limit === 1 ? '' : 's'}`;
      return { kind: 'schema', ...at(path, 'key'), value: data, rule, code: `schema.${error.keyword}` };
    }
    case 'minProperties':
      return { kind: 'schema', ...at(path, 'key'), value: data, rule: `must declare at least ${(error.params as { limit: number }).limit} entry`, code: 'schema.minProperties' };
    default:
      return { kind: 'schema', ...at(path, 'value'), value: data, rule: error.message ?? `fails ${error.keyword}`, code: `schema.${error.keyword}` };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}

function isListIndex(root: unknown, parentPath: readonly PathSegment[], segment: string): boolean {
  return Array.isArray(valueAt(root, parentPath)) && /^\d+$/.test(segment);
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.prototype.hasOwnProperty.call(current, segment) ? (current as Record<string, unknown>)[segment as string] : undefined;
  }
  return current;
}
