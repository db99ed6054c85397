import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, YAMLException, type Event } from 'js-yaml';
import {
  LineIndex,
  toJsonPointer,
  type NodeLocation,
  type PathSegment,
  type SourcePosition,
} from './source-position';

/** A parsed YAML file: its value and where every node sits. */
export interface YamlDocument {
  /** The document's value (plain JSON-like data). `null` for an empty file. */
  readonly value: unknown;
  /** Node locations, keyed by JSON Pointer (`/exports/golden-aws/format`). */
  readonly locations: ReadonlyMap<string, NodeLocation>;
  /** JSON Pointers of every list node, so paths can show `[n]` for list items. */
  readonly lists: ReadonlySet<string>;
}

/** A YAML syntax error, with where it is. */
export interface YamlSyntaxError {
  /** What is wrong, in js-yaml's words (`bad indentation of a mapping entry`). */
  readonly reason: string;
  /** Where. */
  readonly position: SourcePosition;
}

/** Result of {@link parseYamlDocument}. */
export type YamlParseResult = { readonly ok: true; readonly document: YamlDocument } | { readonly ok: false; readonly error: YamlSyntaxError };

/**
 * Parses one YAML document and records the position of every node.
 *
 * js-yaml 5 has no position listener; it exposes its event stream instead (`parseEvents`, with source offsets), from
 * which it also constructs the value (`constructFromEvents`). So the file is tokenised once and both the value and
 * the path → position map come from the same events.
 */
export function parseYamlDocument(source: string, filename?: string): YamlParseResult {
  const lineIndex = new LineIndex(source);
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(source, { filename });
    values = constructFromEvents(events, { source, filename });
  } catch (error) {
    return { ok: false, error: toSyntaxError(error) };
  }
  if (values.length > 1) {
    return {
      ok: false,
      error: { reason: `a pipeline file holds one YAML document; found ${values.length}`, position: secondDocumentPosition(source, lineIndex) },
    };
  }
  const locations = new Map<string, NodeLocation>();
  const lists = new Set<string>();
  const walker = new EventWalker(events, source, lineIndex, locations, lists);
  walker.walkStream();
  return { ok: true, document: { value: values.length === 0 ? null : values[0], locations, lists } };
}

function toSyntaxError(error: unknown): YamlSyntaxError {
  if (error instanceof YAMLException) {
    const mark = error.mark;
    return {
      reason: error.reason || 'invalid YAML',
      position: mark ? { line: mark.line + 1, column: mark.column + 1 } : { line: 1, column: 1 },
    };
  }
  // js-yaml documents that any error may come out of load; keep it a syntax error, never a crash.
  return { reason: error instanceof Error ? error.message : String(error), position: { line: 1, column: 1 } };
}

function secondDocumentPosition(source: string, lineIndex: LineIndex): SourcePosition {
  const match = /^---/m.exec(source.slice(1));
  return match ? lineIndex.position(match.index + 1) : { line: 1, column: 1 };
}

/** Walks the flat event stream recursively, recording positions under JSON Pointers. */
class EventWalker {
  private index = 0;

  constructor(
    private readonly events: readonly Event[],
    private readonly source: string,
    private readonly lineIndex: LineIndex,
    private readonly locations: Map<string, NodeLocation>,
    private readonly lists: Set<string>,
  ) {}

  public walkStream(): void {
    while (this.index < this.events.length) {
      const event = this.events[this.index];
      if (event.type === EVENT_ID.DOCUMENT) {
        this.index++;
        if (this.index < this.events.length && this.events[this.index].type !== EVENT_ID.POP) this.walkNode([], undefined);
        this.skipPop();
      } else {
        this.index++;
      }
    }
  }

  /** Walks the node at the cursor, stored under `path`; returns the scalar text when the node was a scalar. */
  private walkNode(path: PathSegment[], key: SourcePosition | undefined): string | undefined {
    const event = this.events[this.index++];
    const pointer = toJsonPointer(path);
    switch (event.type) {
      case EVENT_ID.SCALAR: {
        const quoted = event.style === 2 || event.style === 3;
        const start = this.start(quoted ? event.valueStart - 1 : event.valueStart, event.anchorStart, event.tagStart);
        this.record(pointer, start, key);
        return getScalarValue(this.source, event);
      }
      case EVENT_ID.ALIAS:
        this.record(pointer, event.anchorStart - 1, key);
        return undefined;
      case EVENT_ID.MAPPING: {
        this.record(pointer, this.start(event.start, event.anchorStart, event.tagStart), key);
        while (this.index < this.events.length && this.events[this.index].type !== EVENT_ID.POP) {
          const keyEvent = this.events[this.index];
          const keyStart = this.offsetOf(keyEvent);
          const keyText = this.walkNode([...path, '\u0000key'], undefined);
          if (this.index >= this.events.length || this.events[this.index].type === EVENT_ID.POP) break;
          const keyPosition = this.lineIndex.position(Math.max(0, keyStart));
          this.walkNode([...path, keyText ?? '\u0000complex-key'], keyPosition);
        }
        this.locations.delete(toJsonPointer([...path, '\u0000key']));
        this.skipPop();
        return undefined;
      }
      case EVENT_ID.SEQUENCE: {
        this.record(pointer, this.start(event.start, event.anchorStart, event.tagStart), key);
        this.lists.add(pointer);
        let item = 0;
        while (this.index < this.events.length && this.events[this.index].type !== EVENT_ID.POP) {
          this.walkNode([...path, item++], undefined);
        }
        this.skipPop();
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private offsetOf(event: Event): number {
    switch (event.type) {
      case EVENT_ID.SCALAR:
        return event.style === 2 || event.style === 3 ? event.valueStart - 1 : event.valueStart;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return event.start;
      case EVENT_ID.ALIAS:
        return event.anchorStart - 1;
      default:
        return 0;
    }
  }

  private start(offset: number, anchorStart: number, tagStart: number): number {
    const candidates = [offset, anchorStart >= 0 ? anchorStart - 1 : -1, tagStart >= 0 ? tagStart - 1 : -1].filter((o) => o >= 0);
    return candidates.length > 0 ? Math.min(...candidates) : 0;
  }

  private record(pointer: string, offset: number, key: SourcePosition | undefined): void {
    if (this.locations.has(pointer)) return; // a duplicate key is a syntax error caught earlier; keep the first
    this.locations.set(pointer, { value: this.lineIndex.position(Math.max(0, offset)), ...(key ? { key } : {}) });
  }

  private skipPop(): void {
    if (this.index < this.events.length && this.events[this.index].type === EVENT_ID.POP) this.index++;
  }
}
