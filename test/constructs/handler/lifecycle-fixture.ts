/**
 * What the CloudFormation lifecycle tests share: the emulator in virtual time with `AWS_ENDPOINT_URL_*` pointing at
 * it (as the handler Lambda's environment would), a VM Import/Export role and a bucket, the handler bundle, and
 * aws-cdk-lib's Provider framework runtime around it ({@link CloudFormationSimulator}).
 */
import { rmSync } from 'node:fs';
import {
  DescribeExportImageTasksCommand,
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Tag,
} from '@aws-sdk/client-ec2';
import { startEmulator, type Emulator } from '../../../emulator';
import { createAwsDriver } from '../../../lib/clouds/aws';
import { type CloudDriver } from '../../../lib/clouds/cloud-driver';
import { type TaskKind } from '../../../lib/model/task';
import { VirtualClock } from '../../../lib/wait';
import { buildHandlerBundle, type HandlerBundle } from '../support/handler-bundle';
import { startStepFunctionsStandIn, type LocalEndpoint, type StartedExecution } from '../support/local-endpoints';
import { CloudFormationSimulator } from './cloudformation-simulator';

/** The golden AMI of the emulator's catalog (us-east-1). */
export const GOLDEN = 'ami-0600d000000000001';
/** A snapshot of the catalog an import can read (us-east-1). */
export const SOURCE_SNAPSHOT = 'snap-0600d00000000a001';
/** The bucket exports go to and bucket imports read from. */
export const BUCKET = 'cdk-exports';
/** The VM Import/Export role. */
export const ROLE = 'imageport-cdk-vmimport';
/** The long-wait poller's state machine (its ARN is all the handler needs). */
export const POLLER_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:imageport-poller';

/** Everything a lifecycle test uses. */
export interface Lifecycle {
  readonly emulator: Emulator;
  readonly clock: VirtualClock;
  readonly region: string;
  /** The core driver, for checks the handler does not make. */
  readonly driver: CloudDriver;
  /** The AWS SDK straight at the emulator, for what the driver does not expose (tags). */
  readonly ec2: EC2Client;
  readonly bundle: HandlerBundle;
  readonly cfn: CloudFormationSimulator;
  /** Step Functions stand-in the long-wait path starts its poller on. */
  readonly stepFunctions: LocalEndpoint<StartedExecution>;
  /** Stops everything and removes the bundle. */
  close(): Promise<void>;
}

/** Starts the emulator, sets the Lambda environment, builds the bundle and the simulator. */
export async function startLifecycle(): Promise<Lifecycle> {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const emulator = await startEmulator({ clock });
  const stepFunctions = await startStepFunctionsStandIn();
  const region = emulator.regions.aws.default;
  Object.assign(process.env, {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: emulator.credentials.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.credentials.aws.secretAccessKey,
    AWS_ENDPOINT_URL_EC2: emulator.endpoints.aws.ec2,
    AWS_ENDPOINT_URL_IAM: emulator.endpoints.aws.iam,
    AWS_ENDPOINT_URL_S3: emulator.endpoints.aws.s3,
    AWS_ENDPOINT_URL_STS: emulator.endpoints.aws.sts,
    AWS_ENDPOINT_URL_SFN: stepFunctions.url,
    IMAGEPORT_IS_COMPLETE_BUDGET_MS: '0',
    IMAGEPORT_POLLER_ARN: POLLER_ARN,
  });
  const driver = createAwsDriver({ region, endpoints: { ...emulator.endpoints.aws }, credentials: emulator.credentials.aws });
  await driver.ensureRole({ cloud: 'aws', purpose: 'both', roleName: ROLE, exportBuckets: [BUCKET], importBuckets: [BUCKET] });
  await driver.ensureBucket({ cloud: 'aws', region, name: BUCKET });
  const ec2 = new EC2Client({ region, endpoint: emulator.endpoints.aws.ec2, credentials: emulator.credentials.aws });
  const bundle = buildHandlerBundle();
  const cfn = new CloudFormationSimulator(bundle, clock);
  return {
    emulator,
    clock,
    region,
    driver,
    ec2,
    bundle,
    cfn,
    stepFunctions,
    close: async () => {
      ec2.destroy();
      await stepFunctions.close();
      await emulator.stop();
      rmSync(bundle.dir, { recursive: true, force: true });
    },
  };
}

/** The tags EC2 reports for a task (`tagSet` of Describe{Export,Import}ImageTasks), as a map, `imageport:*` included. */
export async function taskTags(lifecycle: Lifecycle, kind: TaskKind, taskId: string): Promise<Record<string, string>> {
  const tags =
    kind === 'export'
      ? (await lifecycle.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [taskId] }))).ExportImageTasks?.[0]?.Tags
      : (await lifecycle.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [taskId] }))).ImportImageTasks?.[0]?.Tags;
  return tagMap(tags);
}

/** An AMI as DescribeImages reports it, or `undefined` when EC2 no longer knows it. */
export async function describeImage(lifecycle: Lifecycle, imageId: string): Promise<{ state?: string; tags: Record<string, string>; snapshotIds: string[] } | undefined> {
  try {
    const image = (await lifecycle.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0];
    if (!image) return undefined;
    const snapshotIds = (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
    return { state: image.State, tags: tagMap(image.Tags), snapshotIds };
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidAMIID.NotFound') return undefined;
    throw error;
  }
}

/** True when EC2 still knows a snapshot. */
export async function snapshotExists(lifecycle: Lifecycle, snapshotId: string): Promise<boolean> {
  try {
    return ((await lifecycle.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots ?? []).length > 0;
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidSnapshot.NotFound') return false;
    throw error;
  }
}

/** The user's tags: without the driver's own `imageport:*` tags. */
export function userTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('imageport:')));
}

function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}
