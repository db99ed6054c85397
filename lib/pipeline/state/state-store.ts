import { mkdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { emptyState, parseState, STATE_VERSION, type PipelineState } from './pipeline-state';

/** Default location of the state file, relative to the working directory. */
export const DEFAULT_STATE_FILE = '.imageport/state.json';

/** Another run holds the state lock. */
export class StateLockedError extends Error {
  /** @param lockPath the lock @param owner who holds it, when known */
  constructor(
    public readonly lockPath: string,
    owner: string | undefined,
  ) {
    super(
      `another imageport run holds the state lock ${lockPath}${owner ? ` (${owner})` : ''}: wait for it to finish, ` +
        `or, if no other run is active, remove ${lockPath}`,
    );
    this.name = 'StateLockedError';
  }
}

/** Who holds a lock: written next to the lock so a later run can tell a live holder from a killed one. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/**
 * The state file of one pipeline, opened for one run: locked against concurrent runs (`proper-lockfile`; a second
 * run fails at once, naming the lock), read once, and written atomically (`write-file-atomic`: temp file, fsync,
 * rename) after every change so a run killed at any point leaves a complete file.
 *
 * A lock left by a run that was killed (SIGKILL leaves no chance to clean up) is taken over when its recorded owner
 * process is gone from this host, or when it has no owner record {@link OWNER_GRACE_MS} after it was found (the run
 * was killed between taking the lock and recording itself); a lock whose owner is alive, or on another host, is
 * respected.
 */
export class StateStore {
  private current: PipelineState;
  private writeChain: Promise<void> = Promise.resolve();
  private compromised: Error | undefined;

  private constructor(
    /** The state file. */
    public readonly file: string,
    private readonly release: (() => Promise<void>) | undefined,
    state: PipelineState,
  ) {
    this.current = state;
  }

  /**
   * Opens a state file for a run. With `lock` (the default), takes the lock or throws {@link StateLockedError}.
   * A missing file gives an empty state for `pipeline`.
   */
  public static async open(file: string, pipeline: string, options: { lock?: boolean } = {}): Promise<StateStore> {
    await mkdir(dirname(file), { recursive: true });
    let release: (() => Promise<void>) | undefined;
    let store: StateStore | undefined;
    if (options.lock ?? true) {
      release = await acquire(file, (error) => {
        if (store) store.compromised = error;
      });
    }
    try {
      const state = await readState(file, pipeline);
      store = new StateStore(file, release, state);
      return store;
    } catch (error) {
      await release?.();
      throw error;
    }
  }

  /** Reads a state file without locking (for `status` and `plan`, which write nothing). */
  public static async read(file: string, pipeline: string): Promise<PipelineState> {
    return readState(file, pipeline);
  }

  /** The state as last written (or read). */
  public get state(): PipelineState {
    return this.current;
  }

  /**
   * Applies a change and writes the file atomically. Writes are serialised, so concurrent tasks can record
   * themselves without losing each other's changes.
   */
  public update(change: (state: PipelineState) => PipelineState): Promise<void> {
    const next = this.writeChain.then(async () => {
      if (this.compromised) throw new Error(`state lock ${this.file}.lock was lost: ${this.compromised.message}`);
      const changed = change(this.current);
      const state: PipelineState = { ...changed, version: STATE_VERSION, serial: this.current.serial + 1 };
      await writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
      this.current = state;
    });
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  /** Waits for pending writes, then releases the lock. */
  public async close(): Promise<void> {
    await this.writeChain;
    await this.release?.();
  }
}

async function readState(file: string, pipeline: string): Promise<PipelineState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(pipeline);
    throw error;
  }
  const state = parseState(text, file);
  return state.pipeline === '' ? { ...state, pipeline } : state;
}

/**
 * How long a lock may stand without its owner record before it counts as abandoned: a live run writes the record
 * right after taking the lock, so only a run killed in between leaves a lock without one.
 */
const OWNER_GRACE_MS = 2_000;

async function acquire(file: string, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  const lockPath = `${file}.lock`;
  const ownerPath = `${file}.lock-owner.json`;
  const options = { realpath: false, stale: 10_000, retries: 0, onCompromised };
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(file, options);
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      await writeFileAtomic(ownerPath, JSON.stringify(owner));
      return async () => {
        await rm(ownerPath, { force: true });
        await release().catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const owner = await awaitOwner(ownerPath);
      const abandoned = owner === undefined || (owner.host === hostname() && !isAlive(owner.pid));
      if (attempt === 0 && abandoned) {
        // The holder was killed (SIGKILL leaves the lock behind), perhaps before it could record itself: take over.
        await rm(lockPath, { recursive: true, force: true });
        await rm(ownerPath, { force: true });
        continue;
      }
      throw new StateLockedError(lockPath, owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : undefined);
    }
  }
}

/** The lock's owner record, waiting up to {@link OWNER_GRACE_MS} for a run that has just taken the lock to write it. */
async function awaitOwner(ownerPath: string): Promise<LockOwner | undefined> {
  const deadline = Date.now() + OWNER_GRACE_MS;
  for (;;) {
    const owner = await readOwner(ownerPath);
    if (owner || Date.now() >= deadline) return owner;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readOwner(ownerPath: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(ownerPath, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
