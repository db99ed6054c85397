#!/usr/bin/env node
/**
 * The `imageport` command line. This file only declares commands; each command's implementation is loaded when
 * the command runs, so `imageport --help` and `imageport validate` never load a cloud SDK.
 */
import { Command, Option } from 'commander';
import { version } from '../package.json';

// imageport supports Node 20 (package.json engines); the AWS SDK's notice about its future Node 22 requirement is
// noise in a CLI's output. Its documented switch turns it off unless the user set it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Runs a command's implementation and turns its outcome into the exit code; bad input never shows a stack trace. */
async function run(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`imageport: ${message}`);
    if (process.env.IMAGEPORT_DEBUG && error instanceof Error && error.name !== 'CliError') console.error(error.stack);
    process.exitCode = 1;
  }
}

async function io() {
  return (await import('../lib/pipeline/cli/cli-io')).processIo();
}

const stateOption = () => new Option('--state <file>', 'state file').default(undefined, '.imageport/state.json');
const localOption = () => new Option('--local', 'run against the built-in emulator (state in .imageport/emulator/, next to the state file)');
const speedOption = () => new Option('--speed <factor>', 'emulator speed-up in --local mode').argParser(parsePositive).default(undefined, '600');

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--speed must be a positive number, not ${JSON.stringify(value)}`);
  return number;
}

const program = new Command();
program
  .name('imageport')
  .description('Declarative VM image export and import on AWS, Alibaba Cloud and JD Cloud.')
  .version(version)
  .showHelpAfterError();

program
  .command('validate')
  .description('Check a pipeline file: every problem at once, with file:line:col, the field, the value and the rule.')
  .argument('<file>', 'pipeline file (YAML)')
  .option('--json', 'print the result as JSON')
  .action(async (file: string, options: { json?: boolean }) =>
    run(async () => (await import('../lib/pipeline/cli/validate-command')).validateCommand(file, options, await io())),
  );

program
  .command('plan')
  .description('Show what apply would create, replace, update, delete or resume; starts nothing.')
  .argument('<file>', 'pipeline file (YAML)')
  .addOption(stateOption())
  .addOption(localOption())
  .addOption(speedOption())
  .option('--check-permissions', 'ask each cloud whether the calls would be allowed (AWS DryRun), starting nothing')
  .option('--json', 'print the plan as JSON')
  .action(async (file: string, options: Record<string, unknown>) =>
    run(async () => (await import('../lib/pipeline/cli/plan-command')).planCommand(file, options, await io())),
  );

program
  .command('apply')
  .description('Create roles and buckets, run the exports and imports, wait, check the artifacts, show where they landed.')
  .argument('<file>', 'pipeline file (YAML)')
  .addOption(stateOption())
  .addOption(localOption())
  .addOption(speedOption())
  .option('--json', 'one JSON event per line, ending with a result object')
  .action(async (file: string, options: Record<string, unknown>) =>
    run(async () => (await import('../lib/pipeline/cli/apply-command')).applyCommand(file, options, await io())),
  );

program
  .command('status')
  .description('Show the tasks in the state file and their live state.')
  .argument('<file>', 'pipeline file (YAML)')
  .addOption(stateOption())
  .addOption(localOption())
  .addOption(speedOption())
  .option('--json', 'print JSON')
  .action(async (file: string, options: Record<string, unknown>) =>
    run(async () => (await import('../lib/pipeline/cli/status-command')).statusCommand(file, options, await io())),
  );

program
  .command('destroy')
  .description('Cancel running tasks, remove the roles and buckets the pipeline created; exported files are kept unless removal: destroy.')
  .argument('<file>', 'pipeline file (YAML)')
  .addOption(stateOption())
  .addOption(localOption())
  .addOption(speedOption())
  .option('--json', 'one JSON event per line, ending with a result object')
  .action(async (file: string, options: Record<string, unknown>) =>
    run(async () => (await import('../lib/pipeline/cli/destroy-command')).destroyCommand(file, options, await io())),
  );

program
  .command('init')
  .description('Write a commented skeleton pipeline that validates ("-" prints it).')
  .argument('[file]', 'where to write it', 'pipeline.yaml')
  .option('--force', 'overwrite an existing file')
  .action(async (file: string, options: { force?: boolean }) =>
    run(async () => (await import('../lib/pipeline/cli/init-command')).initCommand(file, options, await io())),
  );

program
  .command('schema')
  .description('Print the JSON Schema of pipeline files.')
  .action(async () => run(async () => (await import('../lib/pipeline/cli/schema-command')).schemaCommand(await io())));

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
