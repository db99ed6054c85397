import * as pulumi from '@pulumi/pulumi';
import { type EndpointArgs } from '../common/task-args';
import { forwardingProvider } from '../provider/forwarding-provider';

/** Arguments of a JD Cloud {@link RolePolicyAttachment}. */
export interface RolePolicyAttachmentArgs extends EndpointArgs {
  /** The role. */
  readonly roleName: pulumi.Input<string>;
  /** The policy to attach. */
  readonly policyName: pulumi.Input<string>;
}

/**
 * Attaches a JD Cloud IAM policy to a role: dynamic resource
 * `pulumi-nodejs:dynamic/imageport/jdcloud:RolePolicyAttachment`. Id: `<role>:<policy>`. Any change replaces; a
 * refresh that finds the policy detached reports the attachment gone.
 */
export class RolePolicyAttachment extends pulumi.dynamic.Resource {
  /** The role. */
  declare public readonly roleName: pulumi.Output<string>;
  /** The policy. */
  declare public readonly policyName: pulumi.Output<string>;

  /**
   * @param name logical name
   * @param args role and policy
   * @param opts resource options
   */
  constructor(name: string, args: RolePolicyAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwardingProvider('jdcloud-role-policy-attachment'), name, { ...args }, opts, 'imageport/jdcloud', 'RolePolicyAttachment');
  }
}
