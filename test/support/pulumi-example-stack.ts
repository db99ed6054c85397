import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { REPO_ROOT } from './pulumi-provider-host';
import { type RegisteredResource } from './pulumi-mock-program';

/** A Pulumi example project: its name and the config of one stack file. */
export interface ExampleProject {
  /** Folder of the example. */
  readonly dir: string;
  /** `name` from `Pulumi.yaml`. */
  readonly project: string;
  /** `main` program file. */
  readonly program: string;
  /** Config of the stack file, keys as `namespace:key`, values as strings. */
  readonly config: Record<string, string>;
}

/**
 * Reads `examples/pulumi/<name>/Pulumi.yaml` and `Pulumi.<stack>.yaml`, as the Pulumi CLI would before running the
 * program.
 */
export function loadExample(name: string, stack = 'local'): ExampleProject {
  const dir = path.join(REPO_ROOT, 'examples', 'pulumi', name);
  const project = yaml.load(readFileSync(path.join(dir, 'Pulumi.yaml'), 'utf8')) as { name: string; main?: string };
  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  const stackConfig = existsSync(stackFile) ? ((yaml.load(readFileSync(stackFile, 'utf8')) as { config?: Record<string, unknown> }).config ?? {}) : {};
  const config = Object.fromEntries(
    Object.entries(stackConfig).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
  return { dir, project: project.name, program: path.join(dir, project.main ?? 'index.ts'), config };
}

/**
 * Fails with a clear message unless the compiled runtime exists: the dynamic-provider host loads imageport's
 * provider runtime from `dist/` (package self-reference), as it loads it from `node_modules/imageport` in a user's
 * project. `npm test` builds first.
 */
export function assertRuntimeBuilt(): void {
  const runtime = path.join(REPO_ROOT, 'dist', 'pulumi', 'runtime', 'index.js');
  if (!existsSync(runtime)) throw new Error(`${runtime} is missing: run "npm run build" before the Pulumi host tests`);
}

/** The one resource of `type` (and `name`, when given) in a mock run; throws when there is not exactly one. */
export function resourceOf(resources: readonly RegisteredResource[], type: string, name?: string): RegisteredResource {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ''}, found ${found.length}`);
  return found[0];
}
