import { createHash } from 'node:crypto';
import { type CloudId } from '../../model/cloud';
import { type ExportSpec } from '../../model/export-spec';
import { type ImportSpec } from '../../model/import-spec';
import { type BucketSpec, type ServiceRoleSpec } from '../../model/role-spec';
import { type Artifact, type TaskFailure, type TaskRef } from '../../model/task';
import { type RemovalPolicy } from '../pipeline-document';

/** The state file format version this code writes and reads. */
export const STATE_VERSION = 1;

/** A role the pipeline ensured. */
export interface RoleRecord {
  /** The role spec last ensured. */
  readonly spec: ServiceRoleSpec & { readonly roleName: string };
  /** Region of the pipeline's cloud when it was ensured (roles are global; the driver is regional). */
  readonly region: string;
  /** True when the pipeline created the role (so destroy deletes it); false when it already existed. */
  readonly createdByPipeline: boolean;
  /** Role ARN / JRN. @default - unknown */
  readonly arn?: string;
}

/** A bucket the pipeline ensured. */
export interface BucketRecord {
  /** The bucket spec last ensured. */
  readonly spec: BucketSpec;
  /** True when the pipeline created the bucket (so destroy deletes it when it is empty). */
  readonly createdByPipeline: boolean;
}

/** Where a recorded task stands. `starting` = recorded before the start call answered (a resume replays the token). */
export type TaskRecordStatus = 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Fields of every recorded task (export or import). */
interface TaskRecordBase {
  /** The cloud. */
  readonly cloud: CloudId;
  /** The idempotency token the task was (or is being) started with. */
  readonly token: string;
  /** sha256 of the spec (canonical JSON), to tell changes apart cheaply. */
  readonly digest: string;
  /** How many times this entry was (re)created; part of the token from the second time on, so a retry is a new task. */
  readonly generation: number;
  /** What destroy does with the entry's objects. */
  readonly removal: RemovalPolicy;
  /** Where the task stands. */
  readonly status: TaskRecordStatus;
  /** The cloud's task, once the start call answered. @default - not started yet (`starting`) */
  readonly task?: TaskRef;
  /** The failure, when `status` is `failed`. @default - none */
  readonly failure?: TaskFailure;
  /** When the start was recorded, ISO-8601. */
  readonly startedAt: string;
  /** When the task ended, ISO-8601. @default - not ended */
  readonly finishedAt?: string;
}

/** A recorded export. */
export interface ExportRecord extends TaskRecordBase {
  /** Export. */
  readonly kind: 'export';
  /** The spec the task was started with (image id resolved). */
  readonly spec: ExportSpec;
  /** The files written, verified, once succeeded. @default - none yet */
  readonly artifacts?: readonly Artifact[];
}

/** A recorded import. */
export interface ImportRecord extends TaskRecordBase {
  /** Import. */
  readonly kind: 'import';
  /** The spec the task was started with (disk keys resolved). */
  readonly spec: ImportSpec;
  /** The new image, once known. @default - not known yet */
  readonly imageId?: string;
}

/** A recorded export or import. */
export type TaskRecord = ExportRecord | ImportRecord;

/**
 * The pipeline state file: what `apply` created and started, so `plan` can diff, `apply` can resume a killed run
 * (every task is recorded **before** it is waited on), and `destroy` knows what to remove. Plain JSON, versioned,
 * written atomically; never holds a credential (specs, task references and artifact locations only).
 */
export interface PipelineState {
  /** Format version, {@link STATE_VERSION}. */
  readonly version: number;
  /** The pipeline's name. */
  readonly pipeline: string;
  /** Incremented on every write. */
  readonly serial: number;
  /** Roles by key. */
  readonly roles: Readonly<Record<string, RoleRecord>>;
  /** Buckets by key. */
  readonly buckets: Readonly<Record<string, BucketRecord>>;
  /** Exports by key. */
  readonly exports: Readonly<Record<string, ExportRecord>>;
  /** Imports by key. */
  readonly imports: Readonly<Record<string, ImportRecord>>;
}

/** An empty state for a pipeline. */
export function emptyState(pipeline: string): PipelineState {
  return { version: STATE_VERSION, pipeline, serial: 0, roles: {}, buckets: {}, exports: {}, imports: {} };
}

/** A state file that cannot be used: unreadable JSON, a newer version, another pipeline's state. */
export class StateFileError extends Error {
  /** @param file the state file @param reason what is wrong and what to do */
  constructor(
    public readonly file: string,
    reason: string,
  ) {
    super(`state file ${file}: ${reason}`);
    this.name = 'StateFileError';
  }
}

/** Parses and checks a state file's text. */
export function parseState(text: string, file: string): PipelineState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, `is not valid JSON (${(error as Error).message}); restore it from a backup or move it away`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new StateFileError(file, 'is not a JSON object');
  const record = data as Record<string, unknown>;
  if (typeof record.version !== 'number') throw new StateFileError(file, 'has no version field');
  if (record.version > STATE_VERSION) {
    throw new StateFileError(file, `has version ${record.version}, newer than this imageport understands (${STATE_VERSION}): upgrade imageport`);
  }
  if (record.version < 1 || !Number.isInteger(record.version)) throw new StateFileError(file, `has an unknown version ${String(record.version)}`);
  for (const field of ['roles', 'buckets', 'exports', 'imports'] as const) {
    const value = record[field];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new StateFileError(file, `field ${field} is not an object`);
    }
  }
  return {
    version: STATE_VERSION,
    pipeline: typeof record.pipeline === 'string' ? record.pipeline : '',
    serial: typeof record.serial === 'number' ? record.serial : 0,
    roles: (record.roles ?? {}) as Record<string, RoleRecord>,
    buckets: (record.buckets ?? {}) as Record<string, BucketRecord>,
    exports: (record.exports ?? {}) as Record<string, ExportRecord>,
    imports: (record.imports ?? {}) as Record<string, ImportRecord>,
  };
}

/** JSON with object keys sorted, so equal values give equal text (for digests). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.keys(inner).sort().map((k) => [k, (inner as Record<string, unknown>)[k]]));
  });
}

/** sha256 of a spec's canonical JSON: `sha256:<hex>`. */
export function specDigest(spec: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(spec)).digest('hex')}`;
}
