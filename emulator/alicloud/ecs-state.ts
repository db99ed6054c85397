import { type TimelinePlan } from '../core/task-timeline';

/** One disk of an ECS image (`DiskDeviceMappings.DiskDeviceMapping[]`). */
export interface EcsImageDisk {
  /** `system` or `data`. */
  type: 'system' | 'data';
  /** Device (`/dev/xvda`). */
  device: string;
  /** Size, GiB. */
  sizeGiB: number;
  /** Snapshot id (`s-…`). */
  snapshotId: string;
  /** Encrypted snapshot. */
  encrypted: boolean;
  /** Import source bucket. @default - not imported */
  importOSSBucket?: string;
  /** Import source object. @default - not imported */
  importOSSObject?: string;
  /** Import format. @default - not imported */
  format?: string;
  /** Size of the disk image an export writes, bytes (small on purpose). @default 4194304 */
  virtualSizeBytes?: number;
}

/** One ECS image (persisted). */
export interface EcsImageState {
  imageId: string;
  region: string;
  imageName: string;
  description: string;
  /** Stored status of catalog images (`Available`, `UnAvailable`, `Creating`…); imported images derive theirs from the task. */
  status: string;
  /** `self`, `system`, `others`, `marketplace`. */
  ownerAlias: string;
  /** Marketplace product code (images derived from Marketplace images keep it). @default - none */
  productCode?: string;
  osType: 'linux' | 'windows';
  platform: string;
  osName: string;
  architecture: string;
  bootMode: string;
  licenseType: string;
  disks: EcsImageDisk[];
  creationTime: number;
  tags: Record<string, string>;
  /** `catalog` or `import`. */
  source: 'catalog' | 'import';
  /** The import task that creates it. @default - not imported */
  importTaskId?: string;
}

/** One ExportImage / ImportImage task (persisted). */
export interface EcsTaskState {
  taskId: string;
  region: string;
  action: 'ExportImage' | 'ImportImage';
  /** Export: the source image. Import: the new image. */
  imageId: string;
  /** Export: the destination bucket. Import: the system disk's bucket. */
  bucket: string;
  /** Export: the objects the task writes, one per disk. Import: the source objects. */
  objects: string[];
  /** Export: `ImageFormat` (lower case). Import: the system disk's format. */
  format: string;
  /** Export: the objects' writer format per object (`raw.tar.gz`, `qcow2`…). */
  writeFormats: string[];
  /** Virtual size of each written disk, bytes (small: the emulator never writes real-size images). */
  writeSizes: number[];
  roleName: string;
  plan: TimelinePlan;
  /** The failure the task ends with when it fails. */
  failure?: { code: string; message: string };
  /** True once the completion side effects (objects written, image made available) ran. */
  settled: boolean;
  clientToken?: string;
}

/** The ECS state section. */
export interface EcsState {
  images: Record<string, EcsImageState>;
  tasks: Record<string, EcsTaskState>;
  /** ImportImage client tokens: token → the request's canonical form and its answer. */
  clientTokens: Record<string, { canonical: string; taskId: string; imageId: string }>;
  /** True once the catalog was loaded into this state. */
  seeded: boolean;
}

/** A fresh, empty ECS state. */
export function emptyEcsState(): EcsState {
  return { images: {}, tasks: {}, clientTokens: {}, seeded: false };
}

/** ECS time format (`2026-11-23T06:06:05Z`). */
export function ecsTime(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
