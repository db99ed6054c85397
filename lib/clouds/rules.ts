import { type CloudId } from '../model/cloud';
import { alicloudRules } from './alicloud/rules';
import { awsRules } from './aws/rules';
import { type CloudRules } from './cloud-rules';
import { jdcloudRules } from './jdcloud/rules';

const RULES: Readonly<Record<CloudId, CloudRules>> = { aws: awsRules, alicloud: alicloudRules, jdcloud: jdcloudRules };

/**
 * A cloud's pure rules (documented limits as functions). Loads no SDK: every rules module imports only the model,
 * so `imageport validate`, synth and preview stay fast.
 */
export function rulesFor(cloud: CloudId): CloudRules {
  return RULES[cloud];
}
