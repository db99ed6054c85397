import { evaluatePolicies, trustsService } from '../core/policy-evaluator';
import { AcsApiError, missingParameter } from './acs-error';

/** One RAM role (persisted). */
export interface RamRoleState {
  roleName: string;
  roleId: string;
  description: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  createDate: string;
  updateDate: string;
  /** Attached policies: `<PolicyType>:<PolicyName>` → attach date. */
  attached: Record<string, string>;
}

/** One custom RAM policy (persisted). */
export interface RamPolicyState {
  policyName: string;
  description: string;
  policyDocument: string;
  createDate: string;
  updateDate: string;
}

/** The RAM state section. */
export interface RamState {
  roles: Record<string, RamRoleState>;
  policies: Record<string, RamPolicyState>;
}

const OSS_EXPORT_ACTIONS = [
  'oss:GetObject',
  'oss:PutObject',
  'oss:DeleteObject',
  'oss:GetBucketLocation',
  'oss:GetBucketInfo',
  'oss:AbortMultipartUpload',
  'oss:ListMultipartUploads',
  'oss:ListParts',
];

/**
 * System policies the emulator knows. The ECS image policies carry the custom-policy equivalents the ExportImage and
 * ImportImage documents give (whether the real system documents are identical is UNCONFIRMED).
 */
export const SYSTEM_POLICIES: Readonly<Record<string, { description: string; document: string }>> = {
  AliyunECSImageExportRolePolicy: {
    description: 'Default policy for the ECS image export role',
    document: JSON.stringify({ Version: '1', Statement: [{ Action: OSS_EXPORT_ACTIONS, Resource: '*', Effect: 'Allow' }] }),
  },
  AliyunECSImageImportRolePolicy: {
    description: 'Default policy for the ECS image import role',
    document: JSON.stringify({ Version: '1', Statement: [{ Action: ['oss:GetObject', 'oss:GetBucketLocation', 'oss:GetBucketInfo'], Resource: '*', Effect: 'Allow' }] }),
  },
  AliyunOSSFullAccess: {
    description: 'Full access to OSS',
    document: JSON.stringify({ Version: '1', Statement: [{ Action: 'oss:*', Resource: '*', Effect: 'Allow' }] }),
  },
  AliyunOSSReadOnlyAccess: {
    description: 'Read-only access to OSS',
    document: JSON.stringify({ Version: '1', Statement: [{ Action: ['oss:Get*', 'oss:List*'], Resource: '*', Effect: 'Allow' }] }),
  },
};

type Params = ReadonlyMap<string, string>;

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** Checks a RAM policy document: JSON object, Version "1", at least one statement with Effect and Action. */
function checkPolicyDocument(text: string): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new AcsApiError(400, 'MalformedPolicyDocument', 'The policy document is malformed: it is not valid JSON.');
  }
  const root = document as { Version?: unknown; Statement?: unknown };
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new AcsApiError(400, 'MalformedPolicyDocument', 'The policy document is malformed: it must be a JSON object.');
  }
  if (root.Version !== '1') throw new AcsApiError(400, 'MalformedPolicyDocument', 'The policy document is malformed: Version must be "1".');
  const statements = Array.isArray(root.Statement) ? root.Statement : [];
  if (statements.length === 0) throw new AcsApiError(400, 'MalformedPolicyDocument', 'The policy document is malformed: Statement is missing or empty.');
  for (const statement of statements as Record<string, unknown>[]) {
    if (statement?.Effect !== 'Allow' && statement?.Effect !== 'Deny') {
      throw new AcsApiError(400, 'MalformedPolicyDocument', 'The policy document is malformed: each statement needs Effect Allow or Deny.');
    }
    if (statement.Action === undefined && statement.NotAction === undefined) {
      throw new AcsApiError(400, 'MalformedPolicyDocument', 'The policy document is malformed: each statement needs an Action.');
    }
  }
}

/** Maps `System`/`Custom` (any case) to RAM's spelling. */
function policyTypeOf(value: string): 'System' | 'Custom' {
  const lower = value.toLowerCase();
  if (lower === 'system') return 'System';
  if (lower === 'custom') return 'Custom';
  throw new AcsApiError(400, 'InvalidParameter.PolicyType', `The parameter "PolicyType" is invalid: ${value} (System or Custom).`);
}

