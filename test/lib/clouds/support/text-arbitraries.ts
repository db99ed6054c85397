import fc from 'fast-check';

/** Lower-case ASCII letters. */
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** Upper-case ASCII letters. */
export const UPPER = LOWER.toUpperCase();
/** Decimal digits. */
export const DIGITS = '0123456789';
/** Lower-case hexadecimal digits. */
export const HEX = '0123456789abcdef';

/** Strings of `min` to `max` characters drawn from `chars`. */
export function charsOf(chars: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength });
}

/** `text` with each letter in a random case (`vmdk`, `VmDk`, `VMDK`). */
export function anyCase(text: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
}

/** One of `values`, each in a random letter case. */
export function oneOfAnyCase(values: readonly string[]): fc.Arbitrary<string> {
  return fc.constantFrom(...values).chain(anyCase);
}

/** `text` with `insert` put at a random position. */
export function insertSomewhere(text: string, insert: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 0, max: text.length }), insert).map(([at, piece]) => text.slice(0, at) + piece + text.slice(at));
}

/** Values that are present but not strings (null counts as absent everywhere, so it is not among them). */
export const notString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 3, noNullPrototype: true }),
);

/** Values that are present but not `true` or `false`. */
export const notBoolean: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom('true', 'false', 'yes', '', 0, 1), fc.integer(), fc.array(fc.boolean(), { minLength: 1, maxLength: 2 }));

/** Values that are present but not numbers. */
export const notNumber: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom('40', '', 'fifty', true), fc.array(fc.integer(), { minLength: 1, maxLength: 2 }));

/** Values that are present but not plain objects. */
export const notObject: fc.Arbitrary<unknown> = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }));

/** Values that are present but not lists. */
export const notList: fc.Arbitrary<unknown> = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant({ bucket: 'b', key: 'k' }));

/** Text of code points that are not control characters (C0 and DEL), any script, including astral ones. */
export function printableText(maxLength: number, minLength = 0): fc.Arbitrary<string> {
  return fc
    .string({ unit: 'binary', minLength, maxLength })
    // eslint-disable-next-line no-control-regex
    .map((text) => text.replace(/[\u0000-\u001f\u007f]/g, 'x'));
}

/** Text of `min` to `max` UTF-16 code units from the Basic Multilingual Plane (no surrogates), any script. */
export function bmpText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.integer({ min: 0x20, max: 0xfffd }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCharCode(c)), minLength, maxLength });
}

/** A plain-object map (never a null-prototype one) of `key` to `value`. */
export function plainMap<V>(key: fc.Arbitrary<string>, value: fc.Arbitrary<V>, maxKeys: number, minKeys = 0): fc.Arbitrary<Record<string, V>> {
  return fc.dictionary(key, value, { minKeys, maxKeys, noNullPrototype: true });
}

/** A record whose keys are absent (not `undefined`) when not drawn. */
export function spec<T extends Record<string, fc.Arbitrary<unknown>>>(model: T, required: readonly (keyof T & string)[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(model, { requiredKeys: [...required], noNullPrototype: true }) as fc.Arbitrary<Record<string, unknown>>;
}
