import fc from 'fast-check';
import { type Mutation, type Spec, setField } from './rule-properties';
import { DIGITS, LOWER, UPPER, anyCase, bmpText, charsOf, insertSomewhere, notBoolean, notList, notNumber, notString, oneOfAnyCase, spec } from './text-arbitraries';

// JD Cloud's documented domain (reference jdcloud.md §1 exportImage, §3 importImage, §4 IAM names, §6 OSS bucket
// rules; JD's general naming rules for image names), written out independently of lib/clouds/jdcloud.

/** Region ids: `cn-north-1`, `cn-east-2`. */
export const jdRegion = fc.oneof(
  fc.constantFrom('cn-north-1', 'cn-east-1', 'cn-east-2', 'cn-south-1'),
  fc.tuple(charsOf(LOWER, 2, 3), charsOf(LOWER, 1, 8), fc.integer({ min: 1, max: 20 })).map(([a, b, n]) => `${a}-${b}-${n}`),
);

/** Private image ids: `img-` and lower-case letters and digits. */
export const jdImageId = charsOf(LOWER + DIGITS, 1, 20).map((id) => `img-${id}`);

/** JD OSS bucket names: 3-63 of a-z 0-9 -, letter or digit at both ends, no consecutive hyphens. */
export const jdBucket = fc
  .tuple(charsOf(LOWER + DIGITS, 1, 1), charsOf(`${LOWER}${DIGITS}-`, 1, 61), charsOf(LOWER + DIGITS, 1, 1))
  .map(([a, b, c]) => a + b + c)
  .filter((name) => !name.includes('--'));

/** ossPrefix: letters and digits, at most 32 (empty means none). */
export const jdPrefix = charsOf(LOWER + UPPER + DIGITS, 0, 32);

/** IAM role names: 4-64 letters, digits, `-` and `_`, starting with a letter. */
export const jdRoleName = fc.tuple(charsOf(LOWER + UPPER, 1, 1), charsOf(`${LOWER}${UPPER}${DIGITS}-_`, 3, 63)).map(([a, b]) => a + b);

/** clientToken: 1-64 characters. */
export const jdClientToken = bmpText(1, 64);

/** A valid JD Cloud export spec (vm exportImage). */
export const jdcloudExportSpec: fc.Arbitrary<Spec> = spec(
  {
    cloud: fc.constant('jdcloud'),
    region: jdRegion,
    imageId: jdImageId,
    format: anyCase('qcow2'),
    bucket: jdBucket,
    prefix: jdPrefix,
    roleName: jdRoleName,
    clientToken: jdClientToken,
    allDisks: fc.boolean(),
    dryRun: fc.constant(false),
    tags: fc.constant({}),
  },
  ['cloud', 'region', 'imageId', 'bucket', 'roleName'],
);

const PLATFORMS: Readonly<Record<string, 'linux' | 'windows'>> = {
  Ubuntu: 'linux',
  CentOS: 'linux',
  'Other Linux': 'linux',
  'Windows Server': 'windows',
  'Other Windows': 'windows',
};
const FORMATS = ['qcow2', 'vhd', 'vmdk', 'raw'];
const systemDiskSize = fc.integer({ min: 4, max: 50 }).map((tens) => tens * 10);
const hostName = fc.tuple(jdBucket, fc.constantFrom('s3.cn-north-1.jdcloud-oss.com', 's3-internal.cn-east-2.jdcloud-oss.com', 's3.cn-east-2.jcloudcs.com'));
const objectPath = charsOf(`${LOWER}${UPPER}${DIGITS}-_./%=&?`, 1, 60).filter((path) => !path.startsWith('/'));

/** The one disk of importImage: an OSS link (http(s), presigned or not) or a bucket and key, with a format. */
export const jdDisk: fc.Arbitrary<Spec> = fc.oneof(
  spec(
    { url: fc.tuple(fc.constantFrom('https', 'http'), hostName, objectPath).map(([scheme, [bucket, host], path]) => `${scheme}://${bucket}.${host}/${path}`), format: oneOfAnyCase(FORMATS), sizeGiB: systemDiskSize },
    ['url', 'format'],
  ),
  spec({ bucket: jdBucket, key: bmpText(1, 80), format: oneOfAnyCase(FORMATS), sizeGiB: systemDiskSize }, ['bucket', 'key', 'format']),
);

