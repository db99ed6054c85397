import type * as pulumi from '@pulumi/pulumi';

/** Lifecycle of exported objects (the core's `BucketSpec.lifecycle`, as Pulumi inputs). */
export interface BucketLifecycleArgs {
  /** Delete objects this many days after creation. @default - never */
  readonly expireAfterDays?: pulumi.Input<number>;
  /** Move objects to colder storage this many days after creation. @default - never */
  readonly transitionAfterDays?: pulumi.Input<number>;
  /** Storage class to move to (`GLACIER` on AWS, `Archive` on Alibaba Cloud). @default - the cloud's archive class */
  readonly transitionStorageClass?: pulumi.Input<string>;
}

/**
 * Every problem with a lifecycle given as plain values (inputs that are Outputs are checked by the cloud): days
 * must be positive integers, and a transition must come before the expiry.
 */
export function lifecycleProblems(lifecycle: BucketLifecycleArgs | undefined): string[] {
  if (!lifecycle) return [];
  const problems: string[] = [];
  const { expireAfterDays, transitionAfterDays } = lifecycle;
  for (const [field, value] of [
    ['lifecycle.expireAfterDays', expireAfterDays],
    ['lifecycle.transitionAfterDays', transitionAfterDays],
  ] as const) {
    if (typeof value === 'number' && (!Number.isInteger(value) || value < 1)) problems.push(`${field}: ${value} must be a whole number of days, at least 1`);
  }
  if (typeof expireAfterDays === 'number' && typeof transitionAfterDays === 'number' && transitionAfterDays >= expireAfterDays) {
    problems.push(`lifecycle.transitionAfterDays: ${transitionAfterDays} must be less than expireAfterDays (${expireAfterDays})`);
  }
  return problems;
}

/** True when the lifecycle asks for anything. */
export function hasLifecycle(lifecycle: BucketLifecycleArgs | undefined): lifecycle is BucketLifecycleArgs {
  return lifecycle !== undefined && (lifecycle.expireAfterDays !== undefined || lifecycle.transitionAfterDays !== undefined);
}
