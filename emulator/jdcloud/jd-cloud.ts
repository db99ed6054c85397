import { join } from 'node:path';
import { type CloudContext, type CloudModule, type StartedCloud } from '../core/cloud-module';
import { startHttpService, type RunningService } from '../core/http-service';
import { S3ObjectStore, type ObjectStoreState } from '../core/object-store/s3-object-store';
import { loadJdCatalog } from './jd-catalog';
import { exportTaskSnapshot } from './jd-export';
import { JdIam, emptyJdIamState, type JdIamState } from './jd-iam';
import { JD_ACCOUNT_ID, JD_CREDENTIALS, JD_RESTRICTED_CREDENTIALS, JD_RESTRICTED_SUB_USER } from './jd-identity';
import { importTaskSnapshot } from './jd-import';
import { jdServiceHandler } from './jd-service';
import { handleJdVm, settleJdVm } from './jd-vm-api';
import { emptyJdVmState, type JdVmState } from './jd-vm-state';
import { JdVmWorld } from './jd-vm-world';

/** JD Cloud endpoints of the emulator. */
export interface JdcloudEmulatorEndpoints {
  /** vm OpenAPI (exportImage, importImage, imageTasks, describeImage). */
  readonly vm: string;
  /** IAM OpenAPI (roles, policies). */
  readonly iam: string;
  /** JD OSS over the S3 protocol (path-style). */
  readonly oss: string;
}

declare module '../types' {
  interface EmulatorEndpoints {
    /** JD Cloud services. */
    readonly jdcloud: JdcloudEmulatorEndpoints;
  }
  interface EmulatorRegions {
    /** JD Cloud regions (`cn-east-2` default, `cn-north-1`, …). */
    readonly jdcloud: RegionSet;
  }
  interface EmulatorCredentials {
    /** The JD key pair the emulator accepts (OpenAPI and OSS). */
    readonly jdcloud: AccessKeyPair;
  }
  interface EmulatorAccounts {
    /** 12-digit JD account id (in JRNs). */
    readonly jdcloud: string;
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The emulated JD Cloud: vm (image export/import, image tasks, images) and IAM on JD's OpenAPI (JDCLOUD2/JDCLOUD3
 * signatures, `{requestId, result}` shapes), and JD OSS over the S3 protocol, each on its own port.
 */
export const jdCloud: CloudModule = {
  id: 'jdcloud',
  async start(context: CloudContext): Promise<StartedCloud> {
    const catalog = loadJdCatalog(context.catalogDir);
    const markDirty = () => context.state.markDirty();
    const iamState = context.state.section<JdIamState>('jdcloud.iam', emptyJdIamState);
    const vmState = context.state.section<JdVmState>('jdcloud.vm', emptyJdVmState);
    const ossState = context.state.section<ObjectStoreState>('jdcloud.oss', () => ({ buckets: {} }));
    const iam = new JdIam(iamState, JD_ACCOUNT_ID, () => context.clock.now(), markDirty);
    const services: RunningService[] = [];
    let world: JdVmWorld | undefined;
    const objects = await S3ObjectStore.start({
      cloud: 'jdcloud',
      service: 'oss',
      host: context.host,
      directory: join(context.dataDir, 'oss'),
      state: ossState,
      markDirty,
      credentials: JD_CREDENTIALS,
      readOnlyCredentials: JD_RESTRICTED_CREDENTIALS,
      account: JD_ACCOUNT_ID,
      regions: catalog.regions,
      faults: context.faults,
      bucketRegionFromSigningRegion: true,
      beforeRequest: () => world && settleJdVm(world),
    });
    try {
      const ready = new JdVmWorld({ catalog, state: vmState, iam, objects, clock: context.clock, markDirty, exportDurationMs: context.exportDurationMs });
      world = ready;
      const secretOf = (key: string) =>
        key === JD_CREDENTIALS.accessKeyId ? JD_CREDENTIALS.secretAccessKey : key === JD_RESTRICTED_CREDENTIALS.accessKeyId ? JD_RESTRICTED_CREDENTIALS.secretAccessKey : undefined;
      const readOnly = { accessKeyId: JD_RESTRICTED_CREDENTIALS.accessKeyId, subUser: JD_RESTRICTED_SUB_USER };
      const options = { host: context.host, faults: context.faults };
      const vm = await startHttpService(
        jdServiceHandler({ service: 'vm', secretOf, readOnly, route: (call) => handleJdVm(ready, { ...call, ...(call.request.taskFault ? { taskFault: call.request.taskFault } : {}) }) }),
        options,
      );
      services.push(vm);
      const iamService = await startHttpService(jdServiceHandler({ service: 'iam', secretOf, readOnly, route: (call) => iam.handle(call) }), options);
      services.push(iamService);
      return {
        id: 'jdcloud',
        endpoints: { vm: vm.url, iam: iamService.url, oss: objects.url },
        regions: catalog.regions,
        credentials: JD_CREDENTIALS,
        restrictedCredentials: JD_RESTRICTED_CREDENTIALS,
        account: JD_ACCOUNT_ID,
        env: {
          JDCLOUD_ENDPOINT_VM: vm.url,
          JDCLOUD_ENDPOINT_IAM: iamService.url,
          JDCLOUD_ENDPOINT_OSS: objects.url,
          JDCLOUD_ACCESS_KEY: JD_CREDENTIALS.accessKeyId,
          JDCLOUD_SECRET_KEY: JD_CREDENTIALS.secretAccessKey,
          JDCLOUD_REGION: catalog.regions.default,
        },
        settle: () => settleJdVm(ready),
        inspect: () => {
          settleJdVm(ready);
          const now = context.clock.now();
          return {
            tasks: [
              ...Object.values(vmState.exportTasks).map((task) => exportTaskSnapshot(task, now)),
              ...Object.values(vmState.importTasks).map((task) => importTaskSnapshot(task, now)),
            ].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)),
            roles: iam.roles().map((role) => ({
              cloud: 'jdcloud',
              name: role.name,
              arn: `jrn:iam::${JD_ACCOUNT_ID}:role/${role.name}`,
              trustPolicy: parseOrText(role.trust),
              inlinePolicies: {},
              attachedPolicies: role.policies.map((name) => `jrn:iam::${JD_ACCOUNT_ID}:policy/${name}`),
            })),
            images: ready.regions.all.flatMap((region) =>
              ready.images(region).map((image) => ({
                cloud: 'jdcloud',
                region,
                id: image.imageId,
                name: image.name,
                state: image.status,
                owner: image.imageSource === 'private' ? JD_ACCOUNT_ID : image.imageSource,
                source: image.source,
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
