import test from 'ava';
import { type ValidationIssue } from '../../../../lib/model/validation-issue';
import { resolveAwsBootMode, validateAwsImport } from '../../../../lib/clouds/aws/import-rules';
import { awsRules } from '../../../../lib/clouds/aws/rules';

const valid = {
  cloud: 'aws',
  region: 'us-east-1',
  disks: [{ bucket: 'vm-sources', key: 'disks/web.vmdk', format: 'vmdk' }],
  architecture: 'x86_64',
  platform: 'Linux',
  bootMode: 'legacy-bios',
  licenseType: 'BYOL',
  roleName: 'vmimport',
  tags: { team: 'platform' },
  clientToken: 'ip-abc',
};

function codes(issues: readonly ValidationIssue[]): string[] {
  return issues.map((i) => `${i.field}:${i.code}`);
}

test('a complete, correct import spec has no issues', (t) => {
  t.deepEqual(awsRules.validateImport(valid as never), []);
});

test('accepts each kind of disk source and every import format in any case', (t) => {
  const disks = [
    { bucket: 'vm-sources', key: 'a.ova', format: 'OVA' },
    { url: 'https://example.com/disk.vhdx?X-Amz-Signature=x', format: 'vhdx' },
    { url: 's3://vm-sources/disks/b.raw', format: 'Raw' },
    { snapshotId: 'snap-0123456789abcdef0' },
    { bucket: 'vm-sources', key: 'c.vhd', format: 'VHD', description: 'data', deviceName: '/dev/sdb' },
  ];
  t.deepEqual(validateAwsImport({ ...valid, disks }), []);
});

test('rejects a missing or empty disk list, and more than 21 disks', (t) => {
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: undefined })), ['disks:required']);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [] })), ['disks:disks.empty']);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: 'disk.vmdk' })), ['disks:type']);
  const many = Array.from({ length: 22 }, (_, i) => ({ bucket: 'vm-sources', key: `d${i}.vmdk`, format: 'VMDK' }));
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: many })), ['disks:disks.too-many']);
  t.deepEqual(validateAwsImport({ ...valid, disks: many.slice(0, 21) }), []);
});

test('rejects a disk with no source or with several sources', (t) => {
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ format: 'VMDK' }] })), ['disks[0]:disk.source']);
  const both = validateAwsImport({ ...valid, disks: [{ bucket: 'vm-sources', key: 'k', url: 'https://x/y', format: 'VMDK' }] });
  t.deepEqual(codes(both), ['disks[0]:disk.source']);
  t.regex(both[0].rule, /exactly one source, not bucket and url/);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [null] })), ['disks[0]:required']);
});

test('rejects a bucket source without its key (or key without bucket), a bad bucket and a bad format', (t) => {
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ bucket: 'vm-sources', format: 'VMDK' }] })), ['disks[0].key:required']);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ key: 'k', format: 'VMDK' }] })), ['disks[0].bucket:required']);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ bucket: 'VM', key: 'k', format: 'VMDK' }] })), [
    'disks[0].bucket:bucket-name.length',
    'disks[0].bucket:bucket-name.characters',
    'disks[0].bucket:bucket-name.edges',
  ]);
  const [format] = validateAwsImport({ ...valid, disks: [{ bucket: 'vm-sources', key: 'k', format: 'qcow2' }] });
  t.is(format.code, 'format.not-allowed');
  t.deepEqual(format.allowed, ['OVA', 'VHD', 'VHDX', 'VMDK', 'RAW']);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ bucket: 'vm-sources', key: 'k' }] })), ['disks[0].format:required']);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ bucket: 'vm-sources', key: '', format: 'RAW' }] })), ['disks[0].key:object-key.empty']);
});

test('rejects URLs that are not https:// or s3://, without echoing a pre-signed query', (t) => {
  const [issue] = validateAwsImport({ ...valid, disks: [{ url: 'http://host/disk.vmdk?X-Amz-Signature=secret', format: 'VMDK' }] });
  t.is(issue.code, 'url.scheme');
  t.false(JSON.stringify(issue).includes('secret'));
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ url: 's3://vm-sources', format: 'VMDK' }] })), ['disks[0].url:url.key']);
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ url: 'not a url', format: 'VMDK' }] })), ['disks[0].url:url.scheme']);
});

test('rejects malformed snapshot ids', (t) => {
  t.deepEqual(codes(validateAwsImport({ ...valid, disks: [{ snapshotId: 'snap-12' }] })), ['disks[0].snapshotId:snapshot-id.format']);
});

test('rejects closed-set values outside their sets', (t) => {
  const issues = validateAwsImport({ ...valid, architecture: 'sparc', platform: 'BeOS', licenseType: 'Auto', hypervisor: 'kvm' });
  t.deepEqual(codes(issues), [
    'architecture:architecture.not-allowed',
    'platform:platform.not-allowed',
    'licenseType:license-type.not-allowed',
    'hypervisor:hypervisor.not-allowed',
  ]);
  t.deepEqual(issues[0].allowed, ['i386', 'x86_64', 'arm64']);
  t.deepEqual(validateAwsImport({ ...valid, architecture: 'ARM64', bootMode: 'uefi', platform: 'linux', licenseType: 'aws', hypervisor: 'xen' }), []);
});

