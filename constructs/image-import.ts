import { CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { awsRules } from '../lib/clouds/aws/rules';
import { type DiskProperties, Attr, IMPORT_REPLACE_PROPS, IMPORT_RESOURCE_TYPE, Prop } from './handler/resource-properties';
import { type ImportDisk } from './import-disk';
import { type ImportArchitecture, type ImportBootMode, type ImportFormat, type ImportLicenseType, ImportPlatform } from './import-options';
import { ImageTaskProvider } from './private/image-task-provider';
import { PLACEHOLDER_REGION, throwIfInvalid } from './private/synth-validation';
import { checkRemovalPolicy, checkTimeout, defaultStrategy } from './private/task-options';
import { TaskResource } from './private/task-resource';
import { type IVmImportRole, VmImportRole } from './vm-import-role';
import { type WaitStrategy } from './wait-strategy';

/** Properties of an {@link ImageImport}. */
export interface ImageImportProps {
  /** The disks of the VM, boot disk first: bucket objects, URLs or EBS snapshots. */
  readonly disks: ImportDisk[];
  /**
   * Format of the disk files (a disk's own `format` wins).
   * @default - each disk's own format, which bucket and URL disks then need
   */
  readonly format?: ImportFormat;
  /**
   * Operating-system platform. Decides the `machineImage`'s OS type too.
   * @default - detected by EC2 (`machineImage` assumes Linux)
   */
  readonly platform?: ImportPlatform;
  /**
   * CPU architecture.
   * @default - detected by EC2
   */
  readonly architecture?: ImportArchitecture;
  /**
   * License type.
   * @default - `AWS` for Windows Server, `BYOL` for Windows client and Linux
   */
  readonly licenseType?: ImportLicenseType;
  /**
   * Boot mode.
   * @default - detected by EC2 (legacy BIOS for most images)
   */
  readonly bootMode?: ImportBootMode;
  /**
   * Encrypt the snapshots of the new AMI. Implied by `kmsKey`.
   * @default - true when `kmsKey` is given, else false
   */
  readonly encrypted?: boolean;
  /**
   * KMS key for the snapshots. The VM Import role is granted its use.
   * @default - the account's default EBS key when `encrypted`
   */
  readonly kmsKey?: kms.IKey;
  /**
   * The VM Import/Export service role. It is granted read access to the bucket disks.
   * @default - the stack's shared `VmImportRole`, created on first use
   */
  readonly role?: IVmImportRole;
  /**
   * Description of the import task. Updates in place.
   * @default - none
   */
  readonly description?: string;
  /**
   * Tags of the import task (and of the AMI, once imported). Update in place: a change re-tags both and starts no
   * new import. EC2 forgets import tasks after 7 days; a later tags change is then skipped (and logged).
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * How long the import may take before the deployment fails (and the task is cancelled): 1 minute to 12 hours.
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
  /**
   * How `cdk deploy` waits for the import.
   * @default - `WaitStrategy.CUSTOM_RESOURCE` while `timeout` is at most 1 hour, else `WaitStrategy.WAIT_CONDITION`
   */
  readonly waitStrategy?: WaitStrategy;
  /**
   * What happens to the imported AMI when the import leaves the stack or is replaced: `RETAIN` keeps it (and its
   * snapshots), `DESTROY` deregisters it and deletes its EBS snapshots. A running task is cancelled either way.
   * Changing it updates in place.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Core spec field → prop name, for validation messages. */
const PROP_NAMES: Readonly<Record<string, string>> = { roleName: 'role', kmsKeyId: 'kmsKey' };

/**
 * Imports a VM (disk files in S3, URLs or EBS snapshots) as an AMI (EC2 ImportImage) and blocks the deployment until
 * the AMI exists. `machineImage` launches it directly (`new ec2.Instance(…, { machineImage: imported.machineImage })`).
 *
 * Any change but `description`, `tags`, `timeout` and `removalPolicy` imports again; tags are re-applied in place
 * (to the task, and to the AMI). Delete cancels a running task; the AMI is kept, or, under
 * `RemovalPolicy.DESTROY`, deregistered with its snapshots.
 *
 * @example
 * const imported = new ImageImport(this, 'Appliance', {
 *   disks: [ImportDisk.fromBucket(bucket, 'appliance.vmdk')],
 *   format: ImportFormat.VMDK,
 *   platform: ImportPlatform.LINUX,
 * });
 */
export class ImageImport extends Construct {
  /** The new AMI id (the physical id of the import's `Image` resource). @attribute */
  public readonly imageId: string;
  /** The import task id, `import-ami-…`. @attribute */
  public readonly taskId: string;
  /** The new AMI, for `ec2.Instance` and launch templates. */
  public readonly machineImage: ec2.IMachineImage;
  /** The role VM Import used. */
  public readonly role: IVmImportRole;
  /** The wait strategy in use. */
  public readonly waitStrategy: WaitStrategy;

  /**
   * @param scope construct scope
   * @param id construct id
   * @param props disks and options
   */
  constructor(scope: Construct, id: string, props: ImageImportProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const timeout = props.timeout ?? Duration.hours(1);
    this.waitStrategy = props.waitStrategy ?? defaultStrategy(timeout);
    this.role = props.role ?? VmImportRole.defaultFor(this);
    const encrypted = props.encrypted ?? (props.kmsKey !== undefined ? true : undefined);
    const disks: DiskProperties[] = props.disks.map((disk) => ({
      Bucket: disk.bucket?.bucketName,
      Key: disk.key,
      Url: disk.url,
      SnapshotId: disk.snapshotId,
      Format: disk.options.format ?? props.format,
      Description: disk.options.description,
      DeviceName: disk.options.deviceName,
    }));

    const spec = {
      cloud: 'aws',
      region: Token.isUnresolved(stack.region) ? PLACEHOLDER_REGION : stack.region,
      disks: disks.map((d) => ({
        ...(d.Bucket !== undefined ? { bucket: d.Bucket, key: d.Key } : {}),
        ...(d.Url !== undefined ? { url: d.Url } : {}),
        ...(d.SnapshotId !== undefined ? { snapshotId: d.SnapshotId } : {}),
        format: d.Format,
        description: d.Description,
        deviceName: d.DeviceName,
      })),
      architecture: props.architecture,
      platform: props.platform,
      licenseType: props.licenseType,
      bootMode: props.bootMode,
      encrypted,
      kmsKeyId: props.kmsKey?.keyArn,
      roleName: this.role.roleName,
      description: props.description,
      tags: props.tags,
    };
    const issues = [
      ...awsRules.validateImport(spec as never),
      ...checkTimeout(timeout, this.waitStrategy),
      ...checkRemovalPolicy(props.removalPolicy, 'an imported AMI'),
    ];
    throwIfInvalid(`ImageImport "${id}"`, issues, PROP_NAMES, new Set(Token.isUnresolved(stack.region) ? ['region'] : []));

    const sources = props.disks.flatMap((disk) => (disk.bucket && disk.key !== undefined ? [{ bucket: disk.bucket, key: disk.key }] : []));
    for (const { bucket } of sources) this.role.grantImportFrom(bucket);
    if (props.kmsKey) this.role.grantEncryptWith(props.kmsKey);
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    const provider = ImageTaskProvider.of(this);
    const access = provider.grantImport(this, { sources, role: this.role, deleteImage: destroy });
    const removal = destroy ? 'destroy' : 'retain';

    const task = new TaskResource(this, 'Task', {
      resourceType: IMPORT_RESOURCE_TYPE,
      properties: {
        [Prop.disks]: disks,
        [Prop.platform]: props.platform,
        [Prop.architecture]: props.architecture,
        [Prop.licenseType]: props.licenseType,
        [Prop.bootMode]: props.bootMode,
        [Prop.encrypted]: encrypted === undefined ? undefined : String(encrypted),
        [Prop.kmsKeyId]: props.kmsKey?.keyArn,
        [Prop.roleName]: this.role.roleName,
        [Prop.description]: props.description,
        [Prop.tags]: props.tags,
        [Prop.timeoutSeconds]: String(timeout.toSeconds()),
        [Prop.imageRemovalPolicy]: removal,
      },
      replaceProperties: IMPORT_REPLACE_PROPS,
      timeout,
      strategy: this.waitStrategy,
      dependencies: [this.role, ...access],
    });
    this.node.defaultChild = task.resource;
    this.taskId = task.getAtt(Attr.taskId).toString();
    // The AMI as a resource of its own (physical id = AMI id): CloudFormation keeps the id for the stack's life
    // (EC2 forgets import tasks after 7 days), a replacement deletes the old AMI's resource, and Delete honours
    // the removal policy.
    const image = new CustomResource(this, 'Image', {
      serviceToken: provider.serviceToken,
      resourceType: IMPORT_RESOURCE_TYPE,
      properties: { [Prop.stage]: 'image', [Prop.taskId]: this.taskId, [Prop.imageRemovalPolicy]: removal },
    });
    image.node.addDependency(...access);
    this.imageId = image.ref;
    this.machineImage = new ImportedMachineImage(this.imageId, props.platform === ImportPlatform.WINDOWS ? ec2.OperatingSystemType.WINDOWS : ec2.OperatingSystemType.LINUX);
  }
}

/** The AMI an import produced, as an `ec2.IMachineImage`. */
class ImportedMachineImage implements ec2.IMachineImage {
  constructor(
    private readonly imageId: string,
    private readonly osType: ec2.OperatingSystemType,
  ) {}

  public getImage(_scope: Construct): ec2.MachineImageConfig {
    return { imageId: this.imageId, osType: this.osType, userData: ec2.UserData.forOperatingSystem(this.osType) };
  }
}
