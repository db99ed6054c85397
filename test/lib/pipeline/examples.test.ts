import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'ava';
import { check } from './pipeline-test-support';

const EXAMPLES = resolve(__dirname, '..', '..', '..', 'examples', 'pipelines');
const SCHEMA = resolve(__dirname, '..', '..', '..', 'schema', 'pipeline.schema.json');

for (const name of readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml'))) {
  test(`examples/pipelines/${name} points editors at the schema and validates`, (t) => {
    const file = join(EXAMPLES, name);
    const text = readFileSync(file, 'utf8');
    const header = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
    t.truthy(header, 'first line references the schema for editors');
    t.is(resolve(dirname(file), header![1]), SCHEMA);
    const result = check(text, name);
    t.deepEqual(result.issues, []);
  });
}
