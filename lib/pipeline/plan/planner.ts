import { type ExportSpec } from '../../model/export-spec';
import { type ImportSpec } from '../../model/import-spec';
import { type ResolvedExport, type ResolvedImport, type ResolvedPipeline } from '../resolved-pipeline';
import { canonicalJson, type PipelineState, type TaskRecord } from '../state/pipeline-state';
import { type LiveView, type Plan, type PlanAction, type PlanActionKind } from './plan-types';
import { exportChanges, importChanges, type FieldChange } from './spec-changes';
import { describeValue } from '../../model/validation-issue';

/**
 * Compares the file with the state and what the clouds say (`live`), and decides for every role, bucket, export
 * and import what `apply` does: create, replace (naming the field that forces it, from `EXPORT_REPLACE_FIELDS`),
 * update in place (tags, description, removal), delete, resume a running task, or nothing. Pure.
 */
export function planPipeline(pipeline: ResolvedPipeline, state: PipelineState, live: LiveView = new Map()): Plan {
  return new Planner(pipeline, state, live).plan();
}

class Planner {
  private readonly decisions = new Map<string, PlanAction>();
  private readonly exportsByKey: Map<string, ResolvedExport>;
  private readonly importsByKey: Map<string, ResolvedImport>;

  constructor(
    private readonly pipeline: ResolvedPipeline,
    private readonly state: PipelineState,
    private readonly live: LiveView,
  ) {
    this.exportsByKey = new Map(pipeline.exports.map((entry) => [entry.key, entry]));
    this.importsByKey = new Map(pipeline.imports.map((entry) => [entry.key, entry]));
  }

  public plan(): Plan {
    const actions: PlanAction[] = [...this.planBuckets(), ...this.planRoles()];
    for (const entry of this.pipeline.exports) actions.push(this.decideExport(entry));
    for (const entry of this.pipeline.imports) actions.push(this.decideImport(entry));
    for (const [key, record] of Object.entries(this.state.exports)) {
      if (!this.exportsByKey.has(key)) actions.push(this.deleteEntry('export', key, record));
    }
    for (const [key, record] of Object.entries(this.state.imports)) {
      if (!this.importsByKey.has(key)) actions.push(this.deleteEntry('import', key, record));
    }
    const fileRoles = new Set(this.pipeline.roles.filter((role) => !role.existing).map((role) => role.key));
    for (const [key, record] of Object.entries(this.state.roles)) {
      if (fileRoles.has(key)) continue;
      actions.push({
        kind: 'delete',
        resource: 'role',
        key,
        cloud: record.spec.cloud,
        summary: record.spec.roleName,
        changes: [],
        reasons: [record.createdByPipeline ? 'no longer in the file: the role is deleted' : 'no longer in the file: the role existed before the pipeline, so it is kept and forgotten'],
      });
    }
    const fileBuckets = new Set(this.pipeline.buckets.filter((bucket) => !bucket.existing).map((bucket) => bucket.key));
    for (const [key, record] of Object.entries(this.state.buckets)) {
      if (fileBuckets.has(key)) continue;
      actions.push({
        kind: 'delete',
        resource: 'bucket',
        key,
        cloud: record.spec.cloud,
        summary: record.spec.name,
        changes: [],
        reasons: [record.createdByPipeline ? 'no longer in the file: the bucket is deleted if it is empty' : 'no longer in the file: the bucket existed before the pipeline, so it is kept and forgotten'],
      });
    }
    return { actions };
  }

  private planBuckets(): PlanAction[] {
    return this.pipeline.buckets.map((bucket) => {
      const record = this.state.buckets[bucket.key];
      const summary = `${bucket.spec.name} (${bucket.spec.region})${bucket.existing ? ', existing' : ''}`;
      const base = { resource: 'bucket' as const, key: bucket.key, cloud: bucket.spec.cloud, summary };
      if (bucket.existing) return { ...base, kind: 'none' as const, changes: [], reasons: [] };
      if (!record) return { ...base, kind: 'create' as const, changes: [], reasons: [] };
      const changes = objectChanges(record.spec as unknown as Record<string, unknown>, bucket.spec as unknown as Record<string, unknown>, ['cloud', 'region', 'name']);
      const kind: PlanActionKind = changes.some((c) => c.forcesReplacement) ? 'replace' : changes.length > 0 ? 'update' : 'none';
      return { ...base, kind, changes, reasons: changes.map(describeChange) };
    });
  }

