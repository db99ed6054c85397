import { type RoleDocuments, type ServiceRoleSpec } from '../../model/role-spec';

/** The service principal of VM Import/Export. */
export const VMIE_SERVICE_PRINCIPAL = 'vmie.amazonaws.com';
/** The external id VM Import/Export passes when it assumes the role. */
export const VMIE_EXTERNAL_ID = 'vmimport';

/** S3 actions the role needs on an import (source) bucket. */
export const IMPORT_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'] as const;
/** S3 actions the role needs on an export (destination) bucket. */
export const EXPORT_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketAcl'] as const;
/** EC2 actions of the documented role policy. */
export const ROLE_EC2_ACTIONS = ['ec2:ModifySnapshotAttribute', 'ec2:CopySnapshot', 'ec2:RegisterImage', 'ec2:Describe*'] as const;
/** KMS actions of the documented optional KMS statement. */
export const ROLE_KMS_ACTIONS = ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const;

/** An IAM policy document (the subset imageport writes). */
export interface PolicyDocument {
  /** Always `2012-10-17`. */
  readonly Version: '2012-10-17';
  /** The statements. */
  readonly Statement: readonly PolicyStatement[];
}

/** One IAM policy statement. */
export interface PolicyStatement {
  /** Statement id. @default - none */
  readonly Sid?: string;
  /** Allow or Deny. */
  readonly Effect: 'Allow' | 'Deny';
  /** Who (trust policies only). @default - none */
  readonly Principal?: Record<string, string | string[]> | '*';
  /** What. */
  readonly Action: string | readonly string[];
  /** On what (permission policies only). @default - none */
  readonly Resource?: string | readonly string[];
  /** When. @default - always */
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Options of {@link vmimportTrustPolicy}. */
export interface TrustPolicyOptions {
  /**
   * Account id: when given, the AWS-published confused-deputy conditions are added
   * (`aws:SourceAccount` and `aws:SourceArn` `arn:<partition>:vmie:*:<account>:*`).
   * @default - no confused-deputy conditions
   */
  readonly accountId?: string;
  /** ARN partition (`aws`, `aws-cn`, `aws-us-gov`). @default aws */
  readonly partition?: string;
}

/** Options of {@link vmimportPermissionPolicy}. */
export interface PermissionPolicyOptions {
  /** Buckets exports are written to (read and write set). @default - none */
  readonly exportBuckets?: readonly string[];
  /** Buckets imports are read from (read set). @default - none */
  readonly importBuckets?: readonly string[];
  /** KMS key ARNs for encrypted imports; a KMS statement is added only for these. @default - none */
  readonly kmsKeyArns?: readonly string[];
  /** ARN partition. @default aws */
  readonly partition?: string;
}

/** The ARN partition of a region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`. */
export function partitionOfRegion(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The exact `vmimport` trust policy of the VM Import/Export user guide: `vmie.amazonaws.com` may assume the role
 * with the external id `vmimport`, plus the confused-deputy conditions when the account is known.
 */
export function vmimportTrustPolicy(options: TrustPolicyOptions = {}): PolicyDocument {
  const stringEquals: Record<string, string> = { 'sts:Externalid': VMIE_EXTERNAL_ID };
  const condition: Record<string, Record<string, string>> = { StringEquals: stringEquals };
  if (options.accountId !== undefined) {
    stringEquals['aws:SourceAccount'] = options.accountId;
    condition.ArnLike = { 'aws:SourceArn': `arn:${options.partition ?? 'aws'}:vmie:*:${options.accountId}:*` };
  }
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: VMIE_SERVICE_PRINCIPAL }, Action: 'sts:AssumeRole', Condition: condition }],
  };
}

/** The ARNs of a bucket and of every object in it. */
export function bucketArns(bucket: string, partition = 'aws'): [string, string] {
  return [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/*`];
}

/**
 * The `vmimport` permission policy of the VM Import/Export user guide, scoped to exactly the buckets in use:
 * the read set on import buckets, the read and write set on export buckets (a bucket used for both appears once,
 * with the write set), the documented EC2 statement, and a KMS statement only for the given keys.
 * Buckets are de-duplicated and keep their order.
 */
export function vmimportPermissionPolicy(options: PermissionPolicyOptions = {}): PolicyDocument {
  const partition = options.partition ?? 'aws';
  const exportBuckets = unique(options.exportBuckets ?? []);
  const importBuckets = unique(options.importBuckets ?? []).filter((b) => !exportBuckets.includes(b));
  const statements: PolicyStatement[] = [];
  if (importBuckets.length > 0) {
    statements.push({ Effect: 'Allow', Action: [...IMPORT_BUCKET_ACTIONS], Resource: importBuckets.flatMap((b) => bucketArns(b, partition)) });
  }
  if (exportBuckets.length > 0) {
    statements.push({ Effect: 'Allow', Action: [...EXPORT_BUCKET_ACTIONS], Resource: exportBuckets.flatMap((b) => bucketArns(b, partition)) });
  }
  statements.push({ Effect: 'Allow', Action: [...ROLE_EC2_ACTIONS], Resource: '*' });
  const keys = unique(options.kmsKeyArns ?? []);
  if (keys.length > 0) statements.push({ Effect: 'Allow', Action: [...ROLE_KMS_ACTIONS], Resource: keys });
  return { Version: '2012-10-17', Statement: statements };
}

/** Options of {@link awsRoleDocuments} beyond the role spec. */
export interface AwsRoleDocumentOptions {
  /** Account id when the spec has none (the connection's). @default - none: no confused-deputy conditions */
  readonly accountId?: string;
  /** Region, for the ARN partition. @default - the `aws` partition */
  readonly region?: string;
}

/**
 * The exact documents of an AWS VM Import/Export service role: trust policy and one inline policy (named
 * `spec.policyName`, else the role name, as in the user guide's `put-role-policy --policy-name vmimport`).
 */
export function awsRoleDocuments(spec: ServiceRoleSpec, options: AwsRoleDocumentOptions = {}): RoleDocuments {
  const roleName = spec.roleName ?? 'vmimport';
  const partition = partitionOfRegion(options.region);
  const accountId = spec.accountId ?? options.accountId;
  const wantExport = spec.purpose !== 'import';
  const wantImport = spec.purpose !== 'export';
  return {
    roleName,
    trustPolicy: toRecord(vmimportTrustPolicy({ accountId, partition })),
    policies: [
      {
        name: spec.policyName ?? roleName,
        document: toRecord(
          vmimportPermissionPolicy({
            exportBuckets: wantExport ? spec.exportBuckets : [],
            importBuckets: wantImport ? spec.importBuckets : [],
            kmsKeyArns: spec.kmsKeyArns,
            partition,
          }),
        ),
      },
    ],
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function toRecord(document: PolicyDocument): Record<string, unknown> {
  return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
}
