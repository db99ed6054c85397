/**
 * The contract between the constructs and their Lambda handler: the custom-resource property names, the
 * attribute names, and the pure helpers both sides share. No `aws-cdk-lib` import here: the handler bundle
 * includes this file.
 *
 * CloudFormation hands every scalar property to the handler as a string, so numbers and booleans travel as text.
 */

/** `ResourceType` of the custom resource of an export. */
export const EXPORT_RESOURCE_TYPE = 'Custom::ImageportExport';
/** `ResourceType` of the custom resource of an import. */
export const IMPORT_RESOURCE_TYPE = 'Custom::ImageportImport';

/**
 * What one custom resource does:
 * - `task`: start the task and wait for it in the Provider framework's isComplete loop (the one-hour path);
 * - `start`: start the task and the Step Functions poller that signals a WaitCondition (the long path);
 * - `result`: after the WaitCondition, read the finished task's attributes (the long path);
 * - `image` (import only): the AMI the import created, physical id = the AMI id, so CloudFormation keeps the id
 *   for as long as the stack lives (EC2 forgets import tasks after 7 days) and its Delete can deregister the AMI.
 */
export type ResourceStage = 'task' | 'start' | 'result' | 'image';

/** Property names of both custom resources. */
export const Prop = {
  /** {@link ResourceStage}. */
  stage: 'Stage',
  /** `retain` or `destroy`: what Delete does with the exported object (export only). */
  removalPolicy: 'ObjectRemovalPolicy',
  /** `retain` or `destroy`: what Delete does with the imported AMI and its snapshots (import only). */
  imageRemovalPolicy: 'ImageRemovalPolicy',
  /** The AMI to export. */
  imageId: 'ImageId',
  /** Export format, `VMDK` / `RAW` / `VHD`. */
  format: 'Format',
  /** Destination bucket. */
  bucket: 'Bucket',
  /** Key prefix. */
  prefix: 'Prefix',
  /** VM Import/Export service role name. */
  roleName: 'RoleName',
  /** Task description. */
  description: 'Description',
  /** Task tags, a map. */
  tags: 'Tags',
  /** Seconds the task may take. */
  timeoutSeconds: 'TimeoutSeconds',
  /** `start` stage: the WaitCondition handle URL the poller signals. */
  waitHandle: 'WaitHandle',
  /** `result` and `image` stages: the task the `task` or `start` stage started. */
  taskId: 'TaskId',
  /** `result` stage: the WaitCondition's data, only to order and to re-run the result after a new signal. */
  waitData: 'WaitData',
  /** Import: the disks, a list of {@link DiskProperties}. */
  disks: 'Disks',
  /** Import: platform. */
  platform: 'Platform',
  /** Import: architecture. */
  architecture: 'Architecture',
  /** Import: license type. */
  licenseType: 'LicenseType',
  /** Import: boot mode. */
  bootMode: 'BootMode',
  /** Import: `true` to encrypt the snapshots. */
  encrypted: 'Encrypted',
  /** Import: KMS key id or ARN. */
  kmsKeyId: 'KmsKeyId',
} as const;

/** One import disk as a custom-resource property. Exactly one of bucket+key, url, snapshot id. */
export interface DiskProperties {
  /** Source bucket. @default - not a bucket disk */
  readonly Bucket?: string;
  /** Source key. @default - not a bucket disk */
  readonly Key?: string;
  /** Source URL. @default - not a URL disk */
  readonly Url?: string;
  /** Source snapshot. @default - not a snapshot disk */
  readonly SnapshotId?: string;
  /** Disk format. @default - the import's format */
  readonly Format?: string;
  /** Disk description. @default - none */
  readonly Description?: string;
  /** Device name. @default - assigned by EC2 */
  readonly DeviceName?: string;
}

/** Attribute names (`Fn::GetAtt`) of the custom resources. */
export const Attr = {
  /** The cloud's task id (`export-ami-…`, `import-ami-…`). */
  taskId: 'TaskId',
  /** Export: object key of the exported file. */
  objectKey: 'ObjectKey',
  /** Export: `s3://bucket/key`. */
  s3Uri: 'S3Uri',
  /** Export: size of the exported file in bytes, read back from the bucket. */
  sizeBytes: 'SizeBytes',
  /** Export: format of the file (`VMDK`). */
  format: 'Format',
  /** Import: the new AMI id. */
  imageId: 'ImageId',
} as const;

/** Export properties whose change starts a new export (a new physical id). */
export const EXPORT_REPLACE_PROPS: readonly string[] = [Prop.imageId, Prop.format, Prop.bucket, Prop.prefix, Prop.roleName, Prop.waitHandle];

/** Import properties whose change starts a new import; description, tags, timeout update in place. */
export const IMPORT_REPLACE_PROPS: readonly string[] = [
  Prop.disks,
  Prop.platform,
  Prop.architecture,
  Prop.licenseType,
  Prop.bootMode,
  Prop.encrypted,
  Prop.kmsKeyId,
  Prop.roleName,
  Prop.waitHandle,
];

/**
 * Object key of an AMI export: AWS concatenates the prefix, the task id, a dot and the lower-case format with no
 * separator (`exports/` + `export-ami-0123….vmdk`).
 */
export function exportObjectKey(prefix: string | undefined, taskId: string, format: string): string {
  return `${prefix ?? ''}${taskId}.${format.toLowerCase()}`;
}
