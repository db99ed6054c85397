import { ECS_SERVICE_PRINCIPAL, OSS_BUCKET_ACTIONS } from './constants';

/** One statement of a RAM policy, as far as these checks read it. */
interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Principal?: unknown;
}

/** Parses a RAM policy document (a JSON string or an object) into its statements; bad JSON gives none. */
export function policyStatements(document: unknown): Statement[] {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const statement = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return list.filter((s): s is Statement => typeof s === 'object' && s !== null);
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** RAM wildcard match: `*` any run of characters, `?` one character; actions match case-insensitively. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}

/**
 * True when a trust policy lets the ECS service (`ecs.aliyuncs.com`, or the account-qualified
 * `<uid>@ecs.aliyuncs.com` form) assume the role.
 */
export function trustsEcs(document: unknown): boolean {
  return policyStatements(document).some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    if (!asList(statement.Action).some((action) => wildcardMatch(action, 'sts:AssumeRole', true))) return false;
    const principal = statement.Principal as { Service?: unknown } | undefined;
    return asList(principal?.Service).some((service) => service === ECS_SERVICE_PRINCIPAL || service.endsWith(`@${ECS_SERVICE_PRINCIPAL}`));
  });
}

/**
 * The actions (of `actions`) that the given policy documents do **not** grant on `bucket`: bucket actions are checked
 * against `acs:oss:<region>:<account>:<bucket>`, object actions against an object in it. A matching `Deny` wins.
 * Conditions are not evaluated (a conditional Allow counts as an Allow).
 *
 * @param documents every policy attached to the role (JSON strings or objects)
 * @param actions the OSS actions needed
 * @param bucket the bucket they are needed on
 * @param region the bucket's region
 * @param accountId the account, when known
 */
export function missingOssActions(
  documents: readonly unknown[],
  actions: readonly string[],
  bucket: string,
  region: string,
  accountId = '0',
): string[] {
  const statements = documents.flatMap((document) => policyStatements(document));
  return actions.filter((action) => {
    const resource = OSS_BUCKET_ACTIONS.includes(action)
      ? `acs:oss:${region}:${accountId}:${bucket}`
      : `acs:oss:${region}:${accountId}:${bucket}/imageport-check`;
    const matches = (statement: Statement): boolean =>
      asList(statement.Action).some((pattern) => wildcardMatch(pattern, action, true)) &&
      asList(statement.Resource).some((pattern) => resourceMatch(pattern, resource, accountId === '0'));
    const denied = statements.some((statement) => statement.Effect === 'Deny' && matches(statement));
    const allowed = statements.some((statement) => statement.Effect === 'Allow' && matches(statement));
    return denied || !allowed;
  });
}

/** Matches an `acs:` resource pattern; with an unknown account, any account segment matches. */
function resourceMatch(pattern: string, resource: string, anyAccount: boolean): boolean {
  if (wildcardMatch(pattern, resource, false)) return true;
  if (!anyAccount) return false;
  const parts = pattern.split(':');
  if (parts.length < 5) return false;
  parts[3] = '*';
  return wildcardMatch(parts.join(':'), resource, false);
}
