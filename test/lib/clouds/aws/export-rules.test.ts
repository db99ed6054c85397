import test from 'ava';
import { formatIssue, type ValidationIssue } from '../../../../lib/model/validation-issue';
import { AWS_EXPORT_PREFIX_MAX_BYTES, validateAwsExport } from '../../../../lib/clouds/aws/export-rules';
import { awsRules } from '../../../../lib/clouds/aws/rules';

const valid = {
  cloud: 'aws',
  region: 'eu-west-2',
  imageId: 'ami-0123456789abcdef0',
  format: 'VMDK',
  bucket: 'golden-exports',
  prefix: 'exports/',
  roleName: 'vmimport',
  description: 'golden image',
  tags: { team: 'platform' },
  clientToken: 'ip-0123456789abcdef',
  dryRun: false,
};

function codes(issues: readonly ValidationIssue[]): string[] {
  return issues.map((i) => `${i.field}:${i.code}`);
}

test('a complete, correct export spec has no issues', (t) => {
  t.deepEqual(awsRules.validateExport(valid as never), []);
});

test('the short AMI id form (8 hex digits) and every format in any case are accepted', (t) => {
  for (const format of ['vmdk', 'Raw', 'VHD', ' vhd ']) {
    t.deepEqual(validateAwsExport({ ...valid, imageId: 'ami-0123abcd', format }), [], format);
  }
});

test('rejects a missing spec body with one clear issue', (t) => {
  t.deepEqual(codes(validateAwsExport(undefined)), ['(spec):type']);
  t.deepEqual(codes(validateAwsExport(['x'])), ['(spec):type']);
});

test('rejects missing required fields, all at once', (t) => {
  const issues = validateAwsExport({ cloud: 'aws' });
  t.deepEqual(codes(issues).sort(), ['bucket:required', 'format:required', 'imageId:required', 'region:required']);
  const format = issues.find((i) => i.field === 'format');
  t.deepEqual(format?.allowed, ['VMDK', 'RAW', 'VHD']);
});

test('rejects a format AWS cannot write and lists VMDK, RAW, VHD', (t) => {
  const [issue] = validateAwsExport({ ...valid, format: 'qcow2' });
  t.is(issue.code, 'format.not-allowed');
  t.is(issue.value, 'qcow2');
  t.is(formatIssue(issue), 'format: "qcow2" is not an export format of AWS (allowed: VMDK, RAW, VHD) [AWS ExportImage]');
});

test('rejects wrong types without crashing (numbers where strings belong, a list for tags)', (t) => {
  const issues = validateAwsExport({ ...valid, imageId: 42, format: 7, bucket: true, prefix: 1, description: {}, tags: ['a'], dryRun: 'yes', region: 5 });
  t.deepEqual(codes(issues).sort(), [
    'bucket:type',
    'description:type',
    'dryRun:type',
    'format:type',
    'imageId:type',
    'prefix:type',
    'region:type',
    'tags:type',
  ]);
  t.regex(issues.find((i) => i.field === 'imageId')!.rule, /must be a string, not a number/);
});

test('rejects malformed AMI ids', (t) => {
  for (const imageId of ['ami-123', 'ami-0123456789ABCDEF0', 'm-abc', 'ami-0123456789abcdef01', 'ami-0123456789abcdeg0']) {
    t.deepEqual(codes(validateAwsExport({ ...valid, imageId })), ['imageId:image-id.format'], imageId);
  }
});

test('rejects a description over 255 characters and accepts exactly 255', (t) => {
  t.deepEqual(validateAwsExport({ ...valid, description: 'd'.repeat(255) }), []);
  const [issue] = validateAwsExport({ ...valid, description: 'd'.repeat(256) });
  t.is(issue.code, 'description.too-long');
  t.regex(issue.rule, /at most 255 characters \(it has 256\)/);
});

test('rejects bad region names', (t) => {
  for (const region of ['US-EAST-1', 'useast1', 'us-east', 'eu_west_1']) {
    t.deepEqual(codes(validateAwsExport({ ...valid, region })), ['region:region.format'], region);
  }
  for (const region of ['us-gov-west-1', 'cn-north-1', 'ap-southeast-2', 'il-central-1']) {
    t.deepEqual(validateAwsExport({ ...valid, region }), [], region);
  }
});