/**
 * Alibaba Cloud RAM (2015-05-01) as far as imageport uses it: roles, custom policies, attachments, with the
 * documented error codes (`EntityAlreadyExists.Role`, `EntityNotExist.Role`, `EntityAlreadyExists.Role.Policy`,
 * `DeleteConflict.Role.Policy`, …). Responses are the JSON bodies the SDK models read.
 */
export class RamModel {
  /**
   * @param state the persisted section (mutated in place)
   * @param account the account id (role ARNs)
   * @param now emulated time, epoch ms
   * @param markDirty called after every change
   */
  constructor(
    private readonly state: RamState,
    private readonly account: string,
    private readonly now: () => number,
    private readonly markDirty: () => void,
  ) {}

  private stamp(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private role(name: string): RamRoleState {
    const role = this.state.roles[name];
    if (!role) throw new AcsApiError(404, 'EntityNotExist.Role', `The role does not exist: ${name}.`);
    return role;
  }

  private roleJson(role: RamRoleState): Record<string, unknown> {
    return {
      RoleId: role.roleId,
      RoleName: role.roleName,
      Arn: `acs:ram::${this.account}:role/${role.roleName.toLowerCase()}`,
      Description: role.description,
      AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
      MaxSessionDuration: role.maxSessionDuration,
      CreateDate: role.createDate,
      UpdateDate: role.updateDate,
    };
  }

  /** The document and description of a policy, or undefined. */
  private policy(type: 'System' | 'Custom', name: string): { description: string; document: string; createDate: string; updateDate: string } | undefined {
    if (type === 'System') {
      const system = SYSTEM_POLICIES[name];
      return system ? { ...system, createDate: '2016-01-01T00:00:00Z', updateDate: '2016-01-01T00:00:00Z' } : undefined;
    }
    const custom = this.state.policies[name];
    return custom ? { description: custom.description, document: custom.policyDocument, createDate: custom.createDate, updateDate: custom.updateDate } : undefined;
  }

  /** Runs one action; returns the response body (without RequestId). */
  public handle(action: string, params: Params): Record<string, unknown> {
    switch (action) {
      case 'CreateRole':
        return this.createRole(params);
      case 'GetRole':
        return { Role: this.roleJson(this.role(required(params, 'RoleName'))) };
      case 'UpdateRole':
        return this.updateRole(params);
      case 'DeleteRole':
        return this.deleteRole(params);
      case 'CreatePolicy':
        return this.createPolicy(params);
      case 'GetPolicy':
        return this.getPolicy(params);
      case 'DeletePolicy':
        return this.deletePolicy(params);
      case 'AttachPolicyToRole':
        return this.attachPolicyToRole(params);
      case 'DetachPolicyFromRole':
        return this.detachPolicyFromRole(params);
      case 'ListPoliciesForRole':
        return this.listPoliciesForRole(params);
      default:
        throw new AcsApiError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.');
    }
  }

  private createRole(params: Params): Record<string, unknown> {
    const name = required(params, 'RoleName');
    if (name.length > 64) throw new AcsApiError(400, 'InvalidParameter.RoleName.Length', 'The parameter "RoleName" is beyond the length limit (64).');
    if (!/^[A-Za-z0-9.-]+$/.test(name)) {
      throw new AcsApiError(400, 'InvalidParameter.RoleName.InvalidChars', 'The parameter "RoleName" contains invalid chars (letters, digits, "." and "-" only).');
    }
    const document = required(params, 'AssumeRolePolicyDocument');
    if (document.length > 2048) throw new AcsApiError(400, 'InvalidParameter.AssumeRolePolicyDocument.Length', 'The parameter "AssumeRolePolicyDocument" is beyond the length limit (2048).');
    checkPolicyDocument(document);
    if (Object.keys(this.state.roles).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
      throw new AcsApiError(409, 'EntityAlreadyExists.Role', 'The role does already EXIST.');
    }
    const duration = Number(params.get('MaxSessionDuration') ?? 3600);
    if (!Number.isInteger(duration) || duration < 3600 || duration > 43200) {
      throw new AcsApiError(400, 'InvalidParameter.MaxSessionDuration', 'The parameter "MaxSessionDuration" must be from 3600 to 43200.');
    }
    const stamp = this.stamp();
    const role: RamRoleState = {
      roleName: name,
      roleId: `3${String(Object.keys(this.state.roles).length + 1).padStart(18, '0')}`,
      description: params.get('Description') ?? '',
      assumeRolePolicyDocument: document,
      maxSessionDuration: duration,
      createDate: stamp,
      updateDate: stamp,
      attached: {},
    };
    this.state.roles[name] = role;
    this.markDirty();
    return { Role: this.roleJson(role) };
  }

  private updateRole(params: Params): Record<string, unknown> {
    const role = this.role(required(params, 'RoleName'));
    const document = params.get('NewAssumeRolePolicyDocument');
    if (document !== undefined) {
      checkPolicyDocument(document);
      role.assumeRolePolicyDocument = document;
    }
    const description = params.get('NewDescription');
    if (description !== undefined) role.description = description;
    role.updateDate = this.stamp();
    this.markDirty();
    return { Role: this.roleJson(role) };
  }

  private deleteRole(params: Params): Record<string, unknown> {
    const role = this.role(required(params, 'RoleName'));
    if (Object.keys(role.attached).length > 0) {
      throw new AcsApiError(409, 'DeleteConflict.Role.Policy', 'The role still has policies attached. Detach them before deleting the role.');
    }
    delete this.state.roles[role.roleName];
    this.markDirty();
    return {};
  }

  private createPolicy(params: Params): Record<string, unknown> {
    const name = required(params, 'PolicyName');
    if (name.length > 128) throw new AcsApiError(400, 'InvalidParameter.PolicyName.Length', 'The parameter "PolicyName" is beyond the length limit (128).');
    if (!/^[A-Za-z0-9-]+$/.test(name)) {
      throw new AcsApiError(400, 'InvalidParameter.PolicyName.InvalidChars', 'The parameter "PolicyName" contains invalid chars (letters, digits and "-" only).');
    }
    const document = required(params, 'PolicyDocument');
    if (document.length > 6144) throw new AcsApiError(400, 'InvalidParameter.PolicyDocument.Length', 'The parameter "PolicyDocument" is beyond the length limit (6144).');
    checkPolicyDocument(document);
    if (this.state.policies[name] || SYSTEM_POLICIES[name]) throw new AcsApiError(409, 'EntityAlreadyExists.Policy', 'The policy does already EXIST.');
    const stamp = this.stamp();
    this.state.policies[name] = { policyName: name, description: params.get('Description') ?? '', policyDocument: document, createDate: stamp, updateDate: stamp };
    this.markDirty();
    return { Policy: { PolicyName: name, PolicyType: 'Custom', Description: params.get('Description') ?? '', DefaultVersion: 'v1', CreateDate: stamp } };
  }

  private getPolicy(params: Params): Record<string, unknown> {
    const name = required(params, 'PolicyName');
    const type = policyTypeOf(required(params, 'PolicyType'));
    const policy = this.policy(type, name);
    if (!policy) throw new AcsApiError(404, 'EntityNotExist.Policy', `The policy does not exist: ${name}.`);
    const attachments = Object.values(this.state.roles).filter((role) => role.attached[`${type}:${name}`] !== undefined).length;
    return {
      Policy: {
        PolicyName: name,
        PolicyType: type,
        Description: policy.description,
        DefaultVersion: 'v1',
        PolicyDocument: policy.document,
        CreateDate: policy.createDate,
        UpdateDate: policy.updateDate,
        AttachmentCount: attachments,
      },
      DefaultPolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, PolicyDocument: policy.document, CreateDate: policy.createDate },
    };
  }

