import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { awsRules } from '../lib/clouds/aws/rules';
import { type ExportFormat } from './export-format';
import { Attr, EXPORT_REPLACE_PROPS, EXPORT_RESOURCE_TYPE, Prop } from './handler/resource-properties';
import { ImageTaskProvider } from './private/image-task-provider';
import { PLACEHOLDER_REGION, throwIfInvalid } from './private/synth-validation';
import { checkRemovalPolicy, checkTimeout, defaultStrategy } from './private/task-options';
import { replaceHash, TaskResource } from './private/task-resource';
import { type IVmImportRole, VmImportRole } from './vm-import-role';
import { type WaitStrategy } from './wait-strategy';

/** Properties of an {@link ImageExport}. */
export interface ImageExportProps {
  /** The AMI to export: an AMI id (`ami-…`) or any `ec2.IMachineImage`. */
  readonly image: string | ec2.IMachineImage;
  /** Format of the exported file. */
  readonly format: ExportFormat;
  /** Destination bucket, in the stack's region. It must not use SSE-KMS (use an `ImageExportBucket`). */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix. AWS appends the task id and extension with no separator: `exports/` gives
   * `exports/export-ami-0123456789abcdef0.vmdk`.
   * @default - no prefix: the file lands at the root of the bucket
   */
  readonly prefix?: string;
  /**
   * The VM Import/Export service role. It is granted write access to `bucket`.
   * @default - the stack's shared `VmImportRole` (`VmImportRole.defaultFor(stack)`), created on first use
   */
  readonly role?: IVmImportRole;
  /**
   * Description of the export task (at most 255 characters). Updates in place.
   * @default - none
   */
  readonly description?: string;
  /**
   * Tags of the export task (keys at most 127 characters and not `aws:`, values at most 256). Update in place:
   * a change re-tags the task (CreateTags / DeleteTags) and starts no new export. A task EC2 no longer lists is
   * left as it is (logged).
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * How long the export may take before the deployment fails (and the task is cancelled): 1 minute to 12 hours.
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
  /**
   * How `cdk deploy` waits for the export.
   * @default - `WaitStrategy.CUSTOM_RESOURCE` while `timeout` is at most 1 hour, else `WaitStrategy.WAIT_CONDITION`
   */
  readonly waitStrategy?: WaitStrategy;
  /**
   * What happens to the exported file when the export leaves the stack or is replaced: `RETAIN` keeps it,
   * `DESTROY` deletes it. A running task is cancelled either way.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Core spec field → prop name, for validation messages. */
const PROP_NAMES: Readonly<Record<string, string>> = { imageId: 'image', roleName: 'role' };

/**
 * Exports an AMI to a file in S3 (EC2 ExportImage) and blocks the deployment until the file is in the bucket.
 *
 * Any change to `image`, `format`, `bucket`, `prefix` or `role` exports again (a new task, a new file); `tags` and
 * `description` update in place. Delete cancels a running task; the file is deleted only under
 * `RemovalPolicy.DESTROY`. Exports that may take over an hour use a `WaitCondition` (up to 12 hours).
 *
 * @example
 * const exported = new ImageExport(this, 'Golden', {
 *   image: 'ami-0123456789abcdef0',
 *   format: ExportFormat.VMDK,
 *   bucket: new ImageExportBucket(this, 'Exports'),
 *   prefix: 'exports/',
 * });
 * new CfnOutput(this, 'Uri', { value: exported.s3Uri });
 */
export class ImageExport extends Construct {
  /** The export task id, `export-ami-…`. @attribute */
  public readonly taskId: string;
  /** Object key of the exported file. @attribute */
  public readonly objectKey: string;
  /** `s3://bucket/key` of the exported file. @attribute */
  public readonly s3Uri: string;
  /** Size of the exported file in bytes, read back from the bucket. @attribute */
  public readonly sizeBytes: number;
  /** Format of the exported file. */
  public readonly format: ExportFormat;
  /** The role VM Export used. */
  public readonly role: IVmImportRole;
  /** The wait strategy in use. */
  public readonly waitStrategy: WaitStrategy;

  /**
   * @param scope construct scope
   * @param id construct id
   * @param props image, format, bucket and options
   */
  constructor(scope: Construct, id: string, props: ImageExportProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const imageId = typeof props.image === 'string' ? props.image : props.image.getImage(this).imageId;
    const timeout = props.timeout ?? Duration.hours(1);
    this.waitStrategy = props.waitStrategy ?? defaultStrategy(timeout);
    this.role = props.role ?? VmImportRole.defaultFor(this);
    this.format = props.format;

    const spec = {
      cloud: 'aws',
      region: Token.isUnresolved(stack.region) ? PLACEHOLDER_REGION : stack.region,
      imageId,
      format: props.format,
      bucket: props.bucket.bucketName,
      prefix: props.prefix,
      roleName: this.role.roleName,
      description: props.description,
      tags: props.tags,
    };
    const issues = [
      ...awsRules.validateExport(spec as never),
      ...checkTimeout(timeout, this.waitStrategy),
      ...checkRemovalPolicy(props.removalPolicy),
    ];
    throwIfInvalid(`ImageExport "${id}"`, issues, PROP_NAMES, new Set(Token.isUnresolved(stack.region) ? ['region'] : []));

    this.role.grantExportTo(props.bucket);
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    const properties = {
      [Prop.imageId]: imageId,
      [Prop.format]: props.format,
      [Prop.bucket]: props.bucket.bucketName,
      [Prop.prefix]: props.prefix,
      [Prop.roleName]: this.role.roleName,
      [Prop.description]: props.description,
      [Prop.tags]: props.tags,
      [Prop.timeoutSeconds]: String(timeout.toSeconds()),
      [Prop.removalPolicy]: destroy ? 'destroy' : 'retain',
    };
    const access = ImageTaskProvider.of(this).grantExport(this, {
      bucket: props.bucket,
      prefix: props.prefix,
      role: this.role,
      deleteObjects: destroy,
      replaceHash: destroy ? replaceHash(this, properties, EXPORT_REPLACE_PROPS) : '',
    });

    const task = new TaskResource(this, 'Task', {
      resourceType: EXPORT_RESOURCE_TYPE,
      properties,
      replaceProperties: EXPORT_REPLACE_PROPS,
      timeout,
      strategy: this.waitStrategy,
      dependencies: [this.role, ...access],
    });
    this.node.defaultChild = task.resource;
    this.taskId = task.getAtt(Attr.taskId).toString();
    this.objectKey = task.getAtt(Attr.objectKey).toString();
    this.s3Uri = task.getAtt(Attr.s3Uri).toString();
    this.sizeBytes = Token.asNumber(task.getAtt(Attr.sizeBytes));
  }
}
