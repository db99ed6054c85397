import { join } from 'node:path';
import { type CloudContext, type CloudModule, type StartedCloud } from '../core/cloud-module';
import { startHttpService, type RunningService } from '../core/http-service';
import { S3ObjectStore, type ObjectStoreState } from '../core/object-store/s3-object-store';
import { type AccessKeyPair, type RegionSet, type RoleSnapshotJson, type TaskSnapshotJson } from '../types';
import { loadAlicloudCatalog } from './alicloud-catalog';
import { type EcsContext } from './ecs-context';
import { imageStatus, settleTasks, taskView } from './ecs-tasks';
import { handleEcsAction } from './ecs-model';
import { emptyEcsState, type EcsState, type EcsTaskState } from './ecs-state';
import { RamModel, type RamState } from './ram-model';
import { rpcServiceHandler } from './rpc-service';

/** Alibaba Cloud service endpoints (`http://127.0.0.1:<port>`). */
export interface AlicloudEndpoints {
  /** ECS RPC API (2014-05-26). */
  readonly ecs: string;
  /** RAM RPC API (2015-05-01). */
  readonly ram: string;
  /** OSS over the S3 protocol (path-style). */
  readonly oss: string;
}

declare module '../types' {
  interface EmulatorEndpoints {
    /** Alibaba Cloud services. */
    readonly alicloud: AlicloudEndpoints;
  }
  interface EmulatorRegions {
    /** Alibaba Cloud regions. */
    readonly alicloud: RegionSet;
  }
  interface EmulatorCredentials {
    /** The Alibaba Cloud AccessKey pair the emulator accepts. */
    readonly alicloud: AccessKeyPair;
  }
  interface EmulatorAccounts {
    /** 16-digit Alibaba Cloud account id. */
    readonly alicloud: string;
  }
  interface EmulatorQuotas {
    /** Concurrent ECS ExportImage tasks per region. @default 5 */
    readonly alicloudConcurrentExports?: number;
  }
}

/** The emulator's Alibaba Cloud account id (16 digits, like a real UID). */
export const ALICLOUD_ACCOUNT_ID = '1234567890123456';
/** The AccessKey pair the emulated Alibaba Cloud accepts (not a real key). */
export const ALICLOUD_CREDENTIALS: AccessKeyPair = { accessKeyId: 'LTAI5tImageportEmulator1', secretAccessKey: 'imageportEmulatorAlicloudSecret1' };
/**
 * A RAM user's AccessKey pair that may only read (ECS `Describe*`/`ListTagResources`, RAM `Get*`/`List*`, OSS
 * GET/HEAD); every other call answers `Forbidden.RAM` (403) with an `AccessDeniedDetail`.
 */
export const ALICLOUD_RESTRICTED_CREDENTIALS: AccessKeyPair = { accessKeyId: 'LTAI5tImageportReader01', secretAccessKey: 'imageportEmulatorAlicloudReader1' };
/** The RAM user behind {@link ALICLOUD_RESTRICTED_CREDENTIALS}. */
export const ALICLOUD_RESTRICTED_USER_ID = '208800000000000001';
/** ECS and RAM actions the restricted key may call. */
function isAlicloudReadAction(action: string): boolean {
  return /^(Describe|Get|List)/.test(action);
}
/** Default concurrent ExportImage tasks per region (the live quota is not documented; ECS answers ConcurrentQuotaExceed.ExportImage). */
export const DEFAULT_ALICLOUD_CONCURRENT_EXPORTS = 5;

function taskSnapshot(ctx: EcsContext, task: EcsTaskState): TaskSnapshotJson {
  const view = taskView(task, ctx.now());
  const outcome = view.running ? 'running' : view.status === 'Finished' ? 'succeeded' : view.status === 'Failed' ? 'failed' : 'cancelled';
  return {
    cloud: 'alicloud',
    service: 'ecs',
    region: task.region,
    kind: task.action === 'ExportImage' ? 'export' : 'import',
    id: task.taskId,
    rawStatus: view.status,
    ...(view.status === 'Failed' && task.failure ? { message: `${task.failure.code}: ${task.failure.message}` } : {}),
    progress: view.progress,
    outcome,
    createdAt: new Date(task.plan.startedAt).toISOString(),
    imageId: task.imageId,
    bucket: task.bucket,
    ...(task.objects[0] ? { key: task.objects[0] } : {}),
    format: task.format,
    ...(task.clientToken ? { clientToken: task.clientToken } : {}),
  };
}

function roleSnapshots(ram: RamModel): RoleSnapshotJson[] {
  return ram.roles().map((role) => {
    const inline: Record<string, unknown> = {};
    for (const key of Object.keys(role.attached)) {
      const [type, name] = key.split(':') as ['System' | 'Custom', string];
      if (type === 'Custom') inline[name] = ram.policyDocument('Custom', name);
    }
    let trust: unknown;
    try {
      trust = JSON.parse(role.assumeRolePolicyDocument);
    } catch {
      trust = role.assumeRolePolicyDocument;
    }
    return {
      cloud: 'alicloud',
      name: role.roleName,
      arn: `acs:ram::${ALICLOUD_ACCOUNT_ID}:role/${role.roleName.toLowerCase()}`,
      trustPolicy: trust,
      inlinePolicies: inline,
      attachedPolicies: Object.keys(role.attached).sort(),
    };
  });
}

