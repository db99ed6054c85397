import test from 'ava';
import { type AlicloudExportSpec } from '../../../../lib/model/export-spec';
import { type AlicloudImportSpec } from '../../../../lib/model/import-spec';
import { alicloudRules } from '../../../../lib/clouds/alicloud/rules';

const exportSpec: AlicloudExportSpec = {
  cloud: 'alicloud',
  region: 'cn-hangzhou',
  imageId: 'm-bp67acfmxazb4p1234',
  bucket: 'image-exports',
  prefix: 'EcsExport',
  format: 'qcow2',
};

const importSpec: AlicloudImportSpec = {
  cloud: 'alicloud',
  region: 'cn-hangzhou',
  disks: [
    { bucket: 'image-imports', key: 'disks/system.qcow2', format: 'qcow2', sizeGiB: 40 },
    { bucket: 'image-imports', key: 'disks/data.raw', format: 'RAW', sizeGiB: 100 },
  ],
  imageName: 'golden-2026.11',
  description: 'Golden image',
  architecture: 'x86_64',
  osType: 'linux',
  platform: 'Ubuntu',
  bootMode: 'uefi',
  licenseType: 'BYOL',
  tags: { team: 'infra' },
  clientToken: 'ip-0123456789abcdef',
  detectionStrategy: 'Standard',
  nvmeSupport: 'supported',
};

function fields(issues: { field: string }[]): string[] {
  return issues.map((issue) => issue.field).sort();
}

test('a documented export spec has no issue', (t) => {
  t.deepEqual(alicloudRules.validateExport(exportSpec), []);
  t.deepEqual(alicloudRules.validateExport({ cloud: 'alicloud', region: 'ap-southeast-1', imageId: 'm-1', bucket: 'abc' }), []);
});

