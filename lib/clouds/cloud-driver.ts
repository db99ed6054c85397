import { type CloudId } from '../model/cloud';
import { type ExportSpec } from '../model/export-spec';
import { type ImportSpec } from '../model/import-spec';
import { type PermissionCheck, type PreflightReport } from '../model/preflight';
import {
  type BucketOutcome,
  type BucketSpec,
  type RoleDocuments,
  type RoleOutcome,
  type ServiceRoleSpec,
} from '../model/role-spec';
import { type TaskRef, type TaskSnapshot } from '../model/task';
import { type ValidationIssue } from '../model/validation-issue';
import { type ObjectStorage } from '../storage/object-storage';
import { type CloudRules } from './cloud-rules';

/** What a cancel did. */
export type CancelOutcome =
  /** The cloud accepted the cancel; the task will end `cancelled`. */
  | 'cancelled'
  /** The task had already ended; nothing to cancel. */
  | 'already-ended'
  /** The cloud cannot cancel this task (JD Cloud has no cancel API); it runs to its end. */
  | 'not-cancellable';

/** What {@link CloudDriver.deleteImage} did. */
export type DeleteImageOutcome =
  /** The image and what it owns (AWS: its EBS snapshots) were deleted. */
  | 'deleted'
  /** The image does not exist (any more); nothing was deleted. */
  | 'not-found';

/** What {@link CloudDriver.updateTags} did. */
export type UpdateTagsOutcome =
  /** The tags now match the requested set (imageport's own `imageport:*` tags kept). */
  | 'updated'
  /** The cloud has no way to tag this task (Alibaba exports, JD Cloud): nothing was changed. */
  | 'not-supported';

/** Options of {@link CloudDriver.startExport}. */
export interface StartExportOptions {
  /**
   * Set when this start replays one that an earlier run recorded but never saw answered (that run was killed after
   * recording it): when that start was recorded, ISO-8601. The earlier call may have reached the cloud and its task may
   * even have ended since. A cloud with client tokens finds that task by the token anyway; where the cloud has none
   * (Alibaba ExportImage), the driver then also adopts a task for the same image and destination created since then
   * that has already ended, instead of starting a second export.
   * @default - a fresh start: without tokens, only a running task is adopted
   */
  readonly resumingSince?: string;
}

/**
 * One cloud, behind one interface. Implemented in `lib/clouds/aws`, `lib/clouds/alicloud`, `lib/clouds/jdcloud`
 * on the official SDKs (JD: a small typed client). Every method turns cloud errors into `CloudError`.
 *
 * Lifecycle contract (the same in every front end):
 * - create: `validateExport` → `preflightExport` → `startExport(spec, token)` → wait on `describe` → verify artifacts;
 * - retry after a crash: `startExport` with the same token returns the running task (`adopted: true`), never a
 *   second one; where the cloud has no token (Alibaba ExportImage) the driver adopts a running task for the same
 *   image and bucket, and, given `resumingSince`, one created since then that has already ended;
 * - delete: `cancel` when still running; artifacts are deleted only on request.
 */
export interface CloudDriver {
  /** The cloud. */
  readonly cloud: CloudId;
  /** The region this driver is bound to. */
  readonly region: string;
  /** The cloud's pure rules (also reachable without loading any SDK, see `lib/clouds/rules.ts`). */
  readonly rules: CloudRules;

  /** Pure: every problem with an export spec. */
  validateExport(spec: ExportSpec): ValidationIssue[];
  /** Pure: every problem with an import spec. */
  validateImport(spec: ImportSpec): ValidationIssue[];

  /** Read-only checks: image exportable, bucket in region, role present, trusted and permitted, quota. */
  preflightExport(spec: ExportSpec): Promise<PreflightReport>;
  /** Read-only checks for an import: source objects exist, bucket in region, role, quota. */
  preflightImport(spec: ImportSpec): Promise<PreflightReport>;
  /** Asks the cloud whether the export call would be allowed, starting nothing (AWS DryRun). */
  checkExportPermissions(spec: ExportSpec): Promise<PermissionCheck>;
  /** Asks the cloud whether the import call would be allowed, starting nothing. */
  checkImportPermissions(spec: ImportSpec): Promise<PermissionCheck>;

  /** Starts an export, or finds the one already started with this token (or, without tokens, for this image and bucket). */
  startExport(spec: ExportSpec, token: string, options?: StartExportOptions): Promise<TaskRef>;
  /** Starts an import, or finds the one already started with this token. */
  startImport(spec: ImportSpec, token: string): Promise<TaskRef>;
  /** One normalised snapshot of a task; for a succeeded export, artifacts with sizes read back from the bucket. */
  describe(task: TaskRef): Promise<TaskSnapshot>;
  /** Cancels a running task. */
  cancel(task: TaskRef): Promise<CancelOutcome>;
  /**
   * Deletes an image an import created, with what it owns: AWS deregisters the AMI, then deletes the EBS snapshots
   * of its block-device mappings (read before deregistering); Alibaba Cloud `DeleteImage`; JD Cloud `deleteImage`.
   * An image the caller does not own (AWS: another account's; Alibaba: not `self`; JD: not private) is refused with
   * a `CloudError` before any delete call, and so is an Alibaba image still `Creating`. A missing image is
   * `not-found`, not an error.
   */
  deleteImage(imageId: string): Promise<DeleteImageOutcome>;
  /**
   * Whether an image exists in the driver's region, in any state but deregistered/deleted (read-only; `false` for an
   * image that is gone, never an error). Front ends ask it before reusing an import that a replayed client token
   * found: its image may have been deleted since (`deleteImage` on destroy, or by hand).
   *
   * Optional, so that drivers and test doubles written before it still satisfy the interface; a caller without it
   * has no way to tell and treats the image as present.
   */
  imageExists?(imageId: string): Promise<boolean>;
  /**
   * Updates a task's tags in place (the lifecycle's "tags update without a new task"): afterwards the task carries
   * exactly `tags` plus imageport's own `imageport:*` tags. AWS tags the export or import task and, for a finished
   * import, the new AMI too; Alibaba Cloud tags an import's image (`not-supported` for exports); JD Cloud has no
   * tags (`not-supported`). The tags are validated with the cloud's rules first (`SpecValidationError`).
   */
  updateTags(task: TaskRef, tags: Readonly<Record<string, string>>): Promise<UpdateTagsOutcome>;

  /** Pure: the exact documents of a service role, scoped to the spec's buckets. */
  roleDocuments(spec: ServiceRoleSpec): RoleDocuments;
  /** Creates the role or brings it in line with {@link roleDocuments}; idempotent. */
  ensureRole(spec: ServiceRoleSpec): Promise<RoleOutcome>;
  /** Deletes what {@link ensureRole} created (policies, attachments, role); a missing role is not an error. */
  deleteRole(spec: ServiceRoleSpec): Promise<void>;
  /** Creates the bucket set up the way the cloud's export needs it (hardened where the cloud allows); idempotent. */
  ensureBucket(spec: BucketSpec): Promise<BucketOutcome>;
  /** Deletes the bucket; with `force`, its objects first. A missing bucket is not an error. */
  deleteBucket(spec: BucketSpec, options?: { force?: boolean }): Promise<void>;

  /** The object store of this cloud and region (S3, OSS, JD OSS), over the S3 protocol. */
  storage(): ObjectStorage;
}
