/** One entry of a tar archive, as far as imageport needs it. */
export interface TarEntry {
  /** Path of the entry (pax `path` and GNU long names applied). */
  readonly name: string;
  /** Type flag: `0` regular file, `5` directory, `S` GNU sparse… */
  readonly type: string;
  /** Bytes stored in the archive for this entry. */
  readonly storedSizeBytes: number;
  /** Size of the file once extracted (differs from the stored size for sparse files). */
  readonly sizeBytes: number;
  /** True for a sparse file (GNU `S` or pax `GNU.sparse.*`). */
  readonly sparse: boolean;
  /** Offset of the entry's data from the start of the archive. */
  readonly dataOffset: number;
}

/** Why a tar header could not be read. */
export type TarFailure = 'incomplete' | 'not-tar';

const BLOCK = 512;

/** Reads a numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function readNumber(block: Buffer, offset: number, length: number): number | undefined {
  const field = block.subarray(offset, offset + length);
  if (field[0] & 0x80) {
    let value = 0n;
    for (let i = 1; i < length; i++) value = (value << 8n) | BigInt(field[i]);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function readString(block: Buffer, offset: number, length: number): string {
  return block.toString('utf8', offset, offset + length).replace(/\0.*$/s, '');
}

/** True when the block's checksum field matches its bytes (the field itself counted as spaces). */
function checksumMatches(block: Buffer): boolean {
  const stored = readNumber(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return stored === sum;
}

/** Parses pax extended header records (`<length> <key>=<value>\n`). */
function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(data.toString('latin1', at, space));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/**
 * Reads the first file entry of a tar archive from its first bytes: ustar and GNU headers, base-256 sizes (files
 * of 8 GiB and more), pax extended headers (`path`, `size`, `GNU.sparse.*`), GNU long names and old GNU sparse
 * files. Returns `'incomplete'` when `archive` ends before the entry's header does, `'not-tar'` when the first
 * block is not a valid tar header.
 */
export function readFirstTarEntry(archive: Buffer): TarEntry | TarFailure {
  let offset = 0;
  let pax = new Map<string, string>();
  let longName: string | undefined;
  for (let guard = 0; guard < 8; guard++) {
    if (archive.length < offset + BLOCK) return 'incomplete';
    const block = archive.subarray(offset, offset + BLOCK);
    if (!checksumMatches(block)) return 'not-tar';
    const type = String.fromCharCode(block[156] || 0x30);
    const storedSize = readNumber(block, 124, 12);
    if (storedSize === undefined) return 'not-tar';
    const dataOffset = offset + BLOCK;
    const next = dataOffset + Math.ceil(storedSize / BLOCK) * BLOCK;
    if (type === 'x' || type === 'g' || type === 'L') {
      if (archive.length < dataOffset + storedSize) return 'incomplete';
      const data = archive.subarray(dataOffset, dataOffset + storedSize);
      if (type === 'x') pax = parsePax(data);
      if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
      offset = next;
      continue;
    }
    const magic = block.toString('latin1', 257, 263);
    const prefix = magic.startsWith('ustar') && magic !== 'ustar ' ? readString(block, 345, 155) : '';
    const baseName = readString(block, 0, 100);
    const name =
      pax.get('GNU.sparse.name') ?? pax.get('path') ?? longName ?? (prefix ? `${prefix}/${baseName}` : baseName);
    const paxSize = pax.has('size') ? Number(pax.get('size')) : undefined;
    const stored = paxSize ?? storedSize;
    const paxRealSize = pax.get('GNU.sparse.realsize') ?? pax.get('GNU.sparse.size');
    const gnuSparse = type === 'S';
    const realSize = paxRealSize !== undefined ? Number(paxRealSize) : gnuSparse ? readNumber(block, 483, 12) : stored;
    return {
      name,
      type,
      storedSizeBytes: stored,
      sizeBytes: realSize ?? stored,
      sparse: gnuSparse || paxRealSize !== undefined,
      dataOffset,
    };
  }
  return 'not-tar';
}

/** True when the block at `offset` looks like a ustar/GNU tar header (magic at 257 and a valid checksum). */
export function isTarHeader(buffer: Buffer, offset = 0): boolean {
  if (buffer.length < offset + BLOCK) return false;
  const block = buffer.subarray(offset, offset + BLOCK);
  return block.toString('latin1', 257, 262) === 'ustar' && checksumMatches(block);
}