test('rejects a cloud other than aws', (t) => {
  t.deepEqual(codes(validateAwsExport({ ...valid, cloud: 'alicloud' })), ['cloud:cloud.mismatch']);
});

test('rejects a prefix too long for an S3 key once AWS appends the task id, and control characters', (t) => {
  t.deepEqual(validateAwsExport({ ...valid, prefix: 'p'.repeat(AWS_EXPORT_PREFIX_MAX_BYTES) }), []);
  t.deepEqual(codes(validateAwsExport({ ...valid, prefix: 'p'.repeat(AWS_EXPORT_PREFIX_MAX_BYTES + 1) })), ['prefix:object-prefix.too-long']);
  // multi-byte characters count in bytes
  t.deepEqual(codes(validateAwsExport({ ...valid, prefix: 'é'.repeat(496) })), ['prefix:object-prefix.too-long']);
  t.deepEqual(codes(validateAwsExport({ ...valid, prefix: 'a\nb/' })), ['prefix:object-prefix.control-characters']);
});

test('rejects role names IAM refuses', (t) => {
  t.deepEqual(validateAwsExport({ ...valid, roleName: 'a+b=c,d.e@f_g-h' }), []);
  t.deepEqual(codes(validateAwsExport({ ...valid, roleName: 'r'.repeat(65) })), ['roleName:role-name.length']);
  t.deepEqual(codes(validateAwsExport({ ...valid, roleName: '' })), ['roleName:role-name.length']);
  t.deepEqual(codes(validateAwsExport({ ...valid, roleName: 'my role' })), ['roleName:role-name.characters']);
});

test('rejects tags AWS refuses: aws: keys, long keys and values, non-string values, too many', (t) => {
  const issues = validateAwsExport({
    ...valid,
    tags: { 'aws:team': 'x', 'AWS:Other': 'y', ['k'.repeat(128)]: 'v', long: 'v'.repeat(257), n: 5, 'imageport:x': 'y' },
  });
  t.deepEqual(codes(issues), [
    'tags.aws:team:tag-key.reserved',
    'tags.AWS:Other:tag-key.reserved',
    `tags.${'k'.repeat(128)}:tag-key.length`,
    'tags.long:tag-value.too-long',
    'tags.n:type',
    'tags.imageport:x:tag-key.reserved',
  ]);
  t.deepEqual(validateAwsExport({ ...valid, tags: { ['k'.repeat(127)]: 'v'.repeat(256) } }), []);
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
  t.deepEqual(codes(validateAwsExport({ ...valid, tags: many })), ['tags:tags.too-many']);
});

test('rejects a client token over 64 characters or not ASCII', (t) => {
  t.deepEqual(validateAwsExport({ ...valid, clientToken: 't'.repeat(64) }), []);
  t.deepEqual(codes(validateAwsExport({ ...valid, clientToken: 't'.repeat(65) })), ['clientToken:client-token.length']);
  t.deepEqual(codes(validateAwsExport({ ...valid, clientToken: 'tökén' })), ['clientToken:client-token.characters']);
});

test('rejects fields other clouds have and AWS does not, naming the field', (t) => {
  const [issue] = validateAwsExport({ ...valid, allDisks: true });
  t.is(issue.field, 'allDisks');
  t.is(issue.code, 'field.unsupported');
  t.regex(issue.rule, /ExportImage has no such parameter/);
});

test('reports every problem of a thoroughly wrong spec in one pass', (t) => {
  const issues = validateAwsExport({ cloud: 'aws', region: 'mars', imageId: 'img-1', format: 'QCOW2', bucket: 'Bad_Bucket', description: 'x'.repeat(300) });
  t.deepEqual(codes(issues), [
    'region:region.format',
    'imageId:image-id.format',
    'format:format.not-allowed',
    'bucket:bucket-name.characters',
    'bucket:bucket-name.edges',
    'description:description.too-long',
  ]);
});
