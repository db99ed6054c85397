import { rulesFor } from '../../../lib/clouds/rules';
import { checkPipelineText, type LoadedPipeline } from '../../../lib/pipeline/load-pipeline';
import { formatPipelineIssue } from '../../../lib/pipeline/pipeline-issue';

/** Checks pipeline text with the real cloud rules. */
export function check(text: string, file = 'pipeline.yaml'): LoadedPipeline {
  return checkPipelineText(text, file, { rulesFor });
}

/** The formatted issue lines of a pipeline text. */
export function issueLines(text: string, file = 'pipeline.yaml'): string[] {
  const result = check(text, file);
  return result.issues.map((issue) => formatPipelineIssue(file, issue));
}

/** A valid three-cloud pipeline used as a base by many tests (line numbers matter: tests refer to them). */
export const VALID_PIPELINE = `name: demo
clouds:
  aws:
    region: us-east-1
  alicloud:
    region: cn-hangzhou
  jdcloud:
    region: cn-east-2
roles:
  aws-role:
    cloud: aws
  ali-role:
    cloud: alicloud
  jd-role:
    cloud: jdcloud
    roleName: imageport-export
buckets:
  aws-bucket:
    cloud: aws
    name: demo-aws-exports
  ali-bucket:
    cloud: alicloud
    name: demo-ali-exports
  jd-bucket:
    cloud: jdcloud
    name: demo-jd-exports
exports:
  golden-aws:
    cloud: aws
    imageId: ami-0123456789abcdef0
    format: vmdk
    bucket: aws-bucket
    prefix: exports/
    role: aws-role
  golden-ali:
    cloud: alicloud
    imageId: m-bp1234567890abcdef
    format: qcow2
    bucket: ali-bucket
    role: ali-role
  golden-jd:
    cloud: jdcloud
    imageId: img-abcdefgh
    bucket: jd-bucket
    role: jd-role
`;
