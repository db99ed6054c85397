import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardedSection, type Section } from '../../bench/bench-sections';
import { machineInfo, parseBenchArgs, renderReport, runBenchmarks } from '../../bench/run';

test('parses --quick, --only and --out', (t) => {
  t.deepEqual(parseBenchArgs([]), { quick: false });
  t.deepEqual(parseBenchArgs(['--quick', '--only=waiter,apply', '--out=/tmp/B.md']), { quick: true, only: ['waiter', 'apply'], out: '/tmp/B.md' });
});

test('rejects an unknown section or argument, naming it and the choices', (t) => {
  t.throws(() => parseBenchArgs(['--only=waiter,speed']), { message: /unknown section speed; choose from waiter, model, cdk, cli, apply/ });
  t.throws(() => parseBenchArgs(['--fast']), { message: /unknown argument "--fast"/ });
});

test('the report names the machine, sums up every verdict and gives each section its command', (t) => {
  const machine = { ...machineInfo(), cpu: 'Test CPU', cores: 2, loadAtStart: [1.5, 1, 0.5] };
  const sections: Section[] = [
    { title: '1. One', command: 'node dist/bench/one.js', verdicts: [{ figure: 'ratio', value: '0.09', target: '<= 0.1', pass: true }], body: 'Body one.' },
    { title: '2. Two', command: 'node dist/bench/two.js', verdicts: [{ figure: 'rss', value: '250 MB', target: '< 200 MB', pass: false }], body: 'Body two.' },
  ];
  const markdown = renderReport(machine, sections, { quick: false });
  t.regex(markdown, /Machine: Test CPU, 2 cores, .* Node v\d+.*load average at start 1\.5 \/ 1 \/ 0\.5/);
  t.regex(markdown, /\| 1\. One \| ratio \| 0\.09 \| <= 0\.1 \| pass \|/);
  t.regex(markdown, /\| 2\. Two \| rss \| 250 MB \| < 200 MB \| \*\*MISS\*\* \|/);
  t.regex(markdown, /## 2\. Two\n\nReproduce: `node dist\/bench\/two\.js`\n\nBody two\./);
  t.notRegex(markdown, /Quick run/);
  t.regex(renderReport(machine, sections, { quick: true }), /Quick run/);
});

test('a benchmark that throws becomes a failed section with the error, not a lost report', async (t) => {
  const section = await guardedSection('9. Broken', 'node x.js', async () => {
    throw new Error('no such thing');
  });
  t.is(section.error?.split('\n')[0], 'Error: no such thing');
  t.deepEqual(section.verdicts, [{ figure: 'benchmark ran', value: 'error', target: 'runs', pass: false }]);
  t.regex(section.body, /could not run/);
});

test('runBenchmarks writes the report for the chosen sections', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imageport-bench-run-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'B.md');
  const lines: string[] = [];
  const { sections } = await runBenchmarks({ quick: true, only: ['model'], out, log: (line) => lines.push(line) });
  t.is(sections.length, 1);
  const written = readFileSync(out, 'utf8');
  t.regex(written, /^# Benchmarks/);
  t.regex(written, /## 2\. The waiter on synthetic curves/);
  t.notRegex(written, /## 1\./);
  t.true(lines.some((line) => /bench: model done/.test(line)));
});
