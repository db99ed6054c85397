import { Aspects, CfnResource, Duration, type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { POLLER_ARN_ENV } from '../handler/handler-environment';
import { type IVmImportRole, PASS_ROLE_ACTIONS } from '../vm-import-role';
import { handlerAssetPath } from './handler-asset';
import { acknowledgeWildcards, addNagSuppressions } from './nag-suppressions';

/** How often the Provider framework calls isComplete (one describe per call). */
export const QUERY_INTERVAL = Duration.seconds(15);
/** CloudFormation's custom-resource limit, and so the Provider framework's total timeout. */
export const CUSTOM_RESOURCE_MAX_TIMEOUT = Duration.hours(1);
/** The WaitCondition limit. */
export const WAIT_CONDITION_MAX_TIMEOUT = Duration.hours(12);

const SINGLETON_ID = 'ImageportTaskProvider';

/**
 * The per-stack machinery behind every `ImageExport` and `ImageImport`: the handler Lambdas (one prebuilt bundle,
 * AWS SDK v3 from the runtime), their least-privilege role, the custom-resource Provider, and, created only when a
 * resource uses the long-wait strategy, the Step Functions poller. One instance per stack, shared.
 */
export class ImageTaskProvider extends Construct {
  /** The stack's provider, created on first use. */
  public static of(scope: IConstruct): ImageTaskProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(SINGLETON_ID) as ImageTaskProvider | undefined) ?? new ImageTaskProvider(stack, SINGLETON_ID);
  }

  /** Role of the onEvent Lambda (starts, cancels, deletes). */
  public readonly starterRole: iam.Role;
  /** Role of the isComplete and Poll Lambdas (describes, verifies, cancels at the deadline). */
  public readonly watcherRole: iam.Role;
  /** Service token of the custom resources. */
  public readonly serviceToken: string;
  private readonly logGroup: logs.LogGroup;
  private readonly code: lambda.Code;
  private readonly onEventFunction: lambda.Function;
  private pollerMachine?: sfn.StateMachine;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const lambdaRole = (roleId: string, description: string): iam.Role => {
      const role = new iam.Role(this, roleId, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
      this.logGroup.grantWrite(role);
      return role;
    };
    // Two roles: the poller's role policy names the Poll function, whose role must not be the one allowed to start
    // the poller (that would be a dependency cycle).
    this.starterRole = lambdaRole('StarterRole', 'imageport: starts and cancels VM export/import tasks');
    this.watcherRole = lambdaRole('WatcherRole', 'imageport: watches VM export/import tasks');
    this.allow(
      new iam.PolicyStatement({
        sid: 'VmImportExportTasks',
        actions: [
          'ec2:ExportImage',
          'ec2:DescribeExportImageTasks',
          'ec2:CancelExportTask',
          'ec2:ImportImage',
          'ec2:DescribeImportImageTasks',
          'ec2:CancelImportTask',
          'ec2:DescribeImages',
          'ec2:DescribeSnapshots',
        ],
        resources: ['*'],
      }),
    );
    this.starterRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PreflightReadsManagedPoliciesOfTheRole',
        actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        resources: [Stack.of(this).formatArn({ service: 'iam', region: '', account: '*', resource: 'policy', resourceName: '*' })],
      }),
    );
    this.starterRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TagTasksOnCreate',
        actions: ['ec2:CreateTags'],
        resources: ['*'],
        conditions: { StringEquals: { 'ec2:CreateAction': ['ExportImage', 'ImportImage'] } },
      }),
    );
    this.code = lambda.Code.fromAsset(handlerAssetPath());
    this.onEventFunction = this.handlerFunction('OnEvent', 'index.onEvent', 'imageport: starts and cancels VM export/import tasks', this.starterRole);
    const isComplete = this.handlerFunction('IsComplete', 'index.isComplete', 'imageport: one poll of a VM export/import task', this.watcherRole);

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventFunction,
      isCompleteHandler: isComplete,
      queryInterval: QUERY_INTERVAL,
      totalTimeout: CUSTOM_RESOURCE_MAX_TIMEOUT,
      frameworkOnEventRole: lambdaRole('FrameworkOnEventRole', 'imageport: provider framework onEvent'),
      frameworkCompleteAndTimeoutRole: lambdaRole('FrameworkWaiterRole', 'imageport: provider framework isComplete and onTimeout'),
      logGroup: this.logGroup,
    });
    this.serviceToken = provider.serviceToken;
    Aspects.of(this).add(new ProviderNagSuppressions());
  }

  /**
   * Lets the handler start, watch, verify and (under `RemovalPolicy.DESTROY`) delete exports into `bucket` under
   * `prefix`, passing `role` to VM Export. The statements go into policies of `scope` (one per role), so the
   * export's custom resource depends on exactly its own grants.
   * @returns the policies the custom resource must depend on
   */
  public grantExport(scope: Construct, bucket: s3.IBucket, prefix: string | undefined, role: IVmImportRole): iam.Policy[] {
    const objects = bucket.arnForObjects(`${prefix ?? ''}*`);
    return this.acknowledged([
      new iam.Policy(scope, 'StarterAccess', {
        roles: [this.starterRole],
        statements: [
          passRoleStatement(role),
          new iam.PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetEncryptionConfiguration'], resources: [bucket.bucketArn] }),
          new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: [objects] }),
        ],
      }),
      new iam.Policy(scope, 'WatcherAccess', {
        roles: [this.watcherRole],
        statements: [
          new iam.PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [bucket.bucketArn] }),
          new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }),
        ],
      }),
    ]);
  }

  /**
   * Lets the handler check the source objects of an import and pass `role` to VM Import, in a policy of `scope`.
   * @returns the policies the custom resource must depend on
   */
  public grantImport(scope: Construct, sources: readonly { bucket: s3.IBucket; key: string }[], role: IVmImportRole): iam.Policy[] {
    const statements = [passRoleStatement(role)];
    for (const { bucket, key } of sources) {
      statements.push(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [bucket.bucketArn] }));
      statements.push(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(key)] }));
    }
    return this.acknowledged([new iam.Policy(scope, 'StarterAccess', { roles: [this.starterRole], statements })]);
  }

  private acknowledged(policies: iam.Policy[]): iam.Policy[] {
    for (const policy of policies) Aspects.of(policy).add(new ProviderNagSuppressions());
    return policies;
  }

  /**
   * The Step Functions poller of the long-wait strategy, created on first use: it polls the task, waits as long as
   * the handler suggests, and has the handler signal the WaitCondition when the task ends (or when polling fails).
   */
  public get poller(): sfn.StateMachine {
    if (this.pollerMachine) return this.pollerMachine;
    const pollFunction = this.handlerFunction('Poll', 'index.poll', 'imageport: polls a VM export/import task and signals its WaitCondition', this.watcherRole);
    const poll = new tasks.LambdaInvoke(this, 'PollTask', { lambdaFunction: pollFunction, payloadResponseOnly: true, retryOnServiceExceptions: true });
    poll.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(20), maxAttempts: 5, backoffRate: 2 });
    const signalFailure = new tasks.LambdaInvoke(this, 'SignalFailure', {
      lambdaFunction: pollFunction,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({ 'Input.$': '$$.Execution.Input', 'Failure.$': '$' }),
    });
    signalFailure.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(10), maxAttempts: 3, backoffRate: 2 });
    poll.addCatch(signalFailure.next(new sfn.Fail(this, 'PollingFailed', { error: 'PollingFailed', cause: 'The task could not be polled; the WaitCondition was told.' })));
    const wait = new sfn.Wait(this, 'WaitBeforeNextPoll', { time: sfn.WaitTime.secondsPath('$.WaitSeconds') });
    const definition = poll.next(
      new sfn.Choice(this, 'TaskEnded')
        .when(sfn.Condition.booleanEquals('$.Done', true), new sfn.Succeed(this, 'Signalled'))
        .otherwise(wait.next(poll)),
    );
    this.pollerMachine = new sfn.StateMachine(this, 'Poller', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: WAIT_CONDITION_MAX_TIMEOUT.plus(Duration.minutes(15)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.pollerMachine.grantStartExecution(this.starterRole);
    this.onEventFunction.addEnvironment(POLLER_ARN_ENV, this.pollerMachine.stateMachineArn);
    return this.pollerMachine;
  }

  /** The roles of every handler Lambda. */
  public get handlerRoles(): readonly iam.Role[] {
    return [this.starterRole, this.watcherRole];
  }

  private allow(statement: iam.PolicyStatement): void {
    for (const role of this.handlerRoles) role.addToPolicy(statement);
  }

  private handlerFunction(id: string, handler: string, description: string, role: iam.Role): lambda.Function {
    return new lambda.Function(this, id, {
      code: this.code,
      handler,
      description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(2),
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });
  }
}

