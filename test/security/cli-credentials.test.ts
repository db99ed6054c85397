/**
 * No credential in anything the CLI writes: stdout and stderr of validate, plan, apply, status and destroy in the
 * three output modes (a terminal with progress bars, plain lines, `--json`), on the success path and on the error
 * paths (a task that fails, a call refused to the restricted key, a request signed with a wrong secret); the state
 * file, its lock and every temporary file that exists during a run; and the emulator's state folder.
 *
 * The CLI runs as a child process pointed at an emulator in this process through the clouds' standard variables,
 * with each cloud's session-token variable set to a distinctive fake token (the emulator does not check tokens).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { startEmulator, type Emulator } from '../../emulator';
import { CLI, cliEnv, REPO, TSX_LOADER } from '../e2e/cli-harness';
import { describeLeaks, FAKE_SESSION_TOKENS, plantedSecrets, SecretScanner, type Leak } from './secret-scan';
import { TreeRecorder } from './tree-recorder';

type Mode = 'tty' | 'plain' | 'json';
type Cloud = 'aws' | 'alicloud' | 'jdcloud';

/** A wrong secret is still a secret: the bad-signature runs plant these. */
const WRONG_SECRETS = {
  aws: 'WrongAwsSecretImagePort/0000+1111/2222',
  alicloud: 'WrongAlicloudSecretImagePort0000',
  jdcloud: 'WrongJdcloudSecretImagePort00000000',
} as const;

const FORCE_TTY = join(__dirname, 'force-tty.cjs');
const PIPELINE = 'pipelines/quickstart.yaml';

