import { type LifecycleRule } from '@aws-sdk/client-s3';
import { type BucketSpec } from '../../model/role-spec';
import { type ValidationIssue } from '../../model/validation-issue';
import { IssueCollector } from './issue-collector';
import { checkBucketName, checkObjectKey, checkRegion } from './name-rules';
import { bucketArns, type PolicyStatement } from './role-documents';

/** Sid of the statement that refuses plain-HTTP access to an export bucket. */
export const TLS_ONLY_SID = 'DenyInsecureTransport';
/** ID of the lifecycle rule imageport manages. */
export const LIFECYCLE_RULE_ID = 'imageport-exports';
/** Storage class objects move to when none is given. */
export const DEFAULT_TRANSITION_STORAGE_CLASS = 'GLACIER';

/** The statement that denies every request not made over TLS (`aws:SecureTransport` false). */
export function tlsOnlyStatement(bucket: string, partition = 'aws'): PolicyStatement {
  return {
    Sid: TLS_ONLY_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: bucketArns(bucket, partition),
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * A bucket policy with the TLS-only statement added, keeping every existing statement; `undefined` when the policy
 * already has a statement with that Sid (nothing to change).
 */
export function withTlsOnlyStatement(existing: Record<string, unknown> | undefined, bucket: string, partition = 'aws'): Record<string, unknown> | undefined {
  const raw = existing?.Statement;
  const statements: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.some((s) => typeof s === 'object' && s !== null && (s as { Sid?: unknown }).Sid === TLS_ONLY_SID)) return undefined;
  return { Version: '2012-10-17', ...(existing ?? {}), Statement: [...statements, tlsOnlyStatement(bucket, partition)] };
}

/** The lifecycle rule of a bucket spec, or `undefined` when it asks for none. */
export function lifecycleRuleOf(spec: BucketSpec): LifecycleRule | undefined {
  const lifecycle = spec.lifecycle;
  if (!lifecycle || (lifecycle.expireAfterDays === undefined && lifecycle.transitionAfterDays === undefined)) return undefined;
  return {
    ID: LIFECYCLE_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: spec.lifecyclePrefix ?? '' },
    ...(lifecycle.expireAfterDays !== undefined ? { Expiration: { Days: lifecycle.expireAfterDays } } : {}),
    ...(lifecycle.transitionAfterDays !== undefined
      ? {
          Transitions: [
            {
              Days: lifecycle.transitionAfterDays,
              StorageClass: (lifecycle.transitionStorageClass ?? DEFAULT_TRANSITION_STORAGE_CLASS) as NonNullable<LifecycleRule['Transitions']>[number]['StorageClass'],
            },
          ],
        }
      : {}),
  };
}

/** `existing` with imageport's rule replaced by `rule` (or removed when `rule` is undefined); other rules kept. */
export function mergeLifecycleRules(existing: readonly LifecycleRule[], rule: LifecycleRule | undefined): LifecycleRule[] {
  const others = existing.filter((r) => r.ID !== LIFECYCLE_RULE_ID);
  return rule ? [...others, rule] : others;
}

/** Every problem with a bucket spec: name, region, lifecycle days. Pure. */
export function validateBucketSpec(spec: BucketSpec): ValidationIssue[] {
  const issues = new IssueCollector('Amazon S3');
  const name = issues.string('name', spec.name, true);
  if (name !== undefined) checkBucketName(issues, 'name', name);
  const region = issues.string('region', spec.region, true);
  if (region !== undefined) checkRegion(issues, 'region', region);
  const lifecycle = issues.object('lifecycle', spec.lifecycle);
  if (lifecycle) {
    for (const field of ['expireAfterDays', 'transitionAfterDays'] as const) {
      const days = issues.number(`lifecycle.${field}`, lifecycle[field]);
      if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
        issues.add({ field: `lifecycle.${field}`, value: days, rule: 'must be a whole number of days, at least 1', code: 'lifecycle.days' });
      }
    }
    issues.string('lifecycle.transitionStorageClass', lifecycle.transitionStorageClass);
    const expire = lifecycle.expireAfterDays;
    const transition = lifecycle.transitionAfterDays;
    if (typeof expire === 'number' && typeof transition === 'number' && expire <= transition) {
      issues.add({ field: 'lifecycle.expireAfterDays', value: expire, rule: `must be greater than transitionAfterDays (${transition})`, code: 'lifecycle.order' });
    }
  }
  const prefix = issues.string('lifecyclePrefix', spec.lifecyclePrefix);
  if (prefix !== undefined) checkObjectKey(issues, 'lifecyclePrefix', prefix, 'prefix');
  return issues.issues;
}
