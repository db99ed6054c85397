import * as alicloud from '@pulumi/alicloud';
import * as pulumi from '@pulumi/pulumi';
import { alicloudRoleDocuments } from '../../lib/clouds/alicloud/role-documents';
import { type RoleDocuments } from '../../lib/model/role-spec';

/** Arguments of an Alibaba Cloud ECS image service role ({@link ImageExportRole}, {@link ImageImportRole}). */
export interface ServiceRoleArgs {
  /**
   * Name of the role. ECS looks for the documented default name; ImportImage says that exact name must be used.
   * @default - `AliyunECSImageExportDefaultRole` (export) or `AliyunECSImageImportDefaultRole` (import)
   */
  readonly roleName?: string;
  /**
   * `system` attaches the documented system policy (`AliyunECSImageExportRolePolicy` /
   * `AliyunECSImageImportRolePolicy`), which grants on every bucket; `scoped` creates a custom policy with the same
   * actions on exactly `buckets`.
   * @default "system"
   */
  readonly policyMode?: 'system' | 'scoped';
  /** Buckets the role may use; required with `policyMode: "scoped"`. @default - none */
  readonly buckets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Name of the custom policy (`scoped`). @default - `imageport-<role name>` */
  readonly policyName?: string;
  /** Description of the role. @default - "ECS image export/import service role (imageport)" */
  readonly description?: pulumi.Input<string>;
}

/**
 * The shared implementation of the two ECS image service roles: an `alicloud.ram.Role` with the documented trust
 * policy (`ecs.aliyuncs.com`), and either the system policy attached (`alicloud.ram.RolePolicyAttachment`) or a
 * bucket-scoped `alicloud.ram.Policy` attached. Documents come from the core (`lib/clouds/alicloud/role-documents.ts`).
 */
export abstract class AlicloudServiceRole extends pulumi.ComponentResource {
  /** The role's name: pass it as `roleName` to `ImageExport` / `ImageImport`. */
  public readonly roleName: pulumi.Output<string>;
  /** The role's ARN (`acs:ram::<uid>:role/<name>`). */
  public readonly roleArn: pulumi.Output<string>;
  /** The RAM role. */
  public readonly role: alicloud.ram.Role;
  /** The custom policy (`scoped` mode only). */
  public readonly policy?: alicloud.ram.Policy;
  /** The attachment of the system or custom policy. */
  public readonly attachment: alicloud.ram.RolePolicyAttachment;

  /**
   * @param type type token
   * @param purpose export or import
   * @param name logical name
   * @param args role name, policy mode, buckets
   * @param opts resource options
   * @throws SpecValidationError naming the field when the arguments cannot be served (scoped without buckets)
   */
  protected constructor(
    type: string,
    purpose: 'export' | 'import',
    name: string,
    args: ServiceRoleArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const policyMode = args.policyMode ?? 'system';
    const bucketField = purpose === 'import' ? 'importBuckets' : 'exportBuckets';
    const documentsFor = (buckets: readonly string[] | undefined): RoleDocuments =>
      alicloudRoleDocuments({
        cloud: 'alicloud',
        purpose,
        roleName: args.roleName,
        policyMode,
        policyName: args.policyName,
        [bucketField]: buckets,
      });
    // Role name, trust policy and policy names do not depend on which buckets: build them now, so `scoped` without
    // buckets fails at construction, with the core's message. The bucket-scoped document follows the outputs.
    const fixed = documentsFor(args.buckets === undefined ? [] : ['bucket-named-later']);
    const documents = pulumi.output(args.buckets ?? []).apply((buckets) => documentsFor(buckets));
    const parent = { parent: this };
    this.role = new alicloud.ram.Role(
      name,
      {
        roleName: fixed.roleName,
        assumeRolePolicyDocument: JSON.stringify(fixed.trustPolicy),
        description: args.description ?? `ECS image ${purpose} service role (imageport)`,
      },
      parent,
    );
    if (policyMode === 'scoped') {
      const policy = new alicloud.ram.Policy(
        `${name}-policy`,
        {
          policyName: fixed.policies[0].name,
          policyDocument: documents.apply((d) => JSON.stringify(d.policies[0].document)),
          description: `imageport: ECS image ${purpose} on the named buckets only`,
        },
        parent,
      );
      this.policy = policy;
      this.attachment = new alicloud.ram.RolePolicyAttachment(
        `${name}-attachment`,
        { roleName: this.role.roleName, policyName: policy.policyName, policyType: 'Custom' },
        parent,
      );
    } else {
      this.attachment = new alicloud.ram.RolePolicyAttachment(
        `${name}-attachment`,
        { roleName: this.role.roleName, policyName: (fixed.systemPolicies ?? [])[0], policyType: 'System' },
        parent,
      );
    }
    this.roleName = this.role.roleName;
    this.roleArn = this.role.arn;
    this.registerOutputs({ roleName: this.roleName, roleArn: this.roleArn });
  }
}
