import { type RoleOutcome, type ServiceRoleSpec } from '../../model/role-spec';
import { type AlicloudApi, type RamAttachedPolicy } from './api';
import { EXPORT_SYSTEM_POLICY, IMPORT_SYSTEM_POLICY } from './constants';
import { hasCode } from './errors';
import { alicloudPolicyName, alicloudRoleDocuments, alicloudRoleName } from './role-documents';

/** True when two policy documents (JSON strings or objects) say the same thing, ignoring key order and whitespace. */
export function samePolicy(a: unknown, b: unknown): boolean {
  const parse = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  };
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return JSON.stringify(sorted(parse(a))) === JSON.stringify(sorted(parse(b)));
}

function isAttached(attached: readonly RamAttachedPolicy[], name: string, type: string): boolean {
  return attached.some((policy) => policy.policyName === name && (policy.policyType ?? '').toLowerCase() === type.toLowerCase());
}

async function attach(api: AlicloudApi, roleName: string, policyName: string, policyType: string): Promise<void> {
  try {
    await api.attachPolicyToRole({ roleName, policyName, policyType });
  } catch (error) {
    if (!hasCode(error, 'EntityAlreadyExists.Role.Policy')) throw error;
  }
}

async function detach(api: AlicloudApi, roleName: string, policyName: string, policyType: string): Promise<void> {
  try {
    await api.detachPolicyFromRole({ roleName, policyName, policyType });
  } catch (error) {
    if (!hasCode(error, 'EntityNotExist.Role.Policy', 'EntityNotExist.Role', 'EntityNotExist.Policy')) throw error;
  }
}

/**
 * Creates the service role or brings it in line with {@link alicloudRoleDocuments}: the exact trust document
 * (UpdateRole when it differs), the system policy (`system` mode) or imageport's custom policy scoped to the buckets
 * (`scoped` mode; replaced when its document differs), and nothing of the other mode. Idempotent: an existing role or
 * attachment (`EntityAlreadyExists.Role`, `EntityAlreadyExists.Role.Policy`) is not an error.
 */
export async function ensureAlicloudRole(api: AlicloudApi, spec: ServiceRoleSpec): Promise<RoleOutcome> {
  const documents = alicloudRoleDocuments(spec);
  const roleName = documents.roleName;
  const trust = JSON.stringify(documents.trustPolicy);
  let created = false;
  let updated = false;

  let role = await api.getRole(roleName);
  if (!role) {
    try {
      role = await api.createRole({ roleName, assumeRolePolicyDocument: trust, description: 'ECS image import/export service role (imageport)' });
      created = true;
    } catch (error) {
      if (!hasCode(error, 'EntityAlreadyExists.Role')) throw error;
      role = await api.getRole(roleName);
    }
  }
  if (!created && role && !samePolicy(role.assumeRolePolicyDocument, documents.trustPolicy)) {
    await api.updateRole({ roleName, newAssumeRolePolicyDocument: trust });
    updated = true;
  }

  const attached = await api.listPoliciesForRole(roleName);
  const wantedSystem = new Set(documents.systemPolicies ?? []);
  for (const name of wantedSystem) {
    if (!isAttached(attached, name, 'System')) {
      await attach(api, roleName, name, 'System');
      updated ||= !created;
    }
  }
  // Bring the other mode's grant out: a scoped role must not keep the all-bucket system policy, and vice versa.
  for (const name of [EXPORT_SYSTEM_POLICY, IMPORT_SYSTEM_POLICY]) {
    if (!wantedSystem.has(name) && isAttached(attached, name, 'System')) {
      await detach(api, roleName, name, 'System');
      updated = true;
    }
  }
  const ownPolicy = alicloudPolicyName(spec);
  if (documents.policies.length === 0 && isAttached(attached, ownPolicy, 'Custom')) {
    await detach(api, roleName, ownPolicy, 'Custom');
    updated = true;
  }
  for (const policy of documents.policies) {
    const text = JSON.stringify(policy.document);
    const existing = await api.getPolicy({ policyName: policy.name, policyType: 'Custom' });
    if (existing && !samePolicy(existing.document, policy.document)) {
      await detach(api, roleName, policy.name, 'Custom');
      await api.deletePolicy(policy.name);
      await api.createPolicy({ policyName: policy.name, policyDocument: text, description: `imageport: ${roleName}` });
      await attach(api, roleName, policy.name, 'Custom');
      updated ||= !created;
      continue;
    }
    if (!existing) {
      try {
        await api.createPolicy({ policyName: policy.name, policyDocument: text, description: `imageport: ${roleName}` });
      } catch (error) {
        if (!hasCode(error, 'EntityAlreadyExists.Policy')) throw error;
      }
    }
    if (!isAttached(attached, policy.name, 'Custom')) {
      await attach(api, roleName, policy.name, 'Custom');
      updated ||= !created;
    }
  }
  return { roleName, ...(role?.arn ? { arn: role.arn } : {}), created, updated };
}

/**
 * Deletes what {@link ensureAlicloudRole} created: detaches every policy from the role (RAM refuses to delete a role
 * with attachments), deletes imageport's custom policy (left alone when another role still uses it), then the role.
 * A missing role or policy is success.
 */
export async function deleteAlicloudRole(api: AlicloudApi, spec: ServiceRoleSpec): Promise<void> {
  const roleName = alicloudRoleName(spec);
  const policyName = alicloudPolicyName(spec);
  const role = await api.getRole(roleName);
  if (role) {
    for (const policy of await api.listPoliciesForRole(roleName)) {
      if (policy.policyName) await detach(api, roleName, policy.policyName, policy.policyType ?? 'Custom');
    }
  }
  const own = await api.getPolicy({ policyName, policyType: 'Custom' });
  if (own) {
    try {
      await api.deletePolicy(policyName);
    } catch (error) {
      if (!hasCode(error, 'EntityNotExist.Policy', 'DeleteConflict.Policy.Role', 'DeleteConflict.Policy.User', 'DeleteConflict.Policy.Group')) throw error;
    }
  }
  if (role) {
    try {
      await api.deleteRole(roleName);
    } catch (error) {
      if (!hasCode(error, 'EntityNotExist.Role')) throw error;
    }
  }
}
