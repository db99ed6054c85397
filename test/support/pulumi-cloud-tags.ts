import * as OpenApi from '@alicloud/openapi-core';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import { DescribeExportImageTasksCommand, DescribeImagesCommand, DescribeImportImageTasksCommand, EC2Client, type Tag } from '@aws-sdk/client-ec2';
import { type Emulator } from '../../emulator';

function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

function ec2Of(emulator: Emulator, region: string): EC2Client {
  return new EC2Client({ region, endpoint: emulator.endpoints.aws.ec2, credentials: emulator.credentials.aws, maxAttempts: 1 });
}

/**
 * The tags an AWS export or import task carries, read with the EC2 SDK (DescribeExportImageTasks /
 * DescribeImportImageTasks), as a map: what the cloud holds, not what imageport believes.
 */
export async function awsTaskTags(emulator: Emulator, kind: 'export' | 'import', taskId: string, region = 'us-east-1'): Promise<Record<string, string>> {
  const ec2 = ec2Of(emulator, region);
  try {
    if (kind === 'export') {
      const out = await ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [taskId] }));
      return tagMap(out.ExportImageTasks?.[0]?.Tags);
    }
    const out = await ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [taskId] }));
    return tagMap(out.ImportImageTasks?.[0]?.Tags);
  } finally {
    ec2.destroy();
  }
}

/** The tags of an AMI (DescribeImages). */
export async function awsImageTags(emulator: Emulator, imageId: string, region = 'us-east-1'): Promise<Record<string, string>> {
  const ec2 = ec2Of(emulator, region);
  try {
    const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    return tagMap(out.Images?.[0]?.Tags);
  } finally {
    ec2.destroy();
  }
}

/** The tags of an ECS image (DescribeImages with every status), read with the ECS SDK. */
export async function alicloudImageTags(emulator: Emulator, imageId: string, region = 'cn-hangzhou'): Promise<Record<string, string>> {
  const url = new URL(emulator.endpoints.alicloud.ecs);
  const ecs = new Ecs(
    new OpenApi.$OpenApiUtil.Config({
      accessKeyId: emulator.credentials.alicloud.accessKeyId,
      accessKeySecret: emulator.credentials.alicloud.secretAccessKey,
      regionId: region,
      endpoint: url.host,
      protocol: url.protocol.replace(':', ''),
      connectTimeout: 60_000,
      readTimeout: 60_000,
    }),
  );
  const out = await ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: region, imageId, status: 'Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated' }));
  const image = out.body?.images?.image?.find((candidate) => candidate.imageId === imageId);
  return Object.fromEntries((image?.tags?.tag ?? []).map((tag) => [tag.tagKey ?? '', tag.tagValue ?? '']));
}
