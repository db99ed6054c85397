import { applyPipeline } from '../run/apply-runner';
import { type ArtifactCheck, verifyExportedArtifact } from '../run/artifact-check';
import { type DriverFactory } from '../run/cloud-access';
import { StateStore } from '../state/state-store';
import { type CliIo } from './cli-io';
import { openClouds, type CloudOptions } from './cloud-session';
import { abortOnSignals } from './interrupt';
import { checkStateOwner, loadForCommand, stateFileFor } from './load-for-command';
import { rendererFor } from './renderer-for';

/** Options of `imageport apply`. */
export interface ApplyCommandOptions extends CloudOptions {
  /** State file. @default .imageport/state.json */
  readonly state?: string;
  /** One JSON event per line. @default false */
  readonly json?: boolean;
}

/** Test seams: a driver factory and an artifact check. */
export interface CommandSeams {
  /** @default - the real drivers */
  readonly driverFactory?: DriverFactory;
  /** @default - `verifyArtifact` from lib/storage */
  readonly checkArtifact?: ArtifactCheck;
}

/** `imageport apply FILE`: carries the pipeline out; exit code 0 only when every entry succeeded. */
export async function applyCommand(file: string, options: ApplyCommandOptions, io: CliIo, seams: CommandSeams = {}): Promise<number> {
  const pipeline = await loadForCommand(file, io);
  const stateFile = stateFileFor(options.state, io);
  const store = await StateStore.open(stateFile, pipeline.name);
  const renderer = rendererFor(io, options, pipeline);
  const interrupt = abortOnSignals(() => io.stderr.write('\ninterrupted: stopping the waits (tasks keep running; apply again resumes them); press Ctrl-C again to quit now\n'));
  try {
    checkStateOwner(store.state.pipeline, pipeline, stateFile);
    const session = await openClouds(pipeline, stateFile, options, seams.driverFactory);
    try {
      const result = await applyPipeline({
        pipeline,
        store,
        clouds: session.clouds,
        checkArtifact: seams.checkArtifact ?? verifyExportedArtifact,
        report: (event) => renderer.event(event),
        wait: session.wait,
        signal: interrupt.signal,
      });
      renderer.result(result);
      return result.ok ? 0 : 1;
    } finally {
      renderer.close();
      await session.close();
    }
  } finally {
    interrupt.dispose();
    await store.close();
  }
}
