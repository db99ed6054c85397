/**
 * The credentials the security suite plants, and a scanner that looks for them in everything the project writes.
 *
 * A secret can leave in many spellings: verbatim, URL-encoded (once, twice, or with RFC 3986's `! ' ( ) *`),
 * base64 (standard or URL-safe, at any of the three byte alignments it can have inside a larger encoded blob, as in
 * `Authorization: Basic …` or a serialized buffer), hex, or JSON-escaped. The scanner derives every spelling of
 * every planted value and reports each hit with its place, so a failing test says exactly what leaked where.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One planted credential value and what it is. */
export interface PlantedSecret {
  /** Human label: `aws secret`, `alicloud key id`, `jdcloud session token (restricted)`. */
  readonly label: string;
  /** The value. */
  readonly value: string;
}

/** A key pair, as the emulator hands them out. */
export interface KeyPair {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret. */
  readonly secretAccessKey: string;
}

/**
 * Distinctive fake session tokens (one per cloud). They contain `/`, `+` and `=`, so their URL-encoded spellings
 * differ from the raw ones, and they are long enough that a hit cannot be a coincidence. The emulator does not check
 * session tokens (it has no STS that issues them), so requests that carry them still succeed.
 */
export const FAKE_SESSION_TOKENS = {
  aws: 'IQoJb3JpZ2luX2VjEImagePortFakeSessionToken/AWS+0123456789abcdefXYZ==',
  alicloud: 'CAISImagePortFakeSecurityToken/Alibaba+0123456789abcdefXYZ==',
  jdcloud: 'JDSTSImagePortFakeSessionToken/JDCloud+0123456789abcdefXYZ==',
} as const;

/** The clouds, in a fixed order. */
export const CLOUDS = ['aws', 'alicloud', 'jdcloud'] as const;

/** A cloud id of the suite. */
export type SecurityCloud = (typeof CLOUDS)[number];

/** Builds the planted list from the emulator's key pairs (full and restricted) and the fake session tokens. */
export function plantedSecrets(
  credentials: Readonly<Record<SecurityCloud, KeyPair>>,
  restricted: Readonly<Record<SecurityCloud, KeyPair>>,
  extra: readonly PlantedSecret[] = [],
): PlantedSecret[] {
  const planted: PlantedSecret[] = [];
  for (const cloud of CLOUDS) {
    planted.push({ label: `${cloud} secret`, value: credentials[cloud].secretAccessKey });
    planted.push({ label: `${cloud} key id`, value: credentials[cloud].accessKeyId });
    planted.push({ label: `${cloud} secret (restricted)`, value: restricted[cloud].secretAccessKey });
    planted.push({ label: `${cloud} key id (restricted)`, value: restricted[cloud].accessKeyId });
    planted.push({ label: `${cloud} session token`, value: FAKE_SESSION_TOKENS[cloud] });
  }
  return [...planted, ...extra];
}

/** One spelling of a planted value to search for. */
interface Needle {
  readonly label: string;
  readonly encoding: string;
  readonly text: string;
}

/** Shortest needle worth searching for: shorter encoded fragments could match by chance. */
const MIN_NEEDLE_LENGTH = 12;

/** RFC 3986 encoding (SigV4's and Alibaba's): `encodeURIComponent` plus `! ' ( ) *`. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The base64 characters that depend only on `value`'s bytes when it sits at byte offset `offset` (mod 3) of a
 * larger buffer: the first group (mixed with the bytes before) and the last partial group are dropped.
 */
function base64Core(value: Buffer, offset: 0 | 1 | 2, urlSafe: boolean): string {
  const padded = Buffer.concat([Buffer.alloc(offset), value]);
  let encoded = padded.toString(urlSafe ? 'base64url' : 'base64');
  const whole = Math.floor(padded.length / 3) * 4;
  encoded = encoded.slice(offset === 0 ? 0 : 4, whole);
  return encoded;
}

