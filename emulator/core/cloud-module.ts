import { type EmulatedClock } from './emulated-clock';
import { type FaultInjector } from './fault-injector';
import { type StateStore } from './state-store';
import {
  type AccessKeyPair,
  type BucketSnapshotJson,
  type EmulatorQuotas,
  type ExportDurationQuery,
  type ImageSnapshotJson,
  type RegionSet,
  type RoleSnapshotJson,
  type TaskSnapshotJson,
} from '../types';

/** What the framework hands a cloud module when it starts. */
export interface CloudContext {
  /** Address every service binds. */
  readonly host: string;
  /** Emulated clock (task timelines read it). */
  readonly clock: EmulatedClock;
  /** Shared fault injection; pass it to every service you start. */
  readonly faults: FaultInjector;
  /** Persisted state: take your sections with `state.section('<cloud>…', init)`, then `state.markDirty()` after changes. */
  readonly state: StateStore;
  /** A folder of your own for files (object stores), inside the state folder. */
  readonly dataDir: string;
  /** Folder of catalog files (`<cloud>.json`). */
  readonly catalogDir: string;
  /** Quotas requested by the caller. */
  readonly quotas: EmulatorQuotas;
  /** Length of a new export task, emulated ms: the caller's `exportDurationMs`, else `defaultMs`. */
  readonly exportDurationMs: (task: ExportDurationQuery) => number;
}

/** What a cloud module reports about itself once started. */
export interface StartedCloud {
  /** Cloud id, also the key in `Emulator.endpoints` etc. (`aws`). */
  readonly id: string;
  /** Service endpoint URLs. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Regions. */
  readonly regions: RegionSet;
  /** Key pair the services accept, with every permission. */
  readonly credentials: AccessKeyPair;
  /** Key pair that may read (describe calls) but not start, cancel or change anything. */
  readonly restrictedCredentials: AccessKeyPair;
  /** Account id. */
  readonly account: string;
  /** Environment variables that point this cloud's SDKs and CLIs at the emulator. */
  readonly env: Readonly<Record<string, string>>;
  /** Brings every task up to the clock (side effects included); the framework calls it on a timer in real-time mode. */
  settle(): void;
  /** Current tasks, roles, images, buckets (after settling). */
  inspect(): CloudSnapshot;
  /** Stops the cloud's servers. */
  stop(): Promise<void>;
}

/** One cloud's part of the emulator snapshot. */
export interface CloudSnapshot {
  /** Tasks. */
  readonly tasks: readonly TaskSnapshotJson[];
  /** Roles. */
  readonly roles: readonly RoleSnapshotJson[];
  /** Images. */
  readonly images: readonly ImageSnapshotJson[];
  /** Buckets and objects. */
  readonly buckets: readonly BucketSnapshotJson[];
}

/** A cloud: registers its services when the emulator starts. Listed in `emulator/clouds.ts`. */
export interface CloudModule {
  /** Cloud id (`aws`, `alicloud`, `jdcloud`). */
  readonly id: string;
  /** Starts the cloud's services. */
  start(context: CloudContext): Promise<StartedCloud>;
}