/** Image names: 1-32 Chinese characters, letters, digits, `_` and `-`. */
export const jdImageName = fc.string({
  unit: fc.oneof(fc.constantFrom(...`${LOWER}${UPPER}${DIGITS}_-`), fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c))),
  minLength: 1,
  maxLength: 32,
});

/** A valid JD Cloud import spec (vm importImage): the platform and OS type agree (the OS type defaults to linux). */
export const jdcloudImportSpec: fc.Arbitrary<Spec> = spec(
  {
    cloud: fc.constant('jdcloud'),
    region: jdRegion,
    disks: jdDisk.map((disk) => [disk]),
    imageName: jdImageName,
    architecture: fc.constantFrom('x86_64', 'arm64'),
    osType: oneOfAnyCase(['linux', 'windows']),
    platform: fc.constantFrom(...Object.keys(PLATFORMS)),
    bootMode: oneOfAnyCase(['bios', 'uefi']),
    systemDiskSizeGiB: systemDiskSize,
    osVersion: bmpText(1, 64),
    description: bmpText(0, 256),
    forceImport: fc.boolean(),
    clientToken: jdClientToken,
    dryRun: fc.constant(false),
  },
  ['cloud', 'region', 'disks', 'imageName'],
).map((drawn) => {
  const s: Spec = { ...drawn };
  if (typeof s.platform === 'string') {
    const osType = PLATFORMS[s.platform];
    if (s.osType !== undefined || osType === 'windows') s.osType = osType;
  }
  return s;
});

/** The fields exportImage validation reads, and the other clouds' fields it refuses. */
export const JDCLOUD_EXPORT_FIELDS = ['cloud', 'region', 'imageId', 'format', 'bucket', 'prefix', 'roleName', 'clientToken', 'allDisks', 'dryRun', 'description', 'tags'];

/** The fields importImage validation reads, and the other clouds' fields it refuses. */
export const JDCLOUD_IMPORT_FIELDS = [
  'cloud', 'region', 'disks', 'imageName', 'architecture', 'osType', 'platform', 'bootMode', 'systemDiskSizeGiB', 'osVersion', 'description', 'forceImport',
  'clientToken', 'dryRun', 'licenseType', 'roleName', 'tags', 'hypervisor', 'encrypted', 'kmsKeyId', 'clientData', 'licenseConfigurationArns',
  'usageOperation', 'detectionStrategy', 'nvmeSupport',
];

// ---- bad values, each breaking one documented rule

/** Bucket names that break the naming rules (one or more), made from a valid one. */
export const badJdBucket = (valid: string): fc.Arbitrary<unknown> =>
  fc.oneof(insertSomewhere(valid, fc.constantFrom('A', '_', '.', ' ', '--', 'é')), fc.constantFrom('ab', 'a'.repeat(64), '-bucket', 'bucket-', 'a--b'), notString);

const commonMutations: Mutation[] = [
  setField('cloud set to another cloud', 'cloud', () => fc.constantFrom('aws', 'alicloud', 'JDCloud', undefined)),
  setField('a region that is not a region id', 'region', (s) =>
    fc.oneof(fc.constantFrom('cn-north', 'north-1', 'cn_north_1', 'CN-NORTH-1', 'cn-north-1 ', 'cn-north-1a'), anyCase(String(s.region)).filter((r) => r !== r.toLowerCase()), notString),
  ),
  setField('a missing region', 'region', () => fc.constantFrom(undefined, null, '')),
  setField('a client token that is empty, over 64 characters or not a string', 'clientToken', () => fc.oneof(fc.constantFrom('', 't'.repeat(65)), notString)),
  setField('a dry run (JD has none)', 'dryRun', () => fc.constant(true)),
  setField('a dryRun that is not true or false', 'dryRun', () => notBoolean),
];

