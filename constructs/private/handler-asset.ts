import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the handler bundle: `constructs/handler/image-task.lambda.ts` → `dist/lambda/image-task/index.js`. */
export const HANDLER_BUNDLE_NAME = 'image-task';

/**
 * Folder of the prebuilt handler bundle, for `lambda.Code.fromAsset`. Found both from the compiled constructs
 * (`dist/constructs/private` → `dist/lambda`) and from source under tsx (`constructs/private` → `dist/lambda`).
 * Users never bundle at synth: `npm run build` (or the published package) provides the bundle.
 */
export function handlerAssetPath(): string {
  const candidates = [join(__dirname, '..', '..', 'lambda', HANDLER_BUNDLE_NAME), join(__dirname, '..', '..', 'dist', 'lambda', HANDLER_BUNDLE_NAME)];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.js')));
  if (!found) {
    throw new Error(
      `The imageport handler bundle is missing (looked for index.js in ${candidates.join(' and ')}). ` +
        'Run `npm run build` (it bundles constructs/**/*.lambda.ts into dist/lambda) and synthesize again.',
    );
  }
  return found;
}