test('boot mode: legacy-bios, uefi and the bios alias are accepted; uefi-preferred is refused with the reason', (t) => {
  t.is(resolveAwsBootMode('bios'), 'legacy-bios');
  t.is(resolveAwsBootMode('UEFI'), 'uefi');
  t.deepEqual(validateAwsImport({ ...valid, bootMode: 'bios' }), []);
  const [issue] = validateAwsImport({ ...valid, bootMode: 'uefi-preferred' });
  t.is(issue.code, 'boot-mode.uefi-preferred');
  t.regex(issue.rule, /isn't supported for importing images/);
  t.deepEqual(codes(validateAwsImport({ ...valid, bootMode: 'efi' })), ['bootMode:boot-mode.not-allowed']);
});

test('rejects licenseType together with usageOperation', (t) => {
  t.deepEqual(validateAwsImport({ ...valid, licenseType: undefined, usageOperation: 'RunInstances:0800' }), []);
  t.deepEqual(codes(validateAwsImport({ ...valid, usageOperation: 'RunInstances' })), ['usageOperation:usage-operation.exclusive']);
  t.deepEqual(codes(validateAwsImport({ ...valid, licenseType: undefined, usageOperation: 'RunInstances:9999' })), [
    'usageOperation:usage-operation.not-allowed',
  ]);
});

test('rejects kmsKeyId without encrypted: true, and malformed keys', (t) => {
  const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  t.deepEqual(validateAwsImport({ ...valid, encrypted: true, kmsKeyId: arn }), []);
  t.deepEqual(validateAwsImport({ ...valid, encrypted: true, kmsKeyId: 'alias/my-key' }), []);
  t.deepEqual(codes(validateAwsImport({ ...valid, kmsKeyId: arn })), ['kmsKeyId:kms-key-id.requires-encrypted']);
  t.deepEqual(codes(validateAwsImport({ ...valid, encrypted: false, kmsKeyId: arn })), ['kmsKeyId:kms-key-id.requires-encrypted']);
  t.deepEqual(codes(validateAwsImport({ ...valid, encrypted: true, kmsKeyId: 'my key' })), ['kmsKeyId:kms-key-id.format']);
  t.deepEqual(codes(validateAwsImport({ ...valid, encrypted: 'yes' })), ['encrypted:type']);
});

test('UEFI forbids encryption and license configurations, and needs a platform for a snapshot source', (t) => {
  const lic = 'arn:aws:license-manager:us-east-1:111122223333:license-configuration:lic-0123456789abcdef0123456789abcdef';
  t.deepEqual(validateAwsImport({ ...valid, licenseConfigurationArns: [lic] }), []);
  const issues = validateAwsImport({ ...valid, bootMode: 'uefi', encrypted: true, licenseConfigurationArns: [lic] });
  t.deepEqual(codes(issues), ['encrypted:boot-mode.uefi-encryption', 'licenseConfigurationArns:boot-mode.uefi-license']);
  const snapshot = validateAwsImport({ ...valid, platform: undefined, bootMode: 'uefi', disks: [{ snapshotId: 'snap-0123abcd' }] });
  t.deepEqual(codes(snapshot), ['platform:required']);
  t.deepEqual(validateAwsImport({ ...valid, platform: undefined, bootMode: 'legacy-bios', disks: [{ snapshotId: 'snap-0123abcd' }] }), []);
  t.deepEqual(codes(validateAwsImport({ ...valid, licenseConfigurationArns: ['arn:x'] })), ['licenseConfigurationArns[0]:license-configuration-arn.format']);
});

test('rejects 32-bit Linux and arm64 with legacy BIOS', (t) => {
  t.deepEqual(codes(validateAwsImport({ ...valid, architecture: 'i386' })), ['architecture:architecture.linux-32-bit']);
  t.deepEqual(validateAwsImport({ ...valid, architecture: 'i386', platform: 'Windows' }), []);
  t.deepEqual(codes(validateAwsImport({ ...valid, architecture: 'arm64', bootMode: 'bios' })), ['bootMode:boot-mode.arm64-bios']);
});

test('checks client data: timestamps, order and size', (t) => {
  t.deepEqual(validateAwsImport({ ...valid, clientData: { comment: 'c', uploadStart: '2024-01-01T00:00:00Z', uploadEnd: '2024-01-01T01:00:00Z', uploadSize: 8 } }), []);
  const issues = validateAwsImport({ ...valid, clientData: { uploadStart: 'yesterday', uploadEnd: '2024-01-01T01:00:00Z', uploadSize: -1 } });
  t.deepEqual(codes(issues), ['clientData.uploadStart:client-data.timestamp', 'clientData.uploadSize:client-data.size']);
  const order = validateAwsImport({ ...valid, clientData: { uploadStart: '2024-01-02T00:00:00Z', uploadEnd: '2024-01-01T00:00:00Z' } });
  t.deepEqual(codes(order), ['clientData.uploadEnd:client-data.order']);
});

test('rejects fields other clouds have and AWS does not, naming each', (t) => {
  const issues = validateAwsImport({ ...valid, osType: 'linux', imageName: 'web', disks: [{ bucket: 'vm-sources', key: 'k', format: 'RAW', sizeGiB: 40 }] });
  t.deepEqual(codes(issues), ['imageName:field.unsupported', 'osType:field.unsupported', 'disks[0].sizeGiB:field.unsupported']);
  t.regex(issues[1].rule, /ImportImage has no such parameter/);
});

test('reports every problem of a thoroughly wrong import at once', (t) => {
  const issues = validateAwsImport({ cloud: 'aws', region: 5, disks: [{}], architecture: 64, bootMode: 'uefi-preferred', licenseType: 'AWS', usageOperation: 'RunInstances' });
  t.deepEqual(codes(issues), [
    'region:type',
    'disks[0]:disk.source',
    'architecture:type',
    'bootMode:boot-mode.uefi-preferred',
    'usageOperation:usage-operation.exclusive',
  ]);
});
