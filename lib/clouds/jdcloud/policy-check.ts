import { JD_DISK_SERVICE_CODE } from './role-documents';

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function parseDocument(document: string | Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (document === undefined) return undefined;
  if (typeof document !== 'string') return document;
  try {
    const parsed: unknown = JSON.parse(document);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const regex = new RegExp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(v);
}

/**
 * True when a trust document lets the cloud-disk service assume the role: some `Allow` statement whose principal
 * names the service code `disk` (as a string, a list, `{Service: …}`, or a JRN/domain containing it as a word).
 * The principal's exact form is undocumented (reference §4.3), so any of these forms counts.
 */
export function trustsDiskService(document: string | Record<string, unknown> | undefined): boolean {
  const parsed = parseDocument(document);
  if (!parsed) return false;
  for (const statement of toList(parsed.Statement) as Record<string, unknown>[]) {
    if (!statement || String(statement.Effect).toLowerCase() !== 'allow') continue;
    const principals: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') principals.push(value);
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(statement.Principal);
    if (principals.some((p) => new RegExp(`(^|[^a-z])${JD_DISK_SERVICE_CODE}([^a-z]|$)`, 'i').test(p))) return true;
  }
  return false;
}

/** What an object action is asked on. */
export interface OssObjectTarget {
  /** Bucket. */
  readonly bucket: string;
  /** A representative object key (the export's name prefix). */
  readonly key: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Account id, when known; unknown accounts match any account segment. @default - unknown */
  readonly accountId?: string;
}

function resourceMatches(pattern: string, target: OssObjectTarget): boolean {
  if (pattern === '*') return true;
  const parts = pattern.split(':');
  if (parts.length < 5 || parts[0] !== 'jrn') return false;
  const [, service, region, account] = parts;
  const resource = parts.slice(4).join(':');
  if (!wildcardMatch(service, 'oss')) return false;
  if (region !== '' && !wildcardMatch(region, target.region)) return false;
  if (target.accountId !== undefined && account !== '' && !wildcardMatch(account, target.accountId)) return false;
  return wildcardMatch(resource, `${target.bucket}/${target.key}`);
}

/**
 * Evaluates JD policy documents (version 3) for one OSS object action: allowed when some `Allow` statement matches
 * the action and the object's JRN and no `Deny` statement does. Actions match case-insensitively with `*` wildcards;
 * resources with `*` wildcards per JRN segment.
 */
export function policiesAllow(
  documents: readonly (string | Record<string, unknown> | undefined)[],
  action: string,
  target: OssObjectTarget,
): boolean {
  let allowed = false;
  for (const document of documents) {
    const parsed = parseDocument(document);
    if (!parsed) continue;
    for (const statement of toList(parsed.Statement) as Record<string, unknown>[]) {
      if (!statement || typeof statement !== 'object') continue;
      const actions = toList(statement.Action).filter((a): a is string => typeof a === 'string');
      const resources = toList(statement.Resource).filter((r): r is string => typeof r === 'string');
      if (!actions.some((a) => wildcardMatch(a, action, true))) continue;
      if (!resources.some((r) => resourceMatches(r, target))) continue;
      const effect = String(statement.Effect).toLowerCase();
      if (effect === 'deny') return false;
      if (effect === 'allow') allowed = true;
    }
  }
  return allowed;
}
