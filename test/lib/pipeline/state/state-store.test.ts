import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { parseState, STATE_VERSION, StateFileError } from '../../../../lib/pipeline/state/pipeline-state';
import { StateLockedError, StateStore } from '../../../../lib/pipeline/state/state-store';

const created: string[] = [];
test.after.always(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'imageport-state-'));
  created.push(dir);
  return join(dir, 'nested', 'state.json');
}

test('a missing state file opens as an empty state; writes are versioned JSON with an increasing serial', async (t) => {
  const file = await tempFile();
  const store = await StateStore.open(file, 'demo');
  t.deepEqual(store.state.exports, {});
  await store.update((state) => ({ ...state, buckets: { b: { spec: { cloud: 'aws', region: 'us-east-1', name: 'b' }, createdByPipeline: true } } }));
  await store.update((state) => state);
  await store.close();
  const written = JSON.parse(await readFile(file, 'utf8')) as { version: number; serial: number; pipeline: string };
  t.is(written.version, STATE_VERSION);
  t.is(written.serial, 2);
  t.is(written.pipeline, 'demo');
  const files = await readdir(join(file, '..'));
  t.deepEqual(files, ['state.json'], 'no temp file or lock is left behind');
});

test('concurrent updates are serialised and none is lost', async (t) => {
  const file = await tempFile();
  const store = await StateStore.open(file, 'demo');
  await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      store.update((state) => ({
        ...state,
        buckets: { ...state.buckets, [`b${index}`]: { spec: { cloud: 'aws', region: 'r', name: `b${index}` }, createdByPipeline: false } },
      })),
    ),
  );
  await store.close();
  const reread = await StateStore.read(file, 'demo');
  t.is(Object.keys(reread.buckets).length, 20);
  t.is(reread.serial, 20);
});

test('rejects a second run while the lock is held, naming the lock', async (t) => {
  const file = await tempFile();
  const first = await StateStore.open(file, 'demo');
  const error = await t.throwsAsync(StateStore.open(file, 'demo'), { instanceOf: StateLockedError });
  t.true(error!.message.includes(`${file}.lock`));
  t.regex(error!.message, new RegExp(`process ${process.pid}`));
  await first.close();
  const second = await StateStore.open(file, 'demo');
  await second.close();
});

test('takes over the lock of a run that was killed with SIGKILL', async (t) => {
  const file = await tempFile();
  const script = `
    const { StateStore } = require(${JSON.stringify(join(__dirname, '../../../../lib/pipeline/state/state-store'))});
    StateStore.open(${JSON.stringify(file)}, 'demo').then(() => { process.stdout.write('locked\\n'); setInterval(() => {}, 1000); });
  `;
  const child = spawn(process.execPath, ['--import=tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited ${String(code)}`)));
  });
  await t.throwsAsync(StateStore.open(file, 'demo'), { instanceOf: StateLockedError }, 'the live holder is respected');
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
  const store = await StateStore.open(file, 'demo');
  t.pass();
  await store.close();
});

test('takes over a lock whose holder was killed before it recorded itself (no owner record)', async (t) => {
  const file = await tempFile();
  const first = await StateStore.open(file, 'demo');
  // What a run killed between taking the lock and writing its owner record leaves: the lock alone.
  await rm(`${file}.lock-owner.json`);
  const started = Date.now();
  const second = await StateStore.open(file, 'demo');
  t.true(Date.now() - started >= 1_900, 'the record was given its grace period to appear');
  await second.close();
  await first.close().catch(() => undefined);
});

test('a lock whose owner record appears within the grace period is respected', async (t) => {
  const file = await tempFile();
  const first = await StateStore.open(file, 'demo');
  const record = await readFile(`${file}.lock-owner.json`, 'utf8');
  await rm(`${file}.lock-owner.json`);
  setTimeout(() => void writeFile(`${file}.lock-owner.json`, record), 300);
  await t.throwsAsync(StateStore.open(file, 'demo'), { instanceOf: StateLockedError, message: new RegExp(`process ${process.pid}`) });
  await first.close();
});

test('rejects a state file of a newer version, or not JSON', async (t) => {
  t.throws(() => parseState(JSON.stringify({ version: STATE_VERSION + 1 }), 'state.json'), {
    instanceOf: StateFileError,
    message: /version 2, newer than this imageport understands \(1\): upgrade imageport/,
  });
  t.throws(() => parseState('{ nope', 'state.json'), { instanceOf: StateFileError, message: /is not valid JSON/ });
  t.throws(() => parseState('{"version":1,"exports":[]}', 'state.json'), { instanceOf: StateFileError, message: /exports is not an object/ });
  const file = await tempFile();
  await StateStore.open(file, 'demo').then((store) => store.close());
  await writeFile(file, JSON.stringify({ version: 99 }));
  await t.throwsAsync(StateStore.open(file, 'demo'), { instanceOf: StateFileError });
  const again = await StateStore.open(file.replace('state.json', 'other.json'), 'demo');
  await again.close();
});