/** Every spelling of every planted value, de-duplicated. */
export function needlesOf(planted: readonly PlantedSecret[]): Needle[] {
  const needles = new Map<string, Needle>();
  const add = (label: string, encoding: string, text: string) => {
    if (text.length < MIN_NEEDLE_LENGTH) return;
    const key = `${label}\n${text}`;
    if (!needles.has(key)) needles.set(key, { label, encoding, text });
  };
  for (const { label, value } of planted) {
    const bytes = Buffer.from(value, 'utf8');
    add(label, 'raw', value);
    add(label, 'url-encoded', encodeURIComponent(value));
    add(label, 'url-encoded (RFC 3986)', rfc3986(value));
    add(label, 'url-encoded twice', encodeURIComponent(encodeURIComponent(value)));
    add(label, 'url-encoded (lower-case hex)', encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
    add(label, 'JSON-escaped', JSON.stringify(value).slice(1, -1));
    add(label, 'hex', bytes.toString('hex'));
    add(label, 'spaced hex (S3 …Bytes fields)', [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' '));
    for (const offset of [0, 1, 2] as const) {
      add(label, `base64 (offset ${offset})`, base64Core(bytes, offset, false));
      add(label, `base64url (offset ${offset})`, base64Core(bytes, offset, true));
    }
  }
  return [...needles.values()];
}

/** One place a planted value was found. */
export interface Leak {
  /** What leaked. */
  readonly label: string;
  /** In which spelling. */
  readonly encoding: string;
  /** Where (`apply --json stdout`, `.imageport/state.json`). */
  readonly where: string;
  /** A few characters around the hit, with the hit itself masked, for the failure message. */
  readonly context: string;
}

/** Scans texts (and anything JSON-serializable) for planted values. */
export class SecretScanner {
  private readonly needles: readonly Needle[];

  /** @param planted the values that must never appear */
  constructor(public readonly planted: readonly PlantedSecret[]) {
    this.needles = needlesOf(planted);
  }

  /** Every hit in `text` (a string, a Buffer read as latin1 so any byte sequence is searchable, or a value to JSON). */
  public scan(where: string, content: unknown): Leak[] {
    const text = typeof content === 'string' ? content : Buffer.isBuffer(content) ? content.toString('latin1') : (safeJson(content) ?? String(content));
    const leaks: Leak[] = [];
    for (const needle of this.needles) {
      const at = text.indexOf(needle.text);
      if (at < 0) continue;
      const before = text.slice(Math.max(0, at - 30), at);
      const after = text.slice(at + needle.text.length, at + needle.text.length + 30);
      leaks.push({ label: needle.label, encoding: needle.encoding, where, context: `${before}<${needle.label}>${after}`.replace(/\s+/g, ' ') });
    }
    return leaks;
  }

  /** Scans many named places at once. */
  public scanAll(places: Readonly<Record<string, unknown>>): Leak[] {
    return Object.entries(places).flatMap(([where, content]) => this.scan(where, content));
  }

  /**
   * Scans every file under `dir` (file names too), except the paths `exempt` accepts (relative, `/`-separated).
   * Files are read as bytes, so binary files (disk images, archives) are searched too.
   */
  public scanTree(dir: string, label: string, exempt: (relativePath: string) => boolean = () => false): Leak[] {
    const leaks: Leak[] = [];
    for (const file of listFiles(dir)) {
      const path = relative(dir, file).split('\\').join('/');
      if (exempt(path)) continue;
      leaks.push(...this.scan(`${label}/${path} (name)`, path));
      leaks.push(...this.scan(`${label}/${path}`, readFileSync(file)));
    }
    return leaks;
  }
}

/** Every regular file under `dir`, recursively (missing folder: none). */
export function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue; // removed while we looked (a lock released, a temp file renamed)
    }
    if (stat.isDirectory()) files.push(...listFiles(path));
    else if (stat.isFile()) files.push(path);
  }
  return files;
}

/** Renders leaks for a failure message, one per line. */
export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((leak) => `${leak.label} (${leak.encoding}) in ${leak.where}: …${leak.context}…`).join('\n');
}

function safeJson(value: unknown): string | undefined {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (isSerializedBuffer(item)) return Buffer.from(item.data).toString('latin1');
      if (item instanceof Uint8Array) return Buffer.from(item).toString('latin1');
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return '[circular]';
        seen.add(item);
      }
      return item;
    });
  } catch {
    return undefined;
  }
}

/** `Buffer#toJSON`'s shape (what JSON.stringify hands a replacer for a Buffer). */
function isSerializedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);
}
