import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { type CliIo, CliError } from './cli-io';
import { initSkeleton } from './init-skeleton';
import { SCHEMA_PATH } from './schema-path';

/** `imageport init [FILE]`: writes a commented skeleton pipeline that validates; `-` prints it. */
export async function initCommand(file: string | undefined, options: { force?: boolean }, io: CliIo): Promise<number> {
  const target = file ?? 'pipeline.yaml';
  if (target === '-') {
    io.stdout.write(initSkeleton({ schemaReference: SCHEMA_PATH, name: 'my-pipeline' }));
    return 0;
  }
  const path = resolve(io.cwd ?? process.cwd(), target);
  if (existsSync(path) && !options.force) throw new CliError(`${target} already exists: choose another name, or pass --force to overwrite it`);
  const reference = relative(dirname(path), SCHEMA_PATH).split('\\').join('/');
  const name = basename(path, extname(path)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'my-pipeline';
  await writeFile(path, initSkeleton({ schemaReference: reference.startsWith('.') ? reference : `./${reference}`, name }));
  io.stdout.write(`wrote ${target}: edit it, then run \`imageport validate ${target}\`\n`);
  return 0;
}
