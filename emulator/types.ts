/**
 * Public types of the emulator. A cloud module adds its own members to the `Emulator*` maps below through
 * declaration merging (see `emulator/README.md`, "Adding a cloud"), so this file never has to list every cloud.
 */

/** A kind of injected fault. */
export type FaultKind = 'throttle' | '5xx' | 'drop' | 'drop-after' | 'slow-task' | 'fail-task';

/** Every {@link FaultKind}. */
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', '5xx', 'drop', 'drop-after', 'slow-task', 'fail-task'];

/** Fault injection settings. Faults are drawn per request from a seeded generator, so a seed and a request order give the same faults. */
export interface FaultSettings {
  /** Probability (0..1) that a matching request gets a fault. */
  readonly rate: number;
  /** Faults to draw from (uniformly). `slow-task` and `fail-task` only act on requests that create a task. */
  readonly kinds: readonly FaultKind[];
  /** Clouds the faults apply to (`aws`, `alicloud`, `jdcloud`). @default - every cloud */
  readonly clouds?: readonly string[];
  /** Services the faults apply to (`ec2`, `iam`, `sts`, `s3`, …). @default - every service */
  readonly services?: readonly string[];
  /** Seed of the fault generator. @default - a random seed */
  readonly seed?: number;
}

/** Changes fault injection while the emulator runs. */
export interface FaultController {
  /** The settings in force, or `undefined` when no faults are injected. */
  readonly settings: FaultSettings | undefined;
  /** Replaces the settings (validated: throws naming the bad field) and restarts the seeded generator. */
  set(settings: FaultSettings): void;
  /** Stops injecting faults. */
  clear(): void;
}

/** A clock read in epoch milliseconds. */
export interface Clock {
  /** Current time, epoch ms. */
  now(): number;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Keep tasks, roles, images, buckets and objects in this folder across restarts. @default - a fresh temporary folder, removed by stop() */
  readonly stateDir?: string;
  /** Emulated milliseconds per real millisecond for task timelines. @default 60 */
  readonly speed?: number;
  /** A (virtual) clock; when given, task timelines read it instead of speed x real time. @default - speed x real time */
  readonly clock?: Clock;
  /** Folder of seeded images, one JSON file per cloud (`aws.json`). @default - emulator/catalog */
  readonly catalogDir?: string;
  /** Faults to inject from the start. @default - no faults */
  readonly faults?: FaultSettings;
  /** Quotas. @default - the clouds' defaults */
  readonly quotas?: EmulatorQuotas;
  /**
   * Emulated length, in ms, of each new export task (benchmarks and tests that need tasks of a given length). Only
   * the length changes: phases, their shares and progress ranges stay the cloud's own, and a `slow-task` fault still
   * multiplies it. Must return a finite number > 0.
   * @default - each cloud's own rule (AWS 4 min + 45 s per GiB; Alibaba 8 min + 2 min per 10 GiB; JD 3 min + 3 s per GB)
   */
  readonly exportDurationMs?: (task: ExportDurationQuery) => number;
}

/** A new export task, as {@link EmulatorOptions.exportDurationMs} sees it. */
export interface ExportDurationQuery {
  /** Cloud id (`aws`, `alicloud`, `jdcloud`). */
  readonly cloud: string;
  /** Region of the task. */
  readonly region: string;
  /** The image being exported. */
  readonly imageId: string;
  /** The length the cloud's own rule gives this export, emulated ms. */
  readonly defaultMs: number;
}

/** Quotas the emulator enforces. */
export interface EmulatorQuotas {
  /** Concurrent AWS conversion tasks (export + import) per region. @default 5 */
  readonly awsConcurrentTasks?: number;
}

/** An access key pair. */
export interface AccessKeyPair {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
}

/** Regions of one cloud. */
export interface RegionSet {
  /** Region used when a client names none. */
  readonly default: string;
  /** Every region the emulator knows. */
  readonly all: readonly string[];
}

/** AWS service endpoints (`http://127.0.0.1:<port>`). */
export interface AwsEndpoints {
  /** EC2 Query API. */
  readonly ec2: string;
  /** IAM Query API. */
  readonly iam: string;
  /** S3 (path-style). */
  readonly s3: string;
  /** STS Query API. */
  readonly sts: string;
}

/** Endpoints of every cloud, plus the control API. Cloud modules add their member by declaration merging. */
export interface EmulatorEndpoints {
  /** AWS services. */
  readonly aws: AwsEndpoints;
  /** Control API: `GET /state`, `PUT /faults`, `DELETE /faults`. */
  readonly control: string;
}

/** Regions of every cloud. Cloud modules add their member by declaration merging. */
export interface EmulatorRegions {
  /** AWS regions. */
  readonly aws: RegionSet;
}

/** Credentials of every cloud. Cloud modules add their member by declaration merging. */
export interface EmulatorCredentials {
  /** The AWS key pair the emulator accepts. */
  readonly aws: AccessKeyPair;
}

