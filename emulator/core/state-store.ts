import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Version of the state file layout. */
export const STATE_FILE_VERSION = 1;

/** The state file: one JSON document, one section per cloud or framework part. */
interface StateFile {
  readonly version: number;
  /** Emulated time when the file was written. */
  readonly emulatedNow: number;
  readonly sections: Record<string, unknown>;
}

/**
 * The emulator's persisted state: plain JSON sections that modules mutate in place, then {@link markDirty}.
 * Writes are atomic (temp file + rename) and debounced; {@link flush} writes now. Without a folder it keeps
 * state in memory only.
 */
export class StateStore {
  /** Emulated time saved by the previous run, if any (the clock resumes from it). */
  public readonly resumedEmulatedNow: number | undefined;
  private readonly file: string | undefined;
  private readonly sections: Record<string, unknown>;
  private timer: NodeJS.Timeout | undefined;
  private emulatedNow: () => number = () => Date.now();

  /** Opens (or starts) the state kept in `dir`/state.json; no folder means memory only. */
  public constructor(dir: string | undefined) {
    this.file = dir === undefined ? undefined : join(dir, 'state.json');
    const loaded = this.file && existsSync(this.file) ? readStateFile(this.file) : undefined;
    this.sections = loaded ? { ...loaded.sections } : {};
    this.resumedEmulatedNow = loaded?.emulatedNow;
  }

  /** Installs the clock whose time is saved with the state. */
  public useClock(now: () => number): void {
    this.emulatedNow = now;
  }

  /** The section `name`, created with `init()` when the state has none. Mutate it in place, then call markDirty(). */
  public section<T extends object>(name: string, init: () => T): T {
    if (!(name in this.sections)) this.sections[name] = init();
    return this.sections[name] as T;
  }

  /** Schedules a save (debounced a few ms, so a burst of changes is one write). */
  public markDirty(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 20);
    this.timer.unref();
  }

  /** Writes the state now (no-op in memory-only mode). */
  public flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.file) return;
    const document: StateFile = { version: STATE_FILE_VERSION, emulatedNow: this.emulatedNow(), sections: this.sections };
    writeFileAtomic.sync(this.file, `${JSON.stringify(document, null, 2)}\n`);
  }
}

function readStateFile(file: string): StateFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`emulator state file ${file} is not valid JSON (${(error as Error).message}); move it away to start fresh`);
  }
  const document = parsed as Partial<StateFile>;
  if (document.version !== STATE_FILE_VERSION || typeof document.sections !== 'object' || document.sections === null) {
    throw new Error(
      `emulator state file ${file} has version ${JSON.stringify(document.version)}, expected ${STATE_FILE_VERSION}; move it away to start fresh`,
    );
  }
  return {
    version: document.version,
    emulatedNow: typeof document.emulatedNow === 'number' ? document.emulatedNow : Date.now(),
    sections: document.sections,
  };
}