  private planRoles(): PlanAction[] {
    return this.pipeline.roles.map((role) => {
      const record = this.state.roles[role.key];
      const summary = `${role.spec.roleName}${role.existing ? ', existing' : ''}`;
      const base = { resource: 'role' as const, key: role.key, cloud: role.spec.cloud, summary };
      if (role.existing) return { ...base, kind: 'none' as const, changes: [], reasons: [] };
      if (!record) return { ...base, kind: 'create' as const, changes: [], reasons: [] };
      const changes = objectChanges(record.spec as unknown as Record<string, unknown>, role.spec as unknown as Record<string, unknown>, ['cloud', 'roleName']);
      const kind: PlanActionKind = changes.some((c) => c.forcesReplacement) ? 'replace' : changes.length > 0 ? 'update' : 'none';
      return { ...base, kind, changes, reasons: changes.map(describeChange) };
    });
  }

  private decideExport(entry: ResolvedExport): PlanAction {
    const id = `exports/${entry.key}`;
    const known = this.decisions.get(id);
    if (known) return known;
    const record = this.state.exports[entry.key];
    const base = { resource: 'export' as const, key: entry.key, cloud: entry.cloud, summary: exportSummary(entry.spec, entry.fromImport) };
    let action: PlanAction;
    const source = entry.fromImport !== undefined ? this.importsByKey.get(entry.fromImport) : undefined;
    const sourceDecision = source ? this.decideImport(source) : undefined;
    if (!record) {
      action = { ...base, kind: 'create', changes: [], reasons: [] };
    } else if (sourceDecision && (sourceDecision.kind === 'create' || sourceDecision.kind === 'replace')) {
      action = { ...base, kind: 'replace', changes: [], reasons: [`fromImport: imports.${sourceDecision.key} is ${sourceDecision.kind === 'create' ? 'created' : 'replaced'}, so its new image is exported again`] };
    } else {
      const wanted: ExportSpec = entry.fromImport !== undefined ? { ...entry.spec, imageId: this.state.imports[entry.fromImport]?.imageId ?? record.spec.imageId } : entry.spec;
      action = this.decideRecorded(base, record, exportChanges(record.spec, wanted), entry.removal);
    }
    this.decisions.set(id, action);
    return action;
  }

  private decideImport(entry: ResolvedImport): PlanAction {
    const id = `imports/${entry.key}`;
    const known = this.decisions.get(id);
    if (known) return known;
    const record = this.state.imports[entry.key];
    const base = { resource: 'import' as const, key: entry.key, cloud: entry.cloud, summary: importSummary(entry.spec, entry.fromExports) };
    let action: PlanAction | undefined;
    if (!record) action = { ...base, kind: 'create', changes: [], reasons: [] };
    const disks = [...entry.spec.disks];
    for (const link of entry.fromExports) {
      if (action) break;
      const source = this.exportsByKey.get(link.exportKey);
      const decision = source ? this.decideExport(source) : undefined;
      if (decision && (decision.kind === 'create' || decision.kind === 'replace')) {
        action = { ...base, kind: 'replace', changes: [], reasons: [`disks[${link.diskIndex}].fromExport: exports.${link.exportKey} is ${decision.kind === 'create' ? 'created' : 'replaced'}, so its new file is imported again`] };
      }
      const artifact = this.state.exports[link.exportKey]?.artifacts?.[0];
      disks[link.diskIndex] = { ...disks[link.diskIndex], ...(artifact ? { bucket: artifact.bucket, key: artifact.key } : {}) };
    }
    if (!action && record) {
      const wanted: ImportSpec = { ...entry.spec, disks };
      action = this.decideRecorded(base, record, importChanges(record.spec, wanted), entry.removal);
    }
    const result = action ?? { ...base, kind: 'create' as const, changes: [], reasons: [] };
    this.decisions.set(id, result);
    return result;
  }

