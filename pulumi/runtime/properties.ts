/**
 * Plain-JSON helpers for dynamic-provider properties. Everything a provider returns crosses the gRPC boundary as a
 * protobuf `Struct`, which has no `undefined`: these keep outputs representable.
 */

/**
 * The value the engine sends for an input that is not known yet (during `pulumi preview`). Same literal as
 * `pulumi.runtime.unknownValue`; repeated here so the runtime does not load the Pulumi SDK to read a constant.
 */
export const UNKNOWN_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** The property that holds the serialized provider. */
export const PROVIDER_KEY = '__provider';

/** True when a value is, or contains, a value not known yet. */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value !== null && typeof value === 'object') return Object.values(value).some(isUnknown);
  return false;
}

/** A deep copy with every `undefined` member removed (and `undefined` array items turned into `null`). */
export function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

/** `record` without the given keys. */
export function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** JSON text of a value with object keys sorted and `undefined` members dropped: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/** True when two JSON-like values are equal (deep, key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value ?? null;
}
