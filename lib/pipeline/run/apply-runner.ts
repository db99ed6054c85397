import { type CloudDriver } from '../../clouds/cloud-driver';
import { isRetryableError } from '../../model/cloud-error';
import { type CloudId } from '../../model/cloud';
import { type ExportSpec } from '../../model/export-spec';
import { type DiskSource, type ImportSpec } from '../../model/import-spec';
import { type Artifact, type TaskRef, type TaskSnapshot } from '../../model/task';
import { TaskCancelledError, TaskFailedError } from '../../wait/errors';
import { waitForTask } from '../../wait/waiter';
import { type Plan, type PlanAction } from '../plan/plan-types';
import { planPipeline } from '../plan/planner';
import { exportToken, importToken } from '../plan/spec-changes';
import { type ResolvedEntry, type ResolvedExport, type ResolvedPipeline } from '../resolved-pipeline';
import { specDigest, type ExportRecord, type ImportRecord, type PipelineState, type TaskRecord } from '../state/pipeline-state';
import { type StateStore } from '../state/state-store';
import { type ArtifactCheck } from './artifact-check';
import { type CloudAccess } from './cloud-access';
import { CloudLimiter } from './cloud-limiter';
import { observeLive } from './observe-live';
import { removeTask } from './remove-task';
import { retryCall } from './retry-call';
import { type ArtifactRow, type EntryResult, type RunReporter, type RunResult } from './run-events';
import { type WaitSettings } from './wait-settings';

/** Everything `apply` needs. */
export interface ApplyOptions {
  /** The pipeline, validated and resolved. */
  readonly pipeline: ResolvedPipeline;
  /** The state, opened and locked. */
  readonly store: StateStore;
  /** Drivers per cloud. */
  readonly clouds: CloudAccess;
  /** Checks an exported file (format magic, virtual size) with a ranged read. */
  readonly checkArtifact: ArtifactCheck;
  /** Receives progress. */
  readonly report: RunReporter;
  /** How to poll. @default - the waiter's defaults */
  readonly wait?: WaitSettings;
  /** Stops waiting (tasks keep running in the clouds and are resumed next time). @default - not abortable */
  readonly signal?: AbortSignal;
  /** Current time, for the state's timestamps. @default - `new Date()` */
  readonly now?: () => Date;
}

type Done = { readonly ok: true; readonly artifacts?: readonly Artifact[]; readonly imageId?: string } | { readonly ok: false };

/**
 * Carries out a pipeline, Terraform-style: observes the recorded tasks, plans, removes what left the file, ensures
 * roles and buckets (idempotent, only those that change), then runs the exports and imports in parallel within each
 * cloud's concurrency quota: preflight, a start with a deterministic token (recorded in the state **before** the
 * call and again, with the task, before waiting), the shared waiter, and a check of every artifact. A failed entry
 * does not stop the others (only what depends on it). Returns the run's result; never throws for a cloud failure.
 */
export async function applyPipeline(options: ApplyOptions): Promise<RunResult> {
  return new ApplyRun(options).run();
}

class ApplyRun {
  private readonly problems: string[] = [];
  private readonly results = new Map<string, EntryResult>();
  private readonly done = new Map<string, Promise<Done>>();
  private readonly limiter: CloudLimiter;
  private readonly failedResources = new Set<string>();
  private plan!: Plan;

  constructor(private readonly options: ApplyOptions) {
    this.limiter = new CloudLimiter((cloud) => options.pipeline.clouds.get(cloud as CloudId)?.concurrency ?? 5);
  }

