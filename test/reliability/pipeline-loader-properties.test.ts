import test from 'ava';
import fc from 'fast-check';
import { dump, load } from 'js-yaml';
import { formatPipelineIssue } from '../../lib/pipeline/pipeline-issue';
import { check } from '../lib/pipeline/pipeline-test-support';
import { holds } from './support/properties';

// Extends test/lib/pipeline/pipeline-properties.test.ts (random text, random values in a three-export file) to what
// it does not reach: imports of every cloud, entries written as the cloud's own request, values of every type, huge
// and empty values, and line endings.

/** A valid pipeline with an export and an import per cloud, each written both ways (imageport fields, `request:`). */
const RICH_PIPELINE = `name: rich
clouds:
  aws: { region: us-east-1 }
  alicloud: { region: ap-southeast-1 }
  jdcloud: { region: cn-east-2 }
roles:
  aws-role: { cloud: aws, roleName: vmimport }
  ali-export: { cloud: alicloud }
  ali-import: { cloud: alicloud, roleName: AliyunECSImageImportDefaultRole }
  jd-role: { cloud: jdcloud, roleName: imageport-export }
buckets:
  aws-bucket: { cloud: aws, name: rich-aws-exports }
  ali-bucket: { cloud: alicloud, name: rich-ali-exports }
  jd-bucket: { cloud: jdcloud, name: rich-jd-exports }
exports:
  aws-fields:
    cloud: aws
    imageId: ami-0123456789abcdef0
    format: vmdk
    bucket: aws-bucket
    prefix: exports/
    role: aws-role
    description: golden
    tags: { team: platform }
    removal: destroy
    timeouts: { create: 3h, delete: 30m }
  aws-request:
    cloud: aws
    request:
      DiskImageFormat: VHD
      ImageId: ami-0123456789abcdef1
      S3ExportLocation: { S3Bucket: rich-aws-exports, S3Prefix: req/ }
      RoleName: vmimport
      TagSpecifications: [ { ResourceType: export-image-task, Tags: [ { Key: origin, Value: script } ] } ]
  ali-fields: { cloud: alicloud, imageId: m-bp1234567890abcdef, format: qcow2, bucket: ali-bucket, prefix: golden, role: ali-export }
  ali-request:
    cloud: alicloud
    request: { RegionId: ap-southeast-1, ImageId: m-bp1234567890abcdeg, OSSBucket: rich-ali-exports, OSSPrefix: req, ImageFormat: vhd }
  jd-fields: { cloud: jdcloud, imageId: img-abcdefgh, bucket: jd-bucket, prefix: golden, role: jd-role }
  jd-request:
    cloud: jdcloud
    request: { regionId: cn-east-2, imageId: img-abcdefgi, roleName: imageport-export, ossUrl: "https://rich-jd-exports.s3-internal.cn-east-2.jdcloud-oss.com", ossPrefix: req }
imports:
  aws-chain:
    cloud: aws
    role: aws-role
    description: round trip
    disks: [ { fromExport: aws-fields } ]
  aws-request:
    cloud: aws
    request:
      Architecture: x86_64
      DiskContainers: [ { Format: VMDK, UserBucket: { S3Bucket: rich-aws-exports, S3Key: disk.vmdk } }, { SnapshotId: snap-0123456789abcdef0 } ]
      RoleName: vmimport
  ali-chain:
    cloud: alicloud
    role: ali-import
    imageName: rich-import
    platform: Ubuntu
    osType: linux
    disks: [ { fromExport: ali-fields }, { bucket: ali-bucket, key: data.vhd, format: vhd, sizeGiB: 20 } ]
  jd-chain:
    cloud: jdcloud
    imageName: rich-import
    platform: CentOS
    osType: linux
    disks: [ { fromExport: jd-fields } ]
`;

const BASE = load(RICH_PIPELINE) as Record<string, unknown>;

function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  return [prefix, ...entries.flatMap(([key, inner]) => pathsOf(inner, [...prefix, key]))];
}
const BASE_PATHS = pathsOf(BASE).filter((path) => path.length > 0);
const REQUEST_PATHS = BASE_PATHS.filter((path) => path.includes('request'));

