import test from 'ava';
import { issueLines } from '../pipeline-test-support';

test('rejects an unknown field at its key, listing the allowed fields', (t) => {
  const lines = issueLines('name: demo\nclouds:\n  aws:\n    region: us-east-1\n    colour: blue\n');
  t.deepEqual(lines, ['pipeline.yaml:5:5: clouds.aws.colour: is not a known field here (allowed: region, endpoints, concurrency, accountId)']);
});

test('rejects a missing required field at its parent', (t) => {
  const lines = issueLines('name: demo\nclouds:\n  aws:\n    concurrency: 2\n');
  t.deepEqual(lines, ['pipeline.yaml:3:3: clouds.aws.region: is required']);
});

test('rejects a value outside a closed set, listing the allowed values', (t) => {
  const lines = issueLines(`name: demo
clouds:
  aws: { region: us-east-1 }
buckets:
  b: { cloud: gcp, name: my-bucket }
`);
  t.deepEqual(lines, ['pipeline.yaml:5:15: buckets.b.cloud: "gcp" is not allowed (allowed: aws, alicloud, jdcloud)']);
});

test('rejects a wrong type and a bad duration with plain wording', (t) => {
  const lines = issueLines(`name: demo
clouds:
  aws: { region: us-east-1, concurrency: many }
buckets:
  b: { cloud: aws, name: my-bucket }
exports:
  e:
    cloud: aws
    imageId: ami-0123456789abcdef0
    format: vmdk
    bucket: b
    timeouts: { create: soon }
`);
  t.deepEqual(lines, [
    'pipeline.yaml:3:42: clouds.aws.concurrency: "many" must be an integer',
    'pipeline.yaml:12:25: exports.e.timeouts.create: "soon" is not a duration: write a number and a unit (ms, s, m, h, d), such as 90m, 2h or 1h30m',
  ]);
});

test('rejects a disk with two sources or none, once per disk', (t) => {
  const lines = issueLines(`name: demo
clouds:
  aws: { region: us-east-1 }
buckets:
  b: { cloud: aws, name: my-bucket }
imports:
  i:
    cloud: aws
    disks:
      - { bucket: b, key: a.vmdk, url: "https://example.com/a.vmdk", format: vmdk }
      - { format: vmdk }
`);
  t.is(lines.length, 2, lines.join('\n'));
  t.regex(lines[0], /^pipeline\.yaml:10:9: imports\.i\.disks\[0\]: .* has more than one source \(bucket \+ key and url\)/);
  t.regex(lines[1], /^pipeline\.yaml:11:9: imports\.i\.disks\[1\]: .*source/);
});

test('rejects an invalid key name at the key', (t) => {
  const lines = issueLines(`name: demo
clouds:
  aws: { region: us-east-1 }
buckets:
  "bad key": { cloud: aws, name: my-bucket }
`);
  t.deepEqual(lines, [
    'pipeline.yaml:5:3: buckets.bad key: "bad key" is not a valid key: use letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters',
  ]);
});

test('rejects a file that is not a mapping', (t) => {
  t.deepEqual(issueLines('- a\n- b\n'), ['pipeline.yaml:1:1: ["a","b"] must be an object']);
  t.deepEqual(issueLines(''), ['pipeline.yaml:1:1: null must be an object']);
});

test('reports a YAML syntax error alone, with line and column', (t) => {
  t.deepEqual(issueLines('name: demo\nclouds: [\n'), ['pipeline.yaml:3:1: YAML syntax error: deficient indentation']);
});
