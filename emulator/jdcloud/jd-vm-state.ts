import { type TimelinePlan } from '../core/task-timeline';

/** One file an export writes. */
export interface JdExportDisk {
  /** Object key. */
  readonly key: string;
  /** Virtual size of the QCOW2, bytes. */
  readonly virtualSizeBytes: number;
  /** `system` or the data disk's device name. */
  readonly disk: string;
}

/** An exportImage task (plain JSON, persisted). */
export interface JdExportTaskRecord {
  readonly taskId: string;
  readonly region: string;
  readonly imageId: string;
  readonly bucket: string;
  readonly ossUrl: string;
  readonly ossPrefix?: string;
  readonly roleName: string;
  readonly isAllDisk: boolean;
  readonly disks: readonly JdExportDisk[];
  readonly clientToken?: string;
  readonly createdAt: number;
  readonly plan: TimelinePlan;
  /** Failure reason when the plan fails. */
  readonly errorInfo?: string;
  /** True once the files are written (or the task ended without writing). */
  settled: boolean;
}

/** An importImage task. */
export interface JdImportTaskRecord {
  readonly taskId: string;
  readonly region: string;
  /** The image being created. */
  readonly imageId: string;
  readonly imageName: string;
  readonly imageUrl: string;
  readonly bucket: string;
  readonly key: string;
  readonly diskFormat: string;
  readonly clientToken?: string;
  readonly createdAt: number;
  readonly plan: TimelinePlan;
  readonly errorInfo?: string;
  /** Emulated ms between the task finishing and the image turning `ready`. */
  readonly imageReadyDelayMs: number;
}

/** An image created by importImage (describeImage reads it; exportImage may export it). */
export interface JdImportedImageRecord {
  readonly imageId: string;
  readonly region: string;
  readonly name: string;
  readonly desc: string;
  readonly osType: string;
  readonly platform: string;
  readonly osVersion: string;
  readonly architecture: string;
  readonly systemDiskSizeGB: number;
  readonly bootMode: string;
  readonly taskId: string;
  readonly createdAt: number;
  /** Virtual size of the imported disk, bytes (what an export of it writes). */
  readonly virtualSizeBytes: number;
}

/** What a client token gave the first time (JD: the same token returns the same result). */
export interface JdTokenRecord {
  readonly taskId: string;
  readonly imageId?: string;
}

/** The persisted vm section. */
export interface JdVmState {
  exportTasks: Record<string, JdExportTaskRecord>;
  importTasks: Record<string, JdImportTaskRecord>;
  images: Record<string, JdImportedImageRecord>;
  /** `<region>/<action>/<token>` → result. */
  tokens: Record<string, JdTokenRecord>;
  /** Next numeric task id. */
  nextTaskNumber: number;
  /** Catalog images deleted with deleteImage (imported ones are removed from `images` instead). */
  deletedImages: string[];
}

/** A fresh vm section. */
export function emptyJdVmState(): JdVmState {
  return { exportTasks: {}, importTasks: {}, images: {}, tokens: {}, nextTaskNumber: 700001, deletedImages: [] };
}
