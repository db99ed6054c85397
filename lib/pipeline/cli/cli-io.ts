import { type OutputStream } from '../render/output-stream';

/** The streams and environment a command runs with (the real process, or fakes in tests). */
export interface CliIo {
  /** Standard output. */
  readonly stdout: OutputStream;
  /** Standard error. */
  readonly stderr: OutputStream;
  /** Working directory. @default - `process.cwd()` */
  readonly cwd?: string;
}

/** The real process streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/** A problem the user can fix: printed as one line (`imageport: …`), exit code 1, never a stack trace. */
export class CliError extends Error {
  /** @param message what is wrong and what to do */
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
