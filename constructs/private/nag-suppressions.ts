import { type CfnResource } from 'aws-cdk-lib';

/** One cdk-nag rule suppressed on a resource, with the reason written down. */
export interface NagSuppression {
  /** Rule id, e.g. `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Why the finding does not apply (cdk-nag wants at least 10 characters). */
  readonly reason: string;
  /** The exact findings suppressed (`Resource::*`, `Action::ec2:Describe*`). @default - every finding of the rule */
  readonly appliesTo?: readonly string[];
}

/**
 * Records cdk-nag suppressions in a resource's `cdk_nag` metadata, the format cdk-nag's `NagSuppressions` writes,
 * without making cdk-nag a dependency of the constructs. Existing suppressions are kept.
 */
export function addNagSuppressions(resource: CfnResource, suppressions: readonly NagSuppression[]): void {
  const existing = (resource.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined)?.rules_to_suppress ?? [];
  const added = suppressions.map((s) => ({ id: s.id, reason: s.reason, ...(s.appliesTo ? { applies_to: [...s.appliesTo] } : {}) }));
  resource.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...added] });
}
