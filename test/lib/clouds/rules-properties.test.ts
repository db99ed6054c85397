import test from 'ava';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { validateAlicloudExport } from '../../../lib/clouds/alicloud/export-rules';
import { validateAlicloudImport } from '../../../lib/clouds/alicloud/import-rules';
import { IssueCollector, checkOssBucketName } from '../../../lib/clouds/alicloud/rule-helpers';
import { validateAwsExport } from '../../../lib/clouds/aws/export-rules';
import { validateAwsImport } from '../../../lib/clouds/aws/import-rules';
import { validateJdcloudExport, validateJdcloudImport } from '../../../lib/clouds/jdcloud/rules';
import { rulesFor } from '../../../lib/clouds/rules';
import { CLOUD_IDS, type CloudId, isCloudId } from '../../../lib/model/cloud';
import { DISK_FORMATS, normalizeDiskFormat } from '../../../lib/model/disk-format';
import { deterministicToken } from '../../../lib/model/token';
import { SpecValidationError, describeValue, formatIssue } from '../../../lib/model/validation-issue';
import { holds } from '../../reliability/support/properties';
import { alicloudExportSpec, alicloudImportSpec } from './support/alicloud-specs';
import { awsExportSpec, awsImportSpec } from './support/aws-specs';
import { jdcloudExportSpec, jdcloudImportSpec } from './support/jdcloud-specs';
import { type Spec, type Validator, anyValue, listIssues, pathsOf, validateWell, withField } from './support/rule-properties';
import { anyCase } from './support/text-arbitraries';

// Properties of what every front end shares: rulesFor(cloud), the clouds' published formats and defaults, specs
// sent to the wrong cloud, and the model helpers that take user input (describeValue, formatIssue,
// normalizeDiskFormat, deterministicToken, isCloudId). Each cloud's own rules: test/lib/clouds/<cloud>/rules-properties.test.ts.

const VALID: Readonly<Record<CloudId, { export: fc.Arbitrary<Spec>; import: fc.Arbitrary<Spec> }>> = {
  aws: { export: awsExportSpec, import: awsImportSpec },
  alicloud: { export: alicloudExportSpec, import: alicloudImportSpec },
  jdcloud: { export: jdcloudExportSpec, import: jdcloudImportSpec },
};

const DIRECT: Readonly<Record<CloudId, { export: Validator; import: Validator }>> = {
  aws: { export: validateAwsExport, import: validateAwsImport },
  alicloud: { export: validateAlicloudExport as Validator, import: validateAlicloudImport as Validator },
  jdcloud: { export: validateJdcloudExport as Validator, import: validateJdcloudImport as Validator },
};

const exportOf = (cloud: CloudId): Validator => rulesFor(cloud).validateExport as Validator;
const importOf = (cloud: CloudId): Validator => rulesFor(cloud).validateImport as Validator;

/** A valid spec of a cloud with one random value somewhere in it. */
function perturbed(valid: fc.Arbitrary<Spec>): fc.Arbitrary<Spec> {
  return valid.chain((spec) => fc.tuple(fc.constantFrom(...pathsOf(spec)), anyValue).map(([field, value]) => withField(spec, field, value)));
}

