import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The shipped `schema/pipeline.schema.json`: at the package root both when running from source (`lib/pipeline/cli`)
 * and from the build (`dist/lib/pipeline/cli`, where the package root is one level further up).
 */
export const SCHEMA_PATH: string = [join(__dirname, '..', '..', '..', 'schema', 'pipeline.schema.json'), join(__dirname, '..', '..', '..', '..', 'schema', 'pipeline.schema.json')].find(
  (candidate) => existsSync(candidate),
) ?? join(__dirname, '..', '..', '..', 'schema', 'pipeline.schema.json');
