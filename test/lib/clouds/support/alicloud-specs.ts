import fc from 'fast-check';
import { type Mutation, type Spec, setField } from './rule-properties';
import {
  DIGITS,
  LOWER,
  UPPER,
  anyCase,
  bmpText,
  charsOf,
  insertSomewhere,
  notBoolean,
  notList,
  notNumber,
  notString,
  oneOfAnyCase,
  plainMap,
  spec,
} from './text-arbitraries';

// Alibaba Cloud's documented domain (reference alicloud.md §1 ExportImage, §3 ImportImage, §7 OSS naming; RAM role
// names), written out independently of lib/clouds/alicloud. Lengths are counted in UTF-16 code units, as the rules
// do (the reference does not say how Alibaba counts "characters"), so length-limited text is drawn from the BMP.

/** Region ids: `cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`. */
export const alicloudRegion = fc.oneof(
  fc.constantFrom('cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'cn-hongkong', 'cn-shanghai-finance-1', 'cn-wulanchabu', 'ap-southeast-1',
    'ap-southeast-3', 'ap-southeast-5', 'ap-northeast-1', 'eu-central-1', 'eu-west-1', 'me-east-1', 'us-east-1', 'us-west-1'),
  fc.tuple(charsOf(LOWER, 2, 3), fc.array(charsOf(LOWER + DIGITS, 1, 10), { minLength: 1, maxLength: 3 })).map(([area, parts]) => `${area}-${parts.join('-')}`),
);

/** Custom image ids: `m-` and lower-case letters and digits. */
export const alicloudImageId = charsOf(LOWER + DIGITS, 1, 30).map((id) => `m-${id}`);

/** OSS bucket names: 3-63 of a-z 0-9 -, letter or digit at both ends. */
export const ossBucket = fc
  .tuple(charsOf(LOWER + DIGITS, 1, 1), charsOf(`${LOWER}${DIGITS}-`, 1, 61), charsOf(LOWER + DIGITS, 1, 1))
  .map(([a, b, c]) => a + b + c);

/** OSSPrefix: 1-30 letters and digits. */
export const ossPrefix = charsOf(LOWER + UPPER + DIGITS, 1, 30);

/** RAM role names: 1-64 letters, digits, periods and hyphens. */
export const ramRoleName = fc.oneof(charsOf(`${LOWER}${UPPER}${DIGITS}.-`, 1, 64), fc.constantFrom('AliyunECSImageExportDefaultRole', 'AliyunECSImageImportDefaultRole'));

/** A valid Alibaba Cloud export spec (ECS ExportImage). */
export const alicloudExportSpec: fc.Arbitrary<Spec> = spec(
  {
    cloud: fc.constant('alicloud'),
    region: alicloudRegion,
    imageId: alicloudImageId,
    format: oneOfAnyCase(['raw', 'vhd', 'qcow2', 'vmdk', 'vdi']),
    bucket: ossBucket,
    prefix: ossPrefix,
    roleName: ramRoleName,
    dryRun: fc.boolean(),
  },
  ['cloud', 'region', 'imageId', 'bucket'],
);

/** OSS object keys: 1-1023 UTF-8 bytes, not starting with `/` or `\`. */
export const ossKey = fc
  .oneof(bmpText(1, 80), fc.constantFrom('disk.qcow2', 'k'.repeat(1023), 'é'.repeat(511), 'images/2024/web.vhd'))
  .filter((key) => !/^[/\\]/.test(key) && Buffer.byteLength(key, 'utf8') <= 1023);

/** DiskDeviceMapping entries: an OSS object, an optional format (RAW, VHD, QCOW2, VMDK), an optional size of 1-2048 GiB. */
export const alicloudDisk: fc.Arbitrary<Spec> = spec(
  { bucket: ossBucket, key: ossKey, format: oneOfAnyCase(['RAW', 'VHD', 'QCOW2', 'VMDK']), sizeGiB: fc.integer({ min: 1, max: 2048 }) },
  ['bucket', 'key'],
);

