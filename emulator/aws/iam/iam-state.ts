import { type CatalogManagedPolicy } from '../aws-catalog';

/** A tag. */
export interface IamTag {
  /** Key. */
  readonly Key: string;
  /** Value. */
  readonly Value: string;
}

/** A role as persisted. */
export interface IamRoleRecord {
  /** Name as created (lookups are case-insensitive, as in IAM). */
  name: string;
  /** Path (`/`). */
  path: string;
  /** `AROA…`. */
  roleId: string;
  /** ARN. */
  arn: string;
  /** Creation time, ISO 8601. */
  createDate: string;
  /** Trust policy text (decoded JSON text, as given). */
  assumeRolePolicyDocument: string;
  /** Description. */
  description?: string;
  /** Maximum session duration, seconds. */
  maxSessionDuration: number;
  /** Permissions boundary ARN. */
  permissionsBoundary?: string;
  /** Tags. */
  tags: IamTag[];
  /** Inline policies: name → document text. */
  inlinePolicies: Record<string, string>;
  /** Attached managed policy ARNs. */
  attachedPolicyArns: string[];
}

/** A customer-managed policy as persisted. */
export interface IamPolicyRecord {
  /** Name. */
  name: string;
  /** Path. */
  path: string;
  /** `ANPA…`. */
  policyId: string;
  /** ARN. */
  arn: string;
  /** Description. */
  description?: string;
  /** Creation time. */
  createDate: string;
  /** Last update. */
  updateDate: string;
  /** Default version id (`v1`). */
  defaultVersionId: string;
  /** Versions: id → document text and time. */
  versions: Record<string, { document: string; createDate: string }>;
  /** Tags. */
  tags: IamTag[];
}

/** The persisted IAM section. */
export interface IamState {
  /** Roles by lower-case name. */
  roles: Record<string, IamRoleRecord>;
  /** Customer-managed policies by ARN. */
  policies: Record<string, IamPolicyRecord>;
}

/** Read access to roles and policies, for services that check a role (EC2's VM Import/Export). */
export class IamDirectory {
  private readonly state: IamState;
  private readonly awsManaged: ReadonlyMap<string, CatalogManagedPolicy>;

  public constructor(state: IamState, awsManaged: readonly CatalogManagedPolicy[]) {
    this.state = state;
    this.awsManaged = new Map(awsManaged.map((policy) => [policy.arn, policy]));
  }

  /** The role named `name` (case-insensitive), if any. */
  public role(name: string): IamRoleRecord | undefined {
    return this.state.roles[name.toLowerCase()];
  }

  /** Every role, sorted by name. */
  public roles(): IamRoleRecord[] {
    return Object.values(this.state.roles).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** A managed policy (customer or AWS) by ARN: its default document text, name and description. */
  public managedPolicy(arn: string): { name: string; document: string; description?: string; aws: boolean } | undefined {
    const custom = this.state.policies[arn];
    if (custom) return { name: custom.name, document: custom.versions[custom.defaultVersionId].document, ...(custom.description ? { description: custom.description } : {}), aws: false };
    const managed = this.awsManaged.get(arn);
    if (managed) return { name: arn.slice(arn.lastIndexOf('/') + 1), document: JSON.stringify(managed.document), description: managed.description, aws: true };
    return undefined;
  }

  /** Parsed permission policies of a role: inline ones and attached managed ones (unparseable text is skipped). */
  public permissionDocuments(role: IamRoleRecord): unknown[] {
    const texts = [
      ...Object.values(role.inlinePolicies),
      ...role.attachedPolicyArns.map((arn) => this.managedPolicy(arn)?.document).filter((text): text is string => text !== undefined),
    ];
    return texts.flatMap((text) => {
      try {
        return [JSON.parse(text) as unknown];
      } catch {
        return [];
      }
    });
  }

  /** How many roles attach a policy. */
  public attachmentCount(arn: string): number {
    return Object.values(this.state.roles).filter((role) => role.attachedPolicyArns.includes(arn)).length;
  }
}
