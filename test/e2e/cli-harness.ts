import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator, type Emulator } from '../../emulator';
import { type PipelineState } from '../../lib/pipeline/state/pipeline-state';

/** The repository root. */
export const REPO = resolve(__dirname, '..', '..');
/** The CLI entry, run through tsx so a test never runs a stale build. */
export const CLI = join(REPO, 'bin', 'imageport.ts');
/** tsx's loader, by absolute URL (the child's working directory is a temporary folder without node_modules). */
export const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** What a CLI run printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for a child CLI: the test's, without anything that would point it at a real cloud. */
export function cliEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|ALIBABA_CLOUD_|ALICLOUD_|JDCLOUD_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

/** Starts the CLI as a process. */
export function startCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], { cwd: options.cwd, env: options.env ?? cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the CLI as a process to its end (bounded: killed after `timeoutMs`). */
export async function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliRun> {
  const child = startCli(args, options);
  return collect(child, options.timeoutMs ?? 90_000);
}

/** Collects a child's output until it exits. */
export function collect(child: ChildProcess, timeoutMs: number): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** A fresh folder with the examples copied in, removed when the test ends. */
export async function workspace(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'imageport-e2e-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cp(join(REPO, 'examples', 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  return dir;
}

/** Writes a pipeline file into a workspace. */
export async function writePipeline(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

/** Reads the state file of a workspace (or `undefined` when there is none yet). */
export async function readState(dir: string): Promise<PipelineState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, '.imageport', 'state.json'), 'utf8')) as PipelineState;
  } catch {
    return undefined;
  }
}

/** An emulator in the test process, and the environment that points a child CLI at it. */
export async function emulatorFor(speed: number): Promise<{ emulator: Emulator; env: NodeJS.ProcessEnv }> {
  const emulator = await startEmulator({ speed });
  return { emulator, env: cliEnv(emulator.env) };
}

/** Polls `check` every 10 ms until it returns true (bounded). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** True when text looks like a Node.js stack trace. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /^\s+at .+:\d+:\d+$/m.test(text);
}

/** The quickstart pipeline's text. */
export async function quickstartText(): Promise<string> {
  return readFile(join(REPO, 'examples', 'pipelines', 'quickstart.yaml'), 'utf8');
}
