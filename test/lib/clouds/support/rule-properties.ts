import test from 'ava';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describeValue, formatIssue, type ValidationIssue } from '../../../../lib/model/validation-issue';
import { holds } from '../../../reliability/support/properties';

/** A cloud validator as front ends call it: any input, every issue at once. */
export type Validator = (spec: unknown) => ValidationIssue[];

/** A spec as generated here: plain data, any field. */
export type Spec = Record<string, unknown>;

/** A spec after one mutation, with the field (path) the mutation broke. */
export interface Mutated {
  /** The mutated spec. */
  readonly spec: Spec;
  /** The path the issue must name: `format`, `disks[1].key`, `tags.aws:x`. */
  readonly field: string;
}

/** One way to break exactly one documented rule of a valid spec. */
export interface Mutation {
  /** What the mutation breaks, for the test title (`format outside VMDK, RAW, VHD`). */
  readonly name: string;
  /**
   * Top-level field the mutation reads or changes. Mutations of different groups are independent: applied together
   * they must give issues on every mutated field and nowhere else.
   */
  readonly group: string;
  /** False for rules that tie several fields together (they change more than their group). @default true */
  readonly independent?: boolean;
  /** The mutated specs for one valid spec. */
  readonly mutate: (spec: Spec) => fc.Arbitrary<Mutated>;
}

/** A validator with its documented domain and the ways to break it. */
export interface RuleSuite {
  /** Prefix of every test title (`AWS export`). */
  readonly title: string;
  /** The validator under test. */
  readonly validate: Validator;
  /** Specs from the cloud's documented domain. */
  readonly valid: fc.Arbitrary<Spec>;
  /** Top-level fields the validator reads (its own and other clouds' fields it refuses). */
  readonly fields: readonly string[];
  /** Single-rule mutations of valid specs. */
  readonly mutations: readonly Mutation[];
  /** Runs of each robustness property. @default 100 */
  readonly runs?: number;
  /** Puts a URL into a valid spec where the cloud reads one (a disk source). @default - the spec takes no URL */
  readonly withUrl?: (spec: Spec, url: string) => Spec;
}

/** Picks the path a mutation breaks, for mutations whose path depends on the spec (`disks[n].key`). */
export interface FieldPicker {
  /** Top-level field of every path picked. */
  readonly group: string;
  /** The paths for one spec. */
  readonly pick: (spec: Spec) => fc.Arbitrary<string>;
}

/**
 * Every field path an issue may name when the input does not hold it (a missing required field): the fields of
 * every cloud's export and import spec, with `[]` for a list item and `*` for a tag key.
 */
export const DOCUMENTED_FIELDS: ReadonlySet<string> = new Set([
  'cloud', 'region', 'imageId', 'format', 'bucket', 'prefix', 'roleName', 'description', 'tags', 'tags.*', 'clientToken',
  'dryRun', 'allDisks', 'disks', 'disks[]', 'disks[].bucket', 'disks[].key', 'disks[].url', 'disks[].snapshotId',
  'disks[].format', 'disks[].description', 'disks[].deviceName', 'disks[].sizeGiB', 'imageName', 'architecture',
  'platform', 'osType', 'bootMode', 'licenseType', 'hypervisor', 'encrypted', 'kmsKeyId', 'clientData',
  'clientData.comment', 'clientData.uploadStart', 'clientData.uploadEnd', 'clientData.uploadSize',
  'licenseConfigurationArns', 'licenseConfigurationArns[]', 'usageOperation', 'detectionStrategy', 'nvmeSupport',
  'osVersion', 'systemDiskSizeGiB', 'forceImport',
]);

/** Longest rule text accepted as "one line a person reads". */
export const MAX_RULE_LENGTH = 400;

