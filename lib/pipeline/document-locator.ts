import { displayPath, toJsonPointer, type PathSegment, type SourcePosition } from './source-position';
import { type YamlDocument } from './yaml-document';

/** Which part of a mapping entry a message points at. */
export type LocationPart = 'key' | 'value';

/**
 * Answers "where is this field?" for a parsed file: the line and column of a path (falling back to the nearest
 * ancestor that exists, e.g. for a missing field) and the path's display form (`disks[0].bucket`).
 */
export class DocumentLocator {
  /** @param document the parsed file */
  constructor(private readonly document: YamlDocument) {}

  /**
   * The position of a path. `key` points at the field's key when it has one (right for an unknown or misplaced
   * field, and for an object as a whole); `value` at its value (right for a bad value).
   */
  public positionOf(path: readonly PathSegment[], part: LocationPart = 'value'): SourcePosition {
    for (let length = path.length; length >= 0; length--) {
      const location = this.document.locations.get(toJsonPointer(path.slice(0, length)));
      if (location) {
        if (length < path.length) return location.key ?? location.value; // a missing child: point at its parent's key
        return part === 'key' ? (location.key ?? location.value) : location.value;
      }
    }
    return { line: 1, column: 1 };
  }

  /** True when the path exists in the file. */
  public has(path: readonly PathSegment[]): boolean {
    return this.document.locations.has(toJsonPointer(path));
  }

  /** The dotted display form of a path, with `[n]` for list items. */
  public display(path: readonly PathSegment[]): string {
    return displayPath(path, (depth) => this.document.lists.has(toJsonPointer(path.slice(0, depth))));
  }
}
