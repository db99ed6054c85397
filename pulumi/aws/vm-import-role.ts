import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { awsRoleDocuments } from '../../lib/clouds/aws/role-documents';
import { AWS_DEFAULT_ROLE_NAME } from '../../lib/clouds/aws/rules';

/** Arguments of a {@link VmImportRole}. */
export interface VmImportRoleArgs {
  /**
   * Name of the role. `vmimport` is the name ExportImage and ImportImage use when given none; two stacks of one
   * account cannot both create it, so pass a unique name (and the same name to the exports) when that can happen.
   * @default "vmimport"
   */
  readonly roleName?: string;
  /** Buckets exports are written to: the documented export permissions, on exactly these buckets. @default - none */
  readonly exportBuckets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Buckets imports are read from: the documented import permissions, on exactly these buckets. @default - none */
  readonly importBuckets?: pulumi.Input<pulumi.Input<string>[]>;
  /** KMS key ARNs imports may encrypt with (the documented KMS statement, on these keys only). @default - none */
  readonly kmsKeyArns?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Account id: adds the confused-deputy conditions AWS publishes for this role (`aws:SourceAccount`, and
   * `aws:SourceArn` of VM Import/Export in this account).
   * @default - no confused-deputy conditions
   */
  readonly accountId?: pulumi.Input<string>;
  /** Region, for the ARN partition (`aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`). @default - the `aws` partition */
  readonly region?: string;
  /** Name of the inline policy. @default - the role name (as in the user guide's `put-role-policy --policy-name vmimport`) */
  readonly policyName?: string;
  /** Description of the role. @default "VM Import/Export service role (imageport)" */
  readonly description?: pulumi.Input<string>;
  /** Tags of the role. @default - none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The VM Import/Export service role: type `imageport:aws:VmImportRole`. An `aws.iam.Role` with the exact trust
 * policy of the VM Import/Export user guide (`vmie.amazonaws.com`, external id `vmimport`) and one inline
 * `aws.iam.RolePolicy` scoped to exactly the buckets given. Both documents come from the core
 * (`lib/clouds/aws/role-documents.ts`), the same ones preflight checks a role against.
 */
export class VmImportRole extends pulumi.ComponentResource {
  /** The role's name: pass it as `roleName` to `ImageExport` and `ImageImport`. */
  public readonly roleName: pulumi.Output<string>;
  /** The role's ARN. */
  public readonly roleArn: pulumi.Output<string>;
  /** The IAM role. */
  public readonly role: aws.iam.Role;
  /** Its inline permission policy. */
  public readonly policy: aws.iam.RolePolicy;

  /**
   * @param name logical name
   * @param args role name, buckets, keys
   * @param opts resource options
   */
  constructor(name: string, args: VmImportRoleArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:aws:VmImportRole', name, {}, opts);
    const roleName = args.roleName ?? AWS_DEFAULT_ROLE_NAME;
    const documents = pulumi
      .all([args.exportBuckets ?? [], args.importBuckets ?? [], args.kmsKeyArns ?? [], args.accountId])
      .apply(([exportBuckets, importBuckets, kmsKeyArns, accountId]) =>
        awsRoleDocuments(
          { cloud: 'aws', purpose: 'both', roleName, exportBuckets, importBuckets, kmsKeyArns, accountId, policyName: args.policyName },
          { region: args.region },
        ),
      );
    this.role = new aws.iam.Role(
      name,
      {
        name: roleName,
        assumeRolePolicy: documents.apply((d) => JSON.stringify(d.trustPolicy)),
        description: args.description ?? 'VM Import/Export service role (imageport)',
        tags: args.tags,
      },
      { parent: this },
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.name,
        name: documents.apply((d) => d.policies[0].name),
        policy: documents.apply((d) => JSON.stringify(d.policies[0].document)),
      },
      { parent: this },
    );
    this.roleName = this.role.name;
    this.roleArn = this.role.arn;
    this.registerOutputs({ roleName: this.roleName, roleArn: this.roleArn });
  }
}
