import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDiskImage, layoutToBuffer, writeLayoutSync, type DiskImageFormat } from '../../../emulator/disk';

// Peer test: QEMU's own reader (`qemu-img`, Debian qemu-utils) must see every image the emulator writes as the
// format and virtual size we claim, find no corruption, and read back the same disk bytes.

const VIRTUAL_SIZE = 5 * 1024 * 1024;
const QEMU_FORMAT: Record<Exclude<DiskImageFormat, 'raw.tar.gz'>, string> = { raw: 'raw', vmdk: 'vmdk', vhd: 'vpc', qcow2: 'qcow2', vdi: 'vdi' };

function qemuImg(...args: string[]): string {
  return execFileSync('qemu-img', args, { encoding: 'utf8' });
}

const workDir = mkdtempSync(join(tmpdir(), 'imageport-qemu-'));
test.after.always(() => rmSync(workDir, { recursive: true, force: true }));

const rawReference = layoutToBuffer(buildDiskImage('raw', { virtualSizeBytes: VIRTUAL_SIZE }));

for (const [format, qemuFormat] of Object.entries(QEMU_FORMAT)) {
  test(`qemu-img reads the ${format} writer's image as ${qemuFormat} with the expected virtual size and the same disk content`, (t) => {
    const path = join(workDir, `disk.${format}`);
    writeLayoutSync(buildDiskImage(format as DiskImageFormat, { virtualSizeBytes: VIRTUAL_SIZE }), path);
    const info = JSON.parse(qemuImg('info', '--output=json', path)) as { format: string; 'virtual-size': number; 'format-specific'?: { data?: { 'create-type'?: string } } };
    t.is(info.format, qemuFormat);
    t.is(info['virtual-size'], VIRTUAL_SIZE);
    if (format === 'vmdk') t.is(info['format-specific']?.data?.['create-type'], 'streamOptimized');
    if (['vmdk', 'qcow2', 'vdi'].includes(format)) t.notThrows(() => qemuImg('check', '-f', qemuFormat, path), 'qemu-img check finds no errors');
    const converted = join(workDir, `converted-${format}.raw`);
    qemuImg('convert', '-f', qemuFormat, '-O', 'raw', path, converted);
    t.true(readFileSync(converted).equals(rawReference), 'the disk inside is the reference raw disk');
  });
}

test('the raw.tar.gz image unpacks (tar) to one raw disk that qemu-img reads with the expected virtual size', (t) => {
  const archive = join(workDir, 'disk.raw.tar.gz');
  writeLayoutSync(buildDiskImage('raw.tar.gz', { virtualSizeBytes: VIRTUAL_SIZE, innerFileName: 'm-emulator_system.raw' }), archive);
  const out = join(workDir, 'unpacked');
  execFileSync('mkdir', ['-p', out]);
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  t.deepEqual(execFileSync('ls', [out], { encoding: 'utf8' }).trim().split('\n'), ['m-emulator_system.raw']);
  const info = JSON.parse(qemuImg('info', '--output=json', join(out, 'm-emulator_system.raw'))) as { format: string; 'virtual-size': number };
  t.is(info.format, 'raw');
  t.is(info['virtual-size'], VIRTUAL_SIZE);
  t.true(readFileSync(join(out, 'm-emulator_system.raw')).equals(rawReference));
});
