// Bundles every `*.lambda.ts` under constructs/ into dist/lambda/<name>/index.js at build time, so users of the
// constructs never need esbuild or Docker at synth. The AWS SDK v3 stays external: the Lambda Node.js runtime ships it.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, basename } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function findLambdas(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findLambdas(path));
    else if (entry.endsWith('.lambda.ts')) found.push(path);
  }
  return found;
}

const entries = findLambdas(join(root, 'constructs'));
for (const entry of entries) {
  const name = basename(entry, '.lambda.ts');
  const outfile = join(root, 'dist', 'lambda', name, 'index.js');
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    external: ['@aws-sdk/*', '@smithy/*'],
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`bundled ${relative(root, entry)} -> ${relative(root, outfile)} (${(bytes / 1024).toFixed(1)} KiB)`);
}
