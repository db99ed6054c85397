import { type Emulator } from '../../emulator';
import { applyAlicloudResources } from './pulumi-alicloud-apply';
import { applyAwsResources } from './pulumi-aws-apply';
import { type MiniEngine, type ResourceStateEntry } from './pulumi-engine';
import { defaultMockOutputs, type LiveResource } from './pulumi-mock-program';

/** Regions the `aws:` and `alicloud:` resources are created in (their providers' `region` config). */
export interface LiveRegions {
  /** AWS region. @default - the emulator's default */
  readonly aws?: string;
  /** Alibaba Cloud region. @default - the emulator's default */
  readonly alicloud?: string;
}

/**
 * A `deploy` hook for `runUnderMocks` that makes the program's run a `pulumi up` against the emulator: dynamic
 * resources go through `Check` + `Create` in the real dynamic-provider host (via `engine`), `aws:` and `alicloud:`
 * resources are created in the emulator with their registered inputs. Each resource's real outputs flow to the
 * resources that read them, as they do in the engine.
 *
 * @returns the hook, and the dynamic resources' state entries in creation order
 */
export function liveDeployment(engine: MiniEngine, emulator: Emulator, regions: LiveRegions = {}) {
  const created: ResourceStateEntry[] = [];
  const deploy = async (resource: LiveResource): Promise<{ id: string; outputs: Record<string, unknown> } | undefined> => {
    if (resource.type.startsWith('pulumi-nodejs:dynamic/')) {
      const state = await engine.create(resource);
      created.push(state);
      return { id: state.id, outputs: state.outputs };
    }
    const registered = { ...resource, parent: '', custom: true, secretInputs: [], importId: '', provider: '' };
    const outputs = { ...resource.inputs, ...defaultMockOutputs(resource) };
    const id = String(outputs.bucket ?? outputs.name ?? outputs.roleName ?? `${resource.name}-id`);
    if (resource.type.startsWith('aws:')) {
      const region = regions.aws ?? emulator.regions.aws.default;
      await applyAwsResources([registered], { endpoints: emulator.endpoints.aws, credentials: emulator.credentials.aws, region });
      return { id, outputs };
    }
    if (resource.type.startsWith('alicloud:')) {
      const region = regions.alicloud ?? emulator.regions.alicloud.default;
      await applyAlicloudResources([registered], { endpoints: emulator.endpoints.alicloud, credentials: emulator.credentials.alicloud, region });
      return { id, outputs };
    }
    return undefined;
  };
  return { deploy, created };
}