/** Splits an issue field like the pipeline does: `disks[0].bucket` → `['disks', 0, 'bucket']`; `tags.<key>` keeps the key whole. */
export function parseField(field: string): (string | number)[] {
  if (field.startsWith('tags.')) return ['tags', field.slice('tags.'.length)];
  const segments: (string | number)[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return segments;
}

function formatField(segments: readonly (string | number)[]): string {
  if (segments[0] === 'tags' && segments.length === 2) return `tags.${String(segments[1])}`;
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(node: unknown, segment: string | number): boolean {
  if (Array.isArray(node)) return typeof segment === 'number' && segment < node.length;
  return isRecord(node) && typeof segment === 'string' && Object.prototype.hasOwnProperty.call(node, segment);
}

function child(node: unknown, segment: string | number): unknown {
  return (node as Record<string | number, unknown>)[segment];
}

/** The value at a field path of the input, and whether the path exists. */
export function valueAt(input: unknown, field: string): { exists: boolean; value?: unknown } {
  let node = input;
  for (const segment of parseField(field)) {
    if (!hasOwn(node, segment)) return { exists: false };
    node = child(node, segment);
  }
  return { exists: true, value: node };
}

/**
 * Why an issue's field is not a place in the input: the empty list when it names a path that exists in the input,
 * or a documented field whose parent exists (a missing required field), or `(spec)` for an input that is no object.
 */
export function fieldProblem(input: unknown, field: string): string | undefined {
  if (typeof field !== 'string' || field.length === 0) return `field ${describeValue(field)} is not a non-empty string`;
  if (!isRecord(input)) return field === '(spec)' ? undefined : `input is no object, yet the issue names ${JSON.stringify(field)}`;
  if (field === '(spec)') return 'names (spec) for an object input';
  const segments = parseField(field);
  if (formatField(segments) !== field) return `field ${JSON.stringify(field)} is not a dotted path with [n] indexes`;
  const pattern = formatField(segments.map((s, i) => (typeof s === 'number' ? -1 : segments[0] === 'tags' && i === 1 ? '*' : s))).replace(/\[-1\]/g, '[]');
  if (!DOCUMENTED_FIELDS.has(pattern)) return `field ${JSON.stringify(field)} is not a documented spec field`;
  if (segments[0] === 'tags' && segments.length === 2) {
    return hasOwn(input.tags, segments[1]) ? undefined : `field ${JSON.stringify(field)} names a tag the input does not have`;
  }
  let node: unknown = input;
  for (const segment of segments.slice(0, -1)) {
    if (!hasOwn(node, segment)) return `field ${JSON.stringify(field)} lies under a path the input does not have`;
    node = child(node, segment);
  }
  return undefined;
}

/** Values and nested values in the input (objects, lists and leaves), a measure of its size. */
export function nodeCount(value: unknown, depth = 0): number {
  if (depth > 6 || typeof value !== 'object' || value === null) return 1;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((sum, inner) => sum + nodeCount(inner, depth + 1), 0);
}

/**
 * Every way the validator's answer for `input` is not well formed: not a list; an issue without a field that is a
 * place in the input (see {@link fieldProblem}); an empty, multi-line or runaway rule; no code; a value that does not
 * describe as one bounded line; malformed `allowed` or `source`; the same issue twice; more issues than the input
 * has parts to be wrong (16 + 8 per value in it).
 */
export function issueProblems(input: unknown, issues: unknown): string[] {
  if (!Array.isArray(issues)) return [`returned ${describeValue(issues)} instead of a list`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const issue of issues as ValidationIssue[]) {
    const where = `issue ${describeValue(issue.field)} (${describeValue(issue.code)})`;
    const field = fieldProblem(input, issue.field);
    if (field) problems.push(`${where}: ${field}`);
    if (typeof issue.rule !== 'string' || issue.rule.trim().length === 0) problems.push(`${where}: empty rule`);
    else if (/[\r\n]/.test(issue.rule)) problems.push(`${where}: rule spans lines: ${describeValue(issue.rule)}`);
    else if (issue.rule.length > MAX_RULE_LENGTH) problems.push(`${where}: rule of ${issue.rule.length} characters: ${issue.rule.slice(0, 120)}…`);
    if (typeof issue.code !== 'string' || !/^[A-Za-z][\w.:-]*$/.test(issue.code)) problems.push(`${where}: code is not a stable identifier`);
    const described = describeValue(issue.value);
    if (described.length > 80 || /[\r\n]/.test(described)) problems.push(`${where}: value describes as ${described.length} characters or several lines`);
    if (issue.allowed !== undefined && (!Array.isArray(issue.allowed) || issue.allowed.some((a) => typeof a !== 'string' || a.length === 0))) {
      problems.push(`${where}: allowed is not a list of values`);
    }
    if (issue.source !== undefined && (typeof issue.source !== 'string' || issue.source.trim().length === 0)) problems.push(`${where}: empty source`);
    if (problems.length === 0 && /[\r\n]/.test(formatIssue(issue).slice(issue.field.length))) problems.push(`${where}: formats on several lines`);
    const key = JSON.stringify([issue.field, issue.code, issue.rule]);
    if (seen.has(key)) problems.push(`${where}: reported twice`);
    seen.add(key);
  }
  const bound = 16 + 8 * nodeCount(input);
  if (issues.length > bound) problems.push(`${issues.length} issues for an input of ${nodeCount(input)} values (bound ${bound})`);
  return problems;
}

/**
 * Validates and checks the answer is well formed; throws (failing the property) with every problem found, or when
 * the validator itself throws.
 */
export function validateWell(validate: Validator, input: unknown): ValidationIssue[] {
  let issues: ValidationIssue[];
  try {
    issues = validate(input);
  } catch (error) {
    throw new Error(`the validator threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const problems = issueProblems(input, issues);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return issues;
}

/** The sorted distinct fields of a list of issues. */
export function fieldsOf(issues: readonly ValidationIssue[]): string[] {
  return [...new Set(issues.map((issue) => issue.field))].sort();
}

/** One line per issue, for failure messages. */
export function listIssues(issues: readonly ValidationIssue[]): string {
  return issues.length === 0 ? '(no issues)' : issues.map((issue) => formatIssue(issue)).join(' | ');
}

/** A deep copy of plain data with the value at a field path replaced (`undefined` deletes the field). */
export function withField(spec: Spec, field: string, value: unknown): Spec {
  const copy = structuredClone(spec);
  const segments = parseField(field);
  let node = copy as Record<string | number, unknown>;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = segments[segments.length - 1];
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A mutation setting one field to one of the values `values` gives for the spec; the issue must name that field. */
export function setField(name: string, field: string | FieldPicker, values: (spec: Spec) => fc.Arbitrary<unknown>, independent = true): Mutation {
  const group = typeof field === 'string' ? String(parseField(field)[0]) : field.group;
  const pick = typeof field === 'string' ? () => fc.constant(field) : field.pick;
  return {
    name,
    group,
    independent,
    mutate: (spec) => pick(spec).chain((path) => values(spec).map((value) => ({ spec: withField(spec, path, value), field: path }))),
  };
}

/** Every path to a value inside plain data (`disks[0].bucket`, `tags.team`), excluding the root. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): string[] {
  const here = prefix.length > 0 ? [formatField(prefix)] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((inner, index) => pathsOf(inner, [...prefix, index]))];
  if (isRecord(value)) {
    if (prefix.length === 1 && prefix[0] === 'tags') return [...here, ...Object.keys(value).map((key) => `tags.${key}`)];
    return [...here, ...Object.entries(value).flatMap(([key, inner]) => pathsOf(inner, [...prefix, key]))];
  }
  return here;
}

/** Strings that break naive code: huge (up to 100 000 characters), empty, blank, multi-line, astral, control characters. */
export const awkwardString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '\n', '\r\n', '\u0000', '\u2028', '😀', 'é', '%', '%zz', '..', '/', '\\', 'null', '__proto__', 'constructor', 'toString'),
  fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.integer({ min: 100, max: 8_000 })).map(([part, times]) => part.repeat(times).slice(0, 100_000)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'binary', minLength: 100, maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary-ascii', maxLength: 100 }),
);

/** Marks the secret parts of {@link credentialUrl}: no issue may quote them. */
export const SECRET_MARK = 'S3CR3T';

/**
 * URLs, valid or not, carrying credentials where pre-signed links and careless users put them: the query string
 * (`X-Amz-Credential`, `Signature`), the user info and the fragment.
 */
export const credentialUrl: fc.Arbitrary<string> = fc
  .record({
    scheme: fc.constantFrom('https://', 'http://', 's3://', 'ftp://', 'HTTPS://', 'https:/', ''),
    user: fc.constantFrom('', `admin:${SECRET_MARK}pw@`, `AKID${SECRET_MARK}@`),
    host: fc.constantFrom('bucket.s3.amazonaws.com', 'b.oss-cn-hangzhou.aliyuncs.com', 'img.s3.cn-north-1.jdcloud-oss.com', 'ab', 'Bad_Bucket', ''),
    path: fc.constantFrom('/disk.vmdk', '/dir/disk image.qcow2', '/', '', '/100%.raw', '/a\nb'),
    query: fc.constantFrom(
      `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA${SECRET_MARK}%2F20240101&X-Amz-Signature=${SECRET_MARK}abcdef`,
      `?OSSAccessKeyId=LTAI${SECRET_MARK}&Expires=1700000000&Signature=${SECRET_MARK}%3D`,
      `?token=${SECRET_MARK}`,
      '',
    ),
    fragment: fc.constantFrom('', `#${SECRET_MARK}`),
  })
  .filter(({ user, query, fragment }) => `${user}${query}${fragment}`.includes(SECRET_MARK))
  .map(({ scheme, user, host, path, query, fragment }) => `${scheme}${user}${host}${path}${query}${fragment}`);

/** Where an issue quotes a secret of {@link credentialUrl}: its value (as data), its rule or its field. */
export function leaks(issues: readonly ValidationIssue[]): string[] {
  return issues
    .filter((issue) => [JSON.stringify(issue.value) ?? '', issue.rule, issue.field].some((text) => text.includes(SECRET_MARK)))
    .map((issue) => formatIssue(issue));
}

/** A value of any type a YAML file, a Pulumi input or a careless caller may put in a field. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.anything({ maxDepth: 3, stringUnit: 'binary', withBigInt: true, withDate: true, withNullPrototype: true, withSparseArray: true }), weight: 4 },
  { arbitrary: fc.anything({ maxDepth: 2, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withObjectString: true }), weight: 1 },
  { arbitrary: awkwardString, weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 1e308, [], {}, [[]], [{}], [null], new Date(NaN)), weight: 2 },
  { arbitrary: fc.array(awkwardString, { maxLength: 30 }), weight: 1 },
  { arbitrary: fc.dictionary(awkwardString, fc.oneof(awkwardString, fc.integer()), { maxKeys: 60 }), weight: 1 },
);

/**
 * Registers the four properties of a validator:
 * 1. no input throws and every answer is well formed (random values in every field, random whole objects, anything);
 * 2. specs from the documented domain give no issues;
 * 3. each single-rule mutation gives issues on exactly the mutated field;
 * 4. several independent mutations give issues on all of them at once, the same every time, input untouched.
 */
export function registerRuleProperties(suite: RuleSuite): void {
  const { title, validate, valid, fields, mutations } = suite;
  const runs = suite.runs ?? 100;

  test(`${title}: a random value in any field never throws and every issue is well formed`, (t) => {
    const injected = valid.chain((spec) =>
      fc.tuple(fc.constant(spec), fc.constantFrom(...new Set([...fields, ...pathsOf(spec)])), anyValue).map(([base, field, value]) => withField(base, field, value)),
    );
    holds(t, fc.property(injected, (spec) => void validateWell(validate, spec)), { numRuns: runs });
  });

  test(`${title}: random whole objects and values never throw and every issue is well formed`, (t) => {
    const known = fc.dictionary(fc.constantFrom(...fields), anyValue, { maxKeys: fields.length });
    const mixed = fc.tuple(known, fc.dictionary(awkwardString, anyValue, { maxKeys: 5 })).map(([a, b]) => ({ ...b, ...a }));
    holds(t, fc.property(fc.oneof(known, mixed, anyValue), (input) => void validateWell(validate, input)), { numRuns: runs });
  });

  test(`${title}: awkward strings (huge, empty, multi-line, astral) in every field never throw`, (t) => {
    const injected = valid.chain((spec) =>
      fc.tuple(fc.constant(spec), fc.constantFrom(...new Set([...fields, ...pathsOf(spec)])), awkwardString).map(([base, field, value]) => withField(base, field, value)),
    );
    holds(t, fc.property(injected, (spec) => void validateWell(validate, spec)), { numRuns: runs });
  });

  const withUrl = suite.withUrl;
  if (withUrl) {
    test(`${title}: issues never quote the credentials of a URL (query string, user info, fragment)`, (t) => {
      holds(
        t,
        fc.property(valid, credentialUrl, (spec, url) => {
          const leaked = leaks(validateWell(validate, withUrl(spec, url)));
          if (leaked.length > 0) throw new Error(`issues quote a credential: ${leaked.join(' | ')}`);
        }),
        { numRuns: 200 },
      );
    });
  }

  test(`${title}: specs from the documented domain have no issues`, (t) => {
    holds(
      t,
      fc.property(valid, (spec) => {
        const issues = validateWell(validate, spec);
        if (issues.length > 0) throw new Error(`a valid spec was refused: ${listIssues(issues)}`);
      }),
      { numRuns: 300 },
    );
  });

  for (const mutation of mutations) {
    test(`${title}: rejects ${mutation.name}, naming exactly that field`, (t) => {
      holds(
        t,
        fc.property(valid.chain(mutation.mutate), ({ spec, field }) => {
          const issues = validateWell(validate, spec);
          if (issues.length === 0) throw new Error(`no issue for ${field} = ${describeValue(valueAt(spec, field).value)}`);
          const wrong = issues.filter((issue) => issue.field !== field);
          if (wrong.length > 0) throw new Error(`expected issues on ${field} only, got: ${listIssues(issues)}`);
        }),
        { numRuns: 60 },
      );
    });
  }

  const independent = mutations.filter((m) => m.independent !== false);
  test(`${title}: rejects several independent bad fields at once, each named, deterministically and without touching the input`, (t) => {
    const groups = [...new Set(independent.map((m) => m.group))];
    const chosen = fc.shuffledSubarray(groups, { minLength: 2 }).chain((picked) =>
      fc.tuple(...picked.map((group) => fc.constantFrom(...independent.filter((m) => m.group === group)))),
    );
    const mutated = fc.tuple(valid, chosen).chain(([spec, picked]) =>
      picked.reduce<fc.Arbitrary<{ spec: Spec; fields: string[] }>>(
        (acc, mutation) => acc.chain((state) => mutation.mutate(state.spec).map((next) => ({ spec: next.spec, fields: [...state.fields, next.field] }))),
        fc.constant({ spec, fields: [] }),
      ),
    );
    holds(
      t,
      fc.property(mutated, ({ spec, fields: expected }) => {
        const before = structuredClone(spec);
        const issues = validateWell(validate, spec);
        if (!isDeepStrictEqual(spec, before)) throw new Error('the validator changed its input');
        const again = validate(structuredClone(spec));
        if (!isDeepStrictEqual(again, issues)) throw new Error(`a second run answered differently: ${listIssues(again)}`);
        const want = [...new Set(expected)].sort();
        const got = fieldsOf(issues);
        if (!isDeepStrictEqual(got, want)) throw new Error(`expected issues on ${want.join(', ')}; got ${listIssues(issues)}`);
      }),
      { numRuns: 150 },
    );
  });
}

/** A validator of one name or map (a bucket name, a role name, tags) that reports issues on the field it is given. */
export interface NameCheck {
  /** Prefix of every test title (`AWS checkBucketName`). */
  readonly title: string;
  /** Runs the check on `value` as field `field`. */
  readonly check: (field: string, value: unknown) => ValidationIssue[];
  /** Values from the documented domain. */
  readonly valid: fc.Arbitrary<unknown>;
  /** Values that break at least one documented rule. */
  readonly invalid: fc.Arbitrary<unknown>;
  /** Any input to try (the check's parameter type: strings only, or anything). */
  readonly any: fc.Arbitrary<unknown>;
  /** True when issues may name entries under the field (`tags.<key>`). @default false */
  readonly entries?: boolean;
  /** The field names to pass, for checks with a fixed field (`region`, `tags`). @default - names callers use */
  readonly fields?: fc.Arbitrary<string>;
}

/** Field names callers pass to the name checks (spec fields, Pulumi inputs, list items). */
const CALLER_FIELDS = fc.constantFrom('bucket', 'name', 'bucketName', 'roleName', 'policyName', 'disks[3].bucket', 'exportBuckets[0]', 'tags', 'imageName');

/** Why the issues of a name check are not well formed for field `field`. */
export function nameIssueProblems(field: string, issues: readonly ValidationIssue[], entries: boolean): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const where = `issue ${describeValue(issue.field)} (${describeValue(issue.code)})`;
    if (issue.field !== field && !(entries && issue.field.startsWith(`${field}.`))) problems.push(`${where}: names another field than ${field}`);
    if (typeof issue.rule !== 'string' || issue.rule.trim().length === 0 || /[\r\n]/.test(issue.rule) || issue.rule.length > MAX_RULE_LENGTH) {
      problems.push(`${where}: rule is empty, spans lines or runs long: ${describeValue(issue.rule)}`);
    }
    if (typeof issue.code !== 'string' || !/^[A-Za-z][\w.:-]*$/.test(issue.code)) problems.push(`${where}: code is not a stable identifier`);
    const described = describeValue(issue.value);
    if (described.length > 80 || /[\r\n]/.test(described)) problems.push(`${where}: value describes on several lines or runs long`);
  }
  return problems;
}

/** Registers: any input never throws and names only the given field; the documented domain passes; bad values are named. */
export function registerNameProperties(name: NameCheck): void {
  const entries = name.entries ?? false;
  const fields = name.fields ?? CALLER_FIELDS;
  const run = (field: string, value: unknown): ValidationIssue[] => {
    let issues: ValidationIssue[];
    try {
      issues = name.check(field, value);
    } catch (error) {
      throw new Error(`the check threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    const problems = nameIssueProblems(field, issues, entries);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return issues;
  };
  test(`${name.title}: any input never throws and every issue names the field it was given`, (t) => {
    holds(t, fc.property(fields, fc.oneof(name.any, awkwardString), (field, value) => void run(field, value)), { numRuns: 200 });
  });
  test(`${name.title}: values from the documented domain have no issues`, (t) => {
    holds(
      t,
      fc.property(fields, name.valid, (field, value) => {
        const issues = run(field, value);
        if (issues.length > 0) throw new Error(`refused: ${listIssues(issues)}`);
      }),
      { numRuns: 200 },
    );
  });
  test(`${name.title}: rejects values that break a documented rule`, (t) => {
    holds(
      t,
      fc.property(fields, name.invalid, (field, value) => {
        if (run(field, value).length === 0) throw new Error(`accepted ${describeValue(value)}`);
      }),
      { numRuns: 200 },
    );
  });
}

