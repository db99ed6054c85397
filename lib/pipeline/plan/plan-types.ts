import { type CloudId } from '../../model/cloud';
import { type Artifact, type TaskSnapshot } from '../../model/task';
import { type FieldChange } from './spec-changes';

/** What a plan does with one resource, Terraform-style. */
export type PlanActionKind =
  /** `+` create: not in the state. */
  | 'create'
  /** `-/+` replace: a field that the cloud cannot change differs, the last task failed, or the artifact is gone. */
  | 'replace'
  /** `~` update in place: only tags, description, removal policy or a role's bucket scope differ. */
  | 'update'
  /** `-` delete: in the state, not in the file. */
  | 'delete'
  /** `>` resume: a recorded task is still running (or its start was never confirmed); apply waits for it. */
  | 'resume'
  /** nothing to do. */
  | 'none';

/** What kind of resource an action is about. */
export type PlanResource = 'role' | 'bucket' | 'export' | 'import';

/** One planned action. */
export interface PlanAction {
  /** What happens. */
  readonly kind: PlanActionKind;
  /** To what kind of resource. */
  readonly resource: PlanResource;
  /** Key in the file (or in the state, for a delete). */
  readonly key: string;
  /** The cloud. */
  readonly cloud: CloudId;
  /** One-line description of the resource (`ami-123 -> s3://bucket/exports/ (vmdk)`). */
  readonly summary: string;
  /** Fields that differ (replace, update). */
  readonly changes: readonly FieldChange[];
  /** Why, in words: the field that forces a replacement, a failed task, a missing artifact. */
  readonly reasons: readonly string[];
}

/** A whole plan. */
export interface Plan {
  /** Actions, roles and buckets first, then exports and imports, deletes last. */
  readonly actions: readonly PlanAction[];
}

/** What the clouds say about one recorded task, gathered before planning. */
export interface LiveTask {
  /** The task's current snapshot. @default - could not be read (see `error`) */
  readonly snapshot?: TaskSnapshot;
  /** Recorded artifacts that are no longer in their bucket. @default - none missing (or not checked) */
  readonly missingArtifacts?: readonly Artifact[];
  /** Why the task could not be read. @default - it was read */
  readonly error?: string;
}

/** Live observations, keyed `exports/<key>` or `imports/<key>`. */
export type LiveView = ReadonlyMap<string, LiveTask>;

/** Counts of a plan's actions by kind. */
export function summarizePlan(plan: Plan): Record<Exclude<PlanActionKind, 'none'>, number> {
  const counts = { create: 0, replace: 0, update: 0, delete: 0, resume: 0 };
  for (const action of plan.actions) if (action.kind !== 'none') counts[action.kind]++;
  return counts;
}

/** True when the plan changes nothing. */
export function planIsEmpty(plan: Plan): boolean {
  return plan.actions.every((action) => action.kind === 'none');
}
