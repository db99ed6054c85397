/**
 * The CDK handler as Lambda runs it: `constructs/handler/image-task.lambda.ts` bundled with esbuild exactly as
 * `scripts/bundle-lambdas.mjs` does for `dist/lambda` (CommonJS, node20, minified, AWS SDK v3 and Smithy external),
 * built afresh from the source under test so a stale `dist/` can never pass for it. The bundle is written under
 * `node_modules/.cache`, where Node resolves the external SDK packages from the project's `node_modules`.
 */
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** The handler entry points the bundle exports (Lambda's `index.onEvent`, `index.isComplete`, `index.poll`). */
export interface HandlerBundle {
  /** Folder of the bundle (remove it when done). */
  readonly dir: string;
  /** Path of the bundled `index.js`. */
  readonly file: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** Lambda handler `index.onEvent`. */
  readonly onEvent: (event: unknown) => Promise<unknown>;
  /** Lambda handler `index.isComplete`. */
  readonly isComplete: (event: unknown) => Promise<unknown>;
  /** Lambda handler `index.poll`. */
  readonly poll: (event: unknown) => Promise<unknown>;
}

const root = join(__dirname, '..', '..', '..');

/** Bundles the handler and loads the bundle. */
export function buildHandlerBundle(): HandlerBundle {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'imageport-handler-'));
  const file = join(dir, 'index.js');
  buildSync({
    entryPoints: [join(root, 'constructs', 'handler', 'image-task.lambda.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'error',
  });
  const loaded = require(file) as Pick<HandlerBundle, 'onEvent' | 'isComplete' | 'poll'>;
  return { dir, file, bytes: statSync(file).size, onEvent: loaded.onEvent, isComplete: loaded.isComplete, poll: loaded.poll };
}