for (const cloud of CLOUD_IDS) {
  test(`rulesFor(${cloud}) is the ${cloud} rule set: same cloud, same answers as its validators`, (t) => {
    t.is(rulesFor(cloud).cloud, cloud);
    holds(
      t,
      fc.property(fc.oneof(VALID[cloud].export, perturbed(VALID[cloud].export)), fc.oneof(VALID[cloud].import, perturbed(VALID[cloud].import)), (exp, imp) => {
        if (!isDeepStrictEqual(validateWell(exportOf(cloud), exp), DIRECT[cloud].export(exp))) throw new Error('validateExport differs from the cloud validator');
        if (!isDeepStrictEqual(validateWell(importOf(cloud), imp), DIRECT[cloud].import(imp))) throw new Error('validateImport differs from the cloud validator');
      }),
      { numRuns: 100 },
    );
  });

  test(`${cloud}: every published export format, in any case, and the default export format and role pass validateExport`, (t) => {
    const rules = rulesFor(cloud);
    const formats = [...rules.exportFormats, ...(rules.defaultExportFormat ? [rules.defaultExportFormat] : [])];
    holds(
      t,
      fc.property(VALID[cloud].export, fc.constantFrom(...formats).chain(anyCase), fc.boolean(), (spec, format, defaultRole) => {
        const withDefaults = { ...spec, format, ...(defaultRole && rules.defaultExportRole ? { roleName: rules.defaultExportRole } : {}) };
        const issues = validateWell(exportOf(cloud), withDefaults);
        if (issues.length > 0) throw new Error(`refused: ${listIssues(issues)}`);
      }),
      { numRuns: 100 },
    );
  });

  test(`${cloud}: every published import format, in any case, and the default import role pass validateImport`, (t) => {
    const rules = rulesFor(cloud);
    holds(
      t,
      fc.property(VALID[cloud].import, fc.constantFrom(...rules.importFormats).chain(anyCase), fc.boolean(), (spec, format, defaultRole) => {
        const disks = (spec.disks as Spec[]).map((disk) => (disk.snapshotId === undefined ? { ...disk, format } : disk));
        const withDefaults = { ...spec, disks, ...(defaultRole && rules.defaultImportRole ? { roleName: rules.defaultImportRole } : {}) };
        const issues = validateWell(importOf(cloud), withDefaults);
        if (issues.length > 0) throw new Error(`refused: ${listIssues(issues)}`);
      }),
      { numRuns: 100 },
    );
  });

  for (const other of CLOUD_IDS.filter((c) => c !== cloud)) {
    test(`rejects a valid ${other} spec given to the ${cloud} rules, naming cloud among well-formed issues`, (t) => {
      holds(
        t,
        fc.property(VALID[other].export, VALID[other].import, (exp, imp) => {
          for (const [issues, kind] of [[validateWell(exportOf(cloud), exp), 'export'], [validateWell(importOf(cloud), imp), 'import']] as const) {
            if (!issues.some((issue) => issue.field === 'cloud')) throw new Error(`no cloud issue for a ${other} ${kind}: ${listIssues(issues)}`);
          }
        }),
        { numRuns: 60 },
      );
    });
  }
}

/** Every kind of value, including what no YAML file holds: BigInts in null-prototype objects, symbols, functions. */
const exoticValue = fc.oneof(
  fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true, stringUnit: 'binary' }),
  fc.string({ unit: 'binary', maxLength: 500 }).map((text) => Symbol(text)),
  fc.func(fc.anything()),
);

test('describeValue never throws and gives one line of at most 80 characters for any value', (t) => {
  holds(
    t,
    fc.property(exoticValue, (value) => {
      const text = describeValue(value);
      if (typeof text !== 'string' || text.length === 0 || text.length > 80 || /[\r\n]/.test(text)) throw new Error(`described as ${JSON.stringify(text)}`);
    }),
    { numRuns: 500 },
  );
});

test('describeValue quotes strings, shows (missing) for undefined and keeps short values whole', (t) => {
  t.is(describeValue(undefined), '(missing)');
  holds(
    t,
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      const described = describeValue(text);
      const json = JSON.stringify(text);
      if (json.length <= 80 ? described !== json : described !== `${json.slice(0, 77)}...`) throw new Error(`described ${json} as ${described}`);
    }),
  );
});

test('formatIssue and SpecValidationError put each issue on one line, header first', (t) => {
  const issue = fc.record({
    field: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }),
    value: exoticValue,
    rule: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }),
    code: fc.constantFrom('type', 'required', 'format.not-allowed'),
    allowed: fc.option(fc.array(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), { maxLength: 4 }), { nil: undefined }),
    source: fc.option(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }), { nil: undefined }),
  });
  holds(
    t,
    fc.property(fc.array(issue, { minLength: 1, maxLength: 8 }), (issues) => {
      for (const one of issues) if (formatIssue(one).includes('\n')) throw new Error(`several lines: ${formatIssue(one)}`);
      const error = new SpecValidationError('ImageExport "golden"', issues);
      const lines = error.message.split('\n');
      if (lines.length !== issues.length + 1 || lines[0] !== 'ImageExport "golden" is invalid:') throw new Error(`message: ${error.message}`);
      if (error.issues !== issues || error.name !== 'SpecValidationError') throw new Error('issues or name lost');
    }),
    { numRuns: 200 },
  );
});

