import { readFileSync } from 'node:fs';
import test from 'ava';
import Ajv from 'ajv';
import {
  AJV_OPTIONS,
  GENERATED_VALIDATOR_FILE,
  SCHEMA_FILE,
  generateFromSchemaFile,
} from '../../../../lib/pipeline/schema/generate-schema-validator';

test('the generated validator matches schema/pipeline.schema.json (regenerate it after a schema change)', (t) => {
  const committed = readFileSync(GENERATED_VALIDATOR_FILE, 'utf8');
  t.true(
    committed === generateFromSchemaFile(),
    'run `npx tsx lib/pipeline/schema/generate-schema-validator.ts` to regenerate lib/pipeline/schema/pipeline-schema-validator.generated.ts',
  );
});

test('the schema is valid draft-07 with additionalProperties false on every object that lists properties (discriminators aside)', (t) => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  t.is(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: false } });
  t.notThrows(() => ajv.compile(schema));
  const open: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    // Discriminators (`if` subschemas, and entries whose `allOf` branches are each closed) list properties on purpose.
    const discriminator = path.endsWith('/if') || record.allOf !== undefined;
    if (record.properties !== undefined && record.additionalProperties !== false && !discriminator) open.push(path);
    for (const [key, value] of Object.entries(record)) walk(value, `${path}/${key}`);
  };
  walk(schema, '#');
  t.deepEqual(open, []);
});
