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
import { MergedPolicy } from './merged-policy';
import { acknowledgeWildcards, addNagSuppressions } from './nag-suppressions';
import { isShareableGrant } from './shareable-grant';

/** How often the Provider framework calls isComplete (one describe per call). */
export const QUERY_INTERVAL = Duration.seconds(15);
/** CloudFormation's custom-resource limit, and so the Provider framework's total timeout. */
export const CUSTOM_RESOURCE_MAX_TIMEOUT = Duration.hours(1);
/** The WaitCondition limit. */
export const WAIT_CONDITION_MAX_TIMEOUT = Duration.hours(12);

const SINGLETON_ID = 'ImageportTaskProvider';

/** What the handler reads of an export bucket: where it is, whether the object is there, how it is encrypted. */
const EXPORT_BUCKET_READS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetEncryptionConfiguration'] as const;
/** What the handler reads of a bucket when it watches a task or checks an import's source. */
const BUCKET_READS = ['s3:GetBucketLocation', 's3:ListBucket'] as const;
/** HEAD and ranged GET of an object. */
const OBJECT_READS = ['s3:GetObject'] as const;

/** The grants of one export. */
export interface ExportGrant {
  /** Destination bucket. */
  readonly bucket: s3.IBucket;
  /** Key prefix. @default - the whole bucket */
  readonly prefix?: string;
  /** The VM Import/Export role passed to EC2. */
  readonly role: IVmImportRole;
  /** Whether Delete deletes the exported file (the destroy removal policy). */
  readonly deleteObjects: boolean;
  /** Hash of the replace-forcing properties: names the object-removal policy, so a replacement gets a new one. */
  readonly replaceHash: string;
}