test('normalizeDiskFormat maps every known format in any case and padding to itself, anything else to undefined', (t) => {
  holds(
    t,
    fc.property(fc.constantFrom(...DISK_FORMATS).chain(anyCase), fc.constantFrom('', ' ', '\t', '\n '), fc.constantFrom('', ' ', '\n'), (format, before, after) => {
      if (normalizeDiskFormat(`${before}${format}${after}`) !== format.toLowerCase()) throw new Error(`${JSON.stringify(before + format + after)} not normalised`);
    }),
  );
  holds(
    t,
    fc.property(fc.oneof(anyValue, fc.string({ unit: 'binary', maxLength: 20 })), (value) => {
      const result = normalizeDiskFormat(value);
      const expected = typeof value === 'string' && (DISK_FORMATS as readonly string[]).includes(value.trim().toLowerCase()) ? value.trim().toLowerCase() : undefined;
      if (result !== expected) throw new Error(`${describeValue(value)} gave ${String(result)}`);
    }),
    { numRuns: 500 },
  );
});

test('isCloudId is true exactly for the three cloud ids', (t) => {
  holds(
    t,
    fc.property(fc.oneof(anyValue, fc.constantFrom(...CLOUD_IDS), fc.constantFrom(...CLOUD_IDS).chain(anyCase)), (value) => {
      if (isCloudId(value) !== (CLOUD_IDS as readonly unknown[]).includes(value)) throw new Error(`isCloudId(${describeValue(value)}) is wrong`);
    }),
    { numRuns: 300 },
  );
});

const tokenPart = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(undefined), fc.constantFrom('', ':', ';', '1:a;'));

test('deterministicToken gives ip- and 40 hex digits, the same for the same parts, different for different parts', (t) => {
  const text = (parts: readonly unknown[]): string[] => parts.map((part) => (part === undefined ? '' : String(part)));
  holds(
    t,
    fc.property(fc.array(tokenPart, { maxLength: 8 }), fc.array(tokenPart, { maxLength: 8 }), (a, b) => {
      const token = deterministicToken(a);
      if (!/^ip-[0-9a-f]{40}$/.test(token)) throw new Error(`token ${token}`);
      if (deterministicToken([...a]) !== token) throw new Error('not deterministic');
      // Parts are compared as text (undefined as empty): equal tokens exactly for equal texts, whatever the joins.
      if ((deterministicToken(b) === token) !== isDeepStrictEqual(text(a), text(b))) throw new Error(`tokens of ${JSON.stringify(text(a))} and ${JSON.stringify(text(b))}`);
    }),
    { numRuns: 500 },
  );
  t.not(deterministicToken(['ab', 'c']), deterministicToken(['a', 'bc']));
  t.not(deterministicToken(['a', 'b']), deterministicToken(['b', 'a']));
  t.is(deterministicToken([undefined]), deterministicToken(['']));
});

// Counterexamples the properties found, pinned.

test('describeValue describes a value that has neither a JSON nor a string form instead of throwing', (t) => {
  // A null-prototype object holding a BigInt: JSON.stringify throws on the BigInt, String() finds no toString.
  const value = Object.assign(Object.create(null) as Record<string, unknown>, { size: 10n });
  t.is(describeValue(value), '[object Object]');
  t.is(formatIssue({ field: 'tags', value, rule: 'must be a map of strings', code: 'type' }), 'tags: [object Object] must be a map of strings');
  t.is(describeValue(Symbol('two\nlines')), 'Symbol(two lines)');
});

test('rejects a bucket name or prefix of many scripts with a rule of bounded length (it listed every character)', (t) => {
  const manyScripts = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  const bucket = validateAwsExport({ cloud: 'aws', region: 'us-east-1', imageId: 'ami-12345678', format: 'VMDK', bucket: manyScripts });
  const prefix = validateAlicloudExport({ cloud: 'alicloud', region: 'cn-hangzhou', imageId: 'm-1', bucket: 'abc', prefix: manyScripts });
  const characters = [...bucket, ...prefix].filter((issue) => /characters$/.test(issue.code));
  t.is(characters.length, 2);
  for (const issue of characters) {
    t.true(issue.rule.length < 200, issue.rule);
    t.regex(issue.rule, /\(found "一", "丁", "丂", "七", "丄", "丅", "丆", "万", "丈", "三" and 290 more\)/);
  }
});

test('rejects a value of the wrong type for a list item with a code named after the list (it was ".type")', (t) => {
  const issues = new IssueCollector('test');
  checkOssBucketName(issues, 'exportBuckets[0]', {});
  t.deepEqual(issues.issues.map((i) => [i.field, i.code]), [['exportBuckets[0]', 'exportBuckets.type']]);
});

