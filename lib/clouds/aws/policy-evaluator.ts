/**
 * A small, pure IAM policy evaluator: enough to tell *which* permission a service role lacks on *which* bucket,
 * where AWS itself only says "does not exist or does not have sufficient permissions".
 *
 * Supported: `Effect`, `Action` / `NotAction` (case-insensitive, `*` and `?` wildcards), `Resource` / `NotResource`
 * (case-sensitive wildcards), `Principal` / `NotPrincipal` for trust policies, and the string and ARN condition
 * operators (with `IfExists`, `ForAnyValue:` / `ForAllValues:`) against the condition keys the caller knows.
 * A condition on a key the caller does not know, or an operator this evaluator does not implement, makes the
 * statement's outcome *unknown*: callers report only definite denials. Permissions boundaries, SCPs, session
 * policies and resource policies are not evaluated.
 */

/** A policy as IAM returns it (parsed JSON, any shape). */
export interface NamedPolicyDocument {
  /** Where it comes from, for messages: `inline policy vmimport`, `managed policy arn:…`. */
  readonly name: string;
  /** The parsed document. */
  readonly document: unknown;
}

/** What to evaluate. */
export interface EvaluationRequest {
  /** The action, `service:Name`. */
  readonly action: string;
  /** The resource ARN. @default - not matched (trust policies have no resource) */
  readonly resource?: string;
  /** The calling principal, for trust policies: `{ Service: 'vmie.amazonaws.com' }`. @default - not matched */
  readonly principal?: Readonly<Record<string, string>>;
  /** Condition keys and their values, keys in any case. Keys not listed are unknown. @default - none known */
  readonly context?: Readonly<Record<string, string>>;
}

/** The outcome of one statement for one request. */
export type StatementOutcome = 'match' | 'no-match' | 'unknown';

/** Where a decision came from. */
export interface DecidingStatement {
  /** The policy's name. */
  readonly policy: string;
  /** The statement's Sid, or its position (`#2`). */
  readonly statement: string;
}

/** The result of evaluating a request against a set of policies. */
export interface Evaluation {
  /** `allowed`, `explicitly-denied` (a Deny matched) or `not-allowed` (no Allow matched: implicit deny). */
  readonly decision: 'allowed' | 'explicitly-denied' | 'not-allowed';
  /** True when a statement with conditions this evaluator cannot decide could change the decision. */
  readonly uncertain: boolean;
  /** The statements that decided it (the matching Denies, else the matching Allows). */
  readonly by: readonly DecidingStatement[];
}

/** Evaluates a request against every statement of every policy (explicit deny wins, then allow, else implicit deny). */
export function evaluatePolicies(policies: readonly NamedPolicyDocument[], request: EvaluationRequest): Evaluation {
  const context = lowerKeys(request.context ?? {});
  const outcomes = policies.flatMap((policy) =>
    statementsOf(policy.document).map((statement, index) => ({
      statement,
      outcome: evaluateStatement(statement, request, context),
      where: { policy: policy.name, statement: typeof statement.Sid === 'string' && statement.Sid ? statement.Sid : `#${index + 1}` },
    })),
  );
  const with_ = (effect: string, outcome: StatementOutcome) =>
    outcomes.filter((o) => o.statement.Effect === effect && o.outcome === outcome).map((o) => o.where);
  const denies = with_('Deny', 'match');
  if (denies.length > 0) return { decision: 'explicitly-denied', uncertain: false, by: denies };
  const allows = with_('Allow', 'match');
  const maybeDenies = with_('Deny', 'unknown');
  if (allows.length > 0) return { decision: 'allowed', uncertain: maybeDenies.length > 0, by: allows };
  const maybeAllows = with_('Allow', 'unknown');
  if (maybeAllows.length > 0) return { decision: 'allowed', uncertain: true, by: maybeAllows };
  return { decision: 'not-allowed', uncertain: false, by: [] };
}

/** The statements of a policy document (a single statement object is allowed, as in IAM). */
export function statementsOf(document: unknown): Record<string, unknown>[] {
  if (typeof document !== 'object' || document === null) return [];
  const statement = (document as Record<string, unknown>).Statement;
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return list.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null);
}