/** Single-rule mutations of a valid JD Cloud export spec. */
export const jdcloudExportMutations: Mutation[] = [
  ...commonMutations,
  setField('an image id that is not a private image id', 'imageId', () => fc.oneof(fc.constantFrom('ami-0123456789abcdef0', 'm-abc', 'img-', 'img-ABC', 'img_abc', 'img-a-b'), notString)),
  setField('a missing image id', 'imageId', () => fc.constantFrom(undefined, null, '')),
  setField('a format exportImage does not write (only QCOW2)', 'format', () => fc.oneof(oneOfAnyCase(['vmdk', 'raw', 'vhd', 'vdi']), fc.constant('qcow'), notString)),
  setField('a bucket name outside the JD OSS naming rules', 'bucket', (s) => badJdBucket(String(s.bucket))),
  setField('a missing bucket', 'bucket', () => fc.constantFrom(undefined, null, '')),
  setField('a prefix over 32 characters or not letters and digits', 'prefix', (s) =>
    fc.oneof(fc.constantFrom('p'.repeat(33), 'exports/', 'my-prefix', 'my_prefix', 'préfixe'), insertSomewhere(String(s.prefix ?? ''), fc.constantFrom('/', '-', ' ', '.')), notString),
  ),
  setField('a role name outside the IAM rules', 'roleName', (s) =>
    fc.oneof(fc.constantFrom('abc', 'r'.repeat(65), '1role', '-role', 'role.name', 'rôle'), insertSomewhere(String(s.roleName).slice(1), fc.constantFrom(' ', '.', '/')).map((r) => `r${r}`), notString),
  ),
  setField('a missing role name (JD has no default)', 'roleName', () => fc.constantFrom(undefined, null, '')),
  setField('an allDisks that is not true or false', 'allDisks', () => notBoolean),
  setField('a description (an AWS field)', 'description', () => fc.oneof(fc.string(), fc.integer())),
  setField('tags (an AWS field)', 'tags', () => fc.oneof(fc.constant({ team: 'x' }), fc.string({ minLength: 1 }), fc.integer())),
];

const diskMutation = (name: string, make: (disk: Spec) => fc.Arbitrary<{ disk: unknown; field: string }>): Mutation => ({
  name,
  group: 'disks',
  mutate: (s) =>
    make((s.disks as Spec[])[0]).map(({ disk, field }) => ({ spec: { ...structuredClone(s), disks: [disk] }, field: field === '' ? 'disks[0]' : `disks[0].${field}` })),
});

const sourceless = (d: Spec): Spec => {
  const { bucket: _b, key: _k, url: _u, snapshotId: _s, ...rest } = d;
  return rest;
};

