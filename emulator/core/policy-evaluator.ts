/**
 * A small evaluator for IAM-style JSON policies (AWS IAM; Alibaba RAM and JD IAM use the same grammar):
 * explicit Deny beats Allow beats the implicit deny; `*` and `?` wildcards in actions (case-insensitive) and
 * resources (case-sensitive); the common condition operators with case-insensitive context keys.
 */

/** What is being asked. */
export interface PolicyQuery {
  /** `service:Action` (`s3:PutObject`). */
  readonly action: string;
  /** Resource ARN (`arn:aws:s3:::bucket/key`). */
  readonly resource: string;
  /** Condition context (`sts:ExternalId` → `vmimport`); keys compare case-insensitively. @default - empty */
  readonly context?: Readonly<Record<string, string>>;
}

/** Outcome of an evaluation. */
export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** Which kind of document is validated. */
export type PolicyKind = 'identity' | 'trust';

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: unknown;
}

/** Evaluates identity policies (parsed JSON documents) for one action on one resource. */
export function evaluatePolicies(documents: readonly unknown[], query: PolicyQuery): PolicyDecision {
  let allowed = false;
  for (const document of documents) {
    for (const statement of statementsOf(document)) {
      if (!matchesAction(statement, query.action) || !matchesResource(statement, query.resource)) continue;
      if (!conditionsHold(statement.Condition, query.context ?? {})) continue;
      if (statement.Effect === 'Deny') return 'explicit-deny';
      if (statement.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** True when a trust policy lets `service` (`vmie.amazonaws.com`) perform `action` given the context. */
export function trustsService(document: unknown, service: string, action: string, context: Readonly<Record<string, string>> = {}): boolean {
  let allowed = false;
  for (const statement of statementsOf(document)) {
    if (!matchesAction(statement, action) || !principalNamesService(statement.Principal, service)) continue;
    if (!conditionsHold(statement.Condition, context)) continue;
    if (statement.Effect === 'Deny') return false;
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

/** Every problem with a policy document's text, in the words IAM uses (empty when valid). */
export function validatePolicyDocument(text: string, kind: PolicyKind): string[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return ['This policy contains invalid Json'];
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return ['Syntax errors in policy.'];
  const problems: string[] = [];
  const root = document as Record<string, unknown>;
  if (root.Version !== undefined && root.Version !== '2012-10-17' && root.Version !== '2008-10-17') {
    problems.push(`The policy failed legacy parsing: Version ${JSON.stringify(root.Version)} is not 2012-10-17 or 2008-10-17`);
  }
  const statements = root.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  if (list.length === 0) problems.push('Syntax errors in policy. Statement is missing or empty.');
  list.forEach((raw, index) => {
    const where = `Statement[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`Syntax errors in policy. ${where} must be an object.`);
      return;
    }
    const statement = raw as Statement;
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      problems.push(`Syntax errors in policy. ${where}.Effect must be "Allow" or "Deny", got ${JSON.stringify(statement.Effect)}.`);
    }
    if (statement.Action === undefined && statement.NotAction === undefined) problems.push(`Policy statement must contain actions. (${where})`);
    for (const field of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      const value = statement[field];
      if (value !== undefined && !isStringOrStrings(value)) problems.push(`Syntax errors in policy. ${where}.${field} must be a string or an array of strings.`);
    }
    if (kind === 'identity') {
      if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) problems.push(`Policy document should not specify a principal. (${where})`);
      if (statement.Resource === undefined && statement.NotResource === undefined) problems.push(`Policy statement must contain resources. (${where})`);
    } else {
      if (statement.Resource !== undefined || statement.NotResource !== undefined) problems.push(`Has prohibited field Resource (${where})`);
      if (statement.Principal === undefined && statement.NotPrincipal === undefined) problems.push(`Missing required field Principal (${where})`);
      else if (statement.Principal !== undefined && !isValidPrincipal(statement.Principal)) {
        problems.push(`Invalid principal in policy: ${JSON.stringify(statement.Principal)} (${where})`);
      }
    }
    if (statement.Condition !== undefined && (typeof statement.Condition !== 'object' || statement.Condition === null || Array.isArray(statement.Condition))) {
      problems.push(`Syntax errors in policy. ${where}.Condition must be an object.`);
    }
  });
  return problems;
}

/** `*` / `?` wildcard match. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

function statementsOf(document: unknown): Statement[] {
  if (typeof document !== 'object' || document === null) return [];
  const statements = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  return list.filter((item): item is Statement => typeof item === 'object' && item !== null);
}

function matchesAction(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return strings(statement.Action).some((pattern) => wildcardMatch(pattern, action, true));
  if (statement.NotAction !== undefined) return !strings(statement.NotAction).some((pattern) => wildcardMatch(pattern, action, true));
  return false;
}

function matchesResource(statement: Statement, resource: string): boolean {
  if (statement.Resource !== undefined) return strings(statement.Resource).some((pattern) => wildcardMatch(pattern, resource, false));
  if (statement.NotResource !== undefined) return !strings(statement.NotResource).some((pattern) => wildcardMatch(pattern, resource, false));
  return false;
}

function principalNamesService(principal: unknown, service: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
    if (kind === 'Service' && strings(value).some((name) => name === service)) return true;
    if (kind === 'AWS' && strings(value).includes('*')) return true;
  }
  return false;
}

function isValidPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return false;
  const entries = Object.entries(principal as Record<string, unknown>);
  return entries.length > 0 && entries.every(([kind, value]) => ['Service', 'AWS', 'Federated', 'CanonicalUser'].includes(kind) && isStringOrStrings(value));
}

/** Evaluates a Condition block: every operator, every key, any value (IAM's AND of keys, OR of values). */
function conditionsHold(condition: unknown, context: Readonly<Record<string, string>>): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;
  const lowered = new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
  for (const [rawOperator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof block !== 'object' || block === null) return false;
    const operator = rawOperator.replace(/^(ForAnyValue|ForAllValues):/, '');
    const ifExists = operator.endsWith('IfExists');
    const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const actual = lowered.get(key.toLowerCase());
      if (base === 'Null') {
        const wantsNull = strings(expected).includes('true');
        if ((actual === undefined) !== wantsNull) return false;
        continue;
      }
      if (actual === undefined) {
        if (ifExists) continue;
        return false;
      }
      if (!operatorHolds(base, actual, strings(expected))) return false;
    }
  }
  return true;
}

function operatorHolds(operator: string, actual: string, expected: string[]): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !expected.includes(actual);
    case 'StringEqualsIgnoreCase':
      return expected.some((value) => value.toLowerCase() === actual.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !expected.some((value) => value.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return expected.some((pattern) => wildcardMatch(pattern, actual, false));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !expected.some((pattern) => wildcardMatch(pattern, actual, false));
    case 'Bool':
      return expected.some((value) => value.toLowerCase() === actual.toLowerCase());
    default:
      return false; // unknown operators never hold: an Allow guarded by one does not apply
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'boolean' || typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string' || typeof item === 'boolean' || typeof item === 'number').map(String);
  return [];
}

function isStringOrStrings(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'));
}
