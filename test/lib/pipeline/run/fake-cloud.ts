import { type CancelOutcome, type CloudDriver } from '../../../../lib/clouds/cloud-driver';
import { rulesFor } from '../../../../lib/clouds/rules';
import { type CloudId } from '../../../../lib/model/cloud';
import { type ExportSpec } from '../../../../lib/model/export-spec';
import { type ImportSpec } from '../../../../lib/model/import-spec';
import { type PreflightProblem } from '../../../../lib/model/preflight';
import { type TaskRef, type TaskSnapshot } from '../../../../lib/model/task';
import { type ObjectInfo, type ObjectStorage } from '../../../../lib/storage/object-storage';

/** A task of the fake cloud: it succeeds (or fails) after a number of describes. */
interface FakeTask {
  readonly ref: TaskRef;
  readonly kind: 'export' | 'import';
  describes: number;
  cancelled: boolean;
  final?: TaskSnapshot;
  readonly spec: ExportSpec | ImportSpec;
}

/** Knobs of a fake cloud. */
export interface FakeCloudOptions {
  /** Describes before a task ends. @default 3 */
  readonly describesToFinish?: number;
  /** Image ids whose export fails. @default none */
  readonly failingImages?: readonly string[];
  /** Image ids preflight refuses. @default none */
  readonly refusedImages?: readonly string[];
  /** Whether cancel works. @default true */
  readonly cancellable?: boolean;
}

/**
 * A small in-memory cloud behind the real `CloudDriver` interface, for runner tests: tasks keyed by token (a replay
 * returns the same task), objects in buckets, roles, and counters of every call.
 */
export class FakeCloud {
  public readonly tasks = new Map<string, FakeTask>();
  public readonly objects = new Map<string, Map<string, number>>();
  public readonly roles = new Set<string>();
  public readonly images = new Set<string>();
  public readonly calls: string[] = [];
  public running = 0;
  public maxRunning = 0;
  private sequence = 0;

  constructor(private readonly options: FakeCloudOptions = {}) {}

