/**
 * A Query-protocol parameter map (`Action=…&Filter.1.Name=…`), parsed as a map, never by position: SDKs order
 * parameters differently. Lists are flattened as `Prefix.N` (EC2) or `Prefix.member.N` (IAM, STS).
 */
export class QueryParams {
  private readonly values: ReadonlyMap<string, string>;

  public constructor(values: ReadonlyMap<string, string>) {
    this.values = values;
  }

  /** Parses a form body and/or query string; the first occurrence of a repeated key wins. */
  public static parse(...sources: string[]): QueryParams {
    const values = new Map<string, string>();
    for (const source of sources) {
      for (const [key, value] of new URLSearchParams(source)) if (!values.has(key)) values.set(key, value);
    }
    return new QueryParams(values);
  }

  /** The value of `name`, or undefined. */
  public get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** True when `name` is present (even empty). */
  public has(name: string): boolean {
    return this.values.has(name);
  }

  /** Every key. */
  public keys(): string[] {
    return [...this.values.keys()];
  }

  /** Parameters under `prefix.` with the prefix removed (`S3ExportLocation.S3Bucket` → `S3Bucket`). */
  public sub(prefix: string): QueryParams {
    const values = new Map<string, string>();
    const start = `${prefix}.`;
    for (const [key, value] of this.values) if (key.startsWith(start)) values.set(key.slice(start.length), value);
    return new QueryParams(values);
  }

  /** True when any key is `prefix` or starts with `prefix.`. */
  public hasAny(prefix: string): boolean {
    for (const key of this.values.keys()) if (key === prefix || key.startsWith(`${prefix}.`)) return true;
    return false;
  }

  /** Values of `prefix.1`, `prefix.2`, … in index order (gaps allowed). */
  public list(prefix: string): string[] {
    return this.indexes(prefix)
      .map((index) => this.values.get(`${prefix}.${index}`))
      .filter((value): value is string => value !== undefined);
  }

  /** Structures `prefix.N.*`, in index order, each as its own map. */
  public structs(prefix: string): QueryParams[] {
    return this.indexes(prefix).map((index) => this.sub(`${prefix}.${index}`));
  }

  /** Every key/value pair except the named ones, sorted: a canonical form to compare requests (idempotency). */
  public canonical(exclude: readonly string[]): string {
    return [...this.values]
      .filter(([key]) => !exclude.includes(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}=${value}`)
      .join('\n');
  }

  private indexes(prefix: string): number[] {
    const found = new Set<number>();
    const start = `${prefix}.`;
    for (const key of this.values.keys()) {
      if (!key.startsWith(start)) continue;
      const match = /^(\d+)(?:\.|$)/.exec(key.slice(start.length));
      if (match) found.add(Number(match[1]));
    }
    return [...found].sort((a, b) => a - b);
  }
}
