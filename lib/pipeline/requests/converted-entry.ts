import { type PathSegment } from '../source-position';

/** A problem found while converting a cloud's own request; `path` is relative to the entry and names the cloud's field. */
export interface ConversionIssue {
  /** Path from the entry (`['request', 'S3ExportLocation', 'S3Bucket']`). */
  readonly path: readonly PathSegment[];
  /** The offending value. */
  readonly value: unknown;
  /** The rule broken. */
  readonly rule: string;
  /** Stable code. */
  readonly code: string;
}

/**
 * An export or import entry after conversion to imageport's fields. Buckets and roles are by **name** here (a request
 * names them the cloud's way); the resolver matches names to the file's declarations.
 */
export interface ConvertedEntry {
  /** Core spec fields (`imageId`, `format`, `prefix`, `roleName`, `disks` with bucket names, …). */
  readonly fields: Record<string, unknown>;
  /** Region the request names (RegionId / regionId), to check against the pipeline's region. @default - none named */
  readonly region?: string;
  /** Where each spec field came from, relative to the entry: spec field path (`format`, `disks[0].bucket`, `tags.team`) → request path. */
  readonly paths: Readonly<Record<string, readonly PathSegment[]>>;
  /** Problems the conversion found (each naming the cloud's own field). */
  readonly issues: readonly ConversionIssue[];
}

/** Reads a string property of an untyped object. */
export function stringAt(source: unknown, key: string): string | undefined {
  const value = recordOf(source)[key];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a boolean property of an untyped object. */
export function booleanAt(source: unknown, key: string): boolean | undefined {
  const value = recordOf(source)[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** Reads a number property (numbers, or digit strings as the Alibaba API documents them). */
export function numberAt(source: unknown, key: string): number | undefined {
  const value = recordOf(source)[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Reads a list property, or an empty list. */
export function listAt(source: unknown, key: string): unknown[] {
  const value = recordOf(source)[key];
  return Array.isArray(value) ? value : [];
}

/** The object itself when it is a plain object, else an empty one. */
export function recordOf(source: unknown): Record<string, unknown> {
  return source !== null && typeof source === 'object' && !Array.isArray(source) ? (source as Record<string, unknown>) : {};
}

/** Collects `{Key, Value}` tag lists into a record, reporting duplicate keys at the cloud's field. */
export class TagCollector {
  /** The tags gathered. */
  public readonly tags: Record<string, string> = {};
  /** Tag key → request path of its `Key`. */
  public readonly paths: Record<string, readonly PathSegment[]> = {};
  /** Duplicate-key problems. */
  public readonly issues: ConversionIssue[] = [];

  /** Adds every `{Key, Value}` of `list`, found at `path`. */
  public addAll(list: unknown[], path: readonly PathSegment[]): void {
    list.forEach((tag, index) => {
      const key = stringAt(tag, 'Key');
      if (key === undefined) return;
      const keyPath = [...path, index, 'Key'];
      if (Object.prototype.hasOwnProperty.call(this.tags, key)) {
        this.issues.push({ path: keyPath, value: key, rule: 'is a duplicate tag key', code: 'request.duplicate-tag' });
        return;
      }
      this.tags[key] = stringAt(tag, 'Value') ?? '';
      this.paths[`tags.${key}`] = keyPath;
    });
  }

  /** True when at least one tag was added. */
  public get any(): boolean {
    return Object.keys(this.tags).length > 0;
  }
}

/** Removes `undefined` values so specs compare and hash the same however they were written. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
