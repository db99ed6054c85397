/**
 * How `cdk deploy` blocks until an export or import task has finished.
 *
 * CloudFormation gives a custom resource at most one hour; a `WaitCondition` may wait up to 12 hours.
 */
export enum WaitStrategy {
  /**
   * The custom-resource Provider framework polls the task from its isComplete loop. Up to 1 hour: the
   * CloudFormation custom-resource limit.
   */
  CUSTOM_RESOURCE = 'custom-resource',
  /**
   * A custom resource starts the task and a Step Functions poller; the poller signals a CloudFormation
   * `WaitCondition` when the task ends, and a small result custom resource then reads the task's attributes.
   * Up to 12 hours: the `WaitCondition` limit.
   */
  WAIT_CONDITION = 'wait-condition',
}
