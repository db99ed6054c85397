import { type CloudId } from './cloud';
import { type DiskFormat } from './disk-format';

/** Export or import. */
export type TaskKind = 'export' | 'import';

/**
 * A task's state, normalised across clouds.
 *
 * | state | AWS | Alibaba | JD |
 * | --- | --- | --- | --- |
 * | pending | active + pending/validating | Waiting, Paused | pending |
 * | running | active (converting, updating, …) | Processing | running |
 * | succeeded | completed | Finished (+ image Available for imports) | finished |
 * | failed | deleted / deleting without a cancel | Failed, Deleted without a cancel | failed |
 * | cancelled | deleted / deleting after our cancel | Deleted after CancelTask | - |
 *
 * A task that ends `deleted` without having been cancelled counts as **failed**: that is how AWS reports
 * `ClientError: …` failures, and waiters that treat it otherwise hang until their timeout.
 */
export type TaskState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** True for the states a task never leaves. */
export function isTerminalState(state: TaskState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/**
 * Everything needed to find a task again: what a front end stores (CloudFormation physical id, Pulumi state,
 * pipeline state file). Plain JSON, no credentials.
 */
export interface TaskRef {
  /** The cloud. */
  readonly cloud: CloudId;
  /** The region. */
  readonly region: string;
  /** Export or import. */
  readonly kind: TaskKind;
  /** The cloud's task id: `export-ami-…`, `import-ami-…`, `t-…`, JD's task id. */
  readonly taskId: string;
  /** Export: the source image. Import: the new image, when the cloud returns it at start (Alibaba, JD). @default - unknown yet */
  readonly imageId?: string;
  /** Export: destination bucket. @default - not an export */
  readonly bucket?: string;
  /** Export: key prefix. @default - no prefix */
  readonly prefix?: string;
  /** Export: requested format. @default - not an export */
  readonly format?: DiskFormat;
  /** The token the task was started with. @default - none */
  readonly clientToken?: string;
  /** True when starting found an existing task (token replay or adoption) instead of creating one. @default false */
  readonly adopted?: boolean;
  /** True when imageport asked the cloud to cancel the task (so a later `deleted` reads as cancelled). @default false */
  readonly cancelRequested?: boolean;
}

/** One file an export wrote. */
export interface Artifact {
  /** Bucket holding the file. */
  readonly bucket: string;
  /** Object key. */
  readonly key: string;
  /** Format of the file. */
  readonly format: DiskFormat;
  /** Size in bytes, read back from the bucket. @default - not read yet */
  readonly sizeBytes?: number;
  /** Conventional URI: `s3://bucket/key` (AWS), `oss://bucket/key` (Alibaba, JD). */
  readonly uri: string;
  /** Which disk: `system`, or a data disk's name (`data-xvdb`). @default system */
  readonly disk?: string;
}

/** A failure reported by the cloud for a task. */
export interface TaskFailure {
  /** The cloud's code, or a synthetic one (`TaskDeleted`, `ClientError`). */
  readonly code: string;
  /** The cloud's message (StatusMessage, errorInfo, ErrorMsg). */
  readonly message: string;
}

/** One normalised observation of a task. */
export interface TaskSnapshot {
  /** Which task. */
  readonly ref: TaskRef;
  /** Normalised state. */
  readonly state: TaskState;
  /** Progress 0-100 when the cloud reports it. @default - not reported */
  readonly progress?: number;
  /** The cloud's own status value (`active`, `Processing`, `running`). */
  readonly rawStatus: string;
  /** The cloud's status message (`converting`, `ClientError: …`). @default - none */
  readonly message?: string;
  /** Export: files written, once the task succeeded. Read from the task or the bucket, never guessed. */
  readonly artifacts: readonly Artifact[];
  /** Import: the new image, once known. @default - not known yet */
  readonly imageId?: string;
  /** Set when `state` is `failed`. @default - no failure */
  readonly failure?: TaskFailure;
}
