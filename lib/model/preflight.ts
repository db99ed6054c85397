/** What a preflight problem is about. */
export type PreflightSubject = 'image' | 'bucket' | 'role' | 'quota' | 'region' | 'source';

/**
 * One reason a task would fail, found by read-only checks before anything starts. Unlike the clouds' own errors
 * ("does not exist or does not have sufficient permissions"), it says exactly what is wrong and how to fix it.
 */
export interface PreflightProblem {
  /** What it is about. */
  readonly subject: PreflightSubject;
  /** Stable code: `role.missing`, `role.trust`, `role.permission`, `image.encrypted`, `bucket.region`. */
  readonly code: string;
  /** Exact description: which role, which permission, which bucket. */
  readonly message: string;
  /** What to do about it. @default - no suggestion */
  readonly fix?: string;
}

/** Result of a preflight: empty `problems` means go. */
export interface PreflightReport {
  /** Every problem found. */
  readonly problems: readonly PreflightProblem[];
}

/**
 * What a permission check concluded.
 *
 * - `allowed`: the cloud said the call would be allowed (AWS and Alibaba Cloud `DryRun`).
 * - `denied`: the cloud refused (`UnauthorizedOperation`, `Forbidden.RAM`, `HTTP_FORBIDDEN`), or a check the call
 *   depends on failed.
 * - `unknown`: the cloud offers no way to ask without starting the task (JD Cloud has no dry run); what could be
 *   checked passed, but that is no proof.
 */
export type PermissionVerdict = 'allowed' | 'denied' | 'unknown';

/** Result of asking the cloud whether the calls would be allowed, without starting anything (AWS DryRun). */
export interface PermissionCheck {
  /** True only when the cloud said the call would be allowed (`verdict` is `allowed`); never a guess. */
  readonly allowed: boolean;
  /** The three-way answer, which tells "not allowed" from "could not be checked". @default - `allowed` ? `allowed` : `denied` */
  readonly verdict?: PermissionVerdict;
  /** How it was checked: `DryRun`, `DryRun (ImportImage)`, `describe calls`. */
  readonly method: string;
  /** The cloud's answer, verbatim (`DryRunOperation`, `UnauthorizedOperation: …`). */
  readonly detail: string;
}