const PLATFORMS = [
  'Aliyun', 'Anolis', 'CentOS', 'Ubuntu', 'CoreOS', 'SUSE', 'Debian', 'OpenSUSE', 'FreeBSD', 'RedHat', 'Kylin', 'UOS', 'Fedora', 'Fedora CoreOS',
  'CentOS Stream', 'AlmaLinux', 'Rocky Linux', 'Gentoo', 'Customized Linux', 'Others Linux', 'Windows Server 2022', 'Windows Server 2019',
  'Windows Server 2016', 'Windows Server 2012', 'Windows Server 2008', 'Windows Server 2003',
];

/** ImageName: 2-128 characters, a letter first, not `acs:`/`aliyun`, no `http(s)://`, letters, digits, `.` `:` `_` `-`. */
export const alicloudImageName = fc
  .tuple(charsOf(LOWER + UPPER, 1, 1), charsOf(`${LOWER}${UPPER}${DIGITS}.:_-`, 1, 127))
  .map(([first, rest]) => first + rest)
  .filter((name) => !/^(acs:|aliyun)/i.test(name) && !/https?:\/\//i.test(name));

/** Description: 2-256 characters, not starting with `http://` or `https://`. */
export const alicloudDescription = bmpText(2, 256).filter((text) => !/^https?:\/\//i.test(text));

/** Tag.N: at most 20; keys 1-128 not `acs:`/`aliyun`, values at most 128 not `acs:`; no `http(s)://` in either. */
export const alicloudTags = plainMap(
  bmpText(1, 128).filter((key) => !/^(acs:|aliyun)/i.test(key) && !/https?:\/\//i.test(key)),
  bmpText(0, 128).filter((value) => !/^acs:/i.test(value) && !/https?:\/\//i.test(value)),
  20,
);

/** A valid Alibaba Cloud import spec (ECS ImportImage): platform and OS type agree, arm64 boots UEFI. */
export const alicloudImportSpec: fc.Arbitrary<Spec> = spec(
  {
    cloud: fc.constant('alicloud'),
    region: alicloudRegion,
    disks: fc.array(alicloudDisk, { minLength: 1, maxLength: 17 }),
    imageName: alicloudImageName,
    description: alicloudDescription,
    architecture: oneOfAnyCase(['x86_64', 'i386', 'arm64']),
    platform: fc.constantFrom(...PLATFORMS),
    osType: oneOfAnyCase(['linux', 'windows']),
    bootMode: oneOfAnyCase(['BIOS', 'UEFI']),
    licenseType: oneOfAnyCase(['Auto', 'Aliyun', 'BYOL']),
    detectionStrategy: anyCase('Standard'),
    nvmeSupport: oneOfAnyCase(['supported', 'unsupported']),
    roleName: ramRoleName,
    tags: alicloudTags,
    clientToken: charsOf(Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join(''), 0, 64),
    dryRun: fc.boolean(),
  },
  ['cloud', 'region', 'disks'],
).map(repairAlicloudImport);

/** Makes a drawn import obey the documented combinations (Windows platforms are windows, the rest linux; arm64 UEFI). */
function repairAlicloudImport(drawn: Spec): Spec {
  const s: Spec = { ...drawn };
  if (typeof s.platform === 'string') {
    const windows = s.platform.startsWith('Windows');
    if (windows || s.osType !== undefined) s.osType = windows ? 'windows' : 'linux';
  }
  if (String(s.architecture).toLowerCase() === 'arm64' && String(s.bootMode).toLowerCase() === 'bios') s.bootMode = 'UEFI';
  return s;
}

/** The fields ExportImage validation reads, and the other clouds' fields it refuses. */
export const ALICLOUD_EXPORT_FIELDS = ['cloud', 'region', 'imageId', 'format', 'bucket', 'prefix', 'roleName', 'dryRun', 'description', 'tags', 'clientToken', 'allDisks'];

/** The fields ImportImage validation reads, and the other clouds' fields it refuses. */
export const ALICLOUD_IMPORT_FIELDS = [
  'cloud', 'region', 'disks', 'imageName', 'description', 'architecture', 'osType', 'platform', 'bootMode', 'licenseType', 'detectionStrategy',
  'nvmeSupport', 'roleName', 'tags', 'clientToken', 'dryRun', 'hypervisor', 'encrypted', 'kmsKeyId', 'clientData', 'licenseConfigurationArns',
  'usageOperation', 'osVersion', 'systemDiskSizeGiB', 'forceImport',
];

// ---- bad values, each breaking one documented rule

/** Bucket names that break the naming rules (one or more), made from a valid one. */
export const badOssBucket = (valid: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    insertSomewhere(valid, fc.constantFrom('A', '_', '.', ' ', '/', 'é')),
    fc.constantFrom('ab', 'a'.repeat(64), '-bucket', 'bucket-', ''),
    notString,
  );

const commonMutations: Mutation[] = [
  setField('cloud set to another cloud', 'cloud', () => fc.constantFrom('aws', 'jdcloud', 'Alicloud', undefined)),
  setField('a region that is not a region id', 'region', (s) =>
    fc.oneof(fc.constantFrom('hangzhou', 'CN-HANGZHOU', 'cn_hangzhou', 'c-hangzhou', 'cn-', 'cn-hangzhou '), anyCase(String(s.region)).filter((r) => r !== r.toLowerCase()), notString),
  ),
  setField('a missing region', 'region', () => fc.constantFrom(undefined, null, '')),
  setField('a RAM role name over 64 characters or with other characters', 'roleName', (s) =>
    fc.oneof(insertSomewhere(String(s.roleName ?? 'Role'), fc.constantFrom('_', ' ', '/', '@', 'é')), charsOf(LOWER, 65, 80), fc.constant(''), notString),
  ),
  setField('a dryRun that is not true or false', 'dryRun', () => notBoolean),
];

/** Single-rule mutations of a valid Alibaba Cloud export spec. */
export const alicloudExportMutations: Mutation[] = [
  ...commonMutations,
  setField('an image id that is not a custom image id', 'imageId', (s) =>
    fc.oneof(fc.constantFrom('ami-0123456789abcdef0', 'img-abc', 'm-', 'M-abc', 'm_abc', 'm-ABC', ' m-abc'), insertSomewhere(String(s.imageId).slice(2), fc.constant('-')).map((id) => `m-${id}-`), notString),
  ),
  setField('a missing image id', 'imageId', () => fc.constantFrom(undefined, null, '')),
  setField('a bucket name outside the OSS naming rules', 'bucket', (s) => badOssBucket(String(s.bucket)).filter((b) => b !== '')),
  setField('a missing bucket', 'bucket', () => fc.constantFrom(undefined, null, '')),
  setField('a prefix that is empty, over 30 characters or not letters and digits', 'prefix', (s) =>
    fc.oneof(fc.constantFrom('', 'p'.repeat(31), 'exports/', 'my-prefix', 'my_prefix', 'préfixe'), insertSomewhere(String(s.prefix ?? 'p'), fc.constantFrom('/', '-', ' ', '.')), notString),
  ),
  setField('a format ExportImage does not write (raw.tar.gz is what it writes, not a format)', 'format', () =>
    fc.oneof(oneOfAnyCase(['vhdx', 'ova', 'raw.tar.gz']), fc.constantFrom('', 'qcow'), notString),
  ),
  ...[
    ['description', 'an AWS field'],
    ['tags', 'an AWS field'],
    ['clientToken', 'ExportImage has no client token'],
    ['allDisks', 'a JD Cloud field'],
  ].map(([field, why]) => setField(`${field} (${why})`, field, () => fc.oneof(fc.string(), fc.boolean(), fc.constant({ team: 'x' })))),
];

const diskIndex = (s: Spec): fc.Arbitrary<number> => fc.integer({ min: 0, max: (s.disks as unknown[]).length - 1 });

const diskMutation = (name: string, make: (disk: Spec) => fc.Arbitrary<{ disk: unknown; field: string }>): Mutation => ({
  name,
  group: 'disks',
  mutate: (s) =>
    diskIndex(s).chain((index) =>
      make((s.disks as Spec[])[index]).map(({ disk, field }) => {
        const copy = structuredClone(s);
        (copy.disks as unknown[])[index] = disk;
        return { spec: copy, field: field === '' ? `disks[${index}]` : `disks[${index}].${field}` };
      }),
    ),
});

/** Single-rule mutations of a valid Alibaba Cloud import spec. */
export const alicloudImportMutations: Mutation[] = [
  ...commonMutations,
  setField('an empty or missing disk list', 'disks', () => fc.constantFrom([], undefined, null)),
  setField('disks that are not a list', 'disks', () => notList),
  setField('more than 17 disks', 'disks', () => fc.array(alicloudDisk, { minLength: 18, maxLength: 25 })),
  diskMutation('a disk that is not an object', () => fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 2 })).map((disk) => ({ disk, field: '' }))),
  diskMutation('a disk given by URL or snapshot (Alibaba reads only OSS objects)', (d) =>
    fc.constantFrom<[string, string]>(['url', 'https://b.oss-cn-hangzhou.aliyuncs.com/d.qcow2'], ['snapshotId', 's-bp1abc']).map(([field, value]) => ({ disk: { ...d, [field]: value }, field })),
  ),
  diskMutation('a disk bucket outside the OSS naming rules or missing', (d) => badOssBucket(String(d.bucket)).map((bucket) => ({ disk: { ...d, bucket }, field: 'bucket' }))),
  diskMutation('a disk key that is missing, over 1023 bytes or starts with / or \\', (d) =>
    fc.constantFrom(undefined, '', 'k'.repeat(1024), 'é'.repeat(512), '/disk.qcow2', '\\disk.qcow2', 7).map((key) => ({ disk: { ...d, key }, field: 'key' })),
  ),
  diskMutation('a disk format ImportImage does not read', (d) => fc.oneof(oneOfAnyCase(['vhdx', 'ova', 'vdi']), fc.constant(''), notString).map((format) => ({ disk: { ...d, format }, field: 'format' }))),
  diskMutation('a disk size outside 1-2048 GiB or not whole', (d) =>
    fc.oneof(fc.constantFrom(0, -1, 2049, 1.5, NaN), notNumber).map((sizeGiB) => ({ disk: { ...d, sizeGiB }, field: 'sizeGiB' })),
  ),
  diskMutation('a disk description or device name (not Alibaba fields)', (d) =>
    fc.tuple(fc.constantFrom('description', 'deviceName'), fc.string({ minLength: 1 })).map(([field, value]) => ({ disk: { ...d, [field]: value }, field })),
  ),
  setField('an image name outside the ImageName rules', 'imageName', (s) =>
    fc.oneof(
      fc.constantFrom('a', 'n'.repeat(129), '1image', '-image', 'aliyun-image', 'Aliyun1', 'acs:image', 'ACS:x', 'my image', 'imagé', 'a/b', 'image-http://x', 'xhttps://y'),
      insertSomewhere(String(s.imageName ?? 'image').slice(1), fc.constantFrom(' ', '/', '@', '中')).map((rest) => `i${rest}`),
      notString,
    ),
  ),
  setField('a description outside 2-256 characters or starting with a URL', 'description', () =>
    fc.oneof(fc.constantFrom('a', 'd'.repeat(257), 'http://example.com', 'HTTPS://x y'), notString),
  ),
  setField('an architecture ImportImage does not take', 'architecture', () => fc.oneof(fc.constantFrom('amd64', 'aarch64', 'x86', ''), notString)),
  setField('a platform ImportImage does not take', 'platform', () => fc.oneof(fc.constantFrom('Windows', 'Linux', 'Windows Server 2025', 'Ubuntu 22.04', ''), notString)),
  setField('an OS type ImportImage does not take', 'osType', () => fc.oneof(fc.constantFrom('win', 'unix', ''), notString)),
  setField('a boot mode ImportImage does not take', 'bootMode', () => fc.oneof(fc.constantFrom('legacy-bios', 'uefi-preferred', 'efi', ''), notString)),
  setField('a license type ImportImage does not take', 'licenseType', () => fc.oneof(fc.constantFrom('AWS', 'PAYG', ''), notString)),
  setField('a detection strategy other than Standard', 'detectionStrategy', () => fc.oneof(fc.constantFrom('Full', 'Deep', ''), notString)),
  setField('an NVMe support other than supported or unsupported', 'nvmeSupport', () => fc.oneof(fc.constantFrom('yes', 'true', ''), notString)),
  setField('more than 20 tags', 'tags', () => plainMap(charsOf(LOWER, 1, 12), fc.constant('v'), 30, 21)),
  setField('tags that are not a map', 'tags', () => fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 2 }))),
  tagMutation('a tag key over 128 characters, empty, reserved or holding a URL', fc.constantFrom('k'.repeat(129), '', 'acs:team', 'aliyun-team', 'ALIYUN', 'see http://x', 'https://x'), fc.constant('v')),
  tagMutation('a tag value over 128 characters, reserved, holding a URL or not a string', fc.constant('team'), fc.constantFrom<unknown>('v'.repeat(129), 'acs:x', 'ACS:y', 'go to https://x', 7, true, ['a'])),
  setField('a client token over 64 characters or not ASCII', 'clientToken', () => fc.oneof(fc.constantFrom('t'.repeat(65), 'tök', '令牌'), notString)),
  ...['hypervisor', 'encrypted', 'kmsKeyId', 'clientData', 'licenseConfigurationArns', 'usageOperation', 'osVersion', 'systemDiskSizeGiB', 'forceImport'].map((field) =>
    setField(`${field} (a field of another cloud)`, field, () => fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(['x']))),
  ),
  // Rules that tie fields together.
  {
    name: 'an arm64 import booting BIOS',
    group: 'bootMode',
    independent: false,
    mutate: (s) => fc.tuple(anyCase('arm64'), anyCase('bios')).map(([architecture, bootMode]) => ({ spec: { ...s, architecture, bootMode }, field: 'bootMode' })),
  },
  {
    name: 'an OS type that does not match the platform',
    group: 'osType',
    independent: false,
    mutate: (s) =>
      fc.constantFrom(...PLATFORMS).chain((platform) =>
        anyCase(platform.startsWith('Windows') ? 'linux' : 'windows').map((osType) => ({ spec: { ...s, platform, osType }, field: 'osType' })),
      ),
  },
  {
    name: 'a Windows platform without an OS type (the default is linux)',
    group: 'osType',
    independent: false,
    mutate: (s) =>
      fc.constantFrom(...PLATFORMS.filter((p) => p.startsWith('Windows'))).map((platform) => {
        const base: Spec = { ...s, platform };
        delete base.osType;
        return { spec: base, field: 'osType' };
      }),
  },
];

function tagMutation(name: string, keys: fc.Arbitrary<string>, values: fc.Arbitrary<unknown>): Mutation {
  return {
    name,
    group: 'tags',
    mutate: (s) =>
      fc.tuple(keys, values).map(([key, value]) => {
        const kept = Object.entries((s.tags as Record<string, unknown> | undefined) ?? {}).filter(([k]) => k !== key).slice(0, 19);
        return { spec: { ...structuredClone(s), tags: Object.fromEntries([...kept, [key, value]]) }, field: `tags.${key}` };
      }),
  };
}