/** Account ids of every cloud. Cloud modules add their member by declaration merging. */
export interface EmulatorAccounts {
  /** 12-digit AWS account id. */
  readonly aws: string;
}

/** Normalised outcome of an emulated task. */
export type TaskOutcome = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One task as {@link Emulator.inspect} reports it. */
export interface TaskSnapshotJson {
  /** Cloud id. */
  readonly cloud: string;
  /** Service that owns the task (`ec2`). */
  readonly service: string;
  /** Region. */
  readonly region: string;
  /** Export or import. */
  readonly kind: 'export' | 'import';
  /** The cloud's task id. */
  readonly id: string;
  /** The cloud's raw status (`active`, `completed`, `deleted`). */
  readonly rawStatus: string;
  /** The cloud's status message. @default - none */
  readonly message?: string;
  /** Progress 0-100 when the cloud reports one. @default - not reported */
  readonly progress?: number;
  /** Normalised outcome. */
  readonly outcome: TaskOutcome;
  /** Emulated creation time, ISO 8601. */
  readonly createdAt: string;
  /** Export: source image. Import: the new image once created. @default - none */
  readonly imageId?: string;
  /** Export: destination bucket. Import: source bucket. @default - none */
  readonly bucket?: string;
  /** Export: the object key the task writes. Import: the source key. @default - none */
  readonly key?: string;
  /** Disk format in the cloud's spelling. @default - none */
  readonly format?: string;
  /** Idempotency token the task was created with. @default - none */
  readonly clientToken?: string;
}

/** One service role. */
export interface RoleSnapshotJson {
  /** Cloud id. */
  readonly cloud: string;
  /** Role name. */
  readonly name: string;
  /** Role ARN (or the cloud's equivalent). */
  readonly arn: string;
  /** Trust policy, parsed. */
  readonly trustPolicy: unknown;
  /** Inline policies by name, parsed. */
  readonly inlinePolicies: Readonly<Record<string, unknown>>;
  /** Attached managed policy ARNs. */
  readonly attachedPolicies: readonly string[];
}

/** One machine image. */
export interface ImageSnapshotJson {
  /** Cloud id. */
  readonly cloud: string;
  /** Region. */
  readonly region: string;
  /** Image id. */
  readonly id: string;
  /** Image name. */
  readonly name: string;
  /** The cloud's image state (`available`). */
  readonly state: string;
  /** Owner account. */
  readonly owner: string;
  /** Where the image came from. */
  readonly source: 'catalog' | 'import';
}

/** One bucket and its objects. */
export interface BucketSnapshotJson {
  /** Cloud id. */
  readonly cloud: string;
  /** Bucket name. */
  readonly name: string;
  /** Bucket region. */
  readonly region: string;
  /** Stored bucket configurations (`encryption`, `policy`, …). */
  readonly configs: readonly string[];
  /** Objects, sorted by key. */
  readonly objects: ReadonlyArray<{ readonly key: string; readonly sizeBytes: number }>;
}

/** Everything the emulator holds, as plain JSON. */
export interface EmulatorSnapshot {
  /** Emulated time, ISO 8601. */
  readonly emulatedNow: string;
  /** Every task of every cloud. */
  readonly tasks: readonly TaskSnapshotJson[];
  /** Every role of every cloud. */
  readonly roles: readonly RoleSnapshotJson[];
  /** Every image of every cloud. */
  readonly images: readonly ImageSnapshotJson[];
  /** Every bucket of every cloud, with object keys. */
  readonly buckets: readonly BucketSnapshotJson[];
  /** Fault settings in force, or `null`. */
  readonly faults: FaultSettings | null;
}

/** A running emulator. */
export interface Emulator {
  /** Endpoint URLs of every service, and of the control API. */
  readonly endpoints: EmulatorEndpoints;
  /** Regions of every cloud. */
  readonly regions: EmulatorRegions;
  /** Credentials the emulator accepts, per cloud: all-powerful key pairs. */
  readonly credentials: EmulatorCredentials;
  /**
   * Restricted key pairs, per cloud: they may read (describe calls, object reads) but every call that would start,
   * cancel or change something gets the cloud's authorization error (AWS `UnauthorizedOperation` / `AccessDenied`,
   * Alibaba Cloud `Forbidden.RAM`, JD Cloud `HTTP_FORBIDDEN`), so "not allowed" can be tested.
   */
  readonly restrictedCredentials: EmulatorCredentials;
  /** Account ids, per cloud. */
  readonly accounts: EmulatorAccounts;
  /** Environment that points the clouds' SDKs and CLIs here (`AWS_ENDPOINT_URL_EC2`, `AWS_ACCESS_KEY_ID`, …). */
  readonly env: Readonly<Record<string, string>>;
  /** Fault injection at run time. */
  readonly faults: FaultController;
  /** Folder holding the state. */
  readonly stateDir: string;
  /** Everything the emulator holds, as plain JSON (task states evaluated at the current emulated time). */
  inspect(): EmulatorSnapshot;
  /** Stops every server, saves the state, and removes the state folder when it was temporary. */
  stop(): Promise<void>;
}
