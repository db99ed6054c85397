import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type CloudRules } from '../../../lib/clouds/cloud-rules';
import { rulesFor } from '../../../lib/clouds/rules';
import { type CloudId } from '../../../lib/model/cloud';
import { checkPipelineText, loadValidPipelineSync } from '../../../lib/pipeline/load-pipeline';
import { check, issueLines, VALID_PIPELINE } from './pipeline-test-support';

test('accepts a valid three-cloud pipeline and resolves references into core specs', (t) => {
  const result = check(VALID_PIPELINE);
  t.deepEqual(result.issues, []);
  const pipeline = result.pipeline!;
  t.is(pipeline.name, 'demo');
  const aws = pipeline.exports.find((entry) => entry.key === 'golden-aws')!;
  t.deepEqual(aws.spec, {
    cloud: 'aws',
    region: 'us-east-1',
    imageId: 'ami-0123456789abcdef0',
    format: 'vmdk',
    bucket: 'demo-aws-exports',
    prefix: 'exports/',
    roleName: 'vmimport',
  });
  t.is(aws.bucketKey, 'aws-bucket');
  t.is(aws.roleKey, 'aws-role');
  t.is(aws.removal, 'retain');
  const jd = pipeline.exports.find((entry) => entry.key === 'golden-jd')!;
  t.is(jd.spec.format, 'qcow2', 'the cloud default format is filled in');
  const ali = pipeline.roles.find((role) => role.key === 'ali-role')!;
  t.deepEqual(ali.spec, {
    cloud: 'alicloud',
    purpose: 'export',
    roleName: 'AliyunECSImageExportDefaultRole',
    exportBuckets: ['demo-ali-exports'],
    importBuckets: [],
  });
});

test('reports every problem at once, sorted by line, with the cloud rule that applies', (t) => {
  const text = VALID_PIPELINE.replace('format: vmdk', 'format: qcow2')
    .replace('prefix: exports/', 'prefix: exports/\n    colour: blue')
    .replace('bucket: jd-bucket', 'bucket: aws-bucket')
    .replace('role: ali-role', 'role: nobody');
  t.deepEqual(issueLines(text), [
    'pipeline.yaml:31:13: exports.golden-aws.format: "qcow2" is not an export format of AWS (allowed: VMDK, RAW, VHD) [AWS ExportImage]',
    'pipeline.yaml:34:5: exports.golden-aws.colour: is not a known field here (allowed: cloud, imageId, fromImport, bucket, prefix, role, removal, timeouts, format, description, tags)',
    'pipeline.yaml:41:11: exports.golden-ali.role: "nobody" is not a role of this file: declare it under roles (with existing: true for a role made elsewhere) (allowed: ali-role)',
    'pipeline.yaml:45:13: exports.golden-jd.bucket: "aws-bucket" is a bucket on aws, not on jdcloud (allowed: jd-bucket)',
  ]);
});

test('quotes a rejected format as written, while the resolved spec carries it normalised', (t) => {
  const lines = issueLines(VALID_PIPELINE.replace('format: vmdk', 'format: QCOW2'));
  t.deepEqual(lines, [
    'pipeline.yaml:31:13: exports.golden-aws.format: "QCOW2" is not an export format of AWS (allowed: VMDK, RAW, VHD) [AWS ExportImage]',
  ]);
  const upper = check(VALID_PIPELINE.replace('format: vmdk', 'format: VMDK'));
  t.deepEqual(upper.issues, []);
  t.is(upper.pipeline!.exports.find((entry) => entry.key === 'golden-aws')!.spec.format, 'vmdk');
});

test('rejects an entry on a cloud the file does not declare', (t) => {
  const text = VALID_PIPELINE.replace('  jdcloud:\n    region: cn-east-2\n', '');
  const lines = issueLines(text);
  t.true(lines.includes('pipeline.yaml:13:12: roles.jd-role.cloud: "jdcloud" is not declared under clouds: add clouds.jdcloud with its region (allowed: aws, alicloud)'), lines.join('\n'));
  t.true(lines.some((line) => line.startsWith('pipeline.yaml:40:12: exports.golden-jd.cloud: "jdcloud" is not declared under clouds')), lines.join('\n'));
});

test('rejects a cycle between an export and an import', (t) => {
  const text = `name: demo
clouds:
  aws: { region: us-east-1 }
buckets:
  b: { cloud: aws, name: demo-bucket }
exports:
  again:
    cloud: aws
    fromImport: back
    format: vmdk
    bucket: b
imports:
  back:
    cloud: aws
    disks:
      - fromExport: again
`;
  t.deepEqual(issueLines(text), ['pipeline.yaml:9:5: exports.again.fromImport: "again" is part of a cycle: exports.again -> imports.back -> exports.again']);
});

test('accepts a chain: an import of an export, and an export of an import', (t) => {
  const text = `name: demo
clouds:
  aws: { region: us-east-1 }
roles:
  r: { cloud: aws }
buckets:
  b: { cloud: aws, name: demo-bucket }
exports:
  first: { cloud: aws, imageId: ami-0123456789abcdef0, format: vmdk, bucket: b, role: r }
  second: { cloud: aws, fromImport: back, format: vhd, bucket: b, role: r }
imports:
  back:
    cloud: aws
    role: r
    disks:
      - fromExport: first
`;
  const result = check(text);
  t.deepEqual(result.issues, []);
  const back = result.pipeline!.imports[0];
  t.deepEqual(back.fromExports, [{ diskIndex: 0, exportKey: 'first' }]);
  t.deepEqual(back.spec.disks, [{ format: 'vmdk', bucket: 'demo-bucket', key: '' }]);
  t.is(result.pipeline!.exports[1].fromImport, 'back');
  t.is(result.pipeline!.roles[0].spec.purpose, 'both');
});