/** The grants of one import. */
export interface ImportGrant {
  /** The bucket disks. */
  readonly sources: readonly { readonly bucket: s3.IBucket; readonly key: string }[];
  /** The VM Import/Export role passed to EC2. */
  readonly role: IVmImportRole;
  /** Whether Delete deregisters the imported AMI and deletes its snapshots (the destroy removal policy). */
  readonly deleteImage: boolean;
}

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
  private readonly shared = new Map<'starter' | 'watcher', MergedPolicy>();
  private readonly acknowledgedPolicies = new Set<iam.Policy>();

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
    const stack = Stack.of(this);
    this.starterRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RetagTasksInPlace',
        actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
        resources: [
          stack.formatArn({ service: 'ec2', resource: 'export-image-task', resourceName: '*' }),
          stack.formatArn({ service: 'ec2', resource: 'import-image-task', resourceName: '*' }),
          stack.formatArn({ service: 'ec2', account: '', resource: 'image', resourceName: '*' }),
        ],
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
   * Lets the handler start, watch and verify exports into `bucket` under `prefix`, passing `role` to VM Export, and,
   * under the destroy policy, delete the exported file.
   *
   * The reads and `iam:PassRole` go into the stack's two shared task policies (one statement per set of actions,
   * resources merged), unless the bucket, prefix or role name the result of another task resource: those would
   * make every task depend on that result (a cycle), so they get policies of their own in `scope`. The delete
   * permission of a destroy export always lives in a policy of its own (`ObjectRemoval<hash>` in `scope`, `hash`
   * of the replace-forcing properties): CloudFormation deletes the export's old physical resource in the cleanup
   * phase, after it has updated every policy the new template still has, so the permission must leave the stack
   * with that very resource, not before.
   * @returns the policies the custom resource must depend on
   */
  public grantExport(scope: Construct, grant: ExportGrant): iam.Policy[] {
    const { bucket, prefix, role } = grant;
    const objects = bucket.arnForObjects(`${prefix ?? ''}*`);
    const policies: iam.Policy[] = [];
    if (isShareableGrant(scope, [bucket.bucketArn, objects, role.roleArn])) {
      const starter = this.sharedPolicy('starter');
      const watcher = this.sharedPolicy('watcher');
      starter.allow(PASS_ROLE_ACTIONS, [role.roleArn]);
      starter.allow(EXPORT_BUCKET_READS, [bucket.bucketArn]);
      starter.allow(OBJECT_READS, [objects]);
      watcher.allow(BUCKET_READS, [bucket.bucketArn]);
      watcher.allow(OBJECT_READS, [objects]);
      policies.push(starter.policy, watcher.policy);
    } else {
      policies.push(
        new iam.Policy(scope, 'StarterAccess', {
          roles: [this.starterRole],
          statements: [
            passRoleStatement(role),
            new iam.PolicyStatement({ actions: [...EXPORT_BUCKET_READS], resources: [bucket.bucketArn] }),
            new iam.PolicyStatement({ actions: [...OBJECT_READS], resources: [objects] }),
          ],
        }),
        new iam.Policy(scope, 'WatcherAccess', {
          roles: [this.watcherRole],
          statements: [
            new iam.PolicyStatement({ actions: [...BUCKET_READS], resources: [bucket.bucketArn] }),
            new iam.PolicyStatement({ actions: [...OBJECT_READS], resources: [objects] }),
          ],
        }),
      );
    }
    if (grant.deleteObjects) {
      policies.push(
        new iam.Policy(scope, `ObjectRemoval${grant.replaceHash}`, {
          roles: [this.starterRole],
          statements: [new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects] })],
        }),
      );
    }
    return this.acknowledged(policies);
  }

  /**
   * Lets the handler check the source objects of an import and pass `role` to VM Import (shared policy, or one in
   * `scope` when a source names another task's result, see {@link grantExport}), and, under the destroy policy,
   * deregister the imported AMI and delete its snapshots (a policy of its own in `scope`, `ImageRemoval`).
   * @returns the policies the custom resource must depend on
   */
  public grantImport(scope: Construct, grant: ImportGrant): iam.Policy[] {
    const { sources, role } = grant;
    const policies: iam.Policy[] = [];
    const arns = sources.flatMap(({ bucket, key }) => [bucket.bucketArn, bucket.arnForObjects(key)]);
    if (isShareableGrant(scope, [...arns, role.roleArn])) {
      const starter = this.sharedPolicy('starter');
      starter.allow(PASS_ROLE_ACTIONS, [role.roleArn]);
      for (const { bucket, key } of sources) {
        starter.allow(BUCKET_READS, [bucket.bucketArn]);
        starter.allow(OBJECT_READS, [bucket.arnForObjects(key)]);
      }
      policies.push(starter.policy);
    } else {
      const statements = [passRoleStatement(role)];
      for (const { bucket, key } of sources) {
        statements.push(new iam.PolicyStatement({ actions: [...BUCKET_READS], resources: [bucket.bucketArn] }));
        statements.push(new iam.PolicyStatement({ actions: [...OBJECT_READS], resources: [bucket.arnForObjects(key)] }));
      }
      policies.push(new iam.Policy(scope, 'StarterAccess', { roles: [this.starterRole], statements }));
    }
    if (grant.deleteImage) {
      const stack = Stack.of(this);
      policies.push(
        new iam.Policy(scope, 'ImageRemoval', {
          roles: [this.starterRole],
          statements: [
            new iam.PolicyStatement({ actions: ['ec2:DeregisterImage'], resources: [stack.formatArn({ service: 'ec2', account: '', resource: 'image', resourceName: '*' })] }),
            new iam.PolicyStatement({ actions: ['ec2:DeleteSnapshot'], resources: [stack.formatArn({ service: 'ec2', account: '', resource: 'snapshot', resourceName: '*' })] }),
          ],
        }),
      );
    }
    return this.acknowledged(policies);
  }

  /** The shared task policy of the starter or the watcher role, created on first use (an empty policy is invalid). */
  private sharedPolicy(role: 'starter' | 'watcher'): MergedPolicy {
    let policy = this.shared.get(role);
    if (!policy) {
      policy =
        role === 'starter'
          ? new MergedPolicy(this, 'StarterTaskAccess', this.starterRole)
          : new MergedPolicy(this, 'WatcherTaskAccess', this.watcherRole);
      this.shared.set(role, policy);
      this.acknowledged([policy.policy]);
    }
    return policy;
  }

  private acknowledged(policies: iam.Policy[]): iam.Policy[] {
    for (const policy of policies) {
      if (this.acknowledgedPolicies.has(policy)) continue;
      this.acknowledgedPolicies.add(policy);
      Aspects.of(policy).add(new ProviderNagSuppressions());
    }
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
  /** Resources already acknowledged: a policy is reached both from the provider's aspect and from its own. */
  private static readonly done = new WeakSet<IConstruct>();

  public visit(node: IConstruct): void {
    if (!(node instanceof CfnResource) || ProviderNagSuppressions.done.has(node)) return;
    ProviderNagSuppressions.done.add(node);
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
  'X-Ray and log delivery of Step Functions take no resource; the AMI an import creates and its snapshots are known ' +
  'only once the import ends, and so are the tasks re-tagged in place (image/*, snapshot/*, *-image-task/* of this region).';
