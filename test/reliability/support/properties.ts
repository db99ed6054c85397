import { type ExecutionContext } from 'ava';
import fc from 'fast-check';

/**
 * Runs a fast-check property and, when it fails, fails the test with what ava would otherwise not show: the
 * error the property threw (fast-check keeps it as the failure's `cause`), the shrunk counterexample, and the seed
 * and path that replay it (`fc.assert(property, { seed, path })`). `IMAGEPORT_PROPERTY_RUNS=5000` runs every property
 * that many times (a deeper search than CI's).
 */
export function holds<Ts extends [unknown, ...unknown[]]>(t: ExecutionContext, property: fc.IProperty<Ts>, parameters: fc.Parameters<Ts> = {}): void {
  const runs = Number(process.env.IMAGEPORT_PROPERTY_RUNS);
  const details = fc.check(property, Number.isSafeInteger(runs) && runs > 0 ? { ...parameters, numRuns: runs } : parameters);
  if (!details.failed) {
    t.pass();
    return;
  }
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const example = fc.stringify(details.counterexample).slice(0, 2000);
  t.fail(`property failed after ${details.numRuns} runs: ${error}\ncounterexample: ${example}\nreplay with { seed: ${details.seed}, path: "${(details.counterexamplePath ?? '').slice(0, 200)}" }`);
}
