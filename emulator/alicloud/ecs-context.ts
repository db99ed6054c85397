import { type DiskImageLayout } from '../disk/disk-image-layout';
import { type ExportDurationQuery } from '../types';
import { type RamModel } from './ram-model';
import { type EcsState } from './ecs-state';

/** The OSS side ECS needs: bucket facts, object reads, and writing an export's disk image. */
export interface EcsOssView {
  bucketExists(bucket: string): boolean;
  bucketRegion(bucket: string): string | undefined;
  bucketEncryption(bucket: string): string;
  objectSize(bucket: string, key: string): number | undefined;
  readObjectRange(bucket: string, key: string, start: number, length: number): Buffer;
  putObjectSync(bucket: string, key: string, layout: DiskImageLayout): void;
}

/** Everything the ECS actions share. */
export interface EcsContext {
  /** Persisted state (mutated in place). */
  readonly state: EcsState;
  /** Emulated time, epoch ms. */
  readonly now: () => number;
  /** Call after every change. */
  readonly markDirty: () => void;
  /** RAM, for service-role checks. */
  readonly ram: RamModel;
  /** OSS. */
  readonly oss: EcsOssView;
  /** Account id. */
  readonly account: string;
  /** Regions the emulator knows. */
  readonly regions: readonly string[];
  /** Regions where ExportImage honours ImageFormat. */
  readonly imageFormatRegions: readonly string[];
  /** Concurrent ExportImage tasks per region. */
  readonly concurrentExports: number;
  /** Length of a new export task (the emulator's `exportDurationMs` option). @default - the cloud's own rule */
  readonly exportDurationMs?: (task: ExportDurationQuery) => number;
}
