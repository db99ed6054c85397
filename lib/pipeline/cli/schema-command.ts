import { readFile } from 'node:fs/promises';
import { SCHEMA_PATH } from './schema-path';
import { type CliIo } from './cli-io';

/** `imageport schema`: prints the pipeline JSON Schema (the file shipped in the package). */
export async function schemaCommand(io: CliIo): Promise<number> {
  io.stdout.write(await readFile(SCHEMA_PATH, 'utf8'));
  return 0;
}
