import { type NamedPolicy, type RoleDocuments, type ServiceRoleSpec } from '../../model/role-spec';
import { SpecValidationError, type ValidationIssue } from '../../model/validation-issue';
import {
  ECS_SERVICE_PRINCIPAL,
  EXPORT_OSS_ACTIONS,
  EXPORT_ROLE_NAME,
  EXPORT_SYSTEM_POLICY,
  IMPORT_OSS_ACTIONS,
  IMPORT_ROLE_NAME,
  IMPORT_SYSTEM_POLICY,
  OSS_BUCKET_ACTIONS,
} from './constants';

/** The trust policy of both service roles, exactly as the ExportImage document gives it. */
export function ecsTrustPolicy(): Record<string, unknown> {
  return {
    Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: [ECS_SERVICE_PRINCIPAL] } }],
    Version: '1',
  };
}

/** The role name a spec resolves to: the given one, else the documented default of its purpose. */
export function alicloudRoleName(spec: ServiceRoleSpec): string {
  return spec.roleName ?? (spec.purpose === 'import' ? IMPORT_ROLE_NAME : EXPORT_ROLE_NAME);
}

/**
 * Name of the custom policy imageport creates in `scoped` mode: the given one, else `imageport-<role name>` with
 * characters RAM policy names do not allow (anything but letters, digits, hyphens) turned into hyphens.
 */
export function alicloudPolicyName(spec: ServiceRoleSpec): string {
  return spec.policyName ?? `imageport-${alicloudRoleName(spec)}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128);
}

/**
 * The exact documents of an Alibaba Cloud ECS image service role.
 *
 * - `system` mode (the documented default): the trust policy plus the system policy
 *   (`AliyunECSImageExportRolePolicy` / `AliyunECSImageImportRolePolicy`), which grants on every bucket.
 * - `scoped` mode: a custom policy with the documented actions on exactly the buckets in use
 *   (`acs:oss:*:*:<bucket>` for bucket actions, `acs:oss:*:*:<bucket>/*` for object actions), never `*`.
 *
 * Alibaba Cloud has one role per purpose, so `purpose: 'both'` is refused; so is `scoped` without buckets.
 *
 * @throws SpecValidationError naming the field when the spec cannot be served
 */
export function alicloudRoleDocuments(spec: ServiceRoleSpec): RoleDocuments {
  const issues: ValidationIssue[] = [];
  const source = 'Alibaba Cloud RAM service roles';
  if (spec.purpose === 'both') {
    issues.push({
      field: 'purpose',
      value: spec.purpose,
      rule: 'is not possible on Alibaba Cloud, which uses one role per purpose: ensure an export and an import role',
      code: 'purpose.not-allowed',
      allowed: ['export', 'import'],
      source,
    });
  }
  const mode = spec.policyMode ?? 'system';
  const buckets = (spec.purpose === 'import' ? spec.importBuckets : spec.exportBuckets) ?? [];
  const bucketField = spec.purpose === 'import' ? 'importBuckets' : 'exportBuckets';
  if (mode === 'scoped' && buckets.length === 0) {
    issues.push({
      field: bucketField,
      value: buckets,
      rule: 'must name at least one bucket when policyMode is "scoped" (the policy grants on exactly these buckets)',
      code: `${bucketField}.required`,
      source,
    });
  }
  if (mode !== 'system' && mode !== 'scoped') {
    issues.push({ field: 'policyMode', value: mode, rule: 'is not an allowed value', code: 'policyMode.not-allowed', allowed: ['system', 'scoped'], source });
  }
  if (issues.length > 0) throw new SpecValidationError(`Alibaba Cloud service role "${alicloudRoleName(spec)}"`, issues);

  const roleName = alicloudRoleName(spec);
  const trustPolicy = ecsTrustPolicy();
  if (mode === 'system') {
    return { roleName, trustPolicy, policies: [], systemPolicies: [spec.purpose === 'import' ? IMPORT_SYSTEM_POLICY : EXPORT_SYSTEM_POLICY] };
  }
  const actions = spec.purpose === 'import' ? IMPORT_OSS_ACTIONS : EXPORT_OSS_ACTIONS;
  return { roleName, trustPolicy, policies: [scopedPolicy(alicloudPolicyName(spec), actions, buckets)], systemPolicies: [] };
}

function scopedPolicy(name: string, actions: readonly string[], buckets: readonly string[]): NamedPolicy {
  const unique = [...new Set(buckets)].sort();
  const bucketActions = actions.filter((action) => OSS_BUCKET_ACTIONS.includes(action));
  const objectActions = actions.filter((action) => !OSS_BUCKET_ACTIONS.includes(action));
  const statements: Record<string, unknown>[] = [];
  if (objectActions.length > 0) {
    statements.push({ Action: objectActions, Resource: unique.map((bucket) => `acs:oss:*:*:${bucket}/*`), Effect: 'Allow' });
  }
  if (bucketActions.length > 0) {
    statements.push({ Action: bucketActions, Resource: unique.map((bucket) => `acs:oss:*:*:${bucket}`), Effect: 'Allow' });
  }
  return { name, document: { Version: '1', Statement: statements } };
}