/** The emulated Alibaba Cloud: ECS (image export/import, tasks, images), RAM and OSS (S3 protocol), each on its own port. */
export const alicloudCloud: CloudModule = {
  id: 'alicloud',
  async start(context: CloudContext): Promise<StartedCloud> {
    const catalog = loadAlicloudCatalog(context.catalogDir);
    const regions: RegionSet = catalog.regions;
    const markDirty = () => context.state.markDirty();
    const now = () => context.clock.now();
    const ramState = context.state.section<RamState>('alicloud.ram', () => ({ roles: {}, policies: {} }));
    const ecsState = context.state.section<EcsState>('alicloud.ecs', emptyEcsState);
    const ossState = context.state.section<ObjectStoreState>('alicloud.oss', () => ({ buckets: {} }));
    if (!ecsState.seeded) {
      for (const image of catalog.images) ecsState.images[image.imageId] = structuredClone(image);
      ecsState.seeded = true;
      markDirty();
    }
    const ram = new RamModel(ramState, ALICLOUD_ACCOUNT_ID, now, markDirty);
    let ctx: EcsContext | undefined;
    const settle = () => ctx && settleTasks(ctx);
    const oss = await S3ObjectStore.start({
      cloud: 'alicloud',
      service: 'oss',
      host: context.host,
      directory: join(context.dataDir, 'oss'),
      state: ossState,
      markDirty,
      credentials: ALICLOUD_CREDENTIALS,
      readOnlyCredentials: ALICLOUD_RESTRICTED_CREDENTIALS,
      account: ALICLOUD_ACCOUNT_ID,
      regions: catalog.regions,
      faults: context.faults,
      beforeRequest: settle,
      bucketRegionFromSigningRegion: true,
    });
    const services: RunningService[] = [];
    try {
      const ready: EcsContext = {
        state: ecsState,
        now,
        markDirty,
        ram,
        oss,
        account: ALICLOUD_ACCOUNT_ID,
        regions: catalog.regions.all,
        imageFormatRegions: catalog.imageFormatRegions,
        concurrentExports: context.quotas.alicloudConcurrentExports ?? DEFAULT_ALICLOUD_CONCURRENT_EXPORTS,
        exportDurationMs: context.exportDurationMs,
      };
      ctx = ready;
      const options = { host: context.host, faults: context.faults };
      const restricted = { credentials: ALICLOUD_RESTRICTED_CREDENTIALS, principal: { accountId: ALICLOUD_ACCOUNT_ID, userId: ALICLOUD_RESTRICTED_USER_ID } };
      const ecs = await startHttpService(
        rpcServiceHandler('alicloud', {
          service: 'ecs',
          product: 'Ecs',
          hostId: 'ecs.aliyuncs.com',
          version: '2014-05-26',
          credentials: ALICLOUD_CREDENTIALS,
          restricted,
          isReadAction: isAlicloudReadAction,
          handle: (action, params, request) => handleEcsAction(ready, action, params, request.taskFault),
        }),
        options,
      );
      services.push(ecs);
      const ramService = await startHttpService(
        rpcServiceHandler('alicloud', {
          service: 'ram',
          product: 'Ram',
          hostId: 'ram.aliyuncs.com',
          version: '2015-05-01',
          credentials: ALICLOUD_CREDENTIALS,
          restricted,
          isReadAction: isAlicloudReadAction,
          handle: (action, params) => ram.handle(action, params),
        }),
        options,
      );
      services.push(ramService);
      return {
        id: 'alicloud',
        endpoints: { ecs: ecs.url, ram: ramService.url, oss: oss.url },
        regions,
        credentials: ALICLOUD_CREDENTIALS,
        restrictedCredentials: ALICLOUD_RESTRICTED_CREDENTIALS,
        account: ALICLOUD_ACCOUNT_ID,
        env: {
          ALIBABA_CLOUD_ENDPOINT_ECS: ecs.url,
          ALIBABA_CLOUD_ENDPOINT_RAM: ramService.url,
          ALIBABA_CLOUD_ENDPOINT_OSS: oss.url,
          ALIBABA_CLOUD_ACCESS_KEY_ID: ALICLOUD_CREDENTIALS.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALICLOUD_CREDENTIALS.secretAccessKey,
          ALIBABA_CLOUD_REGION_ID: catalog.regions.default,
        },
        settle: () => settleTasks(ready),
        inspect: () => {
          settleTasks(ready);
          return {
            tasks: Object.values(ecsState.tasks).map((task) => taskSnapshot(ready, task)),
            roles: roleSnapshots(ram),
            images: Object.values(ecsState.images).map((image) => ({
              cloud: 'alicloud',
              region: image.region,
              id: image.imageId,
              name: image.imageName,
              state: imageStatus(ready, image).status,
              owner: image.ownerAlias === 'self' ? ALICLOUD_ACCOUNT_ID : image.ownerAlias,
              source: image.source,
            })),
            buckets: oss.inspect(),
          };
        },
        stop: async () => {
          for (const service of services) await service.close();
          await oss.close();
        },
      };
    } catch (error) {
      for (const service of services) await service.close();
      await oss.close();
      throw error;
    }
  },
};