interface Run {
  readonly title: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one CLI command (bounded) while recording every file of the workspace's `.imageport` folder. */
async function cli(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; mode: Mode; title: string }): Promise<Run> {
  const nodeArgs = ['--import', TSX_LOADER, ...(options.mode === 'tty' ? ['--require', FORCE_TTY] : []), CLI, ...args, ...(options.mode === 'json' ? ['--json'] : [])];
  const child = spawn(process.execPath, nodeArgs, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { title: options.title, code, stdout, stderr };
}

/** What a cloud's key pair is in one run: the full key, the read-only key, or the full key id with a wrong secret. */
type Keys = 'full' | 'restricted' | 'wrong-secret';

/** The environment of a child CLI: the emulator's endpoints, a key pair per cloud, and the fake session tokens. */
function envWith(emulator: Emulator, keys: Readonly<Record<Cloud, Keys>>): NodeJS.ProcessEnv {
  const pair = (cloud: Cloud) => (keys[cloud] === 'restricted' ? emulator.restrictedCredentials : emulator.credentials)[cloud];
  const secret = (cloud: Cloud) => (keys[cloud] === 'wrong-secret' ? WRONG_SECRETS[cloud] : pair(cloud).secretAccessKey);
  return cliEnv({
    ...emulator.env,
    AWS_ACCESS_KEY_ID: pair('aws').accessKeyId,
    AWS_SECRET_ACCESS_KEY: secret('aws'),
    AWS_SESSION_TOKEN: FAKE_SESSION_TOKENS.aws,
    ALIBABA_CLOUD_ACCESS_KEY_ID: pair('alicloud').accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret('alicloud'),
    ALIBABA_CLOUD_SECURITY_TOKEN: FAKE_SESSION_TOKENS.alicloud,
    JDCLOUD_ACCESS_KEY: pair('jdcloud').accessKeyId,
    JDCLOUD_SECRET_KEY: secret('jdcloud'),
    JDCLOUD_SESSION_TOKEN: FAKE_SESSION_TOKENS.jdcloud,
    // imageport's own debugging switch prints stacks: a stack must not carry a credential either.
    IMAGEPORT_DEBUG: '1',
  });
}

const FULL: Readonly<Record<Cloud, Keys>> = { aws: 'full', alicloud: 'full', jdcloud: 'full' };

/**
 * The error path of each mode, one apply with one failure per cloud: a call refused to the restricted key, a request
 * signed with a wrong secret, a task that fails. The clouds rotate through the failures with the mode, so every
 * failure is seen on every cloud, and every mode renders all three.
 */
const ERROR_PATHS: Readonly<Record<Mode, { keys: Readonly<Record<Cloud, Keys>>; failingTask: Cloud }>> = {
  tty: { keys: { aws: 'restricted', alicloud: 'wrong-secret', jdcloud: 'full' }, failingTask: 'jdcloud' },
  plain: { keys: { aws: 'wrong-secret', alicloud: 'full', jdcloud: 'restricted' }, failingTask: 'alicloud' },
  json: { keys: { aws: 'full', alicloud: 'restricted', jdcloud: 'wrong-secret' }, failingTask: 'aws' },
};

function scannerFor(emulator: Emulator): SecretScanner {
  return new SecretScanner(
    plantedSecrets(emulator.credentials, emulator.restrictedCredentials, [
      { label: 'aws wrong secret', value: WRONG_SECRETS.aws },
      { label: 'alicloud wrong secret', value: WRONG_SECRETS.alicloud },
      { label: 'jdcloud wrong secret', value: WRONG_SECRETS.jdcloud },
    ]),
  );
}

/**
 * The emulator's state folder holds the cloud side of things. A real cloud keeps its users' access key ids (IAM
 * lists them, audit logs record them with every call) but never writes a caller's secret, session token or request
 * signature into the customer's data (objects, task records, roles). So there, and only there, the emulator's own
 * access key ids would be acceptable; secrets and session tokens are not. (Today the emulator writes no key id
 * either: its key pairs are constants in its code.)
 */
function emulatorFolderLeaks(leaks: readonly Leak[]): Leak[] {
  return leaks.filter((leak) => !(leak.label.includes('key id') && !leak.label.includes('session')));
}

function expectClean(t: ExecutionContext, leaks: readonly Leak[], what: string): void {
  t.deepEqual(leaks, [], `${what} leaks a credential:\n${describeLeaks(leaks)}`);
}

async function session(t: ExecutionContext, mode: Mode): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `imageport-security-cli-${mode}-`));
  const emulatorState = join(dir, 'emulator-state');
  const emulator = await startEmulator({ speed: 3000, stateDir: emulatorState });
  t.teardown(async () => {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  });
  await cp(join(REPO, 'examples', 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  const scanner = scannerFor(emulator);
  const recorder = new TreeRecorder(join(dir, '.imageport'));
  t.teardown(() => recorder.stop());
  const runs: Run[] = [];
  const run = async (title: string, args: readonly string[], keys: Readonly<Record<Cloud, Keys>> = FULL) => {
    const result = await cli(args, { cwd: dir, env: envWith(emulator, keys), mode, title });
    runs.push(result);
    return result;
  };

  t.is((await run('validate', ['validate', PIPELINE])).code, 0);

  // The error paths, while nothing exists yet.
  const { keys, failingTask } = ERROR_PATHS[mode];
  const checked = await run('plan --check-permissions (refused keys)', ['plan', PIPELINE, '--check-permissions'], keys);
  t.regex(checked.stdout + checked.stderr, /AuthFailure|SignatureDoesNotMatch|sign result is not same|IncompleteSignature/, 'a signature was refused');
  emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: [failingTask], seed: 7 });
  const failed = await run('apply (refused, badly signed, failing)', ['apply', PIPELINE], keys);
  emulator.faults.clear();
  t.is(failed.code, 1);
  const failedText = failed.stdout + failed.stderr;
  t.regex(failedText, /UnauthorizedOperation|AccessDenied|Forbidden\.RAM|HTTP_FORBIDDEN/, 'a call was refused');
  t.regex(failedText, /SignatureDoesNotMatch|sign result is not same/, 'a signature was refused');
  t.regex(failedText, /ExportImageFailed|ClientError/, 'a task failed');

  const apply = await run('apply', ['apply', PIPELINE]);
  t.is(apply.code, 0, apply.stdout + apply.stderr);
  t.is((await run('status', ['status', PIPELINE])).code, 0);
  const destroy = await run('destroy', ['destroy', PIPELINE]);
  t.is(destroy.code, 0, destroy.stdout + destroy.stderr);
  if (mode === 'tty') t.true(apply.stdout.includes('\u001b['), 'the TTY run drew progress bars (escape sequences)');
  if (mode === 'json') t.notThrows(() => apply.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown));

  const files = recorder.stop();
  t.true(recorder.paths().includes('state.json'), 'the state file was read');
  t.true(
    recorder.paths().some((path) => path.startsWith('state.json.lock')),
    `the lock was seen while a run held it (saw: ${recorder.paths().join(', ')})`,
  );

  const leaks = [
    ...runs.flatMap((r) => scanner.scanAll({ [`${mode} ${r.title} stdout`]: r.stdout, [`${mode} ${r.title} stderr`]: r.stderr })),
    ...scanner.scanAll(Object.fromEntries(Object.entries(files).map(([path, content]) => [`.imageport/${path}`, content]))),
    ...emulatorFolderLeaks(scanner.scanTree(emulatorState, 'emulator state folder')),
  ];
  expectClean(t, leaks, `the CLI in ${mode} mode`);
}

for (const mode of ['tty', 'plain', 'json'] as const) {
  test(`no credential in CLI output, state, lock or emulator folder (${mode} mode, success and error paths)`, async (t) => {
    t.timeout(150_000);
    await session(t, mode);
  });
}
