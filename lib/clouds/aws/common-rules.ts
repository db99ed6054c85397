import { type IssueCollector } from './issue-collector';
import { checkClientToken, checkRegion, checkRoleName, checkTags } from './name-rules';

/** A spec as it may arrive from YAML or Pulumi: any field, any type. */
export type UntypedSpec = Readonly<Record<string, unknown>>;

/** Fields of other clouds' specs that AWS has no parameter for, with the cloud(s) that have them. */
export interface ForeignField {
  /** Field name. */
  readonly field: string;
  /** Which cloud has it, for the message. */
  readonly owner: string;
}

/**
 * Checks the fields exports and imports share: `cloud`, `region`, `roleName`, `tags`, `clientToken`, `dryRun`,
 * and the fields AWS does not have.
 */
export function checkCommonFields(issues: IssueCollector, spec: UntypedSpec, operation: string, foreign: readonly ForeignField[]): void {
  const cloud = issues.string('cloud', spec.cloud);
  if (cloud !== undefined && cloud !== 'aws') {
    issues.add({ field: 'cloud', value: cloud, rule: 'must be "aws" for the AWS rules', code: 'cloud.mismatch', allowed: ['aws'] });
  }
  const region = issues.string('region', spec.region, true);
  if (region !== undefined) checkRegion(issues, 'region', region);
  const roleName = issues.string('roleName', spec.roleName);
  if (roleName !== undefined) checkRoleName(issues, 'roleName', roleName);
  checkTags(issues, 'tags', spec.tags);
  const token = issues.string('clientToken', spec.clientToken);
  if (token !== undefined) checkClientToken(issues, 'clientToken', token);
  issues.boolean('dryRun', spec.dryRun);
  for (const { field, owner } of foreign) {
    if (spec[field] === undefined) continue;
    issues.add({
      field,
      value: spec[field],
      rule: `is not supported on AWS: ${operation} has no such parameter (it is a ${owner} field)`,
      code: 'field.unsupported',
    });
  }
}
