/** A seeded uniform generator in [0, 1) (mulberry32: small, fast, good enough for test choices). */
export type Random = () => number;

/** mulberry32 seeded with `seed`. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * The seed of a randomized test: the environment variable `name` when set (to replay a run), else a fresh one.
 * Throws on a value that is not an integer, so a typo never silently replays another run.
 */
export function seedFrom(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const given = env[name];
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`${name}=${JSON.stringify(given)} must be an integer seed`);
  return seed;
}

/** The line a randomized test prints so that a failing run can be replayed. */
export function replayLine(name: string, seed: number, testFile: string): string {
  return `${name}=${seed} (replay: ${name}=${seed} npx ava ${testFile})`;
}
