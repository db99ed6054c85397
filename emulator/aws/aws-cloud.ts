import { join } from 'node:path';
import { type CloudContext, type CloudModule, type StartedCloud } from '../core/cloud-module';
import { startHttpService, type RunningService } from '../core/http-service';
import { S3ObjectStore, type ObjectStoreState } from '../core/object-store/s3-object-store';
import { type RoleSnapshotJson } from '../types';
import { loadAwsCatalog } from './aws-catalog';
import { AWS_ACCOUNT_ID, AWS_CREDENTIALS, AWS_RESTRICTED_CREDENTIALS } from './aws-identity';
import { ec2ServiceSpec, settleEc2 } from './ec2/ec2-service';
import { emptyEc2State, type Ec2State } from './ec2/ec2-state';
import { Ec2World } from './ec2/ec2-world';
import { exportTaskSnapshot } from './ec2/export-image';
import { importTaskSnapshot } from './ec2/import-image';
import { iamServiceSpec } from './iam/iam-service';
import { IamDirectory, type IamState } from './iam/iam-state';
import { queryServiceHandler } from './query-service';
import { stsServiceSpec } from './sts/sts-service';

/** Default concurrent conversion tasks per region (VM Import/Export's documented default). */
export const DEFAULT_AWS_CONCURRENT_TASKS = 5;

/** The emulated AWS: EC2 (VM Import/Export, images), IAM, STS and S3, each on its own port. */
export const awsCloud: CloudModule = {
  id: 'aws',
  async start(context: CloudContext): Promise<StartedCloud> {
    const catalog = loadAwsCatalog(context.catalogDir);
    const markDirty = () => context.state.markDirty();
    const iamState = context.state.section<IamState>('aws.iam', () => ({ roles: {}, policies: {} }));
    const ec2State = context.state.section<Ec2State>('aws.ec2', emptyEc2State);
    const s3State = context.state.section<ObjectStoreState>('aws.s3', () => ({ buckets: {} }));
    const directory = new IamDirectory(iamState, catalog.managedPolicies);
    const services: RunningService[] = [];
    let world: Ec2World | undefined;
    const objects = await S3ObjectStore.start({
      cloud: 'aws',
      host: context.host,
      directory: join(context.dataDir, 's3'),
      state: s3State,
      markDirty,
      credentials: AWS_CREDENTIALS,
      readOnlyCredentials: AWS_RESTRICTED_CREDENTIALS,
      account: AWS_ACCOUNT_ID,
      regions: catalog.regions,
      faults: context.faults,
      beforeRequest: () => world && settleEc2(world),
    });
    try {
      world = new Ec2World({
        catalog,
        state: ec2State,
        iam: directory,
        objects,
        clock: context.clock,
        markDirty,
        concurrentTaskQuota: context.quotas.awsConcurrentTasks ?? DEFAULT_AWS_CONCURRENT_TASKS,
        exportDurationMs: context.exportDurationMs,
      });
      const options = { host: context.host, faults: context.faults };
      const ec2 = await startHttpService(queryServiceHandler(ec2ServiceSpec(world)), options);
      services.push(ec2);
      const iam = await startHttpService(queryServiceHandler(iamServiceSpec({ state: iamState, directory, clock: context.clock, markDirty })), options);
      services.push(iam);
      const sts = await startHttpService(queryServiceHandler(stsServiceSpec()), options);
      services.push(sts);
      const ready = world;
      return {
        id: 'aws',
        endpoints: { ec2: ec2.url, iam: iam.url, s3: objects.url, sts: sts.url },
        regions: catalog.regions,
        credentials: AWS_CREDENTIALS,
        restrictedCredentials: AWS_RESTRICTED_CREDENTIALS,
        account: AWS_ACCOUNT_ID,
        env: {
          AWS_ENDPOINT_URL_EC2: ec2.url,
          AWS_ENDPOINT_URL_IAM: iam.url,
          AWS_ENDPOINT_URL_S3: objects.url,
          AWS_ENDPOINT_URL_STS: sts.url,
          AWS_ACCESS_KEY_ID: AWS_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: AWS_CREDENTIALS.secretAccessKey,
          AWS_REGION: catalog.regions.default,
        },
        settle: () => settleEc2(ready),
        inspect: () => {
          settleEc2(ready);
          const now = context.clock.now();
          return {
            tasks: [
              ...Object.values(ec2State.exportTasks).map((task) => exportTaskSnapshot(task, now)),
              ...Object.values(ec2State.importTasks).map((task) => importTaskSnapshot(task, now)),
            ].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)),
            roles: directory.roles().map((role): RoleSnapshotJson => ({
              cloud: 'aws',
              name: role.name,
              arn: role.arn,
              trustPolicy: parseOrText(role.assumeRolePolicyDocument),
              inlinePolicies: Object.fromEntries(Object.entries(role.inlinePolicies).map(([name, text]) => [name, parseOrText(text)])),
              attachedPolicies: [...role.attachedPolicyArns],
            })),
            images: ready.regions.flatMap((region) =>
              ready.images(region).map((image) => ({
                cloud: 'aws',
                region,
                id: image.id,
                name: image.name,
                state: image.state,
                owner: image.owner,
                source: 'source' in image ? ('import' as const) : ('catalog' as const),
              })),
            ),
            buckets: objects.inspect(),
          };
        },
        stop: async () => {
          for (const service of services) await service.close();
          await objects.close();
        },
      };
    } catch (error) {
      for (const service of services) await service.close();
      await objects.close();
      throw error;
    }
  },
};

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
