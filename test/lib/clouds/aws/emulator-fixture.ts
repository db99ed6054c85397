import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { startEmulator, type Emulator } from '../../../../emulator';
import { createAwsDriver, type AwsDriverOptions } from '../../../../lib/clouds/aws';
import { type CloudDriver } from '../../../../lib/clouds/cloud-driver';
import { type CloudConnection } from '../../../../lib/model/connection';
import { type TaskRef, type TaskSnapshot } from '../../../../lib/model/task';
import { VirtualClock, waitForTask, type WaitEvent } from '../../../../lib/wait';

/** A running emulator driven by a virtual clock, and helpers to build drivers and raw SDK clients against it. */
export interface AwsEmulatorFixture {
  /** The emulator. */
  readonly emulator: Emulator;
  /** The clock shared by the emulator's task timelines and the waiter. */
  readonly clock: VirtualClock;
  /** The emulator's default AWS region. */
  readonly region: string;
  /** The emulator's other AWS region. */
  readonly otherRegion: string;
  /** A connection to the emulator in `region` (or another region). */
  connection(region?: string): CloudConnection;
  /** A driver on the emulator. */
  driver(options?: AwsDriverOptions & { region?: string }): CloudDriver;
  /** A raw IAM client, to set up roles the driver would never write. */
  iam(): IAMClient;
  /** A raw S3 client, to set up bucket configurations the driver would never write. */
  s3(region?: string): S3Client;
  /** Waits for a task with the shared waiter, in virtual time. */
  wait(driver: CloudDriver, ref: TaskRef, events?: WaitEvent[]): Promise<TaskSnapshot>;
  /** Stops the emulator. */
  stop(): Promise<void>;
}

/** Starts an emulator with a virtual clock. */
export async function startAwsEmulator(options: { quota?: number } = {}): Promise<AwsEmulatorFixture> {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const emulator = await startEmulator({ clock, ...(options.quota ? { quotas: { awsConcurrentTasks: options.quota } } : {}) });
  const region = emulator.regions.aws.default;
  const otherRegion = emulator.regions.aws.all.find((r) => r !== region)!;
  const connection = (r = region): CloudConnection => ({
    region: r,
    endpoints: { ...emulator.endpoints.aws },
    credentials: emulator.credentials.aws,
    accountId: emulator.accounts.aws,
  });
  const sdkConfig = (r: string) => ({
    region: r,
    credentials: emulator.credentials.aws,
    maxAttempts: 1,
  });
  return {
    emulator,
    clock,
    region,
    otherRegion,
    connection,
    driver: (opts = {}) => createAwsDriver(connection(opts.region), opts),
    iam: () => new IAMClient({ ...sdkConfig(region), endpoint: emulator.endpoints.aws.iam }),
    s3: (r = region) => new S3Client({ ...sdkConfig(r), endpoint: emulator.endpoints.aws.s3, forcePathStyle: true }),
    wait: (driver, ref, events) =>
      waitForTask(() => driver.describe(ref), {
        clock,
        timeoutMs: 6 * 3_600_000,
        minIntervalMs: 5_000,
        maxIntervalMs: 120_000,
        random: () => 0.5,
        taskLabel: ref.taskId,
        ...(events ? { onEvent: (event) => events.push(event) } : {}),
      }),
    stop: () => emulator.stop(),
  };
}

/** Counts the emulator's tasks started with a token. */
export function tasksWithToken(emulator: Emulator, token: string): number {
  return emulator.inspect().tasks.filter((task) => task.clientToken === token).length;
}
