import { type CloudId } from '../../model/cloud';
import { type Artifact, type TaskKind, type TaskState } from '../../model/task';
import { type Plan } from '../plan/plan-types';

/** Entry id in events and results: `exports.golden-aws`, `imports.restore`. */
export type EntryId = string;

/** How one export or import ended in a run. */
export type EntryOutcome =
  /** The task succeeded (this run, or it had before and nothing changed). */
  | 'succeeded'
  /** The task failed, preflight refused it, or the artifact check failed. */
  | 'failed'
  /** The task was cancelled. */
  | 'cancelled'
  /** Not started: something it depends on failed. */
  | 'skipped'
  /** The run was interrupted (Ctrl-C, timeout) while the task runs on: the next apply resumes it. */
  | 'interrupted';

/** One artifact row of the closing table. */
export interface ArtifactRow {
  /** Entry id. */
  readonly entry: EntryId;
  /** The cloud. */
  readonly cloud: CloudId;
  /** Where the file landed (an import's row holds the new image id). */
  readonly uri: string;
  /** Format (`image` for an import's new image). */
  readonly format: string;
  /** Size in bytes. @default - unknown */
  readonly sizeBytes?: number;
}

/** The result of one entry in a run. */
export interface EntryResult {
  /** Entry id. */
  readonly entry: EntryId;
  /** Export or import. */
  readonly kind: TaskKind;
  /** The cloud. */
  readonly cloud: CloudId;
  /** How it ended. */
  readonly outcome: EntryOutcome;
  /** The cloud's task id. @default - no task */
  readonly taskId?: string;
  /** Files written (exports). @default - none */
  readonly artifacts?: readonly Artifact[];
  /** New image (imports). @default - none */
  readonly imageId?: string;
  /** What went wrong. @default - nothing */
  readonly error?: string;
  /** True in `destroy`: the entry was removed (its task cancelled or ended, its objects handled). @default false */
  readonly destroyed?: boolean;
}

/** Everything a run reports, in order. Renderers turn these into bars, lines or JSON. */
export type RunEvent =
  /** The plan the run carries out. */
  | { readonly type: 'plan'; readonly plan: Plan }
  /** A role or bucket was handled. */
  | {
      readonly type: 'resource';
      readonly resource: 'role' | 'bucket';
      readonly key: string;
      readonly cloud: CloudId;
      readonly action: 'created' | 'updated' | 'unchanged' | 'deleted' | 'kept' | 'failed';
      readonly detail?: string;
    }
  /** A task was started, adopted (same token) or resumed (from the state). */
  | {
      readonly type: 'task-start';
      readonly entry: EntryId;
      readonly cloud: CloudId;
      readonly kind: TaskKind;
      readonly taskId: string;
      readonly how: 'started' | 'adopted' | 'resumed';
    }
  /** A snapshot of a running task. */
  | {
      readonly type: 'task-progress';
      readonly entry: EntryId;
      readonly cloud: CloudId;
      readonly state: TaskState;
      readonly progress?: number;
      readonly rawStatus: string;
      readonly message?: string;
    }
  /** A describe call failed and is retried. */
  | { readonly type: 'task-retry'; readonly entry: EntryId; readonly attempt: number; readonly delayMs: number; readonly error: string }
  /** Nothing changed for a long time. */
  | { readonly type: 'task-stalled'; readonly entry: EntryId; readonly stalledForMs: number }
  /** An entry ended. */
  | ({ readonly type: 'task-end' } & EntryResult)
  /** A free-form message. */
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

/** The last line of `--json` output: the whole run's result. */
export interface RunResult {
  /** The command. */
  readonly command: 'apply' | 'destroy';
  /** True when every entry succeeded (or was already up to date) and nothing failed. */
  readonly ok: boolean;
  /** Every export and import. */
  readonly entries: readonly EntryResult[];
  /** Where every artifact landed. */
  readonly artifacts: readonly ArtifactRow[];
  /** Problems outside entries (a role or bucket that could not be ensured or deleted). */
  readonly problems: readonly string[];
}

/** Receives run events. */
export type RunReporter = (event: RunEvent) => void;
