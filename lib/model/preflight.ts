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

/** Result of asking the cloud whether the calls would be allowed, without starting anything (AWS DryRun). */
export interface PermissionCheck {
  /** True when the cloud said the call would be allowed. */
  readonly allowed: boolean;
  /** How it was checked: `DryRun`, `DryRun (ImportImage)`, `describe calls`. */
  readonly method: string;
  /** The cloud's answer, verbatim (`DryRunOperation`, `UnauthorizedOperation: …`). */
  readonly detail: string;
}
