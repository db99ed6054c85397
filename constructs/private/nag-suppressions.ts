import { Validations } from 'aws-cdk-lib';
import { type IConstruct } from 'constructs';

/** One cdk-nag finding acknowledged on a construct, with the reason written down. */
export interface NagSuppression {
  /** Rule id, or rule id and finding (`AwsSolutions-IAM5[Resource::*]`). */
  readonly id: string;
  /** Why the finding does not apply. */
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings through CDK's native acknowledgement metadata, which cdk-nag v3 reads, so the
 * constructs need no dependency on cdk-nag.
 *
 * Findings named with their plug-in namespace (`AwsSolutions::AwsSolutions-IAM5[…]`, already in the form
 * `Validations.acknowledge()` records) are written as one metadata entry without a stack trace: a policy can carry
 * a hundred findings, and `acknowledge()` captures a stack trace for each, which made synth several times slower.
 * Any other id goes through `Validations.of(scope).acknowledge()`.
 */
export function addNagSuppressions(scope: IConstruct, suppressions: readonly NagSuppression[]): void {
  const qualified = suppressions.filter((s) => s.id.includes('::'));
  const others = suppressions.filter((s) => !s.id.includes('::'));
  if (qualified.length > 0) {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Object.fromEntries(qualified.map((s) => [s.id, s.reason])));
  }
  if (others.length > 0) Validations.of(scope).acknowledge(...others.map((s) => ({ id: s.id, reason: s.reason })));
}

/** cdk-nag's flat form of a CloudFormation reference (`<Logical.Arn>/prefix/*`), to name one finding exactly. */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (value['Fn::Sub']) return flattenReference(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flattenReference(value['Fn::ImportValue']);
  if (value.Ref) return `<${flattenReference(value.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Acknowledges every wildcard finding (cdk-nag `AwsSolutions-IAM5`) of a resolved IAM policy document, each with
 * the reason given: v3 needs each finding named (`AwsSolutions::AwsSolutions-IAM5[Resource::<X.Arn>/*]`).
 */
export function acknowledgeWildcards(scope: IConstruct, resolvedDocument: unknown, reason: string): void {
  const statements = ((resolvedDocument as { Statement?: unknown[] } | undefined)?.Statement ?? []) as Record<string, unknown>[];
  const findings = new Set<string>();
  for (const statement of statements) {
    for (const action of [statement.Action].flat()) {
      if (typeof action === 'string' && action.includes('*')) findings.add(`Action::${action}`);
    }
    for (const resource of [statement.Resource].flat()) {
      const flat = flattenReference(resource);
      if (flat.includes('*')) findings.add(`Resource::${flat}`);
    }
  }
  addNagSuppressions(scope, [...findings].map((finding) => ({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason })));
}
