import * as pulumi from '@pulumi/pulumi';
import { jdRoleDocuments } from '../../lib/clouds/jdcloud/role-documents';
import { type EndpointArgs } from '../common/task-args';
import { Policy } from './policy';
import { RolePolicyAttachment } from './role-policy-attachment';
import { ServiceRole } from './service-role';

/** Arguments of a JD Cloud {@link ImageExportRole}. */
export interface ImageExportRoleArgs extends EndpointArgs {
  /** Role name. @default "imageport-export" */
  readonly roleName?: string;
  /** Buckets exports are written to: the export guide's policy, on exactly these buckets. @default - none */
  readonly exportBuckets?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Account id for the policy's JRNs (`jrn:oss:*:<account>:<bucket>/*`, the export guide's form).
   * @default - `*` in the account segment (the form of JD's OSS IAM-policy page)
   */
  readonly accountId?: pulumi.Input<string>;
  /** Name of the policy. @default - `<roleName>-policy` */
  readonly policyName?: string;
  /**
   * The trust document. JD does not publish the JSON form of a service principal: the core's default trusts the
   * cloud-disk service (`{"Service":["disk"]}`); accounts whose console writes another form pass it here.
   * @default - the core's `defaultJdTrustPolicy()`
   */
  readonly trustPolicy?: pulumi.Input<Record<string, unknown>>;
  /** Description of the role. @default "imageport: lets the JD cloud-disk service write image exports" */
  readonly description?: pulumi.Input<string>;
}

/**
 * The JD Cloud export service role: type `imageport:jdcloud:ImageExportRole`. A {@link ServiceRole} trusted by the
 * cloud-disk service, a {@link Policy} with the export guide's actions on exactly `exportBuckets`, and the
 * {@link RolePolicyAttachment} joining them, each a dynamic resource. Documents come from the core
 * (`lib/clouds/jdcloud/role-documents.ts`), the same ones preflight checks against.
 */
export class ImageExportRole extends pulumi.ComponentResource {
  /** The role's name: pass it as `roleName` to `ImageExport` (exportImage requires one). */
  public readonly roleName: pulumi.Output<string>;
  /** The role's JRN. */
  public readonly roleJrn: pulumi.Output<string>;
  /** The service role. */
  public readonly role: ServiceRole;
  /** The export policy. */
  public readonly policy: Policy;
  /** The attachment. */
  public readonly attachment: RolePolicyAttachment;

  /**
   * @param name logical name
   * @param args role name, buckets, account, trust document
   * @param opts resource options
   */
  constructor(name: string, args: ImageExportRoleArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:jdcloud:ImageExportRole', name, {}, opts);
    const documents = pulumi
      .all([args.exportBuckets ?? [], args.accountId, args.trustPolicy])
      .apply(([exportBuckets, accountId, trustPolicy]) =>
        jdRoleDocuments({
          cloud: 'jdcloud',
          purpose: 'export',
          roleName: args.roleName,
          policyName: args.policyName,
          exportBuckets,
          accountId,
          ...(trustPolicy ? { trustPolicy } : {}),
        }),
      );
    const names = jdRoleDocuments({ cloud: 'jdcloud', purpose: 'export', roleName: args.roleName, policyName: args.policyName });
    this.role = new ServiceRole(
      name,
      {
        roleName: names.roleName,
        trustPolicy: documents.apply((d) => JSON.stringify(d.trustPolicy)),
        description: args.description ?? 'imageport: lets the JD cloud-disk service write image exports',
        endpoints: args.endpoints,
      },
      { parent: this },
    );
    this.policy = new Policy(
      `${name}-policy`,
      { policyName: names.policies[0].name, document: documents.apply((d) => JSON.stringify(d.policies[0].document)), endpoints: args.endpoints },
      { parent: this },
    );
    this.attachment = new RolePolicyAttachment(
      `${name}-attachment`,
      { roleName: this.role.roleName, policyName: this.policy.policyName, endpoints: args.endpoints },
      { parent: this },
    );
    this.roleName = pulumi.all([this.role.roleName, this.attachment.id]).apply(([roleName]) => roleName);
    this.roleJrn = this.role.jrn;
    this.registerOutputs({ roleName: this.roleName, roleJrn: this.roleJrn });
  }
}