/** Evaluates one statement: does it apply to the request? */
export function evaluateStatement(statement: Record<string, unknown>, request: EvaluationRequest, context: Record<string, string> = {}): StatementOutcome {
  if (!matchesElement(statement.Action, statement.NotAction, (p) => wildcardMatch(p, request.action, true))) return 'no-match';
  if (statement.Resource !== undefined || statement.NotResource !== undefined) {
    if (request.resource === undefined) return 'no-match';
    const resource = request.resource;
    if (!matchesElement(statement.Resource, statement.NotResource, (p) => wildcardMatch(p, resource, false))) return 'no-match';
  }
  if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
    const principal = request.principal;
    if (principal === undefined) return 'no-match';
    const inPrincipal = (value: unknown) => principalMatches(value, principal);
    const matched = statement.Principal !== undefined ? inPrincipal(statement.Principal) : !inPrincipal(statement.NotPrincipal);
    if (!matched) return 'no-match';
  }
  if (statement.Condition === undefined) return 'match';
  return evaluateConditionBlock(statement.Condition, lowerKeys(context));
}

/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function matchesElement(positive: unknown, negative: unknown, test: (pattern: string) => boolean): boolean {
  if (positive !== undefined) return asStrings(positive).some(test);
  if (negative !== undefined) return !asStrings(negative).some(test);
  return false;
}

function principalMatches(element: unknown, principal: Readonly<Record<string, string>>): boolean {
  if (element === '*') return true;
  if (typeof element !== 'object' || element === null) return false;
  for (const [type, values] of Object.entries(element as Record<string, unknown>)) {
    const wanted = principal[type];
    const patterns = asStrings(values);
    if (type === 'AWS' && patterns.includes('*')) return true;
    if (wanted !== undefined && patterns.some((p) => p.toLowerCase() === wanted.toLowerCase())) return true;
  }
  return false;
}

function evaluateConditionBlock(block: unknown, context: Record<string, string>): StatementOutcome {
  if (typeof block !== 'object' || block === null) return 'unknown';
  let unknown = false;
  for (const [operator, clauses] of Object.entries(block as Record<string, unknown>)) {
    if (typeof clauses !== 'object' || clauses === null) return 'unknown';
    for (const [key, values] of Object.entries(clauses as Record<string, unknown>)) {
      const result = evaluateCondition(operator, context[key.toLowerCase()], asStrings(values));
      if (result === false) return 'no-match';
      if (result === undefined) unknown = true;
    }
  }
  return unknown ? 'unknown' : 'match';
}

/**
 * One condition: `operator` applied to the context value and the policy values.
 * @returns true or false, or `undefined` when it cannot be decided (unknown key or unsupported operator)
 */
export function evaluateCondition(operator: string, value: string | undefined, patterns: readonly string[]): boolean | undefined {
  let op = operator.replace(/^For(AnyValue|AllValues):/i, '');
  const ifExists = /IfExists$/i.test(op);
  op = op.replace(/IfExists$/i, '');
  if (value === undefined) return ifExists && KNOWN_OPERATORS.has(op.toLowerCase()) ? true : undefined;
  const positive = (test: (p: string) => boolean) => patterns.some(test);
  switch (op.toLowerCase()) {
    case 'stringequals':
    case 'arnequals':
      return positive((p) => p === value);
    case 'stringnotequals':
    case 'arnnotequals':
      return !positive((p) => p === value);
    case 'stringequalsignorecase':
      return positive((p) => p.toLowerCase() === value.toLowerCase());
    case 'stringnotequalsignorecase':
      return !positive((p) => p.toLowerCase() === value.toLowerCase());
    case 'stringlike':
    case 'arnlike':
      return positive((p) => wildcardMatch(p, value, false));
    case 'stringnotlike':
    case 'arnnotlike':
      return !positive((p) => wildcardMatch(p, value, false));
    default:
      return undefined;
  }
}

const KNOWN_OPERATORS = new Set([
  'stringequals', 'arnequals', 'stringnotequals', 'arnnotequals', 'stringequalsignorecase',
  'stringnotequalsignorecase', 'stringlike', 'arnlike', 'stringnotlike', 'arnnotlike',
]);

function asStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

function lowerKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
