import test from 'ava';
import { parseYamlDocument } from '../../../lib/pipeline/yaml-document';

const SOURCE = `# comment
name: demo
clouds:
  aws: {region: us-east-1}
exports:
  golden-aws:
    format: "QCOW2"
    tags:
      - a
      - &x b
    alias: *x
`;

test('records the line and column of every key and value', (t) => {
  const result = parseYamlDocument(SOURCE);
  if (!result.ok) return t.fail(result.error.reason);
  const at = (pointer: string) => result.document.locations.get(pointer);
  t.deepEqual(at('/name'), { value: { line: 2, column: 7 }, key: { line: 2, column: 1 } });
  t.deepEqual(at('/clouds/aws/region'), { value: { line: 4, column: 17 }, key: { line: 4, column: 9 } });
  t.deepEqual(at('/exports/golden-aws')?.key, { line: 6, column: 3 });
  t.deepEqual(at('/exports/golden-aws/format')?.value, { line: 7, column: 13 }, 'a quoted scalar starts at its quote');
  t.deepEqual(at('/exports/golden-aws/tags/0'), { value: { line: 9, column: 9 } });
  t.deepEqual(at('/exports/golden-aws/tags/1')?.value, { line: 10, column: 9 }, 'an anchored node starts at its anchor');
  t.deepEqual(at('/exports/golden-aws/alias')?.value, { line: 11, column: 12 });
  t.true(result.document.lists.has('/exports/golden-aws/tags'));
  t.deepEqual(result.document.value, {
    name: 'demo',
    clouds: { aws: { region: 'us-east-1' } },
    exports: { 'golden-aws': { format: 'QCOW2', tags: ['a', 'b'], alias: 'b' } },
  });
});

test('escapes "/" and "~" in keys as JSON Pointer does', (t) => {
  const result = parseYamlDocument('tags:\n  a/b~c: 1\n');
  if (!result.ok) return t.fail();
  t.deepEqual(result.document.locations.get('/tags/a~1b~0c')?.key, { line: 2, column: 3 });
});

test('rejects a syntax error with its line and column', (t) => {
  const result = parseYamlDocument('name: demo\nclouds:\n  aws: {region: us-east-1\n');
  t.false(result.ok);
  if (result.ok) return;
  t.is(result.error.position.line, 4);
  t.truthy(result.error.reason);
});

test('rejects a duplicate key at the duplicate', (t) => {
  const result = parseYamlDocument('name: a\nclouds: {}\nname: b\n');
  t.false(result.ok);
  if (result.ok) return;
  t.deepEqual(result.error.position, { line: 3, column: 1 });
  t.regex(result.error.reason, /duplicate/);
});

test('rejects several documents in one file, pointing at the second', (t) => {
  const result = parseYamlDocument('name: a\n---\nname: b\n');
  t.false(result.ok);
  if (result.ok) return;
  t.is(result.error.position.line, 2);
  t.regex(result.error.reason, /one YAML document; found 2/);
});

test('an empty file is a null document', (t) => {
  const result = parseYamlDocument('');
  t.true(result.ok);
  if (result.ok) t.is(result.document.value, null);
});

test('rejects tabs in indentation with a position', (t) => {
  const result = parseYamlDocument('a:\n\t- b\n');
  t.false(result.ok);
  if (!result.ok) t.is(result.error.position.line, 2);
});
