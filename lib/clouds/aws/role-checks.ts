import { type PreflightProblem } from '../../model/preflight';
import { evaluatePolicies, evaluateStatement, statementsOf, type NamedPolicyDocument } from './policy-evaluator';
import { EXPORT_BUCKET_ACTIONS, IMPORT_BUCKET_ACTIONS, ROLE_EC2_ACTIONS, VMIE_EXTERNAL_ID, VMIE_SERVICE_PRINCIPAL } from './role-documents';

/** One permission the service role needs. */
export interface PermissionNeed {
  /** The action, `s3:PutObject`. */
  readonly action: string;
  /** The resource ARN it is needed on. */
  readonly resource: string;
  /** The bucket concerned, for the message. @default - not a bucket permission */
  readonly bucket?: string;
}

/** Options of {@link checkTrustPolicy}. */
export interface TrustCheckOptions {
  /** The account id, when known, so `aws:SourceAccount` conditions can be decided. @default - unknown */
  readonly accountId?: string;
}

const FIX_ENSURE_ROLE = 'or let imageport manage the role (driver ensureRole), which writes the documented vmimport trust and permission policies';

/**
 * Checks that a role's trust policy lets VM Import/Export assume it: `vmie.amazonaws.com` may call
 * `sts:AssumeRole` with the external id `vmimport`. Pure.
 * @returns `role.trust` when the service is not trusted, `role.trust-external-id` when the documented
 * `sts:Externalid` condition is missing or expects another value
 */
export function checkTrustPolicy(roleName: string, trustDocument: unknown, options: TrustCheckOptions = {}): PreflightProblem[] {
  const policy: NamedPolicyDocument = { name: 'trust policy', document: trustDocument };
  const request = {
    action: 'sts:AssumeRole',
    principal: { Service: VMIE_SERVICE_PRINCIPAL },
    context: { 'sts:ExternalId': VMIE_EXTERNAL_ID, ...(options.accountId ? { 'aws:SourceAccount': options.accountId } : {}) },
  };
  const withExternalId = evaluatePolicies([policy], request);
  if (withExternalId.decision === 'allowed') {
    const trusting = statementsOf(trustDocument).filter((s) => s.Effect === 'Allow' && evaluateStatement(s, request, request.context) !== 'no-match');
    if (trusting.some(hasExternalIdCondition)) return [];
    return [
      {
        subject: 'role',
        code: 'role.trust-external-id',
        message: `role "${roleName}" trusts ${VMIE_SERVICE_PRINCIPAL} without the condition "sts:Externalid": "${VMIE_EXTERNAL_ID}" that the VM Import/Export trust policy requires`,
        fix: `add "Condition": { "StringEquals": { "sts:Externalid": "${VMIE_EXTERNAL_ID}" } } to the statement that trusts ${VMIE_SERVICE_PRINCIPAL}; ${FIX_ENSURE_ROLE}`,
      },
    ];
  }
  if (withExternalId.decision === 'explicitly-denied') {
    const by = withExternalId.by.map((b) => b.statement).join(', ');
    return [
      {
        subject: 'role',
        code: 'role.trust',
        message: `role "${roleName}"'s trust policy denies sts:AssumeRole to ${VMIE_SERVICE_PRINCIPAL} (statement ${by})`,
        fix: `remove that Deny statement, ${FIX_ENSURE_ROLE}`,
      },
    ];
  }
  const withoutExternalId = evaluatePolicies([policy], { ...request, context: {} });
  if (withoutExternalId.decision === 'allowed') {
    return [
      {
        subject: 'role',
        code: 'role.trust-external-id',
        message: `role "${roleName}" trusts ${VMIE_SERVICE_PRINCIPAL} only under a condition that refuses the external id "${VMIE_EXTERNAL_ID}" VM Import/Export passes`,
        fix: `set the condition to "StringEquals": { "sts:Externalid": "${VMIE_EXTERNAL_ID}" }; ${FIX_ENSURE_ROLE}`,
      },
    ];
  }
  return [
    {
      subject: 'role',
      code: 'role.trust',
      message: `role "${roleName}" does not trust ${VMIE_SERVICE_PRINCIPAL}: no statement of its trust policy allows that service to call sts:AssumeRole`,
      fix: `add a statement allowing { "Service": "${VMIE_SERVICE_PRINCIPAL}" } to call sts:AssumeRole with "sts:Externalid": "${VMIE_EXTERNAL_ID}"; ${FIX_ENSURE_ROLE}`,
    },
  ];
}

/**
 * Checks that a role's policies (inline and attached) grant each needed permission. Pure.
 * Reports only definite gaps: a permission granted under a condition the evaluator cannot decide counts as granted.
 * @returns one `role.permission` problem per missing or denied permission, naming the action and the bucket
 */
export function checkRolePermissions(roleName: string, policies: readonly NamedPolicyDocument[], needs: readonly PermissionNeed[]): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  for (const need of needs) {
    const evaluation = evaluatePolicies(policies, { action: need.action, resource: need.resource });
    if (evaluation.decision === 'allowed') continue;
    const on = need.bucket !== undefined ? `on bucket "${need.bucket}" (${need.resource})` : `on ${need.resource}`;
    if (evaluation.decision === 'explicitly-denied') {
      const by = evaluation.by.map((b) => `${b.policy} statement ${b.statement}`).join(', ');
      problems.push({
        subject: 'role',
        code: 'role.permission',
        message: `role "${roleName}" is denied ${need.action} ${on} by ${by}`,
        fix: `remove or narrow that Deny so ${need.action} is allowed ${on}`,
      });
    } else {
      problems.push({
        subject: 'role',
        code: 'role.permission',
        message: `role "${roleName}" lacks ${need.action} ${on}: no statement of its inline or attached policies allows it`,
        fix: `allow ${need.action} on ${need.resource}, ${FIX_ENSURE_ROLE}`,
      });
    }
  }
  return problems;
}

/**
 * What the role needs for an export into `bucket`: the documented export set, with object actions checked on the
 * key the export will write (`prefix` + `export-ami-….` + extension).
 */
export function exportPermissionNeeds(bucket: string, prefix: string, extension: string, partition = 'aws'): PermissionNeed[] {
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${prefix}export-ami-0123456789abcdef0.${extension}`;
  return EXPORT_BUCKET_ACTIONS.map((action) => ({
    action,
    resource: action === 's3:GetObject' || action === 's3:PutObject' ? objectArn : bucketArn,
    bucket,
  }));
}

/** What the role needs to read one import source object, plus (once per import) the documented EC2 actions. */
export function importPermissionNeeds(sources: readonly { bucket: string; key: string }[], partition = 'aws'): PermissionNeed[] {
  const needs: PermissionNeed[] = [];
  for (const { bucket, key } of sources) {
    const bucketArn = `arn:${partition}:s3:::${bucket}`;
    for (const action of IMPORT_BUCKET_ACTIONS) {
      const resource = action === 's3:GetObject' ? `${bucketArn}/${key}` : bucketArn;
      if (!needs.some((n) => n.action === action && n.resource === resource)) needs.push({ action, resource, bucket });
    }
  }
  for (const action of ROLE_EC2_ACTIONS) {
    needs.push({ action: action.replace('Describe*', 'DescribeImages'), resource: '*' });
  }
  return needs;
}

function hasExternalIdCondition(statement: Record<string, unknown>): boolean {
  const condition = statement.Condition;
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.values(condition as Record<string, unknown>).some(
    (clauses) => typeof clauses === 'object' && clauses !== null && Object.keys(clauses).some((k) => k.toLowerCase() === 'sts:externalid'),
  );
}
