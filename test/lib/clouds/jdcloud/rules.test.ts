import test from 'ava';
import { type ExportSpec } from '../../../../lib/model/export-spec';
import { type ImportSpec } from '../../../../lib/model/import-spec';
import { jdcloudRules } from '../../../../lib/clouds/jdcloud/rules';

const goodExport: ExportSpec = {
  cloud: 'jdcloud',
  region: 'cn-east-2',
  imageId: 'img-m5s0t0rb1z',
  bucket: 'image-export-bucket',
  prefix: 'jdcloud',
  roleName: 'image-export',
  clientToken: 'ip-0123',
};

const goodImport: ImportSpec = {
  cloud: 'jdcloud',
  region: 'cn-north-1',
  disks: [{ bucket: 'imports', key: 'disks/web.qcow2', format: 'qcow2' }],
  imageName: 'web-image',
  osType: 'linux',
  platform: 'Ubuntu',
  architecture: 'x86_64',
  systemDiskSizeGiB: 50,
  bootMode: 'uefi',
  osVersion: '22.04',
};

function fields(issues: { field: string }[]): string[] {
  return issues.map((i) => i.field).sort();
}

test('a documented export spec has no issues', (t) => {
  t.deepEqual(jdcloudRules.validateExport(goodExport), []);
  t.deepEqual(jdcloudRules.validateExport({ ...goodExport, format: 'QCOW2', prefix: undefined, allDisks: true } as ExportSpec), []);
});

test('rejects a 33-character prefix with an issue naming prefix', (t) => {
  const issues = jdcloudRules.validateExport({ ...goodExport, prefix: 'a'.repeat(33) });
  t.deepEqual(fields(issues), ['prefix']);
  t.is(issues[0].code, 'prefix.too-long');
  t.regex(issues[0].rule, /at most 32/);
  t.deepEqual(jdcloudRules.validateExport({ ...goodExport, prefix: 'a'.repeat(32) }), []);
});

test('rejects a prefix with a slash or a dash', (t) => {
  for (const prefix of ['exports/', 'my-prefix']) {
    const issues = jdcloudRules.validateExport({ ...goodExport, prefix });
    t.deepEqual(fields(issues), ['prefix'], prefix);
    t.is(issues[0].code, 'prefix.characters');
  }
});

test('rejects every format but qcow2 and lists qcow2', (t) => {
  for (const format of ['vmdk', 'RAW', 'vhd', 'nonsense']) {
    const issues = jdcloudRules.validateExport({ ...goodExport, format });
    t.is(issues.length, 1, format);
    t.is(issues[0].field, 'format');
    t.deepEqual(issues[0].allowed, ['qcow2']);
  }
});

test('rejects a missing role name and a badly formed one', (t) => {
  t.deepEqual(fields(jdcloudRules.validateExport({ ...goodExport, roleName: undefined })), ['roleName']);
  for (const roleName of ['abc', '1role', 'role name', 'r'.repeat(65)]) {
    const issues = jdcloudRules.validateExport({ ...goodExport, roleName });
    t.deepEqual(fields(issues), ['roleName'], roleName);
  }
  t.deepEqual(jdcloudRules.validateExport({ ...goodExport, roleName: 'a_b-c1' }), []);
});

test('rejects bucket names that break JD OSS rules, one issue per broken rule', (t) => {
  const cases: [string, string[]][] = [
    ['ab', ['bucket.length']],
    ['upPer', ['bucket.characters']],
    ['Upper', ['bucket.characters', 'bucket.edges']],
    ['-edge', ['bucket.edges']],
    ['two--hyphens', ['bucket.consecutive-hyphens']],
    ['x'.repeat(64), ['bucket.length']],
    ['under_score', ['bucket.characters']],
  ];
  for (const [bucket, codes] of cases) {
    const issues = jdcloudRules.validateExport({ ...goodExport, bucket });
    t.deepEqual(issues.map((i) => i.code), codes, bucket);
    t.true(issues.every((i) => i.field === 'bucket' && i.value === bucket));
  }
});

