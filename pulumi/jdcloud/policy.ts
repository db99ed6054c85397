import * as pulumi from '@pulumi/pulumi';
import { type EndpointArgs } from '../common/task-args';
import { forwardingProvider } from '../provider/forwarding-provider';

/** Arguments of a JD Cloud {@link Policy}. */
export interface PolicyArgs extends EndpointArgs {
  /** Policy name: 4-64 letters, digits, `-` and `_`, starting with a letter. */
  readonly policyName: pulumi.Input<string>;
  /** The policy document (`Version "3"`), as JSON text, at most 6144 characters. Changes update in place. */
  readonly document: pulumi.Input<string>;
  /** Description, at most 256 characters. A change replaces the policy. @default - none */
  readonly description?: pulumi.Input<string>;
}

/**
 * A JD Cloud IAM custom policy: dynamic resource `pulumi-nodejs:dynamic/imageport/jdcloud:Policy`. Id: the policy
 * name. A new document updates in place; a new name or description replaces.
 */
export class Policy extends pulumi.dynamic.Resource {
  /** The policy name. */
  declare public readonly policyName: pulumi.Output<string>;
  /** The document, JSON text. */
  declare public readonly document: pulumi.Output<string>;
  /** The policy's JRN. */
  declare public readonly jrn: pulumi.Output<string>;

  /**
   * @param name logical name
   * @param args name, document, description
   * @param opts resource options
   */
  constructor(name: string, args: PolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwardingProvider('jdcloud-policy'), name, { ...args, jrn: undefined, policyId: undefined }, opts, 'imageport/jdcloud', 'Policy');
  }
}
