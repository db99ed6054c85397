import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatCdkSynthReport, runCdkSynthBench } from '../../bench/cdk-synth';
import { measureCliStartup } from '../../bench/cli-startup';
import { repositoryRoot } from '../../bench/repository-root';

// bench/cdk-synth.ts and bench/cli-startup.ts belong to the CDK and pipeline engineers; bench/run.ts calls them,
// so a change of their shape must show here. Both need the build (`npm test` builds first).
const built = existsSync(join(repositoryRoot(), 'dist', 'bin', 'imageport.js')) && existsSync(join(repositoryRoot(), 'dist', 'lambda', 'image-task', 'index.js'));

test('the CDK synth benchmark runs in a tiny configuration', (t) => {
  if (!built) return t.fail('run `npm run build` first: the handler bundle is missing');
  const report = runCdkSynthBench({ resources: 2, runs: 1 });
  t.is(report.resources, 2);
  t.true(report.ratio > 0 && Number.isFinite(report.ratio));
  t.true(report.bundleBytes > 1000);
  t.regex(formatCdkSynthReport(report), /ratio/);
});

test('the CLI start-up benchmark runs in a tiny configuration', (t) => {
  if (!built) return t.fail('run `npm run build` first: dist/bin/imageport.js is missing');
  const result = measureCliStartup({ runs: 1 });
  t.true(result.nodeMs > 0 && result.helpMs > 0 && result.validateMs > 0);
  t.is(result.helpRatio, result.helpMs / result.nodeMs);
});
