import test from 'ava';
import { validateJdcloudExport, validateJdcloudImport } from '../../../../lib/clouds/jdcloud/rules';
import {
  JDCLOUD_EXPORT_FIELDS,
  JDCLOUD_IMPORT_FIELDS,
  jdcloudExportMutations,
  jdcloudExportSpec,
  jdcloudImportMutations,
  jdcloudImportSpec,
} from '../support/jdcloud-specs';
import { registerRuleProperties, type Validator } from '../support/rule-properties';

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
