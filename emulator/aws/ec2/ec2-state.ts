import { type TimelinePlan } from '../../core/task-timeline';
import { type CatalogImage, type CatalogSnapshot } from '../aws-catalog';

/** An EC2 tag. */
export interface Ec2Tag {
  /** Key. */
  readonly key: string;
  /** Value. */
  readonly value: string;
}

/** An ExportImage task as persisted. */
export interface ExportTaskRecord {
  /** `export-ami-…`. */
  readonly id: string;
  /** Region. */
  readonly region: string;
  /** Source AMI. */
  readonly imageId: string;
  /** `VMDK` | `RAW` | `VHD`. */
  readonly format: string;
  /** Destination bucket. */
  readonly bucket: string;
  /** Prefix as given (may be empty). */
  readonly prefix: string;
  /** Whether the caller sent S3Prefix (echoed only then). */
  readonly prefixGiven: boolean;
  /** Object key: prefix + id + '.' + lower(format). */
  readonly key: string;
  /** Role name when given. */
  readonly roleName?: string;
  /** Description when given. */
  readonly description?: string;
  /** Tags (TagSpecification at creation, then CreateTags / DeleteTags). */
  tags: Ec2Tag[];
  /** Client token. */
  readonly clientToken?: string;
  /** Emulated creation time. */
  readonly createdAt: number;
  /** Virtual size of the image to write, bytes. */
  readonly virtualSizeBytes: number;
  /** Timeline (cancel mutates it). */
  plan: TimelinePlan;
  /** StatusMessage of a failure. */
  readonly failureMessage?: string;
  /** Side effects already applied. */
  effects: { partialWritten?: boolean; finalWritten?: boolean; cleanedUp?: boolean };
}

/** One disk of an ImportImage task. */
export interface ImportDiskRecord {
  /** Format as given (`VMDK`, `ova`, …). */
  readonly format?: string;
  /** Source bucket. */
  readonly bucket?: string;
  /** Source key. */
  readonly key?: string;
  /** Source URL as given. */
  readonly url?: string;
  /** Source snapshot. */
  readonly sourceSnapshotId?: string;
  /** Device name. */
  readonly deviceName?: string;
  /** Description. */
  readonly description?: string;
  /** Size of the source object, bytes (0 until read). */
  readonly sizeBytes: number;
  /** Virtual size of the disk inside, bytes. */
  readonly virtualSizeBytes: number;
  /** Snapshot created for the disk (assigned at completion). */
  snapshotId?: string;
}

/** An ImportImage task as persisted. */
export interface ImportTaskRecord {
  /** `import-ami-…`. */
  readonly id: string;
  /** Region. */
  readonly region: string;
  /** Description. */
  readonly description?: string;
  /** `x86_64`, … */
  readonly architecture?: string;
  /** `Windows` | `Linux` as given. */
  readonly platform?: string;
  /** `AWS` | `BYOL` as given. */
  readonly licenseType?: string;
  /** `xen`. */
  readonly hypervisor?: string;
  /** Boot mode. */
  readonly bootMode?: string;
  /** Encrypted flag. */
  readonly encrypted?: boolean;
  /** KMS key. */
  readonly kmsKeyId?: string;
  /** Usage operation. */
  readonly usageOperation?: string;
  /** License configuration ARNs. */
  readonly licenseConfigurationArns: readonly string[];
  /** Role name when given. */
  readonly roleName?: string;
  /** Disks. */
  readonly disks: ImportDiskRecord[];
  /** Tags (TagSpecification at creation, then CreateTags / DeleteTags). */
  tags: Ec2Tag[];
  /** Client token. */
  readonly clientToken?: string;
  /** Emulated creation time. */
  readonly createdAt: number;
  /** Timeline. */
  plan: TimelinePlan;
  /** StatusMessage of a failure. */
  readonly failureMessage?: string;
  /** New AMI (set at completion). */
  imageId?: string;
  /** Side effects already applied. */
  effects: { imageCreated?: boolean };
}

/** A client token seen by a create call. */
export interface ClientTokenRecord {
  /** Canonical form of the request parameters. */
  readonly canonical: string;
  /** Task created for it. */
  readonly taskId: string;
}

/** The persisted EC2 section. */
export interface Ec2State {
  /** Export tasks by id. */
  exportTasks: Record<string, ExportTaskRecord>;
  /** Import tasks by id. */
  importTasks: Record<string, ImportTaskRecord>;
  /** AMIs created by imports, by id. */
  images: Record<string, CatalogImage & { readonly source: 'import' }>;
  /** Snapshots created by imports, by id. */
  snapshots: Record<string, CatalogSnapshot>;
  /** Client tokens by `<region>/<action>/<token>`. */
  clientTokens: Record<string, ClientTokenRecord>;
  /** Catalog AMIs deregistered (imported AMIs are removed from `images` instead). */
  deregisteredImages: string[];
  /** Catalog snapshots deleted (imported snapshots are removed from `snapshots` instead). */
  deletedSnapshots: string[];
  /** Tags of AMIs and snapshots, by resource id (tasks keep theirs in the task record). */
  resourceTags: Record<string, Ec2Tag[]>;
}

/** A fresh EC2 section. */
export function emptyEc2State(): Ec2State {
  return { exportTasks: {}, importTasks: {}, images: {}, snapshots: {}, clientTokens: {}, deregisteredImages: [], deletedSnapshots: [], resourceTags: {} };
}

/** Fills the members a state saved by an older emulator lacks. */
export function upgradeEc2State(state: Ec2State): Ec2State {
  state.deregisteredImages ??= [];
  state.deletedSnapshots ??= [];
  state.resourceTags ??= {};
  return state;
}
