import * as pulumi from '@pulumi/pulumi';
import { type EndpointArgs } from '../common/task-args';
import { forwardingProvider } from '../provider/forwarding-provider';

/** Arguments of a JD Cloud {@link ServiceRole}. */
export interface ServiceRoleArgs extends EndpointArgs {
  /** Role name: 4-64 letters, digits, `-` and `_`, starting with a letter. */
  readonly roleName: pulumi.Input<string>;
  /** The trust (assume-role) policy, as JSON text. Changes update the role in place. */
  readonly trustPolicy: pulumi.Input<string>;
  /** Description, at most 256 characters. A change replaces the role. @default - none */
  readonly description?: pulumi.Input<string>;
}

/**
 * A JD Cloud IAM service role (type 3): dynamic resource `pulumi-nodejs:dynamic/imageport/jdcloud:ServiceRole`
 * (JD Cloud has no Pulumi provider). Id: the role name. A new trust policy updates in place; a new name or
 * description replaces.
 */
export class ServiceRole extends pulumi.dynamic.Resource {
  /** The role name. */
  declare public readonly roleName: pulumi.Output<string>;
  /** The trust policy, JSON text. */
  declare public readonly trustPolicy: pulumi.Output<string>;
  /** The role's JRN (`jrn:iam::<account>:role/<name>`). */
  declare public readonly jrn: pulumi.Output<string>;

  /**
   * @param name logical name
   * @param args name, trust policy, description
   * @param opts resource options
   */
  constructor(name: string, args: ServiceRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwardingProvider('jdcloud-service-role'), name, { ...args, jrn: undefined, roleId: undefined }, opts, 'imageport/jdcloud', 'ServiceRole');
  }
}
