import fc from 'fast-check';
import { type Mutation, type Spec, setField } from './rule-properties';
import {
  DIGITS,
  HEX,
  LOWER,
  UPPER,
  anyCase,
  bmpText,
  charsOf,
  insertSomewhere,
  notBoolean,
  notList,
  notNumber,
  notObject,
  notString,
  oneOfAnyCase,
  plainMap,
  printableText,
  spec,
} from './text-arbitraries';

// AWS's documented domain (reference aws.md §1.1, §2.1, §2.5; S3 bucket naming rules; IAM role name rules; EC2 tag
// restrictions), written out independently of lib/clouds/aws so that a rule that drifts from it fails here.

/** Region names as AWS spells them, commercial, GovCloud, China and isolated partitions. */
export const awsRegion = fc.oneof(
  fc.constantFrom('us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-central-1', 'eu-central-2', 'eu-west-3', 'eu-south-2', 'eu-north-1',
    'ap-southeast-1', 'ap-southeast-7', 'ap-northeast-3', 'ap-south-2', 'sa-east-1', 'ca-west-1', 'me-central-1', 'il-central-1', 'af-south-1',
    'mx-central-1', 'us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1'),
  fc.tuple(charsOf(LOWER, 2, 2), fc.array(charsOf(LOWER, 1, 9), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 99 })).map(
    ([area, parts, n]) => `${area}-${parts.join('-')}-${n}`,
  ),
);

const hexId = (prefix: string): fc.Arbitrary<string> => fc.oneof(charsOf(HEX, 8, 8), charsOf(HEX, 17, 17)).map((hex) => `${prefix}${hex}`);
/** AMI ids: `ami-` and 8 or 17 lower-case hex digits. */
export const amiId = hexId('ami-');
/** EBS snapshot ids. */
export const snapshotId = hexId('snap-');

const BUCKET_INNER = `${LOWER}${DIGITS}${LOWER}${DIGITS}.-`;
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
/** S3 general-purpose bucket names: 3-63 of a-z 0-9 . -, letter or digit at both ends, no `..`, not an IP, no reserved affix. */
export const s3Bucket = fc
  .oneof(
    fc.tuple(charsOf(LOWER + DIGITS, 1, 1), charsOf(BUCKET_INNER, 1, 61), charsOf(LOWER + DIGITS, 1, 1)).map(([a, b, c]) => a + b + c),
    fc.array(charsOf(LOWER + DIGITS, 1, 12), { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')).filter((n) => n.length >= 3),
    fc.constantFrom('abc', 'a'.repeat(63), '1.2.3', 'my-exports.example.com', 'a-.b', 'xn-a', 'sthree', 'b-s3alias1', 'x.mrap2'),
  )
  .filter(
    (name) =>
      name.length >= 3 && name.length <= 63 && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
      !RESERVED_BUCKET_PREFIXES.some((p) => name.startsWith(p)) && !RESERVED_BUCKET_SUFFIXES.some((s) => name.endsWith(s)),
  );

/** S3 key prefixes: any text without control characters, at most 991 UTF-8 bytes (1024 less the task file name). */
export const s3Prefix = fc
  .oneof(printableText(120), fc.constantFrom('exports/', 'a'.repeat(991), 'é'.repeat(495), '😀'.repeat(247), ''))
  .filter((p) => Buffer.byteLength(p, 'utf8') <= 991);

/** S3 object keys: 1 to 1024 UTF-8 bytes, no control characters. */
export const s3Key = fc
  .oneof(printableText(120, 1), fc.constantFrom('disk.vmdk', 'k'.repeat(1024), 'images/100% done.ova'))
  .filter((k) => Buffer.byteLength(k, 'utf8') <= 1024);

/** IAM role names: 1-64 of letters, digits and + = , . @ _ -. */
export const iamRoleName = charsOf(`${LOWER}${UPPER}${DIGITS}+=,.@_-`, 1, 64);
/** EC2 client tokens: 1-64 printable ASCII characters. */
export const ec2ClientToken = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 64 });

