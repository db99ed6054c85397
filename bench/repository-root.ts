import { basename, dirname, join } from 'node:path';

/** The repository's root folder, from the sources (`bench/`) or from the build (`dist/bench/`). */
export function repositoryRoot(): string {
  const fromBuild = basename(dirname(__dirname)) === 'dist';
  return fromBuild ? join(__dirname, '..', '..') : join(__dirname, '..');
}
