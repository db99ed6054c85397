import { type RoleDocuments, type RoleOutcome } from '../../model/role-spec';
import { isCloudErrorKind } from './errors';
import { type IamApi } from './iam-api';

/**
 * A canonical JSON text of a policy document (keys sorted, single-element lists and strings kept as given), so a
 * document read back from IAM compares equal to the one written.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Creates the role or brings an existing one in line with `documents`: trust policy and inline policies are
 * written only when they differ. Idempotent; a role created concurrently is adopted.
 */
export async function ensureAwsRole(iam: IamApi, documents: RoleDocuments, description: string): Promise<RoleOutcome> {
  const { roleName } = documents;
  let created = false;
  let updated = false;
  let existing = await iam.getRole(roleName);
  if (!existing) {
    try {
      const role = await iam.createRole(roleName, documents.trustPolicy, description);
      created = true;
      existing = role ? { role, trustPolicy: documents.trustPolicy } : await iam.getRole(roleName);
    } catch (error) {
      if (!isCloudErrorKind(error, 'conflict')) throw error;
      existing = await iam.getRole(roleName);
    }
  }
  if (!created && canonicalJson(existing?.trustPolicy) !== canonicalJson(documents.trustPolicy)) {
    await iam.updateTrustPolicy(roleName, documents.trustPolicy);
    updated = true;
  }
  for (const policy of documents.policies) {
    const current = created ? undefined : await iam.inlinePolicy(roleName, policy.name);
    if (canonicalJson(current) !== canonicalJson(policy.document)) {
      await iam.putInlinePolicy(roleName, policy.name, policy.document);
      if (!created) updated = true;
    }
  }
  return { roleName, ...(existing?.role.Arn ? { arn: existing.role.Arn } : {}), created, updated };
}

/** Deletes a role: its inline policies, its managed-policy attachments, then the role. A missing role is fine. */
export async function deleteAwsRole(iam: IamApi, roleName: string): Promise<void> {
  if (!(await iam.getRole(roleName))) return;
  const [inline, attached] = await Promise.all([iam.inlinePolicyNames(roleName), iam.attachedPolicies(roleName)]);
  for (const name of inline) await iam.deleteInlinePolicy(roleName, name);
  for (const policy of attached) if (policy.PolicyArn) await iam.detachPolicy(roleName, policy.PolicyArn);
  await iam.deleteRole(roleName);
}