/** Tag keys: 1-127 Unicode characters, not `aws:` (any case) and not imageport's own `imageport:`. */
export const awsTagKey = printableText(127, 1).filter((k) => !/^(aws|imageport):/i.test(k));
/** Tag maps: at most 49 tags (imageport keeps one of EC2's 50 for its token), values at most 256 characters. */
export const awsTags = plainMap(awsTagKey, printableText(256), 49);

/** Any text; descriptions of exports hold at most 255 characters (code points). */
const exportDescription = fc.oneof(fc.string({ unit: 'binary', maxLength: 255 }), fc.constant('😀'.repeat(255)));

/** A valid AWS export spec (EC2 ExportImage). */
export const awsExportSpec: fc.Arbitrary<Spec> = spec(
  {
    cloud: fc.constant('aws'),
    region: awsRegion,
    imageId: amiId,
    format: oneOfAnyCase(['VMDK', 'RAW', 'VHD']),
    bucket: s3Bucket,
    prefix: s3Prefix,
    roleName: iamRoleName,
    description: exportDescription,
    tags: awsTags,
    clientToken: ec2ClientToken,
    dryRun: fc.boolean(),
  },
  ['cloud', 'region', 'imageId', 'format', 'bucket'],
);

const IMPORT_FORMATS = ['OVA', 'VHD', 'VHDX', 'VMDK', 'RAW'];
/** Host names; the last label is letters (a numeric last label makes a URL an invalid IPv4 address). */
const hostName = fc.tuple(fc.array(charsOf(LOWER + DIGITS, 1, 10), { minLength: 1, maxLength: 3 }), charsOf(LOWER, 2, 6)).map(([labels, tld]) => [...labels, tld].join('.'));
/** The key of an `s3://bucket/key` URL, percent-encoded (imageport decodes it, as the AWS CLI's s3:// URLs do not). */
const encodedKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');
const urlPath = charsOf(`${LOWER}${UPPER}${DIGITS}-_.~/`, 1, 40);
const urlQuery = fc.oneof(fc.constant(''), charsOf(`${LOWER}${DIGITS}=&-`, 1, 40).map((q) => `?${q}`));
const diskExtras = { description: fc.string({ maxLength: 40 }), deviceName: fc.constantFrom('/dev/sda', '/dev/xvdb', 'sdc') };

