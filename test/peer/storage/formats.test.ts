import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DiskFormat } from '../../../lib/model/disk-format';
import { inspectImage } from '../../../lib/storage/formats/inspect-image';

// Peer test: images made by qemu-img (and tar) must read the same in our parsers as in `qemu-img info`.

const workdir = mkdtempSync(join(tmpdir(), 'imageport-peer-formats-'));
test.after.always(() => rmSync(workdir, { recursive: true, force: true }));

function qemuImg(args: string[]): string {
  const result = spawnSync('qemu-img', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`qemu-img is needed for this peer test (apt-get install qemu-utils): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`qemu-img ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

async function inspectFile(path: string) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    return await inspectImage(async (offset, length) => {
      const buffer = Buffer.alloc(length);
      const read = readSync(fd, buffer, 0, length, offset);
      return buffer.subarray(0, read);
    }, size);
  } finally {
    closeSync(fd);
  }
}

interface Case {
  readonly name: string;
  readonly qemuFormat: string;
  readonly options?: string;
  readonly size: string;
  readonly expected: DiskFormat;
  readonly variant?: string;
}

const cases: Case[] = [
  { name: 'vmdk (monolithicSparse)', qemuFormat: 'vmdk', size: '1G', expected: 'vmdk', variant: 'monolithicSparse' },
  { name: 'vmdk (streamOptimized)', qemuFormat: 'vmdk', options: 'subformat=streamOptimized', size: '2G', expected: 'vmdk', variant: 'streamOptimized' },
  { name: 'vhd (dynamic)', qemuFormat: 'vpc', options: 'subformat=dynamic', size: '3G', expected: 'vhd', variant: 'dynamic' },
  { name: 'vhd (fixed)', qemuFormat: 'vpc', options: 'subformat=fixed', size: '100M', expected: 'vhd', variant: 'fixed' },
  { name: 'vhdx', qemuFormat: 'vhdx', size: '5G', expected: 'vhdx' },
  { name: 'qcow2', qemuFormat: 'qcow2', size: '10G', expected: 'qcow2', variant: 'v3' },
  { name: 'qcow2 (compat 0.10)', qemuFormat: 'qcow2', options: 'compat=0.10', size: '1G', expected: 'qcow2', variant: 'v2' },
  { name: 'vdi', qemuFormat: 'vdi', size: '1G', expected: 'vdi', variant: 'dynamic' },
  { name: 'raw', qemuFormat: 'raw', size: '64M', expected: 'raw' },
];

for (const c of cases) {
  test(`${c.name}: same format and virtual size as qemu-img info`, async (t) => {
    const path = join(workdir, `${c.name.replace(/\W+/g, '-')}.img`);
    qemuImg(['create', '-q', '-f', c.qemuFormat, ...(c.options ? ['-o', c.options] : []), path, c.size]);
    // qemu's probe takes a fixed VHD for raw (its footer is at the end): name the format for qemu-img info.
    const info = JSON.parse(qemuImg(['info', '-f', c.qemuFormat, '--output=json', path])) as { 'virtual-size': number; format: string };
    const { info: ours } = await inspectFile(path);
    t.is(ours.format, c.expected);
    t.is(info.format === 'vpc' ? 'vhd' : info.format, c.expected);
    t.is(ours.virtualSizeBytes, info['virtual-size']);
    if (c.variant) t.is(ours.variant, c.variant);
    t.deepEqual(ours.problems.filter((p) => p.severity === 'error'), []);
  });
}

test('stream-optimized vmdk with data (qemu-img convert): same virtual size', async (t) => {
  const raw = join(workdir, 'data.raw');
  const disk = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < disk.length; i += 4096) disk.writeUInt32LE((i * 2654435761) >>> 0, i);
  writeFileSync(raw, disk);
  const vmdk = join(workdir, 'data.vmdk');
  qemuImg(['convert', '-O', 'vmdk', '-o', 'subformat=streamOptimized', raw, vmdk]);
  const info = JSON.parse(qemuImg(['info', '--output=json', vmdk])) as { 'virtual-size': number };
  const { info: ours } = await inspectFile(vmdk);
  t.is(ours.variant, 'streamOptimized');
  t.is(ours.virtualSizeBytes, info['virtual-size']);
  t.deepEqual(ours.problems.filter((p) => p.severity === 'error'), []);
});

test('raw.tar.gz made with tar czf: the inner raw disk\'s virtual size', async (t) => {
  const raw = join(workdir, 'm-0123_system.raw');
  qemuImg(['create', '-q', '-f', 'raw', raw, '48M']);
  execFileSync('dd', ['if=/dev/urandom', `of=${raw}`, 'bs=4096', 'count=16', 'conv=notrunc', 'status=none']);
  const archive = join(workdir, 'm-0123_system.raw.tar.gz');
  execFileSync('tar', ['czf', archive, '-C', workdir, 'm-0123_system.raw']);
  const info = JSON.parse(qemuImg(['info', '-f', 'raw', '--output=json', raw])) as { 'virtual-size': number };
  const { info: ours, reads } = await inspectFile(archive);
  t.is(ours.format, 'raw.tar.gz');
  t.is(ours.variant, 'm-0123_system.raw');
  t.is(ours.virtualSizeBytes, info['virtual-size']);
  t.deepEqual(ours.problems, []);
  t.true(reads.reduce((sum, r) => sum + r.length, 0) <= 65_536 + 8);
});

test('truncated qemu images are reported truncated', async (t) => {
  const path = join(workdir, 'cut.vhd');
  qemuImg(['create', '-q', '-f', 'vpc', '-o', 'subformat=dynamic', path, '1G']);
  const fd = openSync(path, 'r+');
  const size = fstatSync(fd).size;
  closeSync(fd);
  execFileSync('truncate', ['-s', String(size - 200), path]);
  const { info } = await inspectFile(path);
  t.true(info.problems.some((p) => p.code === 'truncated'));
});