function setAt(root: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

/** Every issue names a place inside the file, a field, a rule and a code, and formats as one bounded line. */
function wellFormed(text: string): string[] {
  const result = check(text);
  const lines = text.split(/\r\n|\r|\n/).length;
  const formatted: string[] = [];
  for (const issue of result.issues) {
    const line = formatPipelineIssue('p.yaml', issue);
    if (!(issue.position.line >= 1 && issue.position.line <= lines + 1 && issue.position.column >= 1)) throw new Error(`position out of the file: ${line}`);
    if (issue.kind !== 'syntax' && issue.path === '' && issue.code !== 'schema.type') throw new Error(`issue without a field: ${line}`);
    if (!issue.rule.trim() || !issue.code.trim()) throw new Error(`issue without a rule or code: ${line}`);
    if (line.includes('\n') || /\bat .+:\d+:\d+/.test(line)) throw new Error(`not one clean line: ${line}`);
    if (line.length > 2000) throw new Error(`an issue line of ${line.length} characters: ${line.slice(0, 300)}…`);
    formatted.push(line);
  }
  if (result.issues.length === 0 && !result.pipeline) throw new Error('no issues and no pipeline');
  if (result.issues.length > 0 && result.pipeline) throw new Error('issues and a pipeline');
  return formatted;
}

/** Values of every type YAML can carry, including huge, empty and deeply nested ones. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '\t', '0', '-1', '1e999', 'null', '~', 'true', 'NaN', '.inf', '__proto__', 'constructor', '${env}', '../../etc/passwd'),
  fc.string({ minLength: 2000, maxLength: 20_000 }),
  fc.integer({ min: 1, max: 60 }).map((depth) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown),
  fc.array(fc.constant('x'), { minLength: 100, maxLength: 400 }),
  fc.double(),
  fc.date({ noInvalidDate: true }),
);

const RUNS = { numRuns: 120 };

test('the rich pipeline is valid (so every issue below comes from the change)', (t) => {
  t.deepEqual(wellFormed(RICH_PIPELINE), []);
});

test('a value of any type, huge or empty, in any field of any entry (both forms, all clouds) gives well-formed, bounded issues', (t) => {
  holds(
    t,
    fc.property(fc.constantFrom(...BASE_PATHS), anyValue, (path, value) => {
      wellFormed(dump(setAt(BASE, path, value), { skipInvalid: true, lineWidth: -1 }));
    }),
    {
      ...RUNS,
      endOnFailure: true, // shrinking strings of thousands of characters takes minutes: report the first failure
      // Found by this property: messages about another field echoed its value raw (unbounded, even line breaks).
      examples: [
        [['exports', 'aws-fields', 'cloud'], 'x'.repeat(3000)],
        [['buckets', 'aws-bucket', 'cloud'], 'a\nb'],
        [['roles', 'aws-role', 'cloud'], ' '.repeat(3000)],
        [['clouds', 'jdcloud', 'region'], 'cn-\neast-2'],
        [['exports', 'jd-request', 'request', 'regionId'], 'r'.repeat(3000)],
      ],
    },
  );
});

test('random request documents of every cloud, export and import, give issues under the entry, never a crash', (t) => {
  const entries = ['exports.aws-request', 'exports.ali-request', 'exports.jd-request', 'imports.aws-request'];
  const fieldNames = fc.constantFrom(
    ...['DiskImageFormat', 'ImageId', 'S3ExportLocation', 'S3Bucket', 'S3Prefix', 'RoleName', 'TagSpecifications', 'ResourceType', 'Tags', 'Key', 'Value'],
    ...['ClientToken', 'DryRun', 'Description', 'DiskContainers', 'UserBucket', 'S3Key', 'Format', 'Url', 'SnapshotId', 'Architecture', 'Platform'],
    ...['RegionId', 'OSSBucket', 'OSSPrefix', 'ImageFormat', 'regionId', 'imageId', 'roleName', 'ossUrl', 'ossPrefix', 'clientToken', 'isAllDisk'],
  );
  const leaf = fc.jsonValue({ maxDepth: 1 });
  const level1 = fc.oneof(leaf, fc.dictionary(fieldNames, leaf, { maxKeys: 4 }), fc.array(leaf, { maxLength: 3 }));
  const level2 = fc.oneof(level1, fc.dictionary(fieldNames, level1, { maxKeys: 4 }), fc.array(level1, { maxLength: 3 }));
  const requestDocument = fc.oneof(leaf, fc.dictionary(fieldNames, level2, { maxKeys: 6 }));
  holds(
    t,
    fc.property(fc.constantFrom(...entries), requestDocument, (entry, request) => {
      const [field, key] = entry.split('.');
      const mutated = structuredClone(BASE) as Record<string, Record<string, Record<string, unknown>>>;
      mutated[field][key].request = request;
      const text = dump(mutated, { skipInvalid: true, lineWidth: -1 });
      const result = check(text);
      wellFormed(text);
      for (const issue of result.issues) {
        // Every problem sits under the changed entry, or under an entry that reads from it.
        if (!issue.path.startsWith(`${entry}.`) && !issue.path.startsWith('imports.') && !issue.path.startsWith('roles.') && !issue.path.startsWith('buckets.')) {
          throw new Error(`${issue.path} (${issue.rule}) is outside ${entry}`);
        }
      }
    }),
    RUNS,
  );
});

test('a value of any type inside a request document gives well-formed issues', (t) => {
  holds(
    t,
    fc.property(fc.constantFrom(...REQUEST_PATHS), anyValue, (path, value) => {
      wellFormed(dump(setAt(BASE, path, value), { skipInvalid: true, lineWidth: -1 }));
    }),
    RUNS,
  );
});

test('line endings never move an issue: LF, CRLF and CR files give the same lines and columns', (t) => {
  holds(
    t,
    fc.property(fc.array(fc.tuple(fc.constantFrom(...BASE_PATHS), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 3 }), (changes) => {
      let mutated: unknown = BASE;
      for (const [path, value] of changes) {
        try {
          mutated = setAt(mutated, path, value);
        } catch {
          // an earlier change removed the parent: skip
        }
      }
      const text = dump(mutated, { skipInvalid: true, lineWidth: -1 });
      const lf = wellFormed(text);
      for (const eol of ['\r\n', '\r']) {
        const other = wellFormed(text.replace(/\n/g, eol));
        if (JSON.stringify(other) !== JSON.stringify(lf)) throw new Error(`${JSON.stringify(eol)} moved issues:\n${lf.join('\n')}\n---\n${other.join('\n')}`);
      }
    }),
    { ...RUNS, examples: [[[[['exports', 'aws-fields', 'format'], 'qcow2']]]] },
  );
});
