import { CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { type IConstruct } from 'constructs';

/** Resource types whose attributes exist only once a task ran (ours and anyone's custom resources, WaitConditions). */
const TASK_RESULT_TYPES = /^(Custom::.+|AWS::CloudFormation::CustomResource|AWS::CloudFormation::WaitCondition)$/;

/**
 * True when grants naming these values may go into a policy that every export or import depends on.
 *
 * A shared policy that named the result of a task resource (an import reading the key an export wrote) would make
 * every task resource depend on that result: a dependency cycle. Literal values, references to ordinary resources
 * (a bucket, a role) and pseudo parameters are safe; a reference to a custom resource or a WaitCondition, and any
 * intrinsic this cannot see through (`Fn::Select`, a Lazy), are not: their grants get a policy of their own.
 */
export function isShareableGrant(scope: IConstruct, values: readonly (string | undefined)[]): boolean {
  for (const value of values) {
    if (value === undefined || !Token.isUnresolved(value)) continue;
    for (const token of Tokenization.reverseString(value).tokens) {
      if (token instanceof Reference) {
        if (token.target instanceof CfnResource && TASK_RESULT_TYPES.test(token.target.cfnResourceType)) return false;
        continue;
      }
      if (!isPseudoParameter(Stack.of(scope).resolve(token))) return false;
    }
  }
  return true;
}

function isPseudoParameter(resolved: unknown): boolean {
  const ref = (resolved as { Ref?: unknown } | null)?.Ref;
  return typeof ref === 'string' && ref.startsWith('AWS::') && Object.keys(resolved as object).length === 1;
}
