import { resolve } from 'node:path';
import { startEmulator, type Emulator } from './index';

/** Options of `imageport emulator` as commander hands them over (strings, as typed). */
export interface EmulatorCommandOptions {
  /** Folder to keep state in across restarts. @default - a temporary folder, removed on exit */
  readonly stateDir?: string;
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Emulated ms per real ms. @default '60' */
  readonly speed?: string;
}

/** The one JSON line `imageport emulator` prints. */
export interface EmulatorBanner {
  /** Endpoints of every service and of the control API. */
  readonly endpoints: Emulator['endpoints'];
  /** Regions per cloud. */
  readonly regions: Emulator['regions'];
  /** Account ids per cloud. */
  readonly accounts: Emulator['accounts'];
  /** Credentials per cloud (the emulator's own, fixed keys). */
  readonly credentials: Emulator['credentials'];
  /** Restricted (read-only) credentials per cloud: mutating calls get the cloud's authorization error. */
  readonly restrictedCredentials: Emulator['restrictedCredentials'];
  /** Environment for the clouds' SDKs and CLIs. */
  readonly env: Emulator['env'];
  /** State folder. */
  readonly stateDir: string;
  /** Emulated ms per real ms. */
  readonly speed: number;
}

/**
 * `imageport emulator`: starts the emulator, prints one JSON line (endpoints, regions, accounts, credentials,
 * restricted credentials, env), serves until SIGTERM or SIGINT, then stops cleanly (state saved) and resolves, so the process exits 0.
 */
export async function runEmulatorCommand(options: EmulatorCommandOptions, signals: NodeJS.EventEmitter = process): Promise<void> {
  const speedText = options.speed ?? '60';
  const speed = Number(speedText);
  if (speedText.trim() === '' || !Number.isFinite(speed) || speed <= 0) {
    throw new Error(`--speed ${JSON.stringify(speedText)} must be a positive number (emulated ms per real ms)`);
  }
  // Listen for signals before starting, so a signal during start-up still ends in a clean stop.
  let requestStop: () => void = () => undefined;
  const stopRequested = new Promise<void>((done) => (requestStop = done));
  signals.once('SIGTERM', requestStop);
  signals.once('SIGINT', requestStop);
  try {
    const emulator = await startEmulator({
      host: options.host ?? '127.0.0.1',
      speed,
      ...(options.stateDir !== undefined ? { stateDir: resolve(options.stateDir) } : {}),
    });
    const banner: EmulatorBanner = {
      endpoints: emulator.endpoints,
      regions: emulator.regions,
      accounts: emulator.accounts,
      credentials: emulator.credentials,
      restrictedCredentials: emulator.restrictedCredentials,
      env: emulator.env,
      stateDir: emulator.stateDir,
      speed,
    };
    process.stdout.write(`${JSON.stringify(banner)}\n`);
    await stopRequested;
    await emulator.stop();
  } finally {
    signals.off('SIGTERM', requestStop);
    signals.off('SIGINT', requestStop);
  }
}