/** `iam:PassRole` of a VM Import/Export role, and the reads the driver's preflight makes of it. */
function passRoleStatement(role: IVmImportRole): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: [...PASS_ROLE_ACTIONS], resources: [role.roleArn] });
}

/** Writes down why the findings cdk-nag reports on the provider's own resources do not apply. */
class ProviderNagSuppressions implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const stack = Stack.of(node);
    if (node.cfnResourceType === 'AWS::IAM::Policy') {
      acknowledgeWildcards(node, stack.resolve((node as iam.CfnPolicy).policyDocument), WILDCARD_REASON);
    } else if (node.cfnResourceType === 'AWS::Lambda::Function' && node.node.path.includes('/Provider/')) {
      addNagSuppressions(node, [
        { id: 'AwsSolutions::AwsSolutions-L1', reason: 'The custom-resource provider framework Lambdas are created by aws-cdk-lib, which picks their runtime.' },
      ]);
    } else if (node.cfnResourceType === 'AWS::StepFunctions::StateMachine' && node.node.path.includes('/Provider/')) {
      addNagSuppressions(node, [
        { id: 'AwsSolutions::AwsSolutions-SF1', reason: 'The provider framework waiter state machine is created by aws-cdk-lib; the handler logs every poll.' },
        { id: 'AwsSolutions::AwsSolutions-SF2', reason: 'The provider framework waiter state machine is created by aws-cdk-lib without an X-Ray option.' },
      ]);
    }
  }
}

/** Why the handler's policies hold wildcards. */
export const WILDCARD_REASON =
  'EC2 VM Import/Export task actions and DescribeImages take no resource-level permissions (Resource *); exported ' +
  'object keys contain the task id, known only once the task starts (bucket/prefix*); the preflight reads whichever ' +
  'managed policies the service role has (policy/*); Lambda invocations cover the function versions (function:*); ' +
  'X-Ray and log delivery of Step Functions take no resource.';
