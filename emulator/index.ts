import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { CLOUD_MODULES } from './clouds';
import { type StartedCloud } from './core/cloud-module';
import { startControlApi } from './core/control-api';
import { assertValidSpeed, EmulatedClock } from './core/emulated-clock';
import { FaultInjector } from './core/fault-injector';
import { type RunningService } from './core/http-service';
import { StateStore } from './core/state-store';
import {
  type Emulator,
  type EmulatorAccounts,
  type EmulatorCredentials,
  type EmulatorEndpoints,
  type EmulatorOptions,
  type EmulatorRegions,
  type EmulatorSnapshot,
  type ExportDurationQuery,
} from './types';

export * from './types';

/** How often, in real ms, a real-time emulator brings tasks up to the clock (so exports land even if nobody polls). */
const SETTLE_INTERVAL_MS = 100;

/**
 * Starts the emulator: every cloud in `emulator/clouds.ts` on loopback ports, plus the control API.
 * Starts in well under a second; `stop()` closes everything and removes a temporary state folder.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  assertValidSpeed(options.speed ?? 60);
  const temporary = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'imageport-emulator-'));
  mkdirSync(stateDir, { recursive: true });
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lock(stateDir, { realpath: false, lockfilePath: join(stateDir, 'emulator.lock'), stale: 10_000, onCompromised: () => undefined });
  } catch (error) {
    if (temporary) rmSync(stateDir, { recursive: true, force: true });
    throw new Error(`state folder ${stateDir} is in use by another emulator (${(error as Error).message})`);
  }

  const started: StartedCloud[] = [];
  let control: RunningService | undefined;
  let timer: NodeJS.Timeout | undefined;
  const cleanup = async () => {
    if (timer) clearInterval(timer);
    await control?.close();
    for (const cloud of started.reverse()) await cloud.stop();
    await release?.().catch(() => undefined);
    if (temporary) rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    const state = new StateStore(temporary ? undefined : stateDir);
    const clock = new EmulatedClock({
      speed: options.speed ?? 60,
      ...(options.clock ? { virtual: options.clock } : {}),
      ...(state.resumedEmulatedNow !== undefined ? { resumeAt: state.resumedEmulatedNow } : {}),
    });
    state.useClock(() => clock.now());
    const faults = new FaultInjector(options.faults);
    const catalogDir = options.catalogDir ?? defaultCatalogDir();
    for (const module of CLOUD_MODULES) {
      const dataDir = join(stateDir, module.id);
      mkdirSync(dataDir, { recursive: true });
      started.push(await module.start({ host, clock, faults, state, dataDir, catalogDir, quotas: options.quotas ?? {}, exportDurationMs: exportDurationOf(options) }));
    }
    const settleAll = () => {
      for (const cloud of started) {
        try {
          cloud.settle();
        } catch (error) {
          if (process.env.IMAGEPORT_EMULATOR_DEBUG) console.error(`emulator ${cloud.id}: settle failed:`, error);
        }
      }
    };
    if (!clock.isVirtual) {
      timer = setInterval(settleAll, SETTLE_INTERVAL_MS);
      timer.unref();
    }
    const inspect = (): EmulatorSnapshot => {
      const parts = started.map((cloud) => cloud.inspect());
      return {
        emulatedNow: new Date(clock.now()).toISOString(),
        tasks: parts.flatMap((part) => part.tasks),
        roles: parts.flatMap((part) => part.roles),
        images: parts.flatMap((part) => part.images),
        buckets: parts.flatMap((part) => part.buckets),
        faults: faults.settings ?? null,
      };
    };
    control = await startControlApi({ inspect, faults }, host);
    const byCloud = <T>(pick: (cloud: StartedCloud) => T): Record<string, T> => Object.fromEntries(started.map((cloud) => [cloud.id, pick(cloud)]));
    const endpoints = { ...byCloud((cloud) => cloud.endpoints), control: control.url } as unknown as EmulatorEndpoints;
    const env = Object.assign({}, ...started.map((cloud) => cloud.env)) as Record<string, string>;
    state.flush();
    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      regions: byCloud((cloud) => cloud.regions) as unknown as EmulatorRegions,
      credentials: byCloud((cloud) => cloud.credentials) as unknown as EmulatorCredentials,
      restrictedCredentials: byCloud((cloud) => cloud.restrictedCredentials) as unknown as EmulatorCredentials,
      accounts: byCloud((cloud) => cloud.account) as unknown as EmulatorAccounts,
      env,
      faults,
      stateDir,
      inspect,
      stop: () =>
        (stopping ??= (async () => {
          if (!clock.isVirtual) settleAll();
          state.flush();
          await cleanup();
        })()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The export length rule: the caller's hook (checked), else the cloud's own length. */
function exportDurationOf(options: EmulatorOptions): (task: ExportDurationQuery) => number {
  const hook = options.exportDurationMs;
  if (!hook) return (task) => task.defaultMs;
  return (task) => {
    const ms = hook(task);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
      throw new Error(`exportDurationMs returned ${JSON.stringify(ms)} for the ${task.cloud} export of ${task.imageId}: it must be a finite number of ms > 0`);
    }
    return ms;
  };
}

/** `emulator/catalog`, found both from the sources and from the compiled `dist/emulator`. */
function defaultCatalogDir(): string {
  const candidates = [join(__dirname, 'catalog'), join(__dirname, '..', '..', 'emulator', 'catalog')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0];
}
