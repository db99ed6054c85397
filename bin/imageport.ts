#!/usr/bin/env node
/**
 * The `imageport` command line. This file only declares commands; each command's implementation is loaded when
 * the command runs, so `imageport --help` and `imageport validate` never load a cloud SDK.
 */
import { Command } from 'commander';
import { version } from '../package.json';

const program = new Command();
program
  .name('imageport')
  .description('Declarative VM image export and import on AWS, Alibaba Cloud and JD Cloud.')
  .version(version);

program
  .command('emulator')
  .description('Run the local emulator of the three clouds; prints one JSON line with endpoints, regions and credentials.')
  .option('--state-dir <dir>', 'keep tasks, roles, buckets and objects in this folder across restarts')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--speed <factor>', 'how much faster than real time emulated tasks run', '60')
  .action(async (options: { stateDir?: string; host: string; speed: string }) => {
    const { runEmulatorCommand } = await import('../emulator/cli');
    await runEmulatorCommand(options);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`imageport: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
