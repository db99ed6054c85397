import { startEmulator, type Emulator, type EmulatorOptions } from '../../../../emulator';
import { createAlicloudDriver, type AlicloudDriverOptions } from '../../../../lib/clouds/alicloud';
import { createSdkApi } from '../../../../lib/clouds/alicloud/sdk-api';
import { alicloudSdkEndpoint } from '../../../../lib/clouds/alicloud/connection-config';
import { type AlicloudApi } from '../../../../lib/clouds/alicloud/api';
import { type CloudDriver } from '../../../../lib/clouds/cloud-driver';
import { type CloudConnection } from '../../../../lib/model/connection';
import { type TaskRef, type TaskSnapshot } from '../../../../lib/model/task';
import { VirtualClock, waitForTask, type WaitEvent } from '../../../../lib/wait';

/** Catalog images (emulator/catalog/alicloud.json). */
export const IMAGES = {
  golden: 'm-g01den0hangzhou001',
  goldenSingapore: 'm-g01den0singapore01',
  goldenShanghai: 'm-g01den0shanghai001',
  marketplace: 'm-refuse0marketplace',
  encrypted: 'm-refuse0encrypted01',
  fiveDataDisks: 'm-refuse0fivedisks01',
  bigDataDisk: 'm-refuse0bigdisk0001',
  windows: 'm-refuse0windows0001',
  unavailable: 'm-refuse0unavailable',
} as const;

/** A running emulator on a virtual clock, and helpers to build Alibaba drivers against it. */
export interface AlicloudEmulatorFixture {
  readonly emulator: Emulator;
  readonly clock: VirtualClock;
  /** A connection to the emulator in a region (default cn-hangzhou). */
  connection(region?: string): CloudConnection;
  /** A driver on the emulator (fast retries). */
  driver(options?: AlicloudDriverOptions & { region?: string }): CloudDriver;
  /** The SDK-backed API the driver uses by default, for wrapping in tests. */
  sdkApi(region?: string, options?: { sleep?: (ms: number) => Promise<void>; maxAttempts?: number }): AlicloudApi;
  /** Waits for a task with the shared waiter, in virtual time. */
  wait(driver: CloudDriver, ref: TaskRef, events?: WaitEvent[]): Promise<TaskSnapshot>;
  stop(): Promise<void>;
}

/** Starts an emulator whose task timelines and the waiter share one virtual clock. */
export async function startAlicloudEmulator(options: EmulatorOptions = {}): Promise<AlicloudEmulatorFixture> {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const emulator = await startEmulator({ clock, ...options });
  const connection = (region = 'cn-hangzhou'): CloudConnection => ({
    region,
    endpoints: { ...emulator.endpoints.alicloud },
    credentials: emulator.credentials.alicloud,
    accountId: emulator.accounts.alicloud,
  });
  const fast = async () => undefined;
  return {
    emulator,
    clock,
    connection,
    driver: (opts = {}) => createAlicloudDriver(connection(opts.region), { sleep: fast, lookupDelayMs: 0, env: {}, ...opts }),
    sdkApi: (region = 'cn-hangzhou', opts = {}) =>
      createSdkApi({
        region,
        credentials: () => emulator.credentials.alicloud,
        ecsEndpoint: alicloudSdkEndpoint(connection(region), 'ecs', {}),
        ramEndpoint: alicloudSdkEndpoint(connection(region), 'ram', {}),
        sleep: opts.sleep ?? fast,
        maxAttempts: opts.maxAttempts ?? 3,
      }),
    wait: (driver, ref, events) =>
      waitForTask(() => driver.describe(ref), {
        clock,
        timeoutMs: 12 * 3_600_000,
        minIntervalMs: 5_000,
        maxIntervalMs: 120_000,
        random: () => 0.5,
        taskLabel: ref.taskId,
        ...(events ? { onEvent: (event) => events.push(event) } : {}),
      }),
    stop: () => emulator.stop(),
  };
}
