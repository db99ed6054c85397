import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { listFiles } from './secret-scan';

/**
 * Watches a folder while a command runs and keeps every distinct version of every file it saw, so files that exist
 * only during the run (the state lock and its owner record, `write-file-atomic`'s temporary files) are scanned
 * too, not just what is left at the end. Polls every `intervalMs`; call {@link stop} to take a last look.
 */
export class TreeRecorder {
  private readonly seen = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;

  /**
   * @param dir the folder to watch
   * @param skip relative paths not to read (large emulator data that is scanned separately)
   * @param intervalMs polling interval
   */
  constructor(
    private readonly dir: string,
    private readonly skip: (relativePath: string) => boolean = () => false,
    intervalMs = 15,
  ) {
    this.timer = setInterval(() => this.look(), intervalMs);
    this.timer.unref();
    this.look();
  }

  /** Stops watching after one last look; returns every recorded version as `path#n` → content. */
  public stop(): Record<string, string> {
    clearInterval(this.timer);
    this.look();
    const versions: Record<string, string> = {};
    for (const [path, contents] of this.seen) {
      let n = 0;
      for (const content of contents) versions[`${path}#${++n}`] = content;
    }
    return versions;
  }

  /** Paths seen at least once. */
  public paths(): string[] {
    return [...this.seen.keys()].sort();
  }

  private look(): void {
    for (const file of listFiles(this.dir)) {
      const path = relative(this.dir, file).split('\\').join('/');
      if (this.skip(path)) continue;
      let content: string;
      try {
        content = readFileSync(file).toString('latin1');
      } catch {
        continue; // gone between listing and reading
      }
      let versions = this.seen.get(path);
      if (!versions) this.seen.set(path, (versions = new Set()));
      versions.add(content);
    }
  }
}
