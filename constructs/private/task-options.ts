import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type ValidationIssue } from '../../lib/model/validation-issue';
import { WaitStrategy } from '../wait-strategy';
import { CUSTOM_RESOURCE_MAX_TIMEOUT, WAIT_CONDITION_MAX_TIMEOUT } from './image-task-provider';
import { isUnresolved } from './synth-validation';

/** The strategy that fits a timeout. */
export function defaultStrategy(timeout: Duration): WaitStrategy {
  return timeout.toSeconds() <= CUSTOM_RESOURCE_MAX_TIMEOUT.toSeconds() ? WaitStrategy.CUSTOM_RESOURCE : WaitStrategy.WAIT_CONDITION;
}

/** Every problem with a timeout for a strategy. */
export function checkTimeout(timeout: Duration, strategy: WaitStrategy): ValidationIssue[] {
  if (isUnresolved(timeout.toString())) return [];
  const seconds = timeout.toSeconds({ integral: false });
  const issues: ValidationIssue[] = [];
  const allowed = strategy === WaitStrategy.CUSTOM_RESOURCE ? '1 minute to 1 hour' : '1 minute to 12 hours';
  const max = strategy === WaitStrategy.CUSTOM_RESOURCE ? CUSTOM_RESOURCE_MAX_TIMEOUT : WAIT_CONDITION_MAX_TIMEOUT;
  if (seconds < 60 || seconds > max.toSeconds()) {
    const why =
      strategy === WaitStrategy.CUSTOM_RESOURCE
        ? 'CloudFormation gives a custom resource at most 1 hour; use WaitStrategy.WAIT_CONDITION for longer'
        : 'a CloudFormation WaitCondition waits at most 12 hours';
    issues.push({ field: 'timeout', value: timeout.toHumanString(), rule: `is out of range: ${why}`, code: 'timeout.range', allowed: [allowed] });
  } else if (!Number.isInteger(seconds)) {
    issues.push({ field: 'timeout', value: timeout.toHumanString(), rule: 'must be a whole number of seconds', code: 'timeout.integral' });
  }
  return issues;
}

/**
 * Every problem with a removal policy of a task's result.
 * @param policy the removal policy given
 * @param what what the policy applies to, for the message
 */
export function checkRemovalPolicy(policy: RemovalPolicy | undefined, what = 'an exported file'): ValidationIssue[] {
  const allowed = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];
  if (policy === undefined || allowed.includes(policy)) return [];
  return [{ field: 'removalPolicy', value: policy, rule: `is not supported for ${what}`, code: 'removal-policy.not-allowed', allowed }];
}
