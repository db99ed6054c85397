import test from 'ava';
import fc from 'fast-check';
import { redactUrl } from '../../../../lib/clouds/aws/disk-rules';
import { validateAwsExport } from '../../../../lib/clouds/aws/export-rules';
import { validateAwsImport } from '../../../../lib/clouds/aws/import-rules';
import { IssueCollector } from '../../../../lib/clouds/aws/issue-collector';
import { checkBucketName, checkClientToken, checkObjectKey, checkRegion, checkRoleName, checkTags } from '../../../../lib/clouds/aws/name-rules';
import {
  AWS_EXPORT_FIELDS,
  AWS_IMPORT_FIELDS,
  awsExportMutations,
  awsExportSpec,
  awsImportMutations,
  awsImportSpec,
  awsRegion,
  awsTagKey,
  awsTags,
  badS3Bucket,
  ec2ClientToken,
  iamRoleName,
  s3Bucket,
  s3Key,
} from '../support/aws-specs';
import { anyValue, registerNameProperties, registerRuleProperties } from '../support/rule-properties';
import { anyCase, charsOf, insertSomewhere, LOWER, plainMap, printableText } from '../support/text-arbitraries';

// Property-based tests of AWS's pure rules (EC2 ExportImage / ImportImage): robustness, the documented domain,
// single-rule mutations naming their field, and every problem at once. Domains: test/lib/clouds/support/aws-specs.ts.

registerRuleProperties({ title: 'AWS export', validate: validateAwsExport, valid: awsExportSpec, fields: AWS_EXPORT_FIELDS, mutations: awsExportMutations });

registerRuleProperties({
  title: 'AWS import',
  validate: validateAwsImport,
  valid: awsImportSpec,
  fields: AWS_IMPORT_FIELDS,
  mutations: awsImportMutations,
  withUrl: (spec, url) => ({ ...spec, disks: [{ url, format: 'VMDK' }] }),
});

// The name checks the driver and the bucket documents use on their own (bucket setup, role names, tag updates).

/** Runs an AWS name check the way its callers do: into a fresh collector. */
function collect<V>(check: (issues: IssueCollector, field: string, value: V) => void): (field: string, value: unknown) => ReturnType<typeof validateAwsImport> {
  return (field, value) => {
    const issues = new IssueCollector('test');
    check(issues, field, value as V);
    return issues.issues;
  };
}

registerNameProperties({ title: 'AWS checkBucketName', check: collect(checkBucketName), valid: s3Bucket, invalid: s3Bucket.chain(badS3Bucket), any: fc.string({ unit: 'binary', maxLength: 80 }) });
registerNameProperties({
  title: 'AWS checkRoleName',
  check: collect(checkRoleName),
  valid: iamRoleName,
  invalid: fc.oneof(iamRoleName.chain((r) => insertSomewhere(r, fc.constantFrom(' ', '/', '*', 'é', ':'))), charsOf(LOWER, 65, 80), fc.constant('')),
  any: fc.string({ unit: 'binary', maxLength: 80 }),
});
registerNameProperties({
  title: 'AWS checkRegion',
  check: collect(checkRegion),
  valid: awsRegion,
  invalid: fc.oneof(fc.constantFrom('cn-hangzhou', 'useast1', 'us_east_1', 'us-east', 'us-east-1a', ''), awsRegion.chain((r) => anyCase(r).filter((u) => u !== r))),
  any: fc.string({ unit: 'binary', maxLength: 40 }),
});
registerNameProperties({
  title: 'AWS checkObjectKey',
  check: collect((issues: IssueCollector, field: string, key: string) => checkObjectKey(issues, field, key, 'key')),
  valid: s3Key,
  invalid: fc.oneof(fc.constantFrom('', 'k'.repeat(1025), 'é'.repeat(513)), printableText(20).chain((k) => insertSomewhere(k, fc.constantFrom('\n', '\u0000', '\u007f')))),
  any: fc.string({ unit: 'binary', maxLength: 200 }),
});
registerNameProperties({
  title: 'AWS checkTags',
  check: collect(checkTags),
  valid: awsTags,
  invalid: fc.oneof(
    plainMap(fc.constantFrom('aws:team', 'AWS:x', 'imageport:token', 'k'.repeat(128), ''), printableText(5), 1, 1),
    plainMap(awsTagKey, fc.oneof(fc.constant('v'.repeat(257)), fc.integer()), 1, 1),
    plainMap(awsTagKey, fc.constant('v'), 60, 50),
    fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 })),
  ),
  any: anyValue,
  entries: true,
});
registerNameProperties({
  title: 'AWS checkClientToken',
  check: collect(checkClientToken),
  valid: ec2ClientToken,
  invalid: fc.constantFrom('t'.repeat(65), '', 'tok\u0000en', 'tök'),
  any: fc.string({ unit: 'binary', maxLength: 80 }),
});

