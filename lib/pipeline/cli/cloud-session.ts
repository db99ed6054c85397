import { createDriver } from '../../clouds/drivers';
import { startLocalClouds, localModeProblems, type LocalClouds } from '../local/local-clouds';
import { type ResolvedPipeline } from '../resolved-pipeline';
import { CloudAccess, type DriverFactory } from '../run/cloud-access';
import { type WaitSettings } from '../run/wait-settings';
import { CliError } from './cli-io';

/** Options every command that talks to the clouds takes. */
export interface CloudOptions {
  /** Run against the in-process emulator. @default false */
  readonly local?: boolean;
  /** Emulator speed-up in local mode. @default 600 */
  readonly speed?: number;
}

/** The clouds a command talks to, and how to let go of them. */
export interface CloudSession {
  /** Drivers per cloud. */
  readonly clouds: CloudAccess;
  /** Polling settings (scaled in local mode). */
  readonly wait: WaitSettings;
  /** Stops the local emulator, if any. */
  close(): Promise<void>;
}

/** Connects to the pipeline's clouds: the real ones, or, with `--local`, the emulator started in this process. */
export async function openClouds(
  pipeline: ResolvedPipeline,
  stateFile: string,
  options: CloudOptions,
  factory: DriverFactory = createDriver,
): Promise<CloudSession> {
  if (!options.local) {
    return { clouds: new CloudAccess(pipeline.clouds, factory), wait: {}, close: async () => undefined };
  }
  let local: LocalClouds;
  try {
    local = await startLocalClouds(stateFile, { speed: options.speed });
  } catch (error) {
    throw new CliError(`cannot start the local emulator: ${(error as Error).message}`);
  }
  const problems = localModeProblems(local, pipeline.clouds);
  if (problems.length > 0) {
    await local.stop();
    throw new CliError(`--local: ${problems.join('; ')}`);
  }
  return { clouds: new CloudAccess(pipeline.clouds, factory, local.overrides), wait: local.wait, close: () => local.stop() };
}
