import test from 'ava';
import fc from 'fast-check';
import { bucketNameIssues, iamNameIssues, imageNameIssues, validateJdcloudExport, validateJdcloudImport } from '../../../../lib/clouds/jdcloud/rules';
import {
  JDCLOUD_EXPORT_FIELDS,
  JDCLOUD_IMPORT_FIELDS,
  jdcloudExportMutations,
  jdcloudExportSpec,
  jdcloudImportMutations,
  jdcloudImportSpec,
  badJdBucket,
  jdBucket,
  jdImageName,
  jdRoleName,
} from '../support/jdcloud-specs';
import { anyValue, registerNameProperties, registerRuleProperties, type Validator } from '../support/rule-properties';

// Property-based tests of JD Cloud's pure rules (vm exportImage / importImage): robustness, the documented domain,
// single-rule mutations naming their field, and every problem at once. Domains: ../support/jdcloud-specs.ts.

registerRuleProperties({
  title: 'JD export',
  validate: validateJdcloudExport as Validator,
  valid: jdcloudExportSpec,
  fields: JDCLOUD_EXPORT_FIELDS,
  mutations: jdcloudExportMutations,
});

registerRuleProperties({
  title: 'JD import',
  validate: validateJdcloudImport as Validator,
  valid: jdcloudImportSpec,
  fields: JDCLOUD_IMPORT_FIELDS,
  mutations: jdcloudImportMutations,
  withUrl: (spec, url) => ({ ...spec, disks: [{ url, format: 'qcow2' }] }),
});

// The name checks the Pulumi bucket, role and policy providers use on their own.

registerNameProperties({ title: 'JD bucketNameIssues', check: bucketNameIssues, valid: jdBucket, invalid: jdBucket.chain(badJdBucket), any: anyValue });
// Their codes start with the field name (`roleName.invalid`), so callers pass plain names, as the providers do.
const plainNames = fc.constantFrom('roleName', 'policyName', 'imageName', 'name');
const badIamName = fc.oneof(fc.constantFrom('abc', 'r'.repeat(65), '1role', '-role', 'role.name', 'rôle', 'my role'), fc.integer(), fc.boolean());
for (const what of ['role', 'policy'] as const) {
  registerNameProperties({ title: `JD iamNameIssues (${what})`, check: (field, value) => iamNameIssues(field, value, what, true), valid: jdRoleName, invalid: fc.oneof(badIamName, fc.constantFrom(undefined, '')), any: anyValue, fields: plainNames });
}
registerNameProperties({ title: 'JD iamNameIssues (optional)', check: (field, value) => iamNameIssues(field, value, 'role', false), valid: fc.oneof(jdRoleName, fc.constantFrom(undefined, null, '')), invalid: badIamName, any: anyValue, fields: plainNames });
registerNameProperties({
  title: 'JD imageNameIssues',
  check: imageNameIssues,
  valid: jdImageName,
  invalid: fc.oneof(fc.constantFrom('n'.repeat(33), 'my image', 'image.v1', 'imagé', 'a/b', '😀', '', undefined), fc.integer()),
  any: anyValue,
  fields: plainNames,
});

// Counterexamples the properties found, pinned.

const goodImport = { cloud: 'jdcloud', region: 'cn-north-1', imageName: 'web', disks: [{ bucket: 'imports', key: 'web.qcow2', format: 'qcow2' }] };
const goodExport = { cloud: 'jdcloud', region: 'cn-east-2', imageId: 'img-abc', bucket: 'exports', roleName: 'image-export' };

function codes(issues: readonly { field: string; code: string }[]): string[][] {
  return issues.map((i) => [i.field, i.code]);
}

test('rejects a spec that is not an object with one issue instead of throwing (null threw a TypeError)', (t) => {
  for (const spec of [null, [], 'jdcloud', 7]) {
    t.deepEqual(codes(validateJdcloudImport(spec as never)), [['(spec)', 'type']]);
    t.deepEqual(codes(validateJdcloudExport(spec as never)), [['(spec)', 'type']]);
  }
});

test('rejects a dryRun that is not true or false (it was accepted)', (t) => {
  t.deepEqual(codes(validateJdcloudExport({ ...goodExport, dryRun: 'true' } as never)), [['dryRun', 'dryRun.type']]);
  t.deepEqual(codes(validateJdcloudImport({ ...goodImport, dryRun: [false] } as never)), [['dryRun', 'dryRun.type']]);
  t.deepEqual(validateJdcloudImport({ ...goodImport, dryRun: false } as never), []);
});

test('rejects a disk that is not an object on the disk alone (it also reported disks[0].format missing)', (t) => {
  t.deepEqual(codes(validateJdcloudImport({ ...goodImport, disks: [0] } as never)), [['disks[0]', 'disks.type']]);
  t.deepEqual(codes(validateJdcloudImport({ ...goodImport, disks: [null] } as never)), [['disks[0]', 'disks.type']]);
});

test('rejects a disk size that is no system disk size even when systemDiskSizeGiB is given (it was ignored)', (t) => {
  const disks = [{ ...goodImport.disks[0], sizeGiB: '40' }];
  t.deepEqual(codes(validateJdcloudImport({ ...goodImport, disks, systemDiskSizeGiB: 50 } as never)), [['disks[0].sizeGiB', 'systemDiskSizeGiB.invalid']]);
});

test('rejects a Windows platform without osType, which the driver sends as linux (it was accepted)', (t) => {
  t.deepEqual(codes(validateJdcloudImport({ ...goodImport, platform: 'Windows Server' } as never)), [['platform', 'platform.os-type-mismatch']]);
  t.deepEqual(validateJdcloudImport({ ...goodImport, platform: 'Windows Server', osType: 'windows' } as never), []);
  t.deepEqual(validateJdcloudImport({ ...goodImport, platform: 'Ubuntu' } as never), []);
});

test('rejects a presigned disk URL without quoting its signature', (t) => {
  const url = 'https://b.s3.cn-north-1.jdcloud-oss.com/a b.qcow2?X-Amz-Credential=JDCEXAMPLE%2F20240101&X-Amz-Signature=abc';
  const issues = validateJdcloudImport({ ...goodImport, disks: [{ url, format: 'qcow2' }] } as never);
  t.deepEqual(codes(issues), [['disks[0].url', 'disks.url-invalid']]);
  t.false(JSON.stringify(issues).includes('Signature'));
  t.false(JSON.stringify(validateJdcloudImport({ ...goodImport, disks: [{ url, bucket: 'b', key: 'k', format: 'qcow2' }] } as never)).includes('Signature'));
});