  private deletePolicy(params: Params): Record<string, unknown> {
    const name = required(params, 'PolicyName');
    if (!this.state.policies[name]) throw new AcsApiError(404, 'EntityNotExist.Policy', `The policy does not exist: ${name}.`);
    const users = Object.values(this.state.roles).filter((role) => role.attached[`Custom:${name}`] !== undefined);
    if (users.length > 0) {
      if (params.get('CascadingDelete') !== 'true') {
        throw new AcsApiError(409, 'DeleteConflict.Policy.Role', `The policy is still attached to roles: ${users.map((role) => role.roleName).join(', ')}.`);
      }
      for (const role of users) delete role.attached[`Custom:${name}`];
    }
    delete this.state.policies[name];
    this.markDirty();
    return {};
  }

  private attachPolicyToRole(params: Params): Record<string, unknown> {
    const type = policyTypeOf(required(params, 'PolicyType'));
    const name = required(params, 'PolicyName');
    const role = this.role(required(params, 'RoleName'));
    if (!this.policy(type, name)) throw new AcsApiError(404, 'EntityNotExist.Policy', `The policy does not exist: ${name}.`);
    const key = `${type}:${name}`;
    if (role.attached[key] !== undefined) throw new AcsApiError(409, 'EntityAlreadyExists.Role.Policy', 'The policy has already been attached to the role.');
    role.attached[key] = this.stamp();
    this.markDirty();
    return {};
  }

