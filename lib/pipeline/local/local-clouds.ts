import { join } from 'node:path';
import { CLOUD_NAMES, type CloudId } from '../../model/cloud';
import { type ConnectionOverride } from '../run/cloud-access';
import { type WaitSettings } from '../run/wait-settings';

/** Default speed-up of emulated tasks in local mode: a 10-minute export takes one second. */
export const DEFAULT_LOCAL_SPEED = 600;

/** The in-process emulator, as the pipeline uses it. */
export interface LocalClouds {
  /** Endpoints and credentials per cloud, in memory only. */
  readonly overrides: Partial<Record<CloudId, ConnectionOverride>>;
  /** Regions the emulator serves, per cloud. */
  readonly regions: Partial<Record<CloudId, readonly string[]>>;
  /** Polling scaled to the emulator's speed. */
  readonly wait: WaitSettings;
  /** Where the emulator keeps its state. */
  readonly stateDir: string;
  /** Stops the emulator (its state stays on disk for the next command). */
  stop(): Promise<void>;
}

/** The emulator's description of itself that local mode reads (`emulator/index.ts`' `Emulator`). */
interface EmulatorLike {
  readonly endpoints: Record<string, unknown>;
  readonly credentials: Record<string, unknown>;
  readonly regions: Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * `--local`: starts the emulator in this process with its state next to the state file (`.imageport/emulator/`,
 * kept across runs so `status` and `destroy` after `apply --local` see the same clouds), and returns connection
 * overrides pointing every cloud at it. Endpoints and credentials are passed in memory, never written anywhere.
 * Emulated tasks run `speed` times faster, and polling is scaled to match.
 */
export async function startLocalClouds(stateFile: string, options: { speed?: number } = {}): Promise<LocalClouds> {
  const speed = options.speed ?? DEFAULT_LOCAL_SPEED;
  const stateDir = join(stateFile, '..', 'emulator');
  const { startEmulator } = (await import('../../../emulator/index')) as unknown as {
    startEmulator(options: { stateDir: string; speed: number }): Promise<EmulatorLike>;
  };
  const emulator = await startEmulator({ stateDir, speed });
  const overrides: Partial<Record<CloudId, ConnectionOverride>> = {};
  const regions: Partial<Record<CloudId, readonly string[]>> = {};
  for (const cloud of ['aws', 'alicloud', 'jdcloud'] as const) {
    const endpoints = emulator.endpoints[cloud] as Record<string, string> | undefined;
    const credentials = emulator.credentials[cloud] as { accessKeyId: string; secretAccessKey: string } | undefined;
    if (!endpoints || !credentials) continue;
    overrides[cloud] = { endpoints: { ...endpoints }, credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey } };
    const set = emulator.regions[cloud] as { all?: readonly string[] } | undefined;
    if (set?.all) regions[cloud] = set.all;
  }
  return {
    overrides,
    regions,
    stateDir,
    wait: {
      minIntervalMs: Math.max(20, Math.round(2000 / speed)),
      maxIntervalMs: Math.max(250, Math.round(300_000 / speed)),
      stallAfterMs: Math.max(5_000, Math.round(1_800_000 / speed)),
    },
    stop: () => emulator.stop(),
  };
}

/** Problems that stop a pipeline from running locally: a cloud or region the emulator does not serve. */
export function localModeProblems(local: LocalClouds, clouds: ReadonlyMap<CloudId, { region: string }>): string[] {
  const problems: string[] = [];
  for (const [cloud, settings] of clouds) {
    if (!local.overrides[cloud]) {
      problems.push(`the local emulator does not serve ${CLOUD_NAMES[cloud]} (clouds.${cloud})`);
      continue;
    }
    const regions = local.regions[cloud];
    if (regions && !regions.includes(settings.region)) {
      problems.push(`the local emulator serves ${CLOUD_NAMES[cloud]} in ${regions.join(', ')}, not in ${settings.region} (clouds.${cloud}.region)`);
    }
  }
  return problems;
}
