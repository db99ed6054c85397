/** A place in a source file, 1-based like editors show it. */
export interface SourcePosition {
  /** Line, from 1. */
  readonly line: number;
  /** Column, from 1. */
  readonly column: number;
}

/** Where one node of a YAML document sits: its value, and its key when it is a mapping entry. */
export interface NodeLocation {
  /** Start of the value. */
  readonly value: SourcePosition;
  /** Start of the key, for a mapping entry. @default - not a mapping entry (document root or list item) */
  readonly key?: SourcePosition;
}

/** One step of a path into a document: a mapping key or a list index. */
export type PathSegment = string | number;

/**
 * Encodes a path as a JSON Pointer (RFC 6901), the form ajv reports (`/exports/golden-aws/format`), so schema errors
 * and positions meet on the same key.
 */
export function toJsonPointer(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Decodes a JSON Pointer into segments (all strings; list indexes stay numeric strings). */
export function fromJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Renders a path the way messages name fields: dotted, list items as `[n]` (`imports.web.disks[0].bucket`).
 * A numeric segment is shown as `[n]` only when `isIndex` says it indexes a list.
 */
export function displayPath(path: readonly PathSegment[], isIndex: (depth: number) => boolean = () => false): string {
  let text = '';
  path.forEach((segment, depth) => {
    if (typeof segment === 'number' || isIndex(depth)) text += `[${segment}]`;
    else {
      const shown = segment === '' ? '""' : segment; // an empty key must still show as a path
      text += depth === 0 ? shown : `.${shown}`;
    }
  });
  return text;
}

/**
 * Converts character offsets into line/column positions. Lines end where YAML says they do (a line feed, a carriage
 * return, or both: YAML 1.2 section 5.4), which is also how js-yaml counts the lines of its syntax errors, so every
 * issue of a file with old Mac (CR) line ends points at the same lines an editor shows.
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  /** @param source the full text */
  constructor(source: string) {
    for (let i = 0; i < source.length; i++) {
      const code = source.charCodeAt(i);
      if (code === 10 || (code === 13 && source.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  /** The position of a 0-based character offset. */
  public position(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }
}
