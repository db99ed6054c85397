import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlicloudEmulator } from '../lib/clouds/alicloud/emulator-fixture';

/** What `qemu-img info` calls each export format (VHD is QEMU's `vpc`). */
const QEMU_FORMAT: Record<string, string> = { raw: 'raw', vhd: 'vpc', qcow2: 'qcow2', vmdk: 'vmdk', vdi: 'vdi' };

function qemuInfo(file: string): { format: string; 'virtual-size': number } {
  return JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' })) as { format: string; 'virtual-size': number };
}

test('qemu-img reads every artifact the Alibaba emulator writes, in the format asked for', async (t) => {
  const fixture = await startAlicloudEmulator();
  const work = mkdtempSync(join(tmpdir(), 'alicloud-artifacts-'));
  t.teardown(async () => {
    rmSync(work, { recursive: true, force: true });
    await fixture.stop();
  });
  const region = 'ap-southeast-1';
  const driver = fixture.driver({ region });
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  await driver.ensureBucket({ cloud: 'alicloud', region, name: 'peer-exports' });

  for (const format of ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi']) {
    const ref = await driver.startExport({ cloud: 'alicloud', region, imageId: 'm-g01den0singapore01', bucket: 'peer-exports', prefix: format, format }, `peer-${format}`);
    const done = await fixture.wait(driver, ref);
    t.is(done.artifacts.length, 2, `${format}: system and data disk`);
    for (const artifact of done.artifacts) {
      const bytes = await driver.storage().readRange(artifact.bucket, artifact.key, 0, artifact.sizeBytes! - 1);
      const file = join(work, artifact.key);
      writeFileSync(file, bytes);
      let image = file;
      if (format === 'raw') {
        t.is(artifact.format, 'raw.tar.gz');
        const unpacked = join(work, `${artifact.key}.d`);
        execFileSync('mkdir', ['-p', unpacked]);
        execFileSync('tar', ['-xzf', file, '-C', unpacked]);
        const members = readdirSync(unpacked);
        t.is(members.length, 1, 'one raw disk inside the tar.gz');
        image = join(unpacked, members[0]);
      } else {
        t.is(artifact.format as string, format);
      }
      const info = qemuInfo(image);
      t.is(info.format, QEMU_FORMAT[format], `${artifact.key} is ${format}`);
      // The catalog's golden Singapore image: a 4 MiB system disk and a 2 MiB data disk (small on purpose).
      t.is(info['virtual-size'], artifact.disk === 'system' ? 4 * 1024 * 1024 : 2 * 1024 * 1024, `${artifact.key} virtual size`);
    }
  }
});
