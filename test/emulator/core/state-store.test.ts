import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../../../emulator/core/state-store';

test('state store: sections persist atomically with the emulated time and load back', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imageport-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new StateStore(dir);
  store.useClock(() => 1234);
  const section = store.section('aws.iam', () => ({ roles: {} as Record<string, string> }));
  section.roles.vmimport = 'arn';
  store.flush();
  const file = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { version: number; emulatedNow: number };
  t.is(file.version, 1);
  t.is(file.emulatedNow, 1234);
  const reloaded = new StateStore(dir);
  t.is(reloaded.resumedEmulatedNow, 1234);
  t.deepEqual(reloaded.section('aws.iam', () => ({ roles: {} })), { roles: { vmimport: 'arn' } });
  const memory = new StateStore(undefined);
  memory.section('x', () => ({ a: 1 }));
  memory.markDirty();
  memory.flush();
  t.is(memory.resumedEmulatedNow, undefined);
});

test('rejects a state file that is not JSON or has another version, saying how to recover', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imageport-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'state.json'), '{oops');
  t.throws(() => new StateStore(dir), { message: /state\.json is not valid JSON .*move it away to start fresh/ });
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 99, sections: {} }));
  t.throws(() => new StateStore(dir), { message: /has version 99, expected 1/ });
});
