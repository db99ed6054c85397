import { randomBytes } from 'node:crypto';
import { alreadyExists, failedPrecondition, invalidArgument, jsonBody, notFound, optionalString, requireString } from './jd-response';

/** A role as stored. */
export interface JdRoleRecord {
  roleId: string;
  roleName: string;
  type: number;
  assumeRolePolicyDocument: string;
  description: string;
  maxSessionDuration: number;
  createTime: string;
}

/** A custom policy as stored. */
export interface JdPolicyRecord {
  policyId: string;
  name: string;
  description: string;
  content: string;
  createTime: string;
  updateTime: string;
}

/** The persisted IAM section: plain JSON. */
export interface JdIamState {
  roles: Record<string, JdRoleRecord>;
  policies: Record<string, JdPolicyRecord>;
  /** Role name → attached policy names. */
  attachments: Record<string, string[]>;
}

/** A fresh IAM section. */
export function emptyJdIamState(): JdIamState {
  return { roles: {}, policies: {}, attachments: {} };
}

/** One IAM call after routing: decoded path, query and body. */
export interface JdIamCall {
  readonly method: string;
  /** Decoded path after `/v1` (`/role/image-export:attachRolePolicy`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Buffer;
}

/** `count` random characters of `alphabet`. */
function randomFrom(alphabet: string, count: number): string {
  return [...randomBytes(count)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

const NAME_RULE = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/;

function checkName(field: string, value: string): void {
  if (!NAME_RULE.test(value)) {
    throw invalidArgument(`${field} "${value}" is invalid: 4-64 characters of letters, digits, "-" and "_", starting with a letter`);
  }
}

/** Checks a JD policy document (version 3): every problem in one message, or none. */
export function jdPolicyDocumentProblems(text: string, kind: 'trust' | 'permission'): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return ['the policy document is not valid JSON'];
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return ['the policy document must be a JSON object'];
  const document = parsed as Record<string, unknown>;
  const problems: string[] = [];
  if (document.Version !== '3') problems.push(`Version must be "3" (got ${JSON.stringify(document.Version)})`);
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
  if (statements.length === 0) problems.push('Statement is required');
  statements.forEach((statement: Record<string, unknown>, index) => {
    if (!statement || typeof statement !== 'object') return problems.push(`Statement[${index}] must be an object`);
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') problems.push(`Statement[${index}].Effect must be Allow or Deny`);
    if (statement.Action === undefined) problems.push(`Statement[${index}].Action is required`);
    if (kind === 'trust' && statement.Principal === undefined) problems.push(`Statement[${index}].Principal is required in a trust policy`);
    if (kind === 'permission' && statement.Principal !== undefined) problems.push(`Statement[${index}].Principal is only allowed in a trust policy`);
    if (kind === 'permission' && statement.Resource === undefined) problems.push(`Statement[${index}].Resource is required`);
    return undefined;
  });
  return problems;
}

/**
 * JD IAM: roles (service roles, type 3), custom policies, attachments. Region-less paths under `/v1`, JD's
 * `{requestId, result}` shapes, 409 `ALREADY_EXISTS` on duplicates, 404 `NOT_FOUND` on missing names.
 */
export class JdIam {
  private readonly state: JdIamState;
  private readonly account: string;
  private readonly now: () => number;
  private readonly changed: () => void;

  /**
   * @param state the persisted section (mutated in place)
   * @param account the account id used in JRNs
   * @param now emulated time, epoch ms
   * @param changed called after every change (persistence)
   */
  constructor(state: JdIamState, account: string, now: () => number, changed: () => void) {
    this.state = state;
    this.account = account;
    this.now = now;
    this.changed = changed;
  }

  /** A role, or undefined. */
  public role(name: string): JdRoleRecord | undefined {
    return this.state.roles[name];
  }

  /** Parsed documents of every policy attached to a role. */
  public attachedDocuments(roleName: string): unknown[] {
    return (this.state.attachments[roleName] ?? [])
      .map((name) => this.state.policies[name]?.content)
      .filter((content): content is string => typeof content === 'string')
      .map((content) => JSON.parse(content) as unknown);
  }

  /** Every role, for `inspect()`. */
  public roles(): { name: string; trust: string; policies: string[] }[] {
    return Object.values(this.state.roles).map((role) => ({
      name: role.roleName,
      trust: role.assumeRolePolicyDocument,
      policies: [...(this.state.attachments[role.roleName] ?? [])],
    }));
  }

  private time(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private roleInfo(role: JdRoleRecord): Record<string, unknown> {
    return { ...role, jrn: `jrn:iam::${this.account}:role/${role.roleName}`, account: this.account };
  }

  private policyJrn(name: string): string {
    return `jrn:iam::${this.account}:policy/${name}`;
  }

  private requireRole(name: string): JdRoleRecord {
    const role = this.state.roles[name];
    if (!role) throw notFound(`role ${name} not found`);
    return role;
  }

  private requirePolicy(name: string): JdPolicyRecord {
    const policy = this.state.policies[name];
    if (!policy) throw notFound(`policy ${name} not found`);
    return policy;
  }

  /** Answers one call; returns the `result` (or undefined) or throws a `JdApiError`. */
  public handle(call: JdIamCall): unknown {
    const { method, path } = call;
    let match: RegExpExecArray | null;
    if (method === 'POST' && path === '/role') return this.createRole(jsonBody(call.body));
    if (method === 'POST' && path === '/policy') return this.createPolicy(jsonBody(call.body));
    if ((match = /^\/role\/([^/:]+):attachRolePolicy$/.exec(path)) && method === 'POST') return this.attach(match[1], jsonBody(call.body));
    if ((match = /^\/role\/([^/:]+):detachRolePolicy$/.exec(path)) && method === 'DELETE') return this.detach(match[1], call.query);
    if ((match = /^\/role\/([^/:]+)\/assumeRolePolicy$/.exec(path)) && method === 'PUT') return this.updateTrust(match[1], jsonBody(call.body));
    if ((match = /^\/role\/([^/:]+)\/policies$/.exec(path)) && method === 'GET') return this.rolePolicies(match[1], call.query);
    if ((match = /^\/role\/([^/:]+)$/.exec(path))) {
      if (method === 'GET') return { roleInfo: this.roleInfo(this.requireRole(match[1])) };
      if (method === 'DELETE') return this.deleteRole(match[1]);
    }
    if ((match = /^\/policy\/([^/:]+)$/.exec(path))) {
      if (method === 'GET') return this.describePolicy(match[1]);
      if (method === 'PUT') return this.updatePolicy(match[1], jsonBody(call.body));
      if (method === 'DELETE') return this.deletePolicy(match[1]);
    }
    throw notFound(`no IAM API ${method} /v1${path}`);
  }

  private createRole(body: Record<string, unknown>): unknown {
    const info = body.createRoleInfo as Record<string, unknown> | undefined;
    if (!info || typeof info !== 'object') throw invalidArgument('createRoleInfo is required');
    const roleName = requireString(info, 'roleName');
    checkName('roleName', roleName);
    const type = Number(info.type ?? 3);
    if (type !== 3 && type !== 4) throw invalidArgument(`type ${String(info.type)} is invalid: 3 (service role) or 4 (user role)`);
    const document = requireString(info, 'assumeRolePolicyDocument');
    const problems = jdPolicyDocumentProblems(document, 'trust');
    if (problems.length > 0) throw invalidArgument(`assumeRolePolicyDocument is invalid: ${problems.join('; ')}`);
    const description = optionalString(info, 'description') ?? '';
    if (description.length > 256) throw invalidArgument('description must be at most 256 characters');
    const maxSessionDuration = Number(info.maxSessionDuration ?? 3600);
    if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200) {
      throw invalidArgument('maxSessionDuration must be 3600-43200 seconds');
    }
    if (this.state.roles[roleName]) throw alreadyExists(`role ${roleName} already exists`);
    const role: JdRoleRecord = {
      roleId: randomFrom('0123456789abcdefghijklmnopqrstuvwxyz', 24),
      roleName,
      type,
      assumeRolePolicyDocument: document,
      description,
      maxSessionDuration,
      createTime: this.time(),
    };
    this.state.roles[roleName] = role;
    this.changed();
    return { roleInfo: this.roleInfo(role) };
  }

  private updateTrust(roleName: string, body: Record<string, unknown>): unknown {
    const role = this.requireRole(roleName);
    const info = (body.updateAssumeRolePolicyInfo ?? {}) as Record<string, unknown>;
    const document = requireString(info, 'assumeRolePolicyDocument');
    const problems = jdPolicyDocumentProblems(document, 'trust');
    if (problems.length > 0) throw invalidArgument(`assumeRolePolicyDocument is invalid: ${problems.join('; ')}`);
    role.assumeRolePolicyDocument = document;
    this.changed();
    return undefined;
  }

  private deleteRole(roleName: string): unknown {
    this.requireRole(roleName);
    const attached = this.state.attachments[roleName] ?? [];
    if (attached.length > 0) throw failedPrecondition(`role ${roleName} still has policies attached (${attached.join(', ')}); detach them first`);
    delete this.state.roles[roleName];
    delete this.state.attachments[roleName];
    this.changed();
    return undefined;
  }

  private createPolicy(body: Record<string, unknown>): unknown {
    const info = body.createPolicyInfo as Record<string, unknown> | undefined;
    if (!info || typeof info !== 'object') throw invalidArgument('createPolicyInfo is required');
    const name = requireString(info, 'name');
    checkName('name', name);
    const content = requireString(info, 'content');
    if (content.length > 6144) throw invalidArgument('content must be at most 6144 characters');
    const problems = jdPolicyDocumentProblems(content, 'permission');
    if (problems.length > 0) throw invalidArgument(`content is invalid: ${problems.join('; ')}`);
    if (this.state.policies[name]) throw alreadyExists(`policy ${name} already exists`);
    const time = this.time();
    const policy: JdPolicyRecord = {
      policyId: randomFrom('0123456789abcdef', 32),
      name,
      description: optionalString(info, 'description') ?? '',
      content,
      createTime: time,
      updateTime: time,
    };
    this.state.policies[name] = policy;
    this.changed();
    return { policy: this.policyView(policy) };
  }

  private policyView(policy: JdPolicyRecord): Record<string, unknown> {
    return {
      policyId: policy.policyId,
      name: policy.name,
      jrn: this.policyJrn(policy.name),
      description: policy.description,
      policyType: '1',
      version: '3',
      defaultEdition: 1,
      content: policy.content,
      createTime: policy.createTime,
      updateTime: policy.updateTime,
    };
  }

  private describePolicy(name: string): unknown {
    const policy = this.requirePolicy(name);
    return {
      policy: this.policyView(policy),
      defaultPolicyEdition: { isDefaultEdition: true, edition: '1', policyDocument: policy.content, createTime: policy.updateTime },
    };
  }

  private updatePolicy(name: string, body: Record<string, unknown>): unknown {
    const policy = this.requirePolicy(name);
    const info = (body.updatePolicyInfo ?? {}) as Record<string, unknown>;
    const content = requireString(info, 'content');
    const problems = jdPolicyDocumentProblems(content, 'permission');
    if (problems.length > 0) throw invalidArgument(`content is invalid: ${problems.join('; ')}`);
    policy.content = content;
    policy.updateTime = this.time();
    this.changed();
    return undefined;
  }

  private deletePolicy(name: string): unknown {
    this.requirePolicy(name);
    const users = Object.entries(this.state.attachments).filter(([, names]) => names.includes(name)).map(([role]) => role);
    if (users.length > 0) throw failedPrecondition(`policy ${name} is attached to ${users.join(', ')}; detach it first`);
    delete this.state.policies[name];
    this.changed();
    return undefined;
  }

  private attach(roleName: string, body: Record<string, unknown>): unknown {
    this.requireRole(roleName);
    const policyName = requireString(body, 'policyName');
    this.requirePolicy(policyName);
    const attached = (this.state.attachments[roleName] ??= []);
    if (attached.includes(policyName)) throw alreadyExists(`policy ${policyName} is already attached to role ${roleName}`);
    attached.push(policyName);
    this.changed();
    return undefined;
  }

  private detach(roleName: string, query: URLSearchParams): unknown {
    this.requireRole(roleName);
    const policyName = query.get('policyName');
    if (!policyName) throw invalidArgument('policyName is required');
    const attached = this.state.attachments[roleName] ?? [];
    if (!attached.includes(policyName)) throw notFound(`policy ${policyName} is not attached to role ${roleName}`);
    this.state.attachments[roleName] = attached.filter((name) => name !== policyName);
    this.changed();
    return undefined;
  }

  private rolePolicies(roleName: string, query: URLSearchParams): unknown {
    this.requireRole(roleName);
    const pageNumber = Math.max(1, Number(query.get('pageNumber') ?? 1) || 1);
    const pageSize = Math.min(100, Math.max(10, Number(query.get('pageSize') ?? 50) || 50));
    let names = [...(this.state.attachments[roleName] ?? [])];
    if (query.get('sort') === '1') names = names.reverse();
    const page = names.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return {
      total: names.length,
      policies: page.map((name) => ({
        policyName: name,
        description: this.state.policies[name]?.description ?? '',
        type: 'custom',
        policyJrn: this.policyJrn(name),
      })),
    };
  }
}
