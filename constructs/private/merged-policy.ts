import * as iam from 'aws-cdk-lib/aws-iam';
import { type Construct } from 'constructs';

/**
 * One IAM policy that many constructs add grants to, merged as they come: one statement per set of actions, whose
 * resources are the union of every grant of those actions. The role's permissions are exactly those of one policy
 * per grant, in a fraction of the template (and of the role's 10,240-character inline-policy budget).
 */
export class MergedPolicy {
  /** The policy resource. */
  public readonly policy: iam.Policy;
  private readonly statements = new Map<string, { readonly statement: iam.PolicyStatement; readonly resources: Set<string> }>();

  /**
   * @param scope scope of the policy
   * @param id id of the policy
   * @param role the role the policy is attached to
   */
  constructor(scope: Construct, id: string, role: iam.IRole) {
    this.policy = new iam.Policy(scope, id, { roles: [role] });
  }

  /**
   * Allows `actions` on `resources`, in the statement of exactly these actions.
   * @param actions the actions, in the order they should be listed
   * @param resources resource ARNs (tokens allowed)
   */
  public allow(actions: readonly string[], resources: readonly string[]): void {
    const key = actions.join(' ');
    let entry = this.statements.get(key);
    if (!entry) {
      entry = { statement: new iam.PolicyStatement({ actions: [...actions] }), resources: new Set() };
      this.statements.set(key, entry);
      this.policy.addStatements(entry.statement);
    }
    for (const resource of resources) {
      if (entry.resources.has(resource)) continue;
      entry.resources.add(resource);
      entry.statement.addResources(resource);
    }
  }
}