// Counterexamples the properties found, pinned.

function issuesOfDisk(url: string) {
  return validateAwsImport({ cloud: 'aws', region: 'us-east-1', disks: [{ url, format: 'VMDK' }] });
}

test('rejects an s3:// URL whose key has a malformed escape instead of throwing (was URIError)', (t) => {
  const issues = issuesOfDisk('s3://abc/images/100% done.ova');
  t.deepEqual(issues.map((i) => [i.field, i.code]), [['disks[0].url', 'url.key-encoding']]);
  t.deepEqual(issuesOfDisk('s3://abc/images/100%25%20done.ova'), []);
});

test('rejects an s3:// URL without a bucket (s3:/bucket/key was accepted)', (t) => {
  t.deepEqual(issuesOfDisk('s3:/bucket/key').map((i) => [i.field, i.code]), [['disks[0].url', 'url.bucket']]);
});

test('rejects an s3:// URL whose bucket breaks the naming rules on the url field (was "disks[0].url (bucket)")', (t) => {
  const issues = issuesOfDisk('s3://ab/disk.vmdk');
  t.deepEqual(issues.map((i) => [i.field, i.code]), [['disks[0].url', 'bucket-name.length']]);
  t.is(issues[0].rule, 'names the bucket "ab", which must be 3 to 63 characters long (it has 2)');
  t.is(issues[0].value, 's3://ab/disk.vmdk');
});

test('rejects a URL with no host without quoting its user info (admin:pw@host parses as a scheme)', (t) => {
  const issues = issuesOfDisk('admin:secret-pw@bucket.s3.amazonaws.com/disk.vmdk?X-Amz-Signature=abc');
  t.is(issues.length, 1);
  t.false(JSON.stringify(issues).includes('secret-pw'));
  t.false(JSON.stringify(issues).includes('Signature'));
  t.is(redactUrl('AKIDEXAMPLE@host/x'), 'host/x');
  t.is(redactUrl('s3:/AKIDEXAMPLE@host/x?y'), 's3:/host/x (query hidden)');
});

test('rejects an encrypted flag of the wrong type on encrypted only, not also on kmsKeyId', (t) => {
  const issues = validateAwsImport({
    cloud: 'aws',
    region: 'us-east-1',
    disks: [{ url: 'https://a.example/d.vmdk', format: 'VMDK' }],
    kmsKeyId: 'mrk-00000000000000000000000000000000',
    encrypted: 'true',
  } as never);
  t.deepEqual(issues.map((i) => [i.field, i.code]), [['encrypted', 'type']]);
});

test('rejects a platform AWS does not import once, not also as missing for a UEFI snapshot import', (t) => {
  const issues = validateAwsImport({ cloud: 'aws', region: 'us-east-1', disks: [{ snapshotId: 'snap-00000000' }], bootMode: 'uefi', platform: 'Ubuntu' });
  t.deepEqual(issues.map((i) => [i.field, i.code]), [['platform', 'platform.not-allowed']]);
  const missing = validateAwsImport({ cloud: 'aws', region: 'us-east-1', disks: [{ snapshotId: 'snap-00000000' }], bootMode: 'uefi' });
  t.deepEqual(missing.map((i) => [i.field, i.code]), [['platform', 'required']]);
});