/** Disk sources of ImportImage: a bucket object, an https:// or s3:// URL, or an EBS snapshot. */
export const awsDisk: fc.Arbitrary<Spec> = fc.oneof(
  spec({ bucket: s3Bucket, key: s3Key, format: oneOfAnyCase(IMPORT_FORMATS), ...diskExtras }, ['bucket', 'key', 'format']),
  spec(
    {
      url: fc.oneof(
        fc.tuple(hostName, urlPath, urlQuery).map(([host, path, query]) => `https://${host}/${path}${query}`),
        fc.tuple(s3Bucket, s3Key.filter((key) => !/^\/*$/.test(key))).map(([bucket, key]) => `s3://${bucket}/${encodedKey(key)}`),
      ),
      format: oneOfAnyCase(IMPORT_FORMATS),
      ...diskExtras,
    },
    ['url', 'format'],
  ),
  spec({ snapshotId, format: oneOfAnyCase(IMPORT_FORMATS), ...diskExtras }, ['snapshotId']),
);

const kmsKeyId = fc.oneof(
  fc.uuid({ version: 4 }),
  charsOf(HEX, 32, 32).map((h) => `mrk-${h}`),
  charsOf(`${LOWER}${DIGITS}-_/`, 1, 30).map((name) => `alias/${name}`),
  fc.tuple(awsRegion, charsOf(DIGITS, 12, 12), fc.uuid({ version: 4 })).map(([r, account, id]) => `arn:aws:kms:${r}:${account}:key/${id}`),
);
const licenseConfigurationArn = fc
  .tuple(awsRegion, charsOf(DIGITS, 12, 12), charsOf(HEX, 1, 32))
  .map(([region, account, id]) => `arn:aws:license-manager:${region}:${account}:license-configuration:lic-${id}`);
const isoTime = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const clientData = fc
  .tuple(spec({ comment: fc.string({ maxLength: 60 }), uploadSize: fc.double({ min: 0, max: 16_384, noNaN: true }) }, []), fc.option(fc.tuple(isoTime, isoTime), { nil: undefined }))
  .map(([data, times]) => (times ? { ...data, uploadStart: times[0] < times[1] ? times[0] : times[1], uploadEnd: times[0] < times[1] ? times[1] : times[0] } : data));

/**
 * A valid AWS import spec (EC2 ImportImage): the documented combinations hold (licenseType xor usageOperation,
 * kmsKeyId only with encrypted, UEFI without encryption or license configurations and with a platform for a snapshot,
 * 64-bit Linux, arm64 boots UEFI).
 */
export const awsImportSpec: fc.Arbitrary<Spec> = spec(
  {
    cloud: fc.constant('aws'),
    region: awsRegion,
    disks: fc.array(awsDisk, { minLength: 1, maxLength: 21 }),
    description: fc.string({ unit: 'binary', maxLength: 300 }),
    architecture: oneOfAnyCase(['i386', 'x86_64', 'arm64']),
    platform: oneOfAnyCase(['Windows', 'Linux']),
    licenseType: oneOfAnyCase(['AWS', 'BYOL']),
    hypervisor: anyCase('xen'),
    usageOperation: fc.constantFrom('RunInstances', 'RunInstances:0002', 'RunInstances:0006', 'RunInstances:0102', 'RunInstances:0202', 'RunInstances:0800', 'RunInstances:0100', 'RunInstances:0004', 'RunInstances:0200'),
    bootMode: oneOfAnyCase(['legacy-bios', 'bios', 'uefi']),
    encrypted: fc.boolean(),
    kmsKeyId,
    licenseConfigurationArns: fc.array(licenseConfigurationArn, { maxLength: 3 }),
    clientData,
    roleName: iamRoleName,
    tags: awsTags,
    clientToken: ec2ClientToken,
    dryRun: fc.boolean(),
  },
  ['cloud', 'region', 'disks'],
).map(repairAwsImport);

function lower(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

/** Makes a drawn import obey the documented combinations, the way a user reading the docs would write it. */
function repairAwsImport(drawn: Spec): Spec {
  const s: Spec = { ...drawn };
  if (lower(s.architecture) === 'arm64' && ['legacy-bios', 'bios'].includes(lower(s.bootMode) ?? '')) s.bootMode = 'uefi';
  if (lower(s.bootMode) === 'uefi') {
    if (s.encrypted === true) s.encrypted = false;
    delete s.kmsKeyId;
    delete s.licenseConfigurationArns;
    if (s.platform === undefined && (s.disks as Spec[]).some((d) => d.snapshotId !== undefined)) s.platform = 'Windows';
  }
  if (s.kmsKeyId !== undefined) s.encrypted = true;
  if (s.licenseType !== undefined) delete s.usageOperation;
  if (lower(s.platform) === 'linux' && lower(s.architecture) === 'i386') s.architecture = 'x86_64';
  return s;
}

/** The fields ExportImage validation reads, and the other clouds' fields it refuses. */
export const AWS_EXPORT_FIELDS = ['cloud', 'region', 'imageId', 'format', 'bucket', 'prefix', 'roleName', 'description', 'tags', 'clientToken', 'dryRun', 'allDisks'];

/** The fields ImportImage validation reads, and the other clouds' fields it refuses. */
export const AWS_IMPORT_FIELDS = [
  'cloud', 'region', 'disks', 'description', 'architecture', 'platform', 'licenseType', 'hypervisor', 'usageOperation', 'bootMode', 'encrypted',
  'kmsKeyId', 'licenseConfigurationArns', 'clientData', 'roleName', 'tags', 'clientToken', 'dryRun', 'imageName', 'osType', 'detectionStrategy',
  'nvmeSupport', 'osVersion', 'systemDiskSizeGiB', 'forceImport',
];

// ---- bad values, each breaking one documented rule

const badRegion = (s: Spec): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom('cn-hangzhou', 'useast1', 'us_east_1', 'us-east', 'us-east-1a', '', 'region-1'),
    anyCase(String(s.region)).filter((r) => r !== r.toLowerCase()),
    fc.constantFrom(' ', '\n').map((pad) => `${String(s.region)}${pad}`),
    notString,
  );

/** Bucket names that break the naming rules (one or more), made from a valid one. */
export const badS3Bucket = (s: string): fc.Arbitrary<string> =>
  fc.oneof(
    insertSomewhere(s, fc.constantFrom('A', '_', ' ', '/', 'é', '..', '*')),
    fc.constantFrom('ab', 'a'.repeat(64), '-bucket', 'bucket-', '.bucket', '192.168.1.10', 'xn--bucket', 'sthree-b', 'amzn-s3-demo-b', 'b-s3alias', 'b--ol-s3', 'b.mrap', 'b--x-s3', 'b--table-s3'),
  );

/** Puts a tag into a copy of the tags, dropping others so the map stays within 49 tags. */
function withTag(s: Spec, key: string, value: unknown, max = 49): Spec {
  const kept = Object.entries((s.tags as Record<string, unknown> | undefined) ?? {}).filter(([k]) => k !== key).slice(0, max - 1);
  // Object.fromEntries makes `__proto__` an own key, as JSON.parse and YAML loaders do.
  return { ...structuredClone(s), tags: Object.fromEntries([...kept, [key, value]]) };
}

const tagMutation = (name: string, keys: fc.Arbitrary<string>, values: fc.Arbitrary<unknown>): Mutation => ({
  name,
  group: 'tags',
  mutate: (s) => fc.tuple(keys, values).map(([key, value]) => ({ spec: withTag(s, key, value), field: `tags.${key}` })),
});

/** Mutations shared by exports and imports: cloud, region, roleName, tags, clientToken, dryRun. */
const commonMutations: Mutation[] = [
  setField('cloud set to another cloud', 'cloud', () => fc.constantFrom('alicloud', 'jdcloud', 'AWS', 'gcp')),
  setField('a region that is not an AWS region name', 'region', badRegion),
  setField('a missing region', 'region', () => fc.constantFrom(undefined, null)),
  setField('a role name over 64 characters or with other characters', 'roleName', () =>
    fc.oneof(iamRoleName.chain((r) => insertSomewhere(r, fc.constantFrom(' ', '/', '*', 'é', ':'))), charsOf(LOWER, 65, 80), fc.constant(''), notString),
  ),
  tagMutation('a tag key starting with aws: (any case)', fc.tuple(anyCase('aws:'), printableText(20)).map(([p, rest]) => p + rest), printableText(10)),
  tagMutation('a tag key starting with imageport:', printableText(20).map((rest) => `imageport:${rest}`), printableText(10)),
  tagMutation('a tag key over 127 characters', fc.constantFrom('k'.repeat(128), '😀'.repeat(128)), printableText(10)),
  tagMutation('an empty tag key', fc.constant(''), printableText(10)),
  tagMutation('a tag value over 256 characters', awsTagKey, fc.constantFrom('v'.repeat(257), '😀'.repeat(257))),
  tagMutation('a tag value that is not a string', awsTagKey, notString),
  setField('more than 49 tags', 'tags', () => plainMap(awsTagKey, fc.constant('v'), 70, 50)),
  setField('tags that are not a map', 'tags', () => notObject),
  setField('a client token over 64 characters, empty or not printable ASCII', 'clientToken', () =>
    fc.oneof(fc.constantFrom('t'.repeat(65), '', 'tok\u0000en', 'tök', 'line\nbreak'), notString),
  ),
  setField('a dryRun that is not true or false', 'dryRun', () => notBoolean),
];

/** Single-rule mutations of a valid AWS export spec. */
export const awsExportMutations: Mutation[] = [
  ...commonMutations,
  setField('an image id that is not an AMI id', 'imageId', (s) =>
    fc.oneof(
      fc.constantFrom('m-bp67acfmxazb4p', 'img-abc', 'ami-123', 'ami-0123456789abcdef', 'ami-0123456789ABCDEF0', '', 'ami-'),
      insertSomewhere(String(s.imageId), fc.constantFrom(' ', 'g', '-')),
      notString,
    ),
  ),
  setField('a missing image id', 'imageId', () => fc.constantFrom(undefined, null)),
  setField('a format ExportImage does not write', 'format', () => fc.oneof(oneOfAnyCase(['qcow2', 'vdi', 'vhdx', 'ova', 'raw.tar.gz']), fc.constantFrom('', 'vmdk2'), notString)),
  setField('a missing format (AWS has no default)', 'format', () => fc.constantFrom(undefined, null)),
  setField('a bucket name outside the S3 naming rules', 'bucket', (s) => fc.oneof(badS3Bucket(String(s.bucket)), notString)),
  setField('a missing bucket', 'bucket', () => fc.constantFrom(undefined, null)),
  setField('a prefix over 991 UTF-8 bytes or with control characters', 'prefix', () =>
    fc.oneof(fc.constantFrom('p'.repeat(992), 'é'.repeat(496)), printableText(30).chain((p) => insertSomewhere(p, fc.constantFrom('\n', '\t', '\u0000', '\u007f'))), notString),
  ),
  setField('a description over 255 characters', 'description', () => fc.oneof(fc.constantFrom('d'.repeat(256), '😀'.repeat(256)), bmpText(256, 400), notString)),
  setField('allDisks (a JD Cloud field)', 'allDisks', () => fc.boolean()),
];

const diskIndex = (s: Spec): fc.Arbitrary<number> => fc.integer({ min: 0, max: (s.disks as unknown[]).length - 1 });
/** Replaces disk `index` of a copy of the spec. */
function withDisk(s: Spec, index: number, disk: Spec): Spec {
  const copy = structuredClone(s);
  (copy.disks as Spec[])[index] = disk;
  return copy;
}

const diskMutation = (name: string, make: (disk: Spec) => fc.Arbitrary<{ disk: Spec; field: string }>): Mutation => ({
  name,
  group: 'disks',
  mutate: (s) =>
    diskIndex(s).chain((index) =>
      make((s.disks as Spec[])[index]).map(({ disk, field }) => ({ spec: withDisk(s, index, disk), field: field === '' ? `disks[${index}]` : `disks[${index}].${field}` })),
    ),
});

function isFileDisk(d: Spec): boolean {
  return d.snapshotId === undefined;
}
const sourceless = (d: Spec): Spec => {
  const { bucket: _b, key: _k, url: _u, snapshotId: _s, ...rest } = d;
  return rest;
};

/** Single-rule mutations of a valid AWS import spec. */
export const awsImportMutations: Mutation[] = [
  ...commonMutations,
  setField('an empty disk list', 'disks', () => fc.constant([])),
  setField('a missing disk list', 'disks', () => fc.constantFrom(undefined, null)),
  setField('disks that are not a list', 'disks', () => notList),
  // (File disks only: a snapshot could make a UEFI spec without a platform break a second rule.)
  setField('more than 21 disks', 'disks', () => fc.array(awsDisk.filter(isFileDisk), { minLength: 22, maxLength: 30 })),
  diskMutation('a disk that is not an object', () => fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 2 })).map((disk) => ({ disk: disk as unknown as Spec, field: '' }))),
  diskMutation('a disk without a source', (d) => fc.constant({ disk: { ...sourceless(d), format: 'VMDK' }, field: '' })),
  diskMutation('a disk with two sources', (d) => snapshotId.map((id) => ({ disk: { ...sourceless(d), bucket: 'bucket-a', key: 'k.vmdk', snapshotId: id, format: 'VMDK' }, field: '' }))),
  diskMutation('a disk format ImportImage does not read', (d) => oneOfAnyCase(['qcow2', 'vdi', 'raw.tar.gz']).map((format) => ({ disk: { ...d, format }, field: 'format' }))),
  diskMutation('a disk file without a format', (d) =>
    fc.constant(isFileDisk(d) ? { disk: { ...d, format: undefined }, field: 'format' } : { disk: { ...sourceless(d), url: 'https://example.com/d.vmdk', format: undefined }, field: 'format' }),
  ),
  diskMutation('a disk bucket outside the S3 naming rules', (d) =>
    badS3Bucket('bucket').map((bucket) => ({ disk: { ...sourceless(d), bucket, key: 'disk.vmdk', format: d.format ?? 'VMDK' }, field: 'bucket' })),
  ),
  diskMutation('a disk key that is empty, over 1024 bytes or with control characters', (d) =>
    fc.constantFrom('', 'k'.repeat(1025), 'a\nb', 'nul\u0000').map((key) => ({ disk: { ...sourceless(d), bucket: 'bucket-a', key, format: d.format ?? 'VMDK' }, field: 'key' })),
  ),
  diskMutation('a disk URL that is not https:// or s3://', (d) =>
    fc.constantFrom('http://example.com/d.vmdk', 'ftp://example.com/d.vmdk', 'not a url', 'example.com/d.vmdk', 's3:/bucket/key', 'https://', 'https://?x=1').map((url) => ({
      disk: { ...sourceless(d), url, format: d.format ?? 'VMDK' },
      field: 'url',
    })),
  ),
  diskMutation('an s3:// disk URL without a key', (d) => s3Bucket.map((bucket) => ({ disk: { ...sourceless(d), url: `s3://${bucket}`, format: d.format ?? 'VMDK' }, field: 'url' }))),
  diskMutation('an s3:// disk URL whose key has a malformed escape', (d) =>
    fc.constantFrom('100%.vmdk', 'a%zz', 'disk%', '%E0%A4%A').map((key) => ({ disk: { ...sourceless(d), url: `s3://bucket-a/${key}`, format: d.format ?? 'VMDK' }, field: 'url' })),
  ),
  diskMutation('an s3:// disk URL whose bucket breaks the S3 naming rules', (d) =>
    fc.constantFrom('ab', '-bucket', 'a'.repeat(64), 'xn--b', 'b.mrap', 'b..c').map((bucket) => ({ disk: { ...sourceless(d), url: `s3://${bucket}/disk.vmdk`, format: d.format ?? 'VMDK' }, field: 'url' })),
  ),
  {
    // A UEFI import from a snapshot needs a platform: the spec gets one when it has none (a later mutation of the
    // platform still names only platform).
    name: 'a snapshot id that is not an EBS snapshot id',
    group: 'disks',
    mutate: (s) =>
      fc.tuple(diskIndex(s), fc.constantFrom('snap-123', 'vol-0123456789abcdef0', 'snap-0123456789ABCDEF0', '')).map(([index, id]) => {
        const base = lower(s.bootMode) === 'uefi' && s.platform === undefined ? { ...s, platform: 'Windows' } : s;
        return { spec: withDisk(base, index, { ...sourceless((s.disks as Spec[])[index]), snapshotId: id, format: undefined }), field: `disks[${index}].snapshotId` };
      }),
  },
  diskMutation('a disk size (AWS reads it from the file)', (d) => fc.integer({ min: 1, max: 2048 }).map((size) => ({ disk: { ...d, sizeGiB: size }, field: 'sizeGiB' }))),
  diskMutation('a disk description or device name that is not a string', (d) =>
    fc.tuple(fc.constantFrom('description', 'deviceName'), notString).map(([field, value]) => ({ disk: { ...d, [field]: value }, field })),
  ),
  setField('an architecture AWS does not import', 'architecture', () => fc.oneof(fc.constantFrom('sparc', 'x86-64', 'amd64', 'aarch64', ''), notString)),
  setField('a platform AWS does not import', 'platform', () => fc.oneof(fc.constantFrom('Ubuntu', 'CentOS', 'Windows Server', ''), notString)),
  setField('a license type AWS does not know', 'licenseType', () => fc.oneof(fc.constantFrom('Auto', 'Aliyun', 'LicenseIncluded', ''), notString)),
  setField('a hypervisor other than xen', 'hypervisor', () => fc.oneof(fc.constantFrom('kvm', 'vmware', ''), notString)),
  setField('a usage operation outside the documented table (case-sensitive)', 'usageOperation', () => fc.oneof(fc.constantFrom('runinstances', 'RunInstances:9999', 'RunInstances:0002 ', ''), notString)),
  setField('a boot mode AWS does not import (uefi-preferred among them)', 'bootMode', () => fc.oneof(oneOfAnyCase(['uefi-preferred', 'efi', 'bios-legacy']), notString)),
  setField('an encrypted flag that is not true or false', 'encrypted', () => notBoolean),
  setField('a license configuration list that is not a list', 'licenseConfigurationArns', () => notList),
  setField('a client data that is not a map', 'clientData', () => notObject),
  clientDataMutation('a client data upload time that is not ISO-8601', fc.constantFrom('uploadStart', 'uploadEnd'), () => fc.constantFrom('yesterday', '2024-13-45T00:00:00Z', '01/02/2024', '1700000000', '')),
  {
    name: 'an upload end before the upload start',
    group: 'clientData',
    mutate: (s) =>
      fc.tuple(isoTime, isoTime).filter(([a, b]) => a !== b).map(([a, b]) => ({
        spec: { ...s, clientData: { ...((s.clientData as Spec | undefined) ?? {}), uploadStart: a > b ? a : b, uploadEnd: a > b ? b : a } },
        field: 'clientData.uploadEnd',
      })),
  },
  clientDataMutation('a negative upload size', fc.constant('uploadSize'), () => fc.double({ max: -Number.MIN_VALUE, min: -1e9, noNaN: true })),
  clientDataMutation('an upload size that is not a number', fc.constant('uploadSize'), () => fc.oneof(notNumber, fc.constantFrom(NaN, Infinity))),
  clientDataMutation('a comment that is not a string', fc.constant('comment'), () => notString),
  ...['imageName', 'osType', 'detectionStrategy', 'nvmeSupport', 'osVersion', 'systemDiskSizeGiB', 'forceImport'].map((field) =>
    setField(`${field} (a field of another cloud)`, field, () => fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.boolean())),
  ),
  // Rules that tie fields together: each mutation first makes the partner fields valid for the rule.
  {
    name: 'a usage operation together with a license type',
    group: 'usageOperation',
    independent: false,
    mutate: (s) => fc.tuple(oneOfAnyCase(['AWS', 'BYOL']), fc.constantFrom('RunInstances', 'RunInstances:0800')).map(([lt, op]) => ({ spec: { ...s, licenseType: lt, usageOperation: op }, field: 'usageOperation' })),
  },
  {
    name: 'a KMS key without encrypted: true',
    group: 'kmsKeyId',
    independent: false,
    mutate: (s) => fc.tuple(kmsKeyId, fc.constantFrom(false, undefined)).map(([key, enc]) => ({ spec: uefiOff({ ...s, kmsKeyId: key, encrypted: enc }), field: 'kmsKeyId' })),
  },
  {
    name: 'a KMS key that is no key id, key ARN or alias',
    group: 'kmsKeyId',
    independent: false,
    mutate: (s) => fc.constantFrom('key-1', 'arn:aws:s3:::b', 'alias', '1234').map((key) => ({ spec: uefiOff({ ...s, kmsKeyId: key, encrypted: true }), field: 'kmsKeyId' })),
  },
  {
    name: 'encryption with boot mode uefi',
    group: 'encrypted',
    independent: false,
    mutate: (s) => anyCase('uefi').map((mode) => ({ spec: { ...uefiOn({ ...s, bootMode: mode }), encrypted: true }, field: 'encrypted' })),
  },
  {
    name: 'license configurations with boot mode uefi',
    group: 'licenseConfigurationArns',
    independent: false,
    mutate: (s) => licenseConfigurationArn.map((arn) => ({ spec: { ...uefiOn({ ...s, bootMode: 'uefi' }), licenseConfigurationArns: [arn] }, field: 'licenseConfigurationArns' })),
  },
  {
    name: 'a UEFI import from a snapshot without a platform',
    group: 'platform',
    independent: false,
    mutate: (s) => snapshotId.map((id) => {
      const base = uefiOn({ ...s, bootMode: 'uefi' });
      delete base.platform;
      return { spec: { ...base, disks: [{ snapshotId: id }, ...(s.disks as Spec[]).slice(1)] }, field: 'platform' };
    }),
  },
  {
    name: 'a 32-bit Linux import',
    group: 'architecture',
    independent: false,
    mutate: (s) => fc.tuple(anyCase('linux'), anyCase('i386')).map(([platform, architecture]) => ({ spec: { ...s, platform, architecture }, field: 'architecture' })),
  },
  {
    name: 'an arm64 import booting legacy BIOS',
    group: 'bootMode',
    independent: false,
    mutate: (s) => fc.constantFrom('legacy-bios', 'bios', 'LEGACY-BIOS').map((bootMode) => {
      const base: Spec = { ...s, architecture: 'arm64', bootMode };
      return { spec: base, field: 'bootMode' };
    }),
  },
  {
    name: 'a license configuration ARN of another service',
    group: 'licenseConfigurationArns',
    independent: false,
    mutate: (s) =>
      fc.constantFrom('arn:aws:iam::123456789012:role/x', 'lic-0123', '').map((arn) => ({ spec: { ...uefiOff(s), licenseConfigurationArns: [arn] }, field: 'licenseConfigurationArns[0]' })),
  },
];

/** Turns UEFI off (so rules about UEFI stay quiet). */
function uefiOff(s: Spec): Spec {
  return lower(s.bootMode) === 'uefi' ? { ...s, bootMode: undefined } : s;
}

/** Makes a spec with boot mode UEFI obey the UEFI rules (the mutation then breaks one). */
function uefiOn(s: Spec): Spec {
  const base: Spec = { ...s };
  delete base.kmsKeyId;
  delete base.licenseConfigurationArns;
  if (base.encrypted === true) base.encrypted = false;
  if (base.platform === undefined && (base.disks as Spec[]).some((d) => d.snapshotId !== undefined)) base.platform = 'Windows';
  return base;
}

/** A mutation of one field of `clientData` (created when the spec has none). */
function clientDataMutation(name: string, fields: fc.Arbitrary<string>, values: (data: Spec) => fc.Arbitrary<unknown>): Mutation {
  return {
    name,
    group: 'clientData',
    mutate: (s) => {
      const data = { ...((s.clientData as Spec | undefined) ?? {}) };
      return fc.tuple(fields, values(data)).map(([field, value]) => ({ spec: { ...s, clientData: { ...data, [field]: value } }, field: `clientData.${field}` }));
    },
  };
}
