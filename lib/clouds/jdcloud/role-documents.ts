import { type RoleDocuments, type ServiceRoleSpec } from '../../model/role-spec';

/** Default name of the JD export service role. */
export const JD_DEFAULT_EXPORT_ROLE = 'imageport-export';

/** Service code of JD's cloud-disk service (云硬盘), the service trusted by the export role. */
export const JD_DISK_SERVICE_CODE = 'disk';

/** Object actions the JD export guide grants on the bucket, in its order. */
export const JD_EXPORT_OBJECT_ACTIONS = [
  'oss:GetObject',
  'oss:AbortMultipartUpload',
  'oss:PutObject',
  'oss:ListMultipartUploadParts',
] as const;

/**
 * The default trust document of the export role.
 *
 * JD does not publish the JSON form of a service principal (reference §4.3: UNCONFIRMED). This default follows the
 * only documented trust-policy example (`Version "3"`, `Action "sts:assumeRole"`, `Resource "*"`) with the
 * cloud-disk service's documented service code as a `Service` principal:
 * `{"Version":"3","Statement":[{"Effect":"Allow","Principal":{"Service":["disk"]},"Action":"sts:assumeRole","Resource":"*"}]}`.
 * Accounts whose console writes a different form should create the role once in the console, read it back with
 * `describeRole`, and pass that document as `ServiceRoleSpec.trustPolicy`.
 */
export function defaultJdTrustPolicy(): Record<string, unknown> {
  return {
    Version: '3',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: [JD_DISK_SERVICE_CODE] },
        Action: 'sts:assumeRole',
        Resource: '*',
      },
    ],
  };
}

/** JRN of every object of a bucket, in the account-scoped form of the JD export guide: `jrn:oss:*:<account>:<bucket>/*`. */
export function jdBucketObjectsJrn(bucket: string, accountId: string | undefined): string {
  return `jrn:oss:*:${accountId ?? '*'}:${bucket}/*`;
}

/**
 * The export policy exactly as the JD export guide writes it: `oss:ListAllMyBuckets` on `*`, and the four object
 * actions on `jrn:oss:*:<account>:<bucket>/*` for every bucket in use (sorted, de-duplicated). Without an account
 * id the account segment is `*` (the form of JD's OSS IAM-policy page).
 */
export function jdExportPolicyDocument(buckets: readonly string[], accountId: string | undefined): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [{ Effect: 'Allow', Action: ['oss:ListAllMyBuckets'], Resource: ['*'] }];
  const unique = [...new Set(buckets)].sort();
  if (unique.length > 0) {
    statements.push({
      Effect: 'Allow',
      Action: [...JD_EXPORT_OBJECT_ACTIONS],
      Resource: unique.map((bucket) => jdBucketObjectsJrn(bucket, accountId)),
    });
  }
  return { Version: '3', Statement: statements };
}

/** Role name of a spec (`imageport-export` by default). */
export function jdRoleName(spec: ServiceRoleSpec): string {
  return spec.roleName ?? JD_DEFAULT_EXPORT_ROLE;
}

/** Policy name of a spec: `policyName`, else `<roleName>-policy` (the guide's `image-export` / `image-export-policy`), at most 64. */
export function jdPolicyName(spec: ServiceRoleSpec): string {
  return spec.policyName ?? `${jdRoleName(spec).slice(0, 57)}-policy`;
}

/**
 * The exact documents of the JD export role: the trust document (`spec.trustPolicy` or {@link defaultJdTrustPolicy})
 * and one custom policy scoped to `exportBuckets`. JD's importImage takes no role, so `importBuckets` adds nothing.
 *
 * @param spec the role
 * @param fallbackAccountId account id when the spec has none (the connection's, or one discovered from the role)
 */
export function jdRoleDocuments(spec: ServiceRoleSpec, fallbackAccountId?: string): RoleDocuments {
  const accountId = spec.accountId ?? fallbackAccountId;
  return {
    roleName: jdRoleName(spec),
    trustPolicy: spec.trustPolicy ?? defaultJdTrustPolicy(),
    policies: [{ name: jdPolicyName(spec), document: jdExportPolicyDocument(spec.exportBuckets ?? [], accountId) }],
  };
}