/** Single-rule mutations of a valid JD Cloud import spec. */
export const jdcloudImportMutations: Mutation[] = [
  ...commonMutations,
  setField('an empty or missing disk list', 'disks', () => fc.constantFrom([], undefined, null)),
  setField('disks that are not a list', 'disks', () => notList),
  {
    name: 'more than one disk',
    group: 'disks',
    mutate: (s) => fc.array(jdDisk, { minLength: 1, maxLength: 3 }).map((more) => ({ spec: { ...s, disks: [...(s.disks as Spec[]), ...more] }, field: 'disks' })),
  },
  diskMutation('a disk that is not an object', () => fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 2 })).map((disk) => ({ disk, field: '' }))),
  diskMutation('a disk without a source', (d) => fc.constant({ disk: sourceless(d), field: '' })),
  diskMutation('a disk with both a URL and a bucket', (d) => fc.constant({ disk: { ...sourceless(d), url: 'https://b.s3.cn-north-1.jdcloud-oss.com/d.qcow2', bucket: 'images', key: 'd.qcow2' }, field: '' })),
  diskMutation('a disk URL that is not an http(s) link to an object', (d) =>
    fc.oneof(fc.constantFrom('ftp://b.example/d.qcow2', 'https://b.example', 'https://b.example/', 'b.example/d.qcow2', 'https://b.example/a b.qcow2', ''), notString).map((url) => ({ disk: { ...sourceless(d), url }, field: 'url' })),
  ),
  diskMutation('a disk bucket outside the JD OSS naming rules', (d) => badJdBucket('images').map((bucket) => ({ disk: { ...sourceless(d), bucket, key: 'd.qcow2' }, field: 'bucket' }))),
  diskMutation('a disk bucket without a key', (d) => fc.constantFrom(undefined, '', 7).map((key) => ({ disk: { ...sourceless(d), bucket: 'images', key }, field: 'key' }))),
  diskMutation('a snapshot source (AWS only)', (d) => fc.constant({ disk: { ...d, snapshotId: 'snap-00000000' }, field: 'snapshotId' })),
  diskMutation('a missing disk format (JD requires diskFormat)', (d) => fc.constantFrom(undefined, null).map((format) => ({ disk: { ...d, format }, field: 'format' }))),
  diskMutation('a disk format importImage does not read', (d) => fc.oneof(oneOfAnyCase(['vhdx', 'ova', 'vdi']), fc.constant(''), notString).map((format) => ({ disk: { ...d, format }, field: 'format' }))),
  diskMutation('a disk description or device name (AWS fields)', (d) =>
    fc.tuple(fc.constantFrom('description', 'deviceName'), fc.string({ minLength: 1 })).map(([field, value]) => ({ disk: { ...d, [field]: value }, field })),
  ),
  diskMutation('a disk size that is no system disk size (40-500 GiB, a multiple of 10)', (d) =>
    fc.oneof(fc.constantFrom(30, 45, 510, 0, -40, 40.5, NaN), notNumber).map((sizeGiB) => ({ disk: { ...d, sizeGiB }, field: 'sizeGiB' })),
  ),
  setField('a system disk size outside 40-500 GiB or not a multiple of 10', 'systemDiskSizeGiB', () => fc.oneof(fc.constantFrom(30, 45, 501, 510, 0, 40.5, NaN, Infinity), notNumber)),
  setField('a missing image name (JD requires one)', 'imageName', () => fc.constantFrom(undefined, null, '')),
  setField('an image name outside the naming rules', 'imageName', () =>
    fc.oneof(fc.constantFrom('n'.repeat(33), 'my image', 'image.v1', 'imagé', 'a/b', '😀'), notString),
  ),
  setField('an architecture importImage does not take', 'architecture', () => fc.oneof(fc.constantFrom('i386', 'amd64', 'aarch64', ''), notString)),
  setField('an OS type importImage does not take', 'osType', () => fc.oneof(fc.constantFrom('win', 'unix', ''), notString)),
  setField('a platform importImage does not take', 'platform', () => fc.oneof(fc.constantFrom('Windows', 'Debian', 'ubuntu', 'Windows Server 2019', ''), notString)),
  setField('a boot mode importImage does not take', 'bootMode', () => fc.oneof(fc.constantFrom('legacy-bios', 'efi', 'uefi-preferred', ''), notString)),
  setField('an OS version that is empty, over 64 characters or not a string', 'osVersion', () => fc.oneof(fc.constantFrom('', 'v'.repeat(65)), notString)),
  setField('a description over 256 characters or not a string', 'description', () => fc.oneof(fc.constantFrom('d'.repeat(257)), notString)),
  setField('a forceImport that is not true or false', 'forceImport', () => notBoolean),
  ...['licenseType', 'roleName', 'hypervisor', 'encrypted', 'kmsKeyId', 'clientData', 'licenseConfigurationArns', 'usageOperation', 'detectionStrategy', 'nvmeSupport'].map((field) =>
    setField(`${field} (a field of another cloud)`, field, () => fc.oneof(fc.string(), fc.integer(), fc.boolean())),
  ),
  setField('tags (JD importImage takes none)', 'tags', () => fc.oneof(fc.constant({ team: 'x' }), fc.string({ minLength: 1 }))),
  // Rules that tie fields together.
  {
    name: 'a platform of the other OS type',
    group: 'platform',
    independent: false,
    mutate: (s) =>
      fc.constantFrom(...Object.keys(PLATFORMS)).chain((platform) =>
        anyCase(PLATFORMS[platform] === 'windows' ? 'linux' : 'windows').map((osType) => ({ spec: { ...s, platform, osType }, field: 'platform' })),
      ),
  },
  {
    name: 'a Windows platform without an OS type (the default is linux)',
    group: 'platform',
    independent: false,
    mutate: (s) =>
      fc.constantFrom('Windows Server', 'Other Windows').map((platform) => {
        const base: Spec = { ...s, platform };
        delete base.osType;
        return { spec: base, field: 'platform' };
      }),
  },
];
