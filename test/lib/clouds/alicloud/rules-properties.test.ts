import test from 'ava';
import fc from 'fast-check';
import { validateAlicloudExport } from '../../../../lib/clouds/alicloud/export-rules';
import { validateAlicloudImport } from '../../../../lib/clouds/alicloud/import-rules';
import { checkAlicloudTags } from '../../../../lib/clouds/alicloud/import-rules';
import { IssueCollector, checkOssBucketName, checkRamRoleName, checkRegionId } from '../../../../lib/clouds/alicloud/rule-helpers';
import {
  ALICLOUD_EXPORT_FIELDS,
  ALICLOUD_IMPORT_FIELDS,
  alicloudExportMutations,
  alicloudExportSpec,
  alicloudImportMutations,
  alicloudImportSpec,
  alicloudRegion,
  alicloudTags,
  badOssBucket,
  ossBucket,
  ramRoleName,
} from '../support/alicloud-specs';
import { anyValue, registerNameProperties, registerRuleProperties, type Validator } from '../support/rule-properties';
import { LOWER, charsOf, plainMap } from '../support/text-arbitraries';

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

// The name checks other operations use on their own (tag updates of an imported image, role and bucket setup).

/** Runs an Alibaba check the way its callers do: into a fresh collector. */
function collect(check: (issues: IssueCollector, field: string, value: unknown) => void) {
  return (field: string, value: unknown) => {
    const issues = new IssueCollector('test');
    check(issues, field, value);
    return issues.issues;
  };
}

registerNameProperties({ title: 'Alibaba checkOssBucketName', check: collect(checkOssBucketName), valid: ossBucket, invalid: ossBucket.chain(badOssBucket), any: anyValue });
registerNameProperties({
  title: 'Alibaba checkRamRoleName',
  check: collect(checkRamRoleName),
  valid: fc.oneof(ramRoleName, fc.constantFrom(undefined, null)),
  invalid: fc.oneof(fc.constantFrom('', 'r'.repeat(65), 'my_role', 'my role', 'rôle', 'a/b'), fc.integer()),
  any: anyValue,
});
registerNameProperties({
  title: 'Alibaba checkRegionId',
  check: collect((issues, _field, value) => checkRegionId(issues, value)),
  valid: alicloudRegion,
  invalid: fc.constantFrom('hangzhou', 'CN-HANGZHOU', 'cn_hangzhou', 'c-hangzhou', 'cn-', '', undefined, 7),
  any: anyValue,
  fields: fc.constant('region'),
});
registerNameProperties({
  title: 'Alibaba checkAlicloudTags',
  check: collect((issues, _field, value) => checkAlicloudTags(issues, value)),
  valid: alicloudTags,
  invalid: fc.oneof(
    plainMap(fc.constantFrom('acs:team', 'aliyun', 'k'.repeat(129), '', 'see http://x'), fc.constant('v'), 1, 1),
    plainMap(charsOf(LOWER, 1, 8), fc.constantFrom<unknown>('v'.repeat(129), 'acs:x', 'https://x', 7), 1, 1),
    plainMap(charsOf(LOWER, 1, 12), fc.constant('v'), 30, 21),
    fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 })),
  ),
  any: anyValue,
  entries: true,
  fields: fc.constant('tags'),
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
