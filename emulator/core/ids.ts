import { randomBytes } from 'node:crypto';

/** `count` random lower-case hex digits. */
export function randomHex(count: number): string {
  return randomBytes(Math.ceil(count / 2))
    .toString('hex')
    .slice(0, count);
}

/** `count` random characters from `alphabet`. */
export function randomFrom(alphabet: string, count: number): string {
  const bytes = randomBytes(count);
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** Upper-case letters and digits (IAM unique ids: `AROA…`). */
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