  private detachPolicyFromRole(params: Params): Record<string, unknown> {
    const type = policyTypeOf(required(params, 'PolicyType'));
    const name = required(params, 'PolicyName');
    const role = this.role(required(params, 'RoleName'));
    const key = `${type}:${name}`;
    if (role.attached[key] === undefined) throw new AcsApiError(404, 'EntityNotExist.Role.Policy', 'The policy is not attached to the role.');
    delete role.attached[key];
    this.markDirty();
    return {};
  }

  private listPoliciesForRole(params: Params): Record<string, unknown> {
    const role = this.role(required(params, 'RoleName'));
    const policies = Object.entries(role.attached).map(([key, attachDate]) => {
      const [type, name] = key.split(':') as ['System' | 'Custom', string];
      return { PolicyName: name, PolicyType: type, Description: this.policy(type, name)?.description ?? '', DefaultVersion: 'v1', AttachDate: attachDate };
    });
    return { Policies: { Policy: policies } };
  }

  /**
   * Whether ECS may use a service role on a bucket: the role exists, trusts `ecs.aliyuncs.com`, and its policies
   * allow every action on the bucket (bucket actions) and its objects. Returns why not, or undefined when it may.
   */
  public serviceRoleProblem(roleName: string, actions: readonly string[], bucket: string, region: string): string | undefined {
    const role = this.state.roles[roleName];
    if (!role) return `role ${roleName} does not exist`;
    let trust: unknown;
    try {
      trust = JSON.parse(role.assumeRolePolicyDocument);
    } catch {
      return `role ${roleName} has an unreadable trust policy`;
    }
    const principal = 'ecs.aliyuncs.com';
    if (!trustsService(trust, principal, 'sts:AssumeRole') && !trustsService(trust, `${this.account}@${principal}`, 'sts:AssumeRole')) {
      return `role ${roleName} does not trust ${principal}`;
    }
    const documents = Object.keys(role.attached).map((key) => {
      const [type, name] = key.split(':') as ['System' | 'Custom', string];
      const text = this.policy(type, name)?.document ?? '{}';
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return {};
      }
    });
    const bucketActions = new Set(['oss:GetBucketLocation', 'oss:GetBucketInfo', 'oss:ListMultipartUploads']);
    const missing = actions.filter((action) => {
      const resource = bucketActions.has(action) ? `acs:oss:${region}:${this.account}:${bucket}` : `acs:oss:${region}:${this.account}:${bucket}/object`;
      return evaluatePolicies(documents, { action, resource }) !== 'allow';
    });
    return missing.length > 0 ? `role ${roleName} may not ${missing.join(', ')} on bucket ${bucket}` : undefined;
  }

  /** Every role, for inspection. */
  public roles(): RamRoleState[] {
    return Object.values(this.state.roles);
  }

  /** A policy's document, parsed, for inspection. */
  public policyDocument(type: 'System' | 'Custom', name: string): unknown {
    const text = this.policy(type, name)?.document;
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}