test('rejects a chain across clouds and unknown chain keys', (t) => {
  const text = `name: demo
clouds:
  aws: { region: us-east-1 }
  alicloud: { region: cn-hangzhou }
buckets:
  b: { cloud: aws, name: demo-bucket }
  a: { cloud: alicloud, name: demo-ali }
exports:
  first: { cloud: aws, imageId: ami-0123456789abcdef0, format: vmdk, bucket: b }
  lost: { cloud: aws, fromImport: nothing, format: vmdk, bucket: b }
imports:
  ali:
    cloud: alicloud
    disks:
      - fromExport: first
      - fromExport: ghost
`;
  t.deepEqual(issueLines(text), [
    'pipeline.yaml:10:35: exports.lost.fromImport: "nothing" is not an import of this file (allowed: ali)',
    'pipeline.yaml:15:21: imports.ali.disks[0].fromExport: "first" is an export on aws; an import on alicloud reads only from Alibaba Cloud buckets',
    'pipeline.yaml:16:21: imports.ali.disks[1].fromExport: "ghost" is not an export of this file (allowed: first, lost)',
  ]);
});

test('an Alibaba Cloud role cannot serve exports and imports', (t) => {
  const text = `name: demo
clouds:
  alicloud: { region: cn-hangzhou }
roles:
  r: { cloud: alicloud }
buckets:
  a: { cloud: alicloud, name: demo-ali }
exports:
  e: { cloud: alicloud, imageId: m-bp1234567890abcdef, bucket: a, role: r }
imports:
  i: { cloud: alicloud, role: r, disks: [ { bucket: a, key: disk.qcow2, format: qcow2 } ] }
`;
  const lines = issueLines(text);
  t.is(lines.length, 1, lines.join('\n'));
  t.regex(lines[0], /^pipeline\.yaml:5:3: roles\.r: .*one service role per purpose/);
});

test('rejects duplicate bucket names and misplaced per-cloud fields', (t) => {
  const text = `name: demo
clouds:
  aws: { region: us-east-1 }
roles:
  r: { cloud: aws, policyMode: scoped }
buckets:
  one: { cloud: aws, name: same-name }
  two: { cloud: aws, name: same-name }
`;
  t.deepEqual(issueLines(text), [
    'pipeline.yaml:5:20: roles.r.policyMode: "scoped" applies to Alibaba Cloud roles only',
    'pipeline.yaml:8:28: buckets.two.name: "same-name" is also the name of buckets.one: declare a bucket once',
  ]);
});

test('maps a cloud rule on a bucket name to the bucket declaration', (t) => {
  const text = VALID_PIPELINE.replace('name: demo-aws-exports', 'name: Demo_Exports');
  const lines = issueLines(text);
  t.true(lines.length >= 1);
  for (const line of lines) t.regex(line, /^pipeline\.yaml:20:11: buckets\.aws-bucket\.name: "Demo_Exports" .*\[Amazon S3 bucket naming rules\]$/);
});

test('rejects an entry whose cloud rules throw: it is reported as not checked, never applied unchecked', (t) => {
  const throwing = (cloud: CloudId): CloudRules => {
    const rules = rulesFor(cloud);
    return cloud === 'aws'
      ? {
          ...rules,
          validateExport: () => {
            throw new Error('rule bug\nsecond line');
          },
        }
      : rules;
  };
  const result = checkPipelineText(VALID_PIPELINE, 'pipeline.yaml', { rulesFor: throwing });
  const issue = result.issues.find((candidate) => candidate.code === 'rules.failed');
  t.truthy(issue, JSON.stringify(result.issues));
  t.is(issue!.path, 'exports.golden-aws');
  t.is(issue!.rule, "could not be checked by the cloud's rules (rule bug)");
  t.is(result.pipeline, undefined, 'a pipeline with an unchecked entry is not returned for apply');
});

test('loadValidPipelineSync reads a valid file into the resolved pipeline, and rejects an invalid or unreadable one naming every problem', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imageport-load-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const valid = join(dir, 'valid.yaml');
  writeFileSync(valid, VALID_PIPELINE);
  t.is(loadValidPipelineSync(valid).name, 'demo');
  const invalid = join(dir, 'invalid.yaml');
  writeFileSync(invalid, VALID_PIPELINE.replace('format: vmdk', 'format: vmdx'));
  const error = t.throws(() => loadValidPipelineSync(invalid));
  t.regex(error!.message, new RegExp(`^pipeline ${invalid} is invalid:\\n {2}${invalid}:\\d+:\\d+: exports\\.golden-aws\\.format: "vmdx"`));
  t.throws(() => loadValidPipelineSync(join(dir, 'missing.yaml')), { message: /^cannot read pipeline .*missing\.yaml: ENOENT$/ });
});