  private decideRecorded(
    base: Pick<PlanAction, 'resource' | 'key' | 'cloud' | 'summary'>,
    record: TaskRecord,
    changes: FieldChange[],
    removal: string,
  ): PlanAction {
    const forcing = changes.filter((change) => change.forcesReplacement);
    if (forcing.length > 0) {
      return { ...base, kind: 'replace', changes, reasons: forcing.map((change) => `${describeChange(change)} forces replacement`) };
    }
    const inPlace: FieldChange[] = [...changes];
    if (record.removal !== removal) inPlace.push({ field: 'removal', from: record.removal, to: removal, forcesReplacement: false });
    const live = this.live.get(`${base.resource}s/${base.key}`);
    const liveState = live?.snapshot?.state;
    const failure = live?.snapshot?.failure ?? record.failure;
    if (liveState === 'failed' || liveState === 'cancelled' || (!live?.snapshot && (record.status === 'failed' || record.status === 'cancelled'))) {
      const why = failure ? `${failure.code}: ${failure.message}` : liveState ?? record.status;
      return { ...base, kind: 'replace', changes: inPlace, reasons: [`the last task (${record.task?.taskId ?? 'not started'}) ended ${liveState ?? record.status}: ${why}`] };
    }
    if (record.status === 'starting') {
      return { ...base, kind: 'resume', changes: inPlace, reasons: ['the start was recorded but not confirmed: apply replays it with the same token'] };
    }
    if (liveState === 'pending' || liveState === 'running' || (record.status === 'running' && liveState !== 'succeeded')) {
      const progress = live?.snapshot?.progress !== undefined ? ` ${live.snapshot.progress}%` : '';
      const detail = live?.snapshot ? `${live.snapshot.rawStatus}${progress}` : live?.error ? `not readable now: ${live.error}` : 'recorded as running';
      return { ...base, kind: 'resume', changes: inPlace, reasons: [`task ${record.task?.taskId ?? ''} is still running (${detail}): apply waits for it`] };
    }
    if (record.status === 'running' && liveState === 'succeeded') {
      return { ...base, kind: 'resume', changes: inPlace, reasons: [`task ${record.task?.taskId ?? ''} finished: apply verifies and records its result`] };
    }
    if (live?.missingArtifacts && live.missingArtifacts.length > 0) {
      return { ...base, kind: 'replace', changes: inPlace, reasons: live.missingArtifacts.map((artifact) => `${artifact.uri} is gone from its bucket (changed outside imageport)`) };
    }
    if (inPlace.length > 0) return { ...base, kind: 'update', changes: inPlace, reasons: inPlace.map(describeChange) };
    return { ...base, kind: 'none', changes: [], reasons: [] };
  }

  private deleteEntry(resource: 'export' | 'import', key: string, record: TaskRecord): PlanAction {
    const reasons: string[] = [];
    const live = this.live.get(`${resource}s/${key}`)?.snapshot;
    if (record.status === 'starting' || record.status === 'running') {
      if (!live || live.state === 'pending' || live.state === 'running') reasons.push(`cancel the running task ${record.task?.taskId ?? ''}`.trim());
    }
    if (record.kind === 'export') {
      const count = record.artifacts?.length ?? 0;
      if (count > 0) reasons.push(record.removal === 'destroy' ? `delete ${count} exported object(s) (removal: destroy)` : `keep ${count} exported object(s) (removal: retain)`);
    } else if (record.imageId) {
      reasons.push(`keep image ${record.imageId}`);
    }
    return {
      kind: 'delete',
      resource,
      key,
      cloud: record.cloud,
      summary: record.kind === 'export' ? exportSummary(record.spec) : importSummary(record.spec, []),
      changes: [],
      reasons,
    };
  }
}

/** One line about an export: `ami-1 -> s3://bucket/prefix (vmdk)`. */
export function exportSummary(spec: ExportSpec, fromImport?: string): string {
  const scheme = spec.cloud === 'aws' ? 's3' : 'oss';
  const image = fromImport !== undefined ? `image of imports.${fromImport}` : spec.imageId;
  return `${image} -> ${scheme}://${spec.bucket}/${spec.prefix ?? ''} (${String(spec.format ?? 'default format')})`;
}

/** One line about an import: `s3://bucket/key (vmdk) -> new image`. */
export function importSummary(spec: ImportSpec, fromExports: readonly { diskIndex: number; exportKey: string }[]): string {
  const scheme = spec.cloud === 'aws' ? 's3' : 'oss';
  const disks = (spec.disks ?? []).map((disk, index) => {
    const link = fromExports.find((l) => l.diskIndex === index);
    if (link) return `file of exports.${link.exportKey}`;
    const d = disk as unknown as Record<string, unknown>;
    if (typeof d.url === 'string') return d.url;
    if (typeof d.snapshotId === 'string') return d.snapshotId;
    return `${scheme}://${String(d.bucket)}/${String(d.key)}`;
  });
  return `${disks.join(' + ')} -> new image${spec.imageName ? ` ${spec.imageName}` : ''}`;
}

/** `format: "vmdk" -> "vhd"`. */
export function describeChange(change: FieldChange): string {
  return `${change.field}: ${describeValue(change.from)} -> ${describeValue(change.to)}`;
}

function objectChanges(recorded: Record<string, unknown>, wanted: Record<string, unknown>, forcing: readonly string[]): FieldChange[] {
  const fields = [...new Set([...Object.keys(recorded), ...Object.keys(wanted)])].sort();
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (canonicalJson(recorded[field] ?? null) !== canonicalJson(wanted[field] ?? null)) {
      changes.push({ field, from: recorded[field], to: wanted[field], forcesReplacement: forcing.includes(field) });
    }
  }
  return changes;
}
