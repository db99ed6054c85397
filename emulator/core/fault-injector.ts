import { FAULT_KINDS, type FaultController, type FaultKind, type FaultSettings } from '../types';

/** Faults that act on the HTTP exchange. */
export type RequestFaultKind = 'throttle' | '5xx' | 'drop' | 'drop-after';
/** Faults that act on a task the request creates. */
export type TaskFaultKind = 'slow-task' | 'fail-task';

/** What one request drew. */
export interface FaultDraw {
  /** Fault on the exchange itself. @default - none */
  readonly request?: RequestFaultKind;
  /** Fault on a task the request creates. @default - none */
  readonly task?: TaskFaultKind;
}

/**
 * Seeded fault injection shared by every cloud. Each request that matches the cloud/service filter takes one draw
 * (`rate`) and, when it hits, one more to pick a kind, so the faults depend only on the seed and the order of the
 * matching requests.
 */
export class FaultInjector implements FaultController {
  private current: FaultSettings | undefined;
  private random: () => number = mulberry32(1);

  public constructor(initial?: FaultSettings) {
    if (initial) this.set(initial);
  }

  /** The settings in force. */
  public get settings(): FaultSettings | undefined {
    return this.current;
  }

  /** Validates and installs settings; restarts the generator from the seed. */
  public set(settings: FaultSettings): void {
    const problems = validateFaultSettings(settings);
    if (problems.length > 0) throw new Error(`invalid fault settings:\n- ${problems.join('\n- ')}`);
    const seed = settings.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.current = {
      rate: settings.rate,
      kinds: [...settings.kinds],
      ...(settings.clouds ? { clouds: [...settings.clouds] } : {}),
      ...(settings.services ? { services: [...settings.services] } : {}),
      seed,
    };
    this.random = mulberry32(seed);
  }

  /** Stops injecting faults. */
  public clear(): void {
    this.current = undefined;
  }

  /** Draws the fault for one request to `cloud`/`service` (nothing when no settings match). */
  public draw(cloud: string, service: string): FaultDraw {
    const settings = this.current;
    if (!settings || settings.kinds.length === 0 || settings.rate <= 0) return {};
    if (settings.clouds && !settings.clouds.includes(cloud)) return {};
    if (settings.services && !settings.services.includes(service)) return {};
    if (this.random() >= settings.rate) return {};
    const kind = settings.kinds[Math.floor(this.random() * settings.kinds.length)];
    return kind === 'slow-task' || kind === 'fail-task' ? { task: kind } : { request: kind };
  }
}

/** Every problem with fault settings (empty when valid), each naming the field, the value and the rule. */
export function validateFaultSettings(settings: unknown): string[] {
  const problems: string[] = [];
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    return [`fault settings must be an object, got ${JSON.stringify(settings)}`];
  }
  const s = settings as Record<string, unknown>;
  if (typeof s.rate !== 'number' || !Number.isFinite(s.rate) || s.rate < 0 || s.rate > 1) {
    problems.push(`rate: ${JSON.stringify(s.rate)} must be a number from 0 to 1`);
  }
  if (!Array.isArray(s.kinds)) {
    problems.push(`kinds: ${JSON.stringify(s.kinds)} must be an array of ${FAULT_KINDS.join(', ')}`);
  } else {
    s.kinds.forEach((kind, index) => {
      if (!FAULT_KINDS.includes(kind as FaultKind)) {
        problems.push(`kinds[${index}]: ${JSON.stringify(kind)} is not one of ${FAULT_KINDS.join(', ')}`);
      }
    });
  }
  for (const field of ['clouds', 'services'] as const) {
    const value = s[field];
    if (value !== undefined && (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))) {
      problems.push(`${field}: ${JSON.stringify(value)} must be an array of strings`);
    }
  }
  if (s.seed !== undefined && (typeof s.seed !== 'number' || !Number.isInteger(s.seed))) {
    problems.push(`seed: ${JSON.stringify(s.seed)} must be an integer`);
  }
  const known = new Set(['rate', 'kinds', 'clouds', 'services', 'seed']);
  for (const key of Object.keys(s)) {
    if (!known.has(key)) problems.push(`${key}: unknown field (allowed: ${[...known].join(', ')})`);
  }
  return problems;
}

/** A small, fast, seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