test('reports every problem at once, AWS-only fields included', (t) => {
  const issues = jdcloudRules.validateExport({
    cloud: 'jdcloud',
    region: 'east',
    imageId: 'ami-123',
    bucket: 'B',
    prefix: 'p/',
    format: 'vmdk',
    description: 'x',
    tags: { a: 'b' },
    clientToken: 'x'.repeat(65),
    dryRun: true,
  } as ExportSpec);
  t.deepEqual(
    [...new Set(fields(issues))],
    ['bucket', 'clientToken', 'description', 'dryRun', 'format', 'imageId', 'prefix', 'region', 'roleName', 'tags'],
  );
  for (const i of issues) t.truthy(i.rule && i.code);
});

test('a documented import spec has no issues, by bucket or by URL', (t) => {
  t.deepEqual(jdcloudRules.validateImport(goodImport), []);
  t.deepEqual(
    jdcloudRules.validateImport({ ...goodImport, disks: [{ url: 'https://b.s3.cn-north-1.jdcloud-oss.com/d.vhd', format: 'VHD' }] }),
    [],
  );
});

test('rejects import values outside the documented sets', (t) => {
  const issues = jdcloudRules.validateImport({
    ...goodImport,
    architecture: 'i386',
    osType: 'bsd',
    platform: 'Debian',
    bootMode: 'legacy',
    disks: [{ bucket: 'imports', key: 'a.vdi', format: 'vdi' }],
  });
  t.deepEqual(fields(issues), ['architecture', 'bootMode', 'disks[0].format', 'osType', 'platform']);
  t.deepEqual(issues.find((i) => i.field === 'architecture')?.allowed, ['x86_64', 'arm64']);
  t.deepEqual(issues.find((i) => i.field === 'disks[0].format')?.allowed, ['qcow2', 'vhd', 'vmdk', 'raw']);
});

test('rejects a system disk size that is out of range or not a multiple of 10', (t) => {
  for (const size of [30, 45, 510, 40.5]) {
    t.deepEqual(fields(jdcloudRules.validateImport({ ...goodImport, systemDiskSizeGiB: size } as ImportSpec)), ['systemDiskSizeGiB'], String(size));
  }
  for (const size of [40, 500, 120]) t.deepEqual(jdcloudRules.validateImport({ ...goodImport, systemDiskSizeGiB: size } as ImportSpec), []);
});

test('rejects anything but exactly one disk given by URL or by bucket and key', (t) => {
  t.deepEqual(fields(jdcloudRules.validateImport({ ...goodImport, disks: [] })), ['disks']);
  const two = jdcloudRules.validateImport({ ...goodImport, disks: [goodImport.disks[0], goodImport.disks[0]] });
  t.deepEqual(fields(two), ['disks']);
  const both = jdcloudRules.validateImport({ ...goodImport, disks: [{ url: 'https://x/y', bucket: 'b', key: 'k', format: 'raw' } as never] });
  t.deepEqual(fields(both), ['disks[0]']);
  const snapshot = jdcloudRules.validateImport({ ...goodImport, disks: [{ snapshotId: 'snap-1', format: 'raw' }] });
  t.deepEqual(fields(snapshot), ['disks[0].snapshotId']);
  const noKey = jdcloudRules.validateImport({ ...goodImport, disks: [{ bucket: 'imports', key: '', format: 'raw' }] });
  t.deepEqual(fields(noKey), ['disks[0].key']);
});

test('rejects a missing or badly formed image name, a platform of the wrong OS type, and foreign fields', (t) => {
  const issues = jdcloudRules.validateImport({
    ...goodImport,
    imageName: 'has space',
    osType: 'linux',
    platform: 'Windows Server',
    licenseType: 'BYOL',
    roleName: 'vmimport',
    tags: { a: 'b' },
  } as ImportSpec);
  t.deepEqual(fields(issues), ['imageName', 'licenseType', 'platform', 'roleName', 'tags']);
  t.deepEqual(fields(jdcloudRules.validateImport({ ...goodImport, imageName: undefined })), ['imageName']);
  t.deepEqual(jdcloudRules.validateImport({ ...goodImport, imageName: '镜像-1_a' }), []);
});