test('the rules publish the documented formats, default format and default roles', (t) => {
  t.deepEqual([...alicloudRules.exportFormats], ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi']);
  t.deepEqual([...alicloudRules.importFormats], ['RAW', 'VHD', 'QCOW2', 'VMDK']);
  t.is(alicloudRules.defaultExportFormat, 'raw');
  t.is(alicloudRules.defaultExportRole, 'AliyunECSImageExportDefaultRole');
  t.is(alicloudRules.defaultImportRole, 'AliyunECSImageImportDefaultRole');
});

test('rejects a prefix with a slash or a dash, naming prefix, the value and the rule', (t) => {
  for (const prefix of ['exports/', 'my-exports']) {
    const issues = alicloudRules.validateExport({ ...exportSpec, prefix });
    t.deepEqual(fields(issues), ['prefix'], prefix);
    t.is(issues[0].value, prefix);
    t.is(issues[0].code, 'prefix.characters');
    t.regex(issues[0].rule, /only letters and digits/);
  }
});

test('rejects a prefix longer than 30 characters or empty', (t) => {
  t.is(alicloudRules.validateExport({ ...exportSpec, prefix: 'a'.repeat(31) })[0].code, 'prefix.length');
  t.is(alicloudRules.validateExport({ ...exportSpec, prefix: '' })[0].code, 'prefix.length');
  t.deepEqual(alicloudRules.validateExport({ ...exportSpec, prefix: 'a'.repeat(30) }), []);
});

test('rejects formats ExportImage does not write, listing the allowed ones; accepts any letter case', (t) => {
  const issues = alicloudRules.validateExport({ ...exportSpec, format: 'vhdx' });
  t.is(issues.length, 1);
  t.is(issues[0].field, 'format');
  t.deepEqual(issues[0].allowed, ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi']);
  t.regex(alicloudRules.validateExport({ ...exportSpec, format: 'raw.tar.gz' })[0].rule, /use "raw"/);
  t.deepEqual(alicloudRules.validateExport({ ...exportSpec, format: 'VMDK' }), []);
});

test('rejects every bad export field at once, each with field, value and rule', (t) => {
  const issues = alicloudRules.validateExport({
    cloud: 'alicloud',
    region: 'Hangzhou',
    imageId: 'ami-123',
    bucket: 'Bad_Bucket',
    prefix: 'a/b',
    format: 'ova',
    roleName: 'role with spaces',
    description: 'AWS only',
    tags: { a: 'b' },
    clientToken: 'tok',
  });
  t.deepEqual([...new Set(fields(issues))], [
    'bucket',
    'clientToken',
    'description',
    'format',
    'imageId',
    'prefix',
    'region',
    'roleName',
    'tags',
  ]);
  for (const issue of issues) {
    t.truthy(issue.rule);
    t.truthy(issue.code);
    t.is(issue.source, 'Alibaba Cloud ECS ExportImage');
  }
  t.regex(issues.find((i) => i.field === 'clientToken')!.rule, /no client token/);
});

test('rejects OSS bucket names per broken rule (length, characters, edges)', (t) => {
  const codes = (bucket: string): string[] => alicloudRules.validateExport({ ...exportSpec, bucket }).map((i) => i.code).sort();
  t.deepEqual(codes('ab'), ['bucket.length']);
  t.deepEqual(codes('-abc'), ['bucket.edges']);
  t.deepEqual(codes('abc_def'), ['bucket.characters']);
  t.deepEqual(codes('ABC_def'), ['bucket.characters', 'bucket.edges']);
  t.deepEqual(codes('x'.repeat(64)), ['bucket.length']);
  t.deepEqual(codes(''), ['required']);
});

test('rejects a spec for another cloud', (t) => {
  const issues = alicloudRules.validateExport({ ...exportSpec, cloud: 'aws' } as unknown as AlicloudExportSpec);
  t.deepEqual(fields(issues), ['cloud']);
});

test('a documented import spec has no issue', (t) => {
  t.deepEqual(alicloudRules.validateImport(importSpec), []);
  t.deepEqual(alicloudRules.validateImport({ cloud: 'alicloud', region: 'cn-hangzhou', disks: [{ bucket: 'abc', key: 'a.vhd' }] }), []);
});

test('rejects more than 17 disks and disks that are not bucket objects', (t) => {
  const disks = Array.from({ length: 18 }, (_, i) => ({ bucket: 'abc', key: `d${i}.raw` }));
  t.deepEqual(fields(alicloudRules.validateImport({ ...importSpec, disks })), ['disks']);
  const issues = alicloudRules.validateImport({ ...importSpec, disks: [{ url: 'https://x/y.vhd' }, { snapshotId: 'snap-1' }] });
  t.deepEqual(fields(issues), ['disks[0].url', 'disks[1].snapshotId']);
  t.deepEqual(fields(alicloudRules.validateImport({ ...importSpec, disks: [] })), ['disks']);
});

test('rejects disk formats and sizes outside the documented sets', (t) => {
  const issues = alicloudRules.validateImport({
    ...importSpec,
    disks: [
      { bucket: 'abc', key: 'a.vdi', format: 'VDI', sizeGiB: 0 },
      { bucket: 'abc', key: '/abs.raw', sizeGiB: 2049 },
      { bucket: 'abc', key: 'ok.raw', sizeGiB: 1.5 },
    ],
  });
  t.deepEqual(fields(issues), ['disks[0].format', 'disks[0].sizeGiB', 'disks[1].key', 'disks[1].sizeGiB', 'disks[2].sizeGiB']);
  t.deepEqual(issues.find((i) => i.field === 'disks[0].format')!.allowed, ['RAW', 'VHD', 'QCOW2', 'VMDK']);
});

test('rejects closed-set values (OSType, Platform, Architecture, BootMode, LicenseType, DetectionStrategy, NvmeSupport)', (t) => {
  const issues = alicloudRules.validateImport({
    ...importSpec,
    osType: 'macos',
    platform: 'Arch',
    architecture: 'riscv64',
    bootMode: 'legacy',
    licenseType: 'AWS',
    detectionStrategy: 'Deep',
    nvmeSupport: 'yes',
  });
  t.deepEqual(fields(issues), ['architecture', 'bootMode', 'detectionStrategy', 'licenseType', 'nvmeSupport', 'osType', 'platform']);
  t.true(issues.find((i) => i.field === 'platform')!.allowed!.includes('Windows Server 2022'));
});

test('accepts bios/uefi and any letter case of closed sets', (t) => {
  t.deepEqual(alicloudRules.validateImport({ ...importSpec, bootMode: 'bios', osType: 'Linux', platform: 'ubuntu', licenseType: 'auto' }), []);
});

test('rejects arm64 with BIOS, and a Windows platform with a linux OSType', (t) => {
  t.is(alicloudRules.validateImport({ ...importSpec, architecture: 'arm64', bootMode: 'BIOS' })[0].code, 'bootMode.arm64-needs-uefi');
  t.deepEqual(alicloudRules.validateImport({ ...importSpec, architecture: 'arm64', bootMode: undefined }), []);
  const issues = alicloudRules.validateImport({ ...importSpec, platform: 'Windows Server 2019', osType: 'linux' });
  t.deepEqual(fields(issues), ['osType']);
  t.is(alicloudRules.validateImport({ ...importSpec, platform: 'Windows Server 2019', osType: undefined })[0].code, 'osType.platform-mismatch');
});

test('rejects image names and descriptions against the ImportImage rules', (t) => {
  const codes = (imageName: string): string[] => alicloudRules.validateImport({ ...importSpec, imageName }).map((i) => i.code).sort();
  t.deepEqual(codes('a'), ['imageName.length']);
  t.deepEqual(codes('1abc'), ['imageName.start']);
  t.deepEqual(codes('aliyun-img'), ['imageName.reserved']);
  t.deepEqual(codes('acs:img'), ['imageName.reserved']);
  t.deepEqual(codes('img http://x'), ['imageName.url']);
  t.deepEqual(codes('img name'), ['imageName.characters']);
  t.deepEqual(codes('img.name:v1_2-3'), []);
  const description = (text: string): string[] => alicloudRules.validateImport({ ...importSpec, description: text }).map((i) => i.code);
  t.deepEqual(description('x'), ['description.length']);
  t.deepEqual(description('https://example.com'), ['description.url']);
  t.deepEqual(description('x'.repeat(257)), ['description.length']);
});

test('rejects tags beyond the Tag.N limits', (t) => {
  const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
  t.deepEqual(fields(alicloudRules.validateImport({ ...importSpec, tags: many })), ['tags']);
  const issues = alicloudRules.validateImport({
    ...importSpec,
    tags: { 'acs:x': 'v', aliyunTeam: 'v', ['k'.repeat(129)]: 'v', ok: 'v'.repeat(129), ok2: 'acs:v' },
  });
  t.deepEqual(
    issues.map((i) => i.code).sort(),
    ['tags.key-length', 'tags.key-reserved', 'tags.key-reserved', 'tags.value-length', 'tags.value-reserved'],
  );
});

test('rejects a client token over 64 characters or not ASCII', (t) => {
  t.is(alicloudRules.validateImport({ ...importSpec, clientToken: 'x'.repeat(65) })[0].code, 'clientToken.length');
  t.is(alicloudRules.validateImport({ ...importSpec, clientToken: 'jeton-é' })[0].code, 'clientToken.ascii');
});

test('rejects AWS-only and JD-only import fields, naming them', (t) => {
  const spec = { ...importSpec, encrypted: true, kmsKeyId: 'k', osVersion: '7.4', disks: [{ bucket: 'abc', key: 'a.raw', deviceName: '/dev/sda' }] };
  t.deepEqual(fields(alicloudRules.validateImport(spec as unknown as AlicloudImportSpec)), ['disks[0].deviceName', 'encrypted', 'kmsKeyId', 'osVersion']);
});
