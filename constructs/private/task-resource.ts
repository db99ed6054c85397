import { createHash } from 'node:crypto';
import { CfnWaitCondition, CfnWaitConditionHandle, CustomResource, type Duration, type Reference, Stack } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';
import { Attr, Prop, type ResourceStage } from '../handler/resource-properties';
import { WaitStrategy } from '../wait-strategy';
import { ImageTaskProvider } from './image-task-provider';

/** What a {@link TaskResource} declares. */
export interface TaskResourceProps {
  /** `Custom::ImageportExport` or `Custom::ImageportImport`. */
  readonly resourceType: string;
  /** The custom-resource properties, without `Stage`. */
  readonly properties: Record<string, unknown>;
  /** The properties whose change starts a new task: hashed into the WaitCondition ids of the long-wait strategy. */
  readonly replaceProperties: readonly string[];
  /** How long the task may take. */
  readonly timeout: Duration;
  /** How to wait. */
  readonly strategy: WaitStrategy;
  /**
   * Constructs whose resources must exist before the task starts (the VM Import/Export role, the handler's task
   * policies). The handler Lambdas and their roles need no entry: the service token reaches them through the
   * Provider framework's functions, which CloudFormation creates first.
   */
  readonly dependencies: readonly IConstruct[];
}

/**
 * The CloudFormation side of one export or import, for either wait strategy:
 *
 * - `CUSTOM_RESOURCE`: one custom resource (`Resource`, stage `task`) that the Provider framework's isComplete loop
 *   completes when the task ends (`ServiceTimeout` = the timeout, at most 1 hour);
 * - `WAIT_CONDITION`: a custom resource (`Start`, stage `start`) starts the task and the Step Functions poller, a
 *   `WaitCondition` (timeout up to 12 hours) waits for the poller's signal, and a result custom resource (`Resource`,
 *   stage `result`) reads the finished task's attributes. The handle and condition ids carry a hash of the
 *   replace-forcing properties, so a replacement gets a fresh WaitCondition (CloudFormation cannot update one).
 */
export class TaskResource extends Construct {
  /** The custom resource whose attributes are the construct's attributes. */
  public readonly resource: CustomResource;
  /** The custom resource that started the task (the same as `resource` with `CUSTOM_RESOURCE`). */
  public readonly taskResource: CustomResource;

  constructor(scope: Construct, id: string, props: TaskResourceProps) {
    super(scope, id);
    const provider = ImageTaskProvider.of(this);
    const create = (childId: string, stage: ResourceStage, extra: Record<string, unknown>, timeout?: Duration): CustomResource => {
      const resource = new CustomResource(this, childId, {
        serviceToken: provider.serviceToken,
        resourceType: props.resourceType,
        properties: { [Prop.stage]: stage, ...props.properties, ...extra },
        serviceTimeout: timeout,
      });
      resource.node.addDependency(...props.dependencies);
      return resource;
    };

    if (props.strategy === WaitStrategy.CUSTOM_RESOURCE) {
      this.resource = this.taskResource = create('Resource', 'task', {}, props.timeout);
      return;
    }

    const poller = provider.poller;
    const hash = replaceHash(this, props.properties, props.replaceProperties);
    const handle = new CfnWaitConditionHandle(this, `WaitHandle${hash}`);
    this.taskResource = create('Start', 'start', { [Prop.waitHandle]: handle.ref });
    this.taskResource.node.addDependency(poller);
    const condition = new CfnWaitCondition(this, `WaitCondition${hash}`, {
      handle: handle.ref,
      timeout: String(props.timeout.toSeconds()),
      count: 1,
    });
    condition.node.addDependency(this.taskResource);
    const result = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: props.resourceType,
      properties: {
        [Prop.stage]: 'result',
        ...pick(props.properties, props.replaceProperties),
        [Prop.taskId]: this.taskResource.getAttString(Attr.taskId),
        [Prop.waitData]: condition.attrData,
      },
    });
    this.resource = result;
  }

  /** One attribute of the finished task. */
  public getAtt(name: string): Reference {
    return this.resource.getAtt(name);
  }
}

function pick(properties: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => properties[name] !== undefined).map((name) => [name, properties[name]]));
}

/**
 * A short hash of the replace-forcing properties (resolved), for ids of resources that must be new on every
 * replacement.
 * @param scope any construct of the stack
 * @param properties the custom-resource properties
 * @param names the replace-forcing property names
 */
export function replaceHash(scope: Construct, properties: Record<string, unknown>, names: readonly string[]): string {
  const stack = Stack.of(scope);
  const resolved = stack.resolve(pick(properties, names)) as unknown;
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 8).toUpperCase();
}
