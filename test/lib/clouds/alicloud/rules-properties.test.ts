import test from 'ava';
import { validateAlicloudExport } from '../../../../lib/clouds/alicloud/export-rules';
import { validateAlicloudImport } from '../../../../lib/clouds/alicloud/import-rules';
import {
  ALICLOUD_EXPORT_FIELDS,
  ALICLOUD_IMPORT_FIELDS,
  alicloudExportMutations,
  alicloudExportSpec,
  alicloudImportMutations,
  alicloudImportSpec,
} from '../support/alicloud-specs';
import { registerRuleProperties, type Validator } from '../support/rule-properties';

// Property-based tests of Alibaba Cloud's pure rules (ECS ExportImage / ImportImage): robustness, the documented
// domain, single-rule mutations naming their field, and every problem at once. Domains: ../support/alicloud-specs.ts.

registerRuleProperties({
  title: 'Alibaba export',
  validate: validateAlicloudExport as Validator,
  valid: alicloudExportSpec,
  fields: ALICLOUD_EXPORT_FIELDS,
  mutations: alicloudExportMutations,
});

registerRuleProperties({
  title: 'Alibaba import',
  validate: validateAlicloudImport as Validator,
  valid: alicloudImportSpec,
  fields: ALICLOUD_IMPORT_FIELDS,
  mutations: alicloudImportMutations,
  withUrl: (spec, url) => ({ ...spec, disks: [{ url }] }),
});

// Counterexamples the properties found, pinned.

const disk = { bucket: 'images', key: 'web.qcow2' };

test('rejects a spec that is not an object with one issue instead of throwing (null threw a TypeError)', (t) => {
  for (const spec of [null, [], 'alicloud', 7]) {
    t.deepEqual(validateAlicloudImport(spec as never).map((i) => [i.field, i.code]), [['(spec)', 'type']]);
    t.deepEqual(validateAlicloudExport(spec as never).map((i) => [i.field, i.code]), [['(spec)', 'type']]);
  }
});

test('rejects a disk given as a list on the disk itself (it reported disks[0].bucket and .key as missing)', (t) => {
  const issues = validateAlicloudImport({ cloud: 'alicloud', region: 'cn-hangzhou', disks: [[] as never] });
  t.deepEqual(issues.map((i) => [i.field, i.code]), [['disks[0]', 'disk.type']]);
});

test('rejects a field of the wrong type with a code that does not carry the disk position (was disks[0].format.type)', (t) => {
  const issues = validateAlicloudImport({ cloud: 'alicloud', region: 'cn-hangzhou', disks: [{ ...disk, format: 7, description: 'x' } as never] });
  t.deepEqual(issues.map((i) => [i.field, i.code]), [['disks[0].format', 'format.type'], ['disks[0].description', 'description.unsupported']]);
});

test('rejects a disk URL without quoting its signature or user info', (t) => {
  const url = 'https://user:pw@b.oss-cn-hangzhou.aliyuncs.com/web.qcow2?OSSAccessKeyId=LTAIEXAMPLE&Signature=abc%3D';
  const issues = validateAlicloudImport({ cloud: 'alicloud', region: 'cn-hangzhou', disks: [{ url }] });
  t.deepEqual(issues.map((i) => [i.field, i.code, i.value]), [['disks[0].url', 'disk.source', 'https://b.oss-cn-hangzhou.aliyuncs.com/web.qcow2 (query and user info hidden)']]);
});