  /** A driver of this cloud for one cloud id and region. */
  public driver(cloud: CloudId, region: string): CloudDriver {
    const storage: ObjectStorage = {
      head: async (bucket, key): Promise<ObjectInfo | undefined> => {
        const size = this.objects.get(bucket)?.get(key);
        return size === undefined ? undefined : { key, sizeBytes: size };
      },
      readRange: async () => Buffer.alloc(0),
      list: async (bucket) => [...(this.objects.get(bucket) ?? new Map<string, number>())].map(([key, sizeBytes]) => ({ key, sizeBytes })),
      put: async (bucket, key, body) => void this.bucket(bucket).set(key, Buffer.byteLength(body)),
      delete: async (bucket, key) => void this.objects.get(bucket)?.delete(key),
      bucketExists: async (bucket) => this.objects.has(bucket),
      bucketRegion: async () => region,
      createBucket: async (bucket) => void this.bucket(bucket),
      deleteBucket: async (bucket) => void this.objects.delete(bucket),
    };
    const start = async (kind: 'export' | 'import', spec: ExportSpec | ImportSpec, token: string): Promise<TaskRef> => {
      this.calls.push(`start ${kind} ${token}`);
      const existing = this.tasks.get(token);
      if (existing) return { ...existing.ref, adopted: true };
      const ref: TaskRef = {
        cloud,
        region,
        kind,
        taskId: `task-${++this.sequence}`,
        clientToken: token,
        ...(kind === 'export' ? { imageId: (spec as ExportSpec).imageId, bucket: (spec as ExportSpec).bucket } : {}),
      };
      this.tasks.set(token, { ref, kind, describes: 0, cancelled: false, spec });
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      return ref;
    };
    const preflight = async (spec: ExportSpec | ImportSpec) => {
      const imageId = (spec as ExportSpec).imageId;
      const problems: PreflightProblem[] = (this.options.refusedImages ?? []).includes(imageId)
        ? [{ subject: 'image', code: 'image.encrypted', message: `image ${imageId} has encrypted snapshots`, fix: 'export an unencrypted copy' }]
        : [];
      return { problems };
    };
    return {
      cloud,
      region,
      rules: rulesFor(cloud),
      validateExport: (spec) => rulesFor(cloud).validateExport(spec),
      validateImport: (spec) => rulesFor(cloud).validateImport(spec),
      preflightExport: preflight,
      preflightImport: preflight,
      checkExportPermissions: async () => ({ allowed: true, method: 'fake', detail: 'ok' }),
      checkImportPermissions: async () => ({ allowed: true, method: 'fake', detail: 'ok' }),
      startExport: (spec, token) => start('export', spec, token),
      startImport: (spec, token) => start('import', spec, token),
      describe: async (ref) => this.describe(ref),
      cancel: async (ref): Promise<CancelOutcome> => {
        this.calls.push(`cancel ${ref.taskId}`);
        const task = [...this.tasks.values()].find((t) => t.ref.taskId === ref.taskId);
        if (!task || task.final) return 'already-ended';
        if (this.options.cancellable === false) return 'not-cancellable';
        task.cancelled = true;
        return 'cancelled';
      },
      deleteImage: async (imageId) => {
        this.calls.push(`deleteImage ${imageId}`);
        const existed = this.images.delete(imageId);
        return existed ? 'deleted' : 'not-found';
      },
      updateTags: async (ref, tags) => {
        this.calls.push(`updateTags ${ref.taskId} ${JSON.stringify(tags)}`);
        return 'updated';
      },
      roleDocuments: (spec) => ({ roleName: spec.roleName ?? 'r', trustPolicy: {}, policies: [] }),
      ensureRole: async (spec) => {
        this.calls.push(`ensureRole ${spec.roleName}`);
        const created = !this.roles.has(spec.roleName ?? '');
        this.roles.add(spec.roleName ?? '');
        return { roleName: spec.roleName ?? '', created, updated: !created };
      },
      deleteRole: async (spec) => {
        this.calls.push(`deleteRole ${spec.roleName}`);
        this.roles.delete(spec.roleName ?? '');
      },
      ensureBucket: async (spec) => {
        this.calls.push(`ensureBucket ${spec.name}`);
        const created = !this.objects.has(spec.name);
        this.bucket(spec.name);
        return { name: spec.name, created };
      },
      deleteBucket: async (spec) => {
        this.calls.push(`deleteBucket ${spec.name}`);
        this.objects.delete(spec.name);
      },
      storage: () => storage,
    };
  }

  private bucket(name: string): Map<string, number> {
    let bucket = this.objects.get(name);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(name, bucket);
    }
    return bucket;
  }

  private describe(ref: TaskRef): TaskSnapshot {
    const task = [...this.tasks.values()].find((t) => t.ref.taskId === ref.taskId);
    if (!task) throw new Error(`no task ${ref.taskId}`);
    if (task.final) return task.final;
    const finishAt = this.options.describesToFinish ?? 3;
    task.describes++;
    if (!task.cancelled && task.describes < finishAt) {
      return { ref, state: 'running', rawStatus: 'active', progress: Math.round((100 * task.describes) / finishAt), artifacts: [] };
    }
    this.running--;
    task.final = this.ending(task, ref);
    return task.final;
  }

  private ending(task: FakeTask, ref: TaskRef): TaskSnapshot {
    if (task.cancelled) return { ref, state: 'cancelled', rawStatus: 'deleted', artifacts: [] };
    if (task.kind === 'export') {
      const spec = task.spec as ExportSpec;
      if ((this.options.failingImages ?? []).includes(spec.imageId)) {
        return { ref, state: 'failed', rawStatus: 'deleted', artifacts: [], failure: { code: 'ClientError', message: 'Disk validation failed' } };
      }
      const key = `${spec.prefix ?? ''}${ref.taskId}.${String(spec.format)}`;
      this.bucket(spec.bucket).set(key, 1024);
      return { ref, state: 'succeeded', rawStatus: 'completed', artifacts: [{ bucket: spec.bucket, key, format: 'vmdk', uri: `s3://${spec.bucket}/${key}`, sizeBytes: 1024 }] };
    }
    const imageId = `ami-0000000000000000${ref.taskId.slice(-1)}`;
    this.images.add(imageId);
    return { ref, state: 'succeeded', rawStatus: 'completed', artifacts: [], imageId };
  }
}
