import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { CliError } from '../../../../lib/pipeline/cli/cli-io';
import { initCommand } from '../../../../lib/pipeline/cli/init-command';
import { checkStateOwner } from '../../../../lib/pipeline/cli/load-for-command';
import { validateCommand } from '../../../../lib/pipeline/cli/validate-command';
import { check } from '../pipeline-test-support';

const created: string[] = [];
test.after.always(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'imageport-cli-'));
  created.push(dir);
  return dir;
}

function fakeIo(cwd: string) {
  const out = { text: '', write(chunk: string) { this.text += chunk; return true; } };
  const err = { text: '', write(chunk: string) { this.text += chunk; return true; } };
  return { io: { stdout: out, stderr: err, cwd }, out, err };
}

test('init - prints a skeleton that validates as printed', async (t) => {
  const dir = await tempDir();
  const { io, out } = fakeIo(dir);
  t.is(await initCommand('-', {}, io), 0);
  t.deepEqual(check(out.text, 'skeleton.yaml').issues, []);
  t.regex(out.text, /^# yaml-language-server: \$schema=/);
});

test('validate --json reports the issues as data and exits 1', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'p.yaml'), 'name: BAD NAME\nclouds: { aws: { region: us-east-1 } }\n');
  const { io, out } = fakeIo(dir);
  t.is(await validateCommand(join(dir, 'p.yaml'), { json: true }, io), 1);
  const report = JSON.parse(out.text) as { valid: boolean; issues: { path: string; position: { line: number; column: number } }[] };
  t.false(report.valid);
  t.deepEqual(report.issues.map((issue) => [issue.path, issue.position.line, issue.position.column]), [['name', 1, 7]]);
});

test('validate of a missing file is a plain CLI error', async (t) => {
  const { io } = fakeIo(tmpdir());
  await t.throwsAsync(validateCommand('/nonexistent/p.yaml', {}, io), { instanceOf: CliError, message: 'cannot read /nonexistent/p.yaml: no such file' });
});

test('rejects a state file that belongs to another pipeline', (t) => {
  const pipeline = check('name: mine\nclouds: { aws: { region: us-east-1 } }\n').pipeline!;
  t.notThrows(() => checkStateOwner('', pipeline, 's.json'));
  t.notThrows(() => checkStateOwner('mine', pipeline, 's.json'));
  t.throws(() => checkStateOwner('theirs', pipeline, 's.json'), {
    instanceOf: CliError,
    message: 'state file s.json belongs to pipeline "theirs", not "mine": give this pipeline its own state with --state',
  });
});
