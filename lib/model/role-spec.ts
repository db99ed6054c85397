import { type CloudId } from './cloud';

/** One policy document with its name. */
export interface NamedPolicy {
  /** Policy name (AWS inline policy name, RAM/JD policy name). */
  readonly name: string;
  /** The policy document, as the cloud takes it (parsed JSON). */
  readonly document: Record<string, unknown>;
}

/** The exact documents of a service role: what imageport creates, and what preflight compares against. */
export interface RoleDocuments {
  /** Role name. */
  readonly roleName: string;
  /** Trust (assume-role) policy. */
  readonly trustPolicy: Record<string, unknown>;
  /** Policies created for and attached to the role (AWS inline, RAM/JD custom). */
  readonly policies: readonly NamedPolicy[];
  /** System policies attached by name (Alibaba `AliyunECSImageExportRolePolicy`). @default - none */
  readonly systemPolicies?: readonly string[];
}

/**
 * A service role the cloud assumes for export or import:
 * AWS `vmimport` (or a unique name), Alibaba `AliyunECSImageExportDefaultRole` / `AliyunECSImageImportDefaultRole`,
 * the JD Cloud service role trusted by the cloud-disk service.
 */
export interface ServiceRoleSpec {
  /** The cloud. */
  readonly cloud: CloudId;
  /** What the role is for. AWS's `vmimport` serves both; Alibaba has one role per purpose; JD documents export. */
  readonly purpose: 'export' | 'import' | 'both';
  /**
   * Role name.
   * @default - `vmimport` (AWS), `AliyunECSImageExportDefaultRole` / `AliyunECSImageImportDefaultRole` (Alibaba),
   * `imageport-export` (JD)
   */
  readonly roleName?: string;
  /** Buckets the role may write exports into. Policies are scoped to exactly these. @default - none */
  readonly exportBuckets?: readonly string[];
  /** Buckets the role may read imports from. @default - none */
  readonly importBuckets?: readonly string[];
  /** KMS keys (ARNs) the role may use for encrypted imports (AWS). @default - none */
  readonly kmsKeyArns?: readonly string[];
  /**
   * Alibaba only: attach the system policy (`system`, the documented default) or a custom policy scoped to the
   * buckets (`scoped`).
   * @default system
   */
  readonly policyMode?: 'system' | 'scoped';
  /** Name of the policy imageport creates. @default - derived from the role name */
  readonly policyName?: string;
  /** JD only: the trust document, since JD does not publish the service principal's exact form. @default - see the JD driver */
  readonly trustPolicy?: Record<string, unknown>;
  /** Account id, for JD JRNs and AWS confused-deputy conditions. @default - discovered */
  readonly accountId?: string;
}

/** What ensuring a role did. */
export interface RoleOutcome {
  /** Role name. */
  readonly roleName: string;
  /** Role ARN / JRN. @default - unknown */
  readonly arn?: string;
  /** True when the role did not exist and was created. */
  readonly created: boolean;
  /** True when an existing role's documents were brought in line. */
  readonly updated: boolean;
}

/** A destination (or source) bucket. */
export interface BucketSpec {
  /** The cloud. */
  readonly cloud: CloudId;
  /** The region. */
  readonly region: string;
  /** Bucket name. */
  readonly name: string;
  /** Lifecycle of exported objects. @default - kept forever */
  readonly lifecycle?: {
    /** Delete objects this many days after creation. @default - never */
    readonly expireAfterDays?: number;
    /** Move objects to colder storage after this many days. @default - never */
    readonly transitionAfterDays?: number;
    /** Storage class to move to (`GLACIER`, `Archive`). @default - the cloud's archive class */
    readonly transitionStorageClass?: string;
  };
  /** Key prefix the lifecycle applies to. @default - the whole bucket */
  readonly lifecyclePrefix?: string;
}

/** What ensuring a bucket did. */
export interface BucketOutcome {
  /** Bucket name. */
  readonly name: string;
  /** True when the bucket did not exist and was created. */
  readonly created: boolean;
}
