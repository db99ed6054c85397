import { destroyPipeline } from '../run/destroy-runner';
import { StateStore } from '../state/state-store';
import { type CliIo } from './cli-io';
import { type CommandSeams } from './apply-command';
import { openClouds, type CloudOptions } from './cloud-session';
import { abortOnSignals } from './interrupt';
import { checkStateOwner, loadForCommand, stateFileFor } from './load-for-command';
import { rendererFor } from './renderer-for';

/** Options of `imageport destroy`. */
export interface DestroyCommandOptions extends CloudOptions {
  /** State file. @default .imageport/state.json */
  readonly state?: string;
  /** One JSON event per line. @default false */
  readonly json?: boolean;
}

/**
 * `imageport destroy FILE`: cancels running tasks (JD Cloud: waits for their end), removes the roles and buckets the
 * pipeline created, and keeps exported objects unless the file says `removal: destroy`.
 */
export async function destroyCommand(file: string, options: DestroyCommandOptions, io: CliIo, seams: CommandSeams = {}): Promise<number> {
  const pipeline = await loadForCommand(file, io);
  const stateFile = stateFileFor(options.state, io);
  const store = await StateStore.open(stateFile, pipeline.name);
  const renderer = rendererFor(io, options, pipeline);
  const interrupt = abortOnSignals(() => io.stderr.write('\ninterrupted: what is not removed yet stays in the state; run destroy again\n'));
  try {
    checkStateOwner(store.state.pipeline, pipeline, stateFile);
    const session = await openClouds(pipeline, stateFile, options, seams.driverFactory);
    try {
      const result = await destroyPipeline({ pipeline, store, clouds: session.clouds, report: (event) => renderer.event(event), wait: session.wait, signal: interrupt.signal });
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
