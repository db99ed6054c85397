import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { CLI, REPO, TSX_LOADER, hasStackTrace, runCli } from '../e2e/cli-harness';

test('--help lists every command', async (t) => {
  const run = await runCli(['--help'], { cwd: REPO });
  t.is(run.code, 0);
  for (const command of ['validate', 'plan', 'apply', 'status', 'destroy', 'init', 'schema', 'emulator']) {
    t.regex(run.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), command);
  }
});

test('rejects an unknown command or option with a plain message and exit code 1', async (t) => {
  const unknown = await runCli(['exportt'], { cwd: REPO });
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /unknown command 'exportt'/);
  const badSpeed = await runCli(['apply', 'x.yaml', '--local', '--speed', 'fast'], { cwd: REPO });
  t.is(badSpeed.code, 1);
  t.regex(badSpeed.stderr, /--speed must be a positive number, not "fast"/);
  t.false(hasStackTrace(unknown.stderr + badSpeed.stderr));
});

test('apply on an invalid file prints every problem and does nothing', async (t) => {
  const run = await runCli(['apply', join('test', 'bin', 'fixtures', 'invalid.yaml'), '--state', join('tmp', 'never-written.json')], { cwd: REPO });
  t.is(run.code, 1);
  t.regex(run.stderr, /invalid\.yaml:4:28: exports\.e\.format: "qcow9" is not an export format of AWS/);
  t.regex(run.stderr, /invalid\.yaml:4:75: exports\.e\.bucket: "nowhere" is not a bucket of this file/);
  t.regex(run.stderr, /imageport: .*invalid\.yaml: 2 problems; nothing was done/);
  t.false(hasStackTrace(run.stderr));
});

test('validate and --help load no cloud SDK', (t) => {
  const script = `
    const before = new Set(Object.keys(require.cache));
    require(${JSON.stringify(join(REPO, 'lib', 'pipeline', 'cli', 'validate-command'))});
    require(${JSON.stringify(join(REPO, 'lib', 'pipeline', 'load-pipeline'))});
    const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
    const sdk = loaded.filter((k) => /node_modules[\\\\/](@aws-sdk|@smithy|@alicloud|jdcloud-sdk-js|ajv[\\\\/]dist[\\\\/]compile)/.test(k));
    process.stdout.write(JSON.stringify({ count: loaded.length, sdk }));
  `;
  const result = spawnSync(process.execPath, ['--import', TSX_LOADER, '-e', script], { cwd: REPO, encoding: 'utf8' });
  t.is(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { count: number; sdk: string[] };
  t.deepEqual(report.sdk, [], 'no SDK module and no ajv compiler is loaded to validate');
  t.true(report.count > 0);
  t.true(CLI.endsWith('imageport.ts'));
});