  private get store(): StateStore {
    return this.options.store;
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  public async run(): Promise<RunResult> {
    const { pipeline, clouds, report } = this.options;
    const live = await observeLive(this.store.state, clouds);
    this.plan = planPipeline(pipeline, this.store.state, live);
    report({ type: 'plan', plan: this.plan });

    await this.removeDeletedEntries();
    await this.applyBuckets();
    await this.applyRoles();
    const entries: ResolvedEntry[] = [...pipeline.exports, ...pipeline.imports];
    for (const entry of entries) this.schedule(entry);
    await Promise.all(this.done.values());
    await this.removeDeletedRolesAndBuckets();

    const ordered = entries.map((entry) => this.results.get(entryId(entry))).filter((r): r is EntryResult => r !== undefined);
    const artifacts: ArtifactRow[] = ordered.flatMap((result) => [
      ...(result.artifacts ?? []).map((artifact) => ({
        entry: result.entry,
        cloud: result.cloud,
        uri: artifact.uri,
        format: artifact.format,
        ...(artifact.sizeBytes !== undefined ? { sizeBytes: artifact.sizeBytes } : {}),
      })),
      ...(result.imageId ? [{ entry: result.entry, cloud: result.cloud, uri: result.imageId, format: 'image' }] : []),
    ]);
    return {
      command: 'apply',
      ok: this.problems.length === 0 && ordered.every((result) => result.outcome === 'succeeded'),
      entries: ordered,
      artifacts,
      problems: this.problems,
    };
  }

  private action(resource: PlanAction['resource'], key: string): PlanAction | undefined {
    return this.plan.actions.find((action) => action.resource === resource && action.key === key && action.kind !== 'delete');
  }

  // ---- roles and buckets

  private async applyBuckets(): Promise<void> {
    for (const bucket of this.options.pipeline.buckets) {
      const action = this.action('bucket', bucket.key);
      if (!action || action.kind === 'none') continue;
      try {
        const driver = await this.options.clouds.driver(bucket.spec.cloud, bucket.spec.region);
        const outcome = await this.retry(() => driver.ensureBucket(bucket.spec));
        const previous = this.store.state.buckets[bucket.key];
        await this.store.update((state) => ({
          ...state,
          buckets: { ...state.buckets, [bucket.key]: { spec: bucket.spec, createdByPipeline: outcome.created || (previous?.createdByPipeline === true && previous.spec.name === bucket.spec.name) } },
        }));
        this.options.report({ type: 'resource', resource: 'bucket', key: bucket.key, cloud: bucket.spec.cloud, action: outcome.created ? 'created' : 'updated', detail: bucket.spec.name });
        if (action.kind === 'replace' && previous && previous.spec.name !== bucket.spec.name && previous.createdByPipeline) {
          await this.deleteBucketIfEmpty(bucket.key, previous.spec);
        }
      } catch (error) {
        this.failResource('bucket', bucket.key, bucket.spec.cloud, error);
      }
    }
  }

  private async applyRoles(): Promise<void> {
    for (const role of this.options.pipeline.roles) {
      const action = this.action('role', role.key);
      if (!action || action.kind === 'none') continue;
      const region = this.options.pipeline.clouds.get(role.spec.cloud)?.region ?? '';
      try {
        const driver = await this.options.clouds.driver(role.spec.cloud, region);
        const previous = this.store.state.roles[role.key];
        if (action.kind === 'replace' && previous?.createdByPipeline && previous.spec.roleName !== role.spec.roleName) {
          await this.retry(() => driver.deleteRole(previous.spec));
        }
        const outcome = await this.retry(() => driver.ensureRole(role.spec));
        await this.store.update((state) => ({
          ...state,
          roles: {
            ...state.roles,
            [role.key]: {
              spec: role.spec,
              region,
              createdByPipeline: outcome.created || (previous?.createdByPipeline === true && previous.spec.roleName === role.spec.roleName),
              ...(outcome.arn ? { arn: outcome.arn } : {}),
            },
          },
        }));
        const what = outcome.created ? 'created' : outcome.updated ? 'updated' : 'unchanged';
        this.options.report({ type: 'resource', resource: 'role', key: role.key, cloud: role.spec.cloud, action: what, detail: role.spec.roleName });
      } catch (error) {
        this.failResource('role', role.key, role.spec.cloud, error);
      }
    }
  }

  private retry<T>(call: () => Promise<T>): Promise<T> {
    return retryCall(call, this.options.wait, this.options.signal);
  }

  private failResource(resource: 'role' | 'bucket', key: string, cloud: CloudId, error: unknown): void {
    const message = `${resource} ${key}: ${errorMessage(error)}`;
    this.failedResources.add(`${resource}s/${key}`);
    this.problems.push(message);
    this.options.report({ type: 'resource', resource, key, cloud, action: 'failed', detail: errorMessage(error) });
  }

  private async removeDeletedRolesAndBuckets(): Promise<void> {
    for (const action of this.plan.actions) {
      if (action.kind !== 'delete') continue;
      if (action.resource === 'role') {
        const record = this.store.state.roles[action.key];
        if (!record) continue;
        try {
          if (record.createdByPipeline) {
            const driver = await this.options.clouds.driver(record.spec.cloud, record.region || undefined);
            await this.retry(() => driver.deleteRole(record.spec));
          }
          await this.store.update((state) => ({ ...state, roles: omit(state.roles, action.key) }));
          this.options.report({ type: 'resource', resource: 'role', key: action.key, cloud: action.cloud, action: record.createdByPipeline ? 'deleted' : 'kept', detail: record.spec.roleName });
        } catch (error) {
          this.failResource('role', action.key, action.cloud, error);
        }
      } else if (action.resource === 'bucket') {
        const record = this.store.state.buckets[action.key];
        if (!record) continue;
        if (record.createdByPipeline) await this.deleteBucketIfEmpty(action.key, record.spec);
        else {
          await this.store.update((state) => ({ ...state, buckets: omit(state.buckets, action.key) }));
          this.options.report({ type: 'resource', resource: 'bucket', key: action.key, cloud: action.cloud, action: 'kept', detail: `${record.spec.name}: it existed before the pipeline` });
        }
      }
    }
  }

  private async deleteBucketIfEmpty(key: string, spec: PipelineState['buckets'][string]['spec']): Promise<void> {
    const outcome = await deleteBucketIfEmpty(this.options.clouds, spec, this.options.wait).catch((error: unknown) => ({ deleted: false, detail: errorMessage(error) }));
    if (outcome.deleted || outcome.detail.includes('retained exports')) {
      await this.store.update((state) => (state.buckets[key]?.spec.name === spec.name ? { ...state, buckets: omit(state.buckets, key) } : state));
    }
    this.options.report({ type: 'resource', resource: 'bucket', key, cloud: spec.cloud, action: outcome.deleted ? 'deleted' : 'kept', detail: outcome.detail });
  }

  // ---- exports and imports

  private async removeDeletedEntries(): Promise<void> {
    const deletions = this.plan.actions.filter((action) => action.kind === 'delete' && (action.resource === 'export' || action.resource === 'import'));
    await Promise.all(
      deletions.map(async (action) => {
        const field = action.resource === 'export' ? 'exports' : 'imports';
        const record: TaskRecord | undefined = this.store.state[field][action.key];
        if (!record) return;
        const removal = await removeTask(record, {
          clouds: this.options.clouds,
          removal: record.removal,
          deleteTimeoutMs: 3_600_000,
          wait: this.options.wait ?? {},
          signal: this.options.signal,
          onStep: (step) => this.options.report({ type: 'log', level: 'info', message: `${field}.${action.key}: ${step}` }),
        }).catch((error: unknown) => ({ steps: [], problems: [errorMessage(error)] }));
        if (removal.problems.length > 0) {
          this.problems.push(...removal.problems.map((problem) => `${field}.${action.key}: ${problem}`));
          return;
        }
        await this.store.update((state) => ({ ...state, [field]: omit<TaskRecord>(state[field], action.key) }));
      }),
    );
  }

  private schedule(entry: ResolvedEntry): Promise<Done> {
    const id = entryId(entry);
    const existing = this.done.get(id);
    if (existing) return existing;
    const promise = this.runEntry(entry).catch((error: unknown): Done => {
      this.finish(entry, { outcome: 'failed', error: errorMessage(error) });
      return { ok: false };
    });
    this.done.set(id, promise);
    return promise;
  }

  private dependencies(entry: ResolvedEntry): ResolvedEntry[] {
    const { pipeline } = this.options;
    if (entry.kind === 'export') {
      const source = entry.fromImport !== undefined ? pipeline.imports.find((i) => i.key === entry.fromImport) : undefined;
      return source ? [source] : [];
    }
    return entry.fromExports.map((link) => pipeline.exports.find((e) => e.key === link.exportKey)).filter((e): e is ResolvedExport => e !== undefined);
  }

  private async runEntry(entry: ResolvedEntry): Promise<Done> {
    const action = this.action(entry.kind, entry.key);
    const field = entry.kind === 'export' ? 'exports' : 'imports';
    const record: TaskRecord | undefined = this.store.state[field][entry.key];
    const deps = this.dependencies(entry);
    const depResults = new Map<string, Done>();
    for (const dep of deps) depResults.set(entryId(dep), await this.schedule(dep));

    if (!action || action.kind === 'none' || action.kind === 'update') {
      if (action?.kind === 'update' && record) {
        try {
          await this.recordUpdate(entry, record);
        } catch (error) {
          if (error instanceof EntryFinished) return { ok: false };
          throw error;
        }
      }
      const current = this.store.state[field][entry.key];
      const result = recordedResult(current);
      this.finish(entry, { outcome: 'succeeded', ...result });
      return { ok: true, ...result };
    }
    const failedDep = deps.find((dep) => !depResults.get(entryId(dep))?.ok);
    if (failedDep) {
      this.finish(entry, { outcome: 'skipped', error: `${entryId(failedDep)} did not succeed` });
      return { ok: false };
    }
    const missing = this.missingResources(entry);
    if (missing.length > 0) {
      this.finish(entry, { outcome: 'skipped', error: `${missing.join(' and ')} could not be set up` });
      return { ok: false };
    }

    const release = await this.limiter.acquire(entry.cloud, this.options.signal).catch(() => undefined);
    if (!release) {
      this.finish(entry, { outcome: 'interrupted', error: 'interrupted before it started' });
      return { ok: false };
    }
    try {
      if (action.kind === 'replace' && record) await this.removeReplaced(entry, record);
      return await this.startAndWait(entry, action, depResults);
    } finally {
      release();
    }
  }

  private missingResources(entry: ResolvedEntry): string[] {
    const missing: string[] = [];
    if (entry.roleKey !== undefined && this.failedResources.has(`roles/${entry.roleKey}`)) missing.push(`roles.${entry.roleKey}`);
    const buckets = entry.kind === 'export' ? (entry.bucketKey !== undefined ? [entry.bucketKey] : []) : entry.bucketKeys;
    for (const key of buckets) if (this.failedResources.has(`buckets/${key}`)) missing.push(`buckets.${key}`);
    return missing;
  }

  private async removeReplaced(entry: ResolvedEntry, record: TaskRecord): Promise<void> {
    if (record.status === 'running' || record.status === 'starting' || record.kind === 'export') {
      const removal = await removeTask(record, {
        clouds: this.options.clouds,
        removal: record.removal,
        deleteTimeoutMs: entry.deleteTimeoutMs,
        wait: this.options.wait ?? {},
        signal: this.options.signal,
        onStep: (step) => this.options.report({ type: 'log', level: 'info', message: `${entryId(entry)} (replaced): ${step}` }),
      });
      for (const problem of removal.problems) this.options.report({ type: 'log', level: 'warn', message: `${entryId(entry)} (replaced): ${problem}` });
    }
  }

  private async startAndWait(entry: ResolvedEntry, action: PlanAction, deps: Map<string, Done>): Promise<Done> {
    const { clouds, report } = this.options;
    const field = entry.kind === 'export' ? 'exports' : 'imports';
    const id = entryId(entry);
    const previous: TaskRecord | undefined = this.store.state[field][entry.key];
    const spec = this.concreteSpec(entry, deps);
    const driver = await clouds.driver(entry.cloud, spec.region);
    let ref: TaskRef;
    let generation = previous?.generation ?? 1;

    if (action.kind === 'resume' && previous?.task && previous.status === 'running') {
      ref = previous.task;
      report({ type: 'task-start', entry: id, cloud: entry.cloud, kind: entry.kind, taskId: ref.taskId, how: 'resumed' });
    } else {
      const resuming = action.kind === 'resume' && previous?.status === 'starting';
      if (action.kind === 'replace') generation = (previous?.generation ?? 0) + 1;
      const token = resuming
        ? previous.token
        : entry.kind === 'export'
          ? exportToken(this.options.pipeline.name, entry.key, spec as ExportSpec, generation, entry.clientToken)
          : importToken(this.options.pipeline.name, entry.key, spec as ImportSpec, generation, entry.clientToken);
      if (!resuming) {
        const problems = await this.preflight(driver, entry, spec);
        if (problems.length > 0) {
          this.finish(entry, { outcome: 'failed', error: `preflight: ${problems.join('; ')}` });
          return { ok: false };
        }
      }
      const base = {
        cloud: entry.cloud,
        token,
        digest: specDigest(spec),
        generation,
        removal: entry.removal,
        // A resumed start keeps the time it was first recorded: a task that attempt started dates from then.
        startedAt: resuming ? previous.startedAt : this.now(),
      };
      const starting = entry.kind === 'export'
        ? ({ ...base, kind: 'export', spec: spec as ExportSpec, status: 'starting' } satisfies ExportRecord)
        : ({ ...base, kind: 'import', spec: spec as ImportSpec, status: 'starting' } satisfies ImportRecord);
      await this.store.update((state) => ({ ...state, [field]: { ...state[field], [entry.key]: starting } }));
      try {
        // The same token on every attempt: a retry after a lost answer finds the task the first attempt started.
        // Resuming a 'starting' record: the killed run's call may have started a task that has even ended since.
        const options = resuming ? { resumingSince: previous.startedAt } : {};
        ref = await this.retry(() => (entry.kind === 'export' ? driver.startExport(spec as ExportSpec, token, options) : driver.startImport(spec as ImportSpec, token)));
      } catch (error) {
        if (!isRetryableError(error)) {
          await this.store.update((state) => ({
            ...state,
            [field]: { ...state[field], [entry.key]: { ...starting, status: 'failed', failure: failureOf(error), finishedAt: this.now() } },
          }));
        }
        this.finish(entry, { outcome: 'failed', error: `start: ${errorMessage(error)}` });
        return { ok: false };
      }
      const running = { ...starting, status: 'running' as const, task: ref };
      await this.store.update((state) => ({ ...state, [field]: { ...state[field], [entry.key]: running } }));
      report({ type: 'task-start', entry: id, cloud: entry.cloud, kind: entry.kind, taskId: ref.taskId, how: ref.adopted ? 'adopted' : 'started' });
    }

    let snapshot: TaskSnapshot;
    try {
      snapshot = await waitForTask(() => driver.describe(ref), {
        ...(this.options.wait ?? {}),
        timeoutMs: entry.createTimeoutMs,
        signal: this.options.signal,
        taskLabel: `${id} (${ref.taskId})`,
        onEvent: (event) => {
          if (event.type === 'snapshot') {
            const s = event.snapshot;
            report({ type: 'task-progress', entry: id, cloud: entry.cloud, state: s.state, rawStatus: s.rawStatus, ...(s.progress !== undefined ? { progress: s.progress } : {}), ...(s.message ? { message: s.message } : {}) });
          } else if (event.type === 'retry') {
            report({ type: 'task-retry', entry: id, attempt: event.attempt, delayMs: event.delayMs, error: errorMessage(event.error) });
          } else {
            report({ type: 'task-stalled', entry: id, stalledForMs: event.stalledForMs });
          }
        },
      });
    } catch (error) {
      return this.waitFailed(entry, ref, error);
    }

    if (entry.kind === 'export') {
      const problems: string[] = [];
      if (snapshot.artifacts.length === 0) problems.push('the task succeeded but reported no file');
      for (const artifact of snapshot.artifacts) {
        try {
          // A dropped connection or a throttled read says nothing about the file: ask again, like every other call.
          const findings = await this.retry(() => this.options.checkArtifact(driver.storage(), artifact));
          for (const problem of findings.errors) problems.push(`${artifact.uri}: ${problem}`);
          for (const warning of findings.warnings) report({ type: 'log', level: 'warn', message: `${id}: ${artifact.uri}: ${warning}` });
        } catch (error) {
          problems.push(`${artifact.uri}: could not be checked: ${errorMessage(error)}`);
        }
      }
      if (problems.length > 0) {
        await this.recordEnd(entry, { status: 'failed', failure: { code: 'ArtifactCheckFailed', message: problems.join('; ') }, artifacts: snapshot.artifacts });
        this.finish(entry, { outcome: 'failed', taskId: ref.taskId, artifacts: snapshot.artifacts, error: `artifact check: ${problems.join('; ')}` });
        return { ok: false };
      }
      await this.recordEnd(entry, { status: 'succeeded', artifacts: snapshot.artifacts });
      this.finish(entry, { outcome: 'succeeded', taskId: ref.taskId, artifacts: snapshot.artifacts });
      return { ok: true, artifacts: snapshot.artifacts };
    }
    await this.recordEnd(entry, { status: 'succeeded', ...(snapshot.imageId ? { imageId: snapshot.imageId } : {}) });
    this.finish(entry, { outcome: 'succeeded', taskId: ref.taskId, ...(snapshot.imageId ? { imageId: snapshot.imageId } : {}) });
    return { ok: true, ...(snapshot.imageId ? { imageId: snapshot.imageId } : {}) };
  }

  private async waitFailed(entry: ResolvedEntry, ref: TaskRef, error: unknown): Promise<Done> {
    if (error instanceof TaskFailedError) {
      await this.recordEnd(entry, { status: 'failed', failure: { code: error.failureCode, message: error.failureMessage } });
      this.finish(entry, { outcome: 'failed', taskId: ref.taskId, error: `${error.failureCode}: ${error.failureMessage}` });
    } else if (error instanceof TaskCancelledError) {
      await this.recordEnd(entry, { status: 'cancelled' });
      this.finish(entry, { outcome: 'cancelled', taskId: ref.taskId, error: 'the task was cancelled' });
    } else if (this.options.signal?.aborted) {
      this.finish(entry, { outcome: 'interrupted', taskId: ref.taskId, error: 'interrupted: the task runs on; run apply again to resume the wait' });
    } else {
      // Timeout, stall or too many errors: the task may still run; the state keeps it so the next apply resumes.
      this.finish(entry, { outcome: 'failed', taskId: ref.taskId, error: `${errorMessage(error)} (the task is kept in the state: apply again resumes the wait)` });
    }
    return { ok: false };
  }

  private async preflight(driver: CloudDriver, entry: ResolvedEntry, spec: ExportSpec | ImportSpec): Promise<string[]> {
    const report = await this.retry(() => (entry.kind === 'export' ? driver.preflightExport(spec as ExportSpec) : driver.preflightImport(spec as ImportSpec)));
    return report.problems.map((problem) => `${problem.message}${problem.fix ? ` (${problem.fix})` : ''}`);
  }

  private concreteSpec(entry: ResolvedEntry, deps: Map<string, Done>): ExportSpec | ImportSpec {
    if (entry.kind === 'export') {
      if (entry.fromImport === undefined) return entry.spec;
      const source = deps.get(`imports.${entry.fromImport}`);
      const imageId = source?.ok ? source.imageId : undefined;
      return { ...entry.spec, imageId: imageId ?? this.store.state.imports[entry.fromImport]?.imageId ?? '' };
    }
    if (entry.fromExports.length === 0) return entry.spec;
    const disks: DiskSource[] = [...entry.spec.disks];
    for (const link of entry.fromExports) {
      const source = deps.get(`exports.${link.exportKey}`);
      const artifact = (source?.ok ? source.artifacts?.[0] : undefined) ?? this.store.state.exports[link.exportKey]?.artifacts?.[0];
      if (artifact) disks[link.diskIndex] = { ...disks[link.diskIndex], bucket: artifact.bucket, key: artifact.key, format: disks[link.diskIndex].format ?? artifact.format };
    }
    return { ...entry.spec, disks };
  }

  /**
   * An in-place update: new tags go to the cloud (`updateTags`: AWS tags the task and an import's AMI, Alibaba an
   * import's image; others say `not-supported`); description and removal policy are recorded in the state only
   * (no cloud can change a task's description).
   */
  private async recordUpdate(entry: ResolvedEntry, record: TaskRecord): Promise<void> {
    const field = entry.kind === 'export' ? 'exports' : 'imports';
    const wanted = entry.spec as { description?: string; tags?: Readonly<Record<string, string>> };
    const recorded = record.spec as { tags?: Readonly<Record<string, string>> };
    const notes: string[] = [];
    if (record.task && canonicalTags(recorded.tags) !== canonicalTags(wanted.tags)) {
      const driver = await this.options.clouds.driver(entry.cloud, record.task.region);
      try {
        const outcome = await this.retry(() => driver.updateTags(record.task as TaskRef, wanted.tags ?? {}));
        notes.push(outcome === 'updated' ? 'tags updated on the cloud' : 'tags recorded (this cloud cannot tag this task)');
      } catch (error) {
        this.finish(entry, { outcome: 'failed', ...recordedResult(record), error: `updating tags: ${errorMessage(error)}` });
        throw new EntryFinished();
      }
    }
    const spec = { ...record.spec, description: wanted.description, tags: wanted.tags };
    const cleaned = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
    await this.store.update((state) => ({
      ...state,
      [field]: { ...state[field], [entry.key]: { ...record, spec: cleaned, digest: specDigest(cleaned), removal: entry.removal } },
    }));
    notes.push('description and removal recorded');
    this.options.report({ type: 'log', level: 'info', message: `${entryId(entry)}: updated in place (${notes.join('; ')})` });
  }

  private async recordEnd(entry: ResolvedEntry, change: Partial<ExportRecord> | Partial<ImportRecord>): Promise<void> {
    const field = entry.kind === 'export' ? 'exports' : 'imports';
    await this.store.update((state) => {
      const current = state[field][entry.key];
      if (!current) return state;
      return { ...state, [field]: { ...state[field], [entry.key]: { ...current, ...change, finishedAt: this.now() } } };
    });
  }

  private finish(entry: ResolvedEntry, result: Omit<EntryResult, 'entry' | 'kind' | 'cloud'>): void {
    const full: EntryResult = { entry: entryId(entry), kind: entry.kind, cloud: entry.cloud, ...result };
    this.results.set(full.entry, full);
    this.options.report({ type: 'task-end', ...full });
  }
}

/** Thrown inside an entry's run once its result was reported. */
class EntryFinished extends Error {}

function canonicalTags(tags: Readonly<Record<string, string>> | undefined): string {
  return JSON.stringify(Object.entries(tags ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

/** Deletes a bucket the pipeline created when it holds no object (retained exports keep it alive). */
export async function deleteBucketIfEmpty(
  clouds: CloudAccess,
  spec: PipelineState['buckets'][string]['spec'],
  wait: WaitSettings = {},
): Promise<{ deleted: boolean; detail: string }> {
  const driver = await clouds.driver(spec.cloud, spec.region);
  const objects = await retryCall(() => driver.storage().list(spec.name), wait);
  if (objects.length > 0) return { deleted: false, detail: `${spec.name}: it holds ${objects.length} object(s) (retained exports)` };
  await retryCall(() => driver.deleteBucket(spec), wait);
  return { deleted: true, detail: spec.name };
}

function recordedResult(record: TaskRecord | undefined): { taskId?: string; artifacts?: readonly Artifact[]; imageId?: string } {
  if (!record) return {};
  return {
    ...(record.task ? { taskId: record.task.taskId } : {}),
    ...(record.kind === 'export' && record.artifacts ? { artifacts: record.artifacts } : {}),
    ...(record.kind === 'import' && record.imageId ? { imageId: record.imageId } : {}),
  };
}

function entryId(entry: ResolvedEntry): string {
  return `${entry.kind}s.${entry.key}`;
}

function failureOf(error: unknown): { code: string; message: string } {
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : (error as Error).name ?? 'Error';
  return { code, message: errorMessage(error) };
}

/** The message of an error, never its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function omit<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
