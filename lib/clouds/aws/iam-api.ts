import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type AttachedPolicy,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { type StaticCredentials } from '../../model/connection';
import { awsCall, isCloudErrorKind } from './errors';
import { type NamedPolicyDocument } from './policy-evaluator';

const MAX_PAGES = 20;

/**
 * Parses a policy document as IAM returns it: URL-encoded JSON (RFC 3986), or plain JSON from stores that do not
 * encode. Returns `undefined` for text that is neither.
 */
export function parsePolicyDocument(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const attempts = text.trimStart().startsWith('{') ? [text, safeDecode(text)] : [safeDecode(text), text];
  for (const attempt of attempts) {
    if (attempt === undefined) continue;
    try {
      return JSON.parse(attempt);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

/** A role with its trust policy parsed. */
export interface RoleInfo {
  /** The IAM role. */
  readonly role: Role;
  /** The parsed trust policy. */
  readonly trustPolicy: unknown;
}

/** The IAM and STS calls the driver makes, each turning SDK errors into `CloudError`s. */
export class IamApi {
  /**
   * @param iam a (lazily created) IAM client
   * @param sts a (lazily created) STS client
   * @param credentials static credentials to redact from error messages
   */
  constructor(
    private readonly iam: () => IAMClient,
    private readonly sts: () => STSClient,
    private readonly credentials?: StaticCredentials,
  ) {}

  /** The caller's account id (STS GetCallerIdentity). */
  public async callerAccountId(): Promise<string | undefined> {
    const out = await this.call('GetCallerIdentity', () => this.sts().send(new GetCallerIdentityCommand({})));
    return out.Account;
  }

  /** GetRole; `undefined` when the role does not exist. */
  public async getRole(roleName: string): Promise<RoleInfo | undefined> {
    try {
      const out = await this.call('GetRole', () => this.iam().send(new GetRoleCommand({ RoleName: roleName })));
      if (!out.Role) return undefined;
      return { role: out.Role, trustPolicy: parsePolicyDocument(out.Role.AssumeRolePolicyDocument) };
    } catch (error) {
      if (isCloudErrorKind(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** Names of the role's inline policies. */
  public async inlinePolicyNames(roleName: string): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.call('ListRolePolicies', () => this.iam().send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker })));
      names.push(...(out.PolicyNames ?? []));
      marker = out.IsTruncated ? out.Marker : undefined;
      if (!marker) break;
    }
    return names;
  }

  /** The role's attached managed policies. */
  public async attachedPolicies(roleName: string): Promise<AttachedPolicy[]> {
    const policies: AttachedPolicy[] = [];
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.call('ListAttachedRolePolicies', () =>
        this.iam().send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker })),
      );
      policies.push(...(out.AttachedPolicies ?? []));
      marker = out.IsTruncated ? out.Marker : undefined;
      if (!marker) break;
    }
    return policies;
  }

  /** One inline policy, parsed; `undefined` when missing. */
  public async inlinePolicy(roleName: string, policyName: string): Promise<unknown> {
    try {
      const out = await this.call('GetRolePolicy', () => this.iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
      return parsePolicyDocument(out.PolicyDocument);
    } catch (error) {
      if (isCloudErrorKind(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** The default version of a managed policy, parsed. */
  public async managedPolicy(policyArn: string): Promise<unknown> {
    const policy = await this.call('GetPolicy', () => this.iam().send(new GetPolicyCommand({ PolicyArn: policyArn })));
    const versionId = policy.Policy?.DefaultVersionId;
    if (!versionId) return undefined;
    const version = await this.call('GetPolicyVersion', () =>
      this.iam().send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
    );
    return parsePolicyDocument(version.PolicyVersion?.Document);
  }

  /** Every identity policy of a role (inline and attached), parsed and named for messages. */
  public async rolePolicies(roleName: string): Promise<NamedPolicyDocument[]> {
    const [inlineNames, attached] = await Promise.all([this.inlinePolicyNames(roleName), this.attachedPolicies(roleName)]);
    const inline = await Promise.all(
      inlineNames.map(async (name) => ({ name: `inline policy ${name}`, document: await this.inlinePolicy(roleName, name) })),
    );
    const managed = await Promise.all(
      attached
        .filter((p) => p.PolicyArn)
        .map(async (p) => ({ name: `managed policy ${p.PolicyArn}`, document: await this.managedPolicy(p.PolicyArn!) })),
    );
    return [...inline, ...managed];
  }

  /** CreateRole. */
  public async createRole(roleName: string, trustPolicy: Record<string, unknown>, description: string): Promise<Role | undefined> {
    const out = await this.call('CreateRole', () =>
      this.iam().send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trustPolicy), Description: description })),
    );
    return out.Role;
  }

  /** UpdateAssumeRolePolicy. */
  public async updateTrustPolicy(roleName: string, trustPolicy: Record<string, unknown>): Promise<void> {
    await this.call('UpdateAssumeRolePolicy', () =>
      this.iam().send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(trustPolicy) })),
    );
  }

  /** PutRolePolicy (create or replace an inline policy). */
  public async putInlinePolicy(roleName: string, policyName: string, document: Record<string, unknown>): Promise<void> {
    await this.call('PutRolePolicy', () =>
      this.iam().send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) })),
    );
  }

  /** DeleteRolePolicy; a missing policy is not an error. */
  public async deleteInlinePolicy(roleName: string, policyName: string): Promise<void> {
    await this.ignoreNotFound('DeleteRolePolicy', () => this.iam().send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
  }

  /** DetachRolePolicy; a missing attachment is not an error. */
  public async detachPolicy(roleName: string, policyArn: string): Promise<void> {
    await this.ignoreNotFound('DetachRolePolicy', () => this.iam().send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })));
  }

  /** DeleteRole; a missing role is not an error. */
  public async deleteRole(roleName: string): Promise<void> {
    await this.ignoreNotFound('DeleteRole', () => this.iam().send(new DeleteRoleCommand({ RoleName: roleName })));
  }

  private async ignoreNotFound(operation: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await this.call(operation, fn);
    } catch (error) {
      if (!isCloudErrorKind(error, 'not-found')) throw error;
    }
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return awsCall(operation, fn, this.credentials);
  }
}
