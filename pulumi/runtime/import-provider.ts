import type * as pulumi from '@pulumi/pulumi';
import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { type CloudId, isCloudId } from '../../lib/model/cloud';
import { IMPORT_UPDATE_FIELDS, type ImportSpec } from '../../lib/model/import-spec';
import { type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import { deterministicToken } from '../../lib/model/token';
import { SpecValidationError } from '../../lib/model/validation-issue';
import { driverOf, rulesOf } from './core';
import { endpointsOf } from './endpoint-inputs';
import { hostInfo } from './host-log';
import { canonicalJson, isUnknown, omit, PROVIDER_KEY, sameValue, toPlain } from './properties';
import { ResourceInitError } from './resource-init-error';
import { specFailures, withRequestedToken } from './spec-checks';
import { retag, tagsChanged } from './tag-update';
import { attemptToken, DEFAULT_DELETE_TIMEOUT, DEFAULT_WAIT_TIMEOUT, durationMs, TASK_OPTION_FIELDS, taskOptionFailures } from './task-options';
import { preflightAnyToken, startOrFind } from './task-start';
import { endTask, isNotFound, waitOn } from './task-wait';

/** Provider-only input names. */
const OWN_FIELDS = [...TASK_OPTION_FIELDS, PROVIDER_KEY];
/** Output-only names. */
const OUTPUT_FIELDS = ['taskId', 'clientToken', 'taskState', 'progress', 'imageId', 'task'];
/** Inputs whose change updates in place. */
const IN_PLACE_FIELDS: readonly string[] = [...IMPORT_UPDATE_FIELDS, 'waitTimeout', 'deleteTimeout', 'removalPolicy', 'endpoints', 'requestedClientToken'];

/** The cloud spec inside the inputs. */
export function importSpecOf(inputs: Record<string, unknown>): ImportSpec {
  return omit(omit(inputs, OWN_FIELDS), OUTPUT_FIELDS) as unknown as ImportSpec;
}

/** The fields whose change replaces the import: every spec field but the in-place ones. */
function replaceFields(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(importSpecOf(olds)), ...Object.keys(importSpecOf(news))]);
  return [...names].filter((name) => !(IMPORT_UPDATE_FIELDS as readonly string[]).includes(name)).sort();
}

/**
 * The token of an import's `attempt`-th start: the requested token (then tokens derived from it) when the program
 * gave one, else a deterministic token of the resource and every replace field.
 */
export function importToken(inputs: Record<string, unknown>, attempt: number): string {
  const spec = importSpecOf(inputs) as unknown as Record<string, unknown>;
  const identity = Object.fromEntries(Object.entries(spec).filter(([key]) => !(IMPORT_UPDATE_FIELDS as readonly string[]).includes(key)));
  return attemptToken(inputs.requestedClientToken, attempt, (n) =>
    deterministicToken(['imageport-pulumi-import', String(inputs.tokenScope ?? ''), canonicalJson(identity), n === 0 ? undefined : `attempt-${n}`]),
  );
}

function outputsOf(inputs: Record<string, unknown>, snapshot: TaskSnapshot, clientToken: string): Record<string, unknown> {
  return toPlain({
    ...omit(inputs, [PROVIDER_KEY]),
    taskId: snapshot.ref.taskId,
    clientToken,
    taskState: snapshot.state,
    ...(snapshot.progress === undefined ? {} : { progress: snapshot.progress }),
    imageId: snapshot.imageId ?? snapshot.ref.imageId ?? '',
    task: snapshot.ref,
  });
}

async function finish(driver: CloudDriver, inputs: Record<string, unknown>, ref: TaskRef, clientToken: string): Promise<Record<string, unknown>> {
  const outcome = await waitOn(driver, ref, durationMs('waitTimeout', inputs.waitTimeout, DEFAULT_WAIT_TIMEOUT));
  const outs = outputsOf(inputs, outcome.snapshot, clientToken);
  if (outcome.kind === 'incomplete') throw new ResourceInitError(outcome.message, ref.taskId, outs, inputs[PROVIDER_KEY]);
  await hostInfo(`import ${ref.taskId} succeeded: image ${String(outs.imageId)}`);
  return outs;
}

/** False only when the driver can tell and says the image is gone; drivers without `imageExists` cannot tell. */
async function imageGone(driver: CloudDriver, imageId: string | undefined): Promise<boolean> {
  if (!imageId || !driver.imageExists) return false;
  return !(await driver.imageExists(imageId));
}

/**
 * The image-import provider, on the core drivers:
 * - `check`: the cloud's validation, one failure per problem, naming the property;
 * - `diff`: every spec field but tags and description replaces (the new import first, then the old one is
 *   deleted); tags, description and the provider's options update in place;
 * - `create`: preflight, start with a deterministic token (or the requested one), wait for the image. A task a token
 *   finds again is reused unless it failed, was cancelled, or its image has been deleted since (a `destroy` then
 *   `up` again, or a replacement back to earlier inputs): then the next token starts a new import;
 * - `read`: a task that is gone, failed or cancelled, or whose image is gone, reads as a blank id (drift);
 * - `update`: new tags go to the cloud in place (`updateTags`); a wait left by a timed-out create resumes;
 * - `delete`: cancels a running import (JD Cloud: waits for its end), then, with `removalPolicy: "destroy"` (what
 *   the components default to), deletes the imported image with `deleteImage` (AWS: and its snapshots). State
 *   recorded without a removal policy (written before it existed) keeps the image, as it was promised then.
 */
export const importProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const inputs = { ...news } as Record<string, unknown>;
    const failures = taskOptionFailures(inputs, isCloudId(inputs.cloud) ? inputs.cloud : undefined);
    if (!isCloudId(inputs.cloud)) {
      failures.push({ property: 'cloud', reason: `cloud: ${JSON.stringify(inputs.cloud)} is not allowed (allowed: aws, alicloud, jdcloud)` });
      return { inputs, failures };
    }
    failures.push(...specFailures(rulesOf(inputs.cloud).validateImport(withRequestedToken(importSpecOf(inputs), inputs)), inputs));
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const replaces = replaceFields(olds, news).filter((field) => isUnknown(news[field]) || !sameValue(olds[field], news[field]));
    const changes = IN_PLACE_FIELDS.filter((field) => isUnknown(news[field]) || !sameValue(olds[field], news[field]));
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(news) {
    const inputs = news as Record<string, unknown>;
    const cloud = inputs.cloud as CloudId;
    const spec = importSpecOf(inputs);
    const issues = rulesOf(cloud).validateImport(spec);
    if (issues.length > 0) throw new SpecValidationError(`ImageImport into ${String(spec.region)}`, issues);
    const driver = await driverOf(cloud, spec.region, endpointsOf(inputs));
    const plan = {
      kind: 'import' as const,
      subject: `import into ${spec.region}`,
      tokenFor: (attempt: number) => importToken(inputs, attempt),
      preflight: (clientToken: string) => driver.preflightImport({ ...spec, clientToken }),
      start: (clientToken: string) => driver.startImport(spec, clientToken),
      // A new import's image exists from the start (Alibaba, JD: Creating) or is not known yet (AWS); a replayed
      // one whose image is gone was deleted since (destroy, then up again; a replacement back to earlier inputs).
      unusable: async (ref: TaskRef, snapshot: TaskSnapshot | undefined) => {
        if (snapshot?.state === 'failed' || snapshot?.state === 'cancelled') return `has ended ${snapshot.state}`;
        if (await imageGone(driver, snapshot?.imageId ?? ref.imageId)) return 'lost its image (deleted since)';
        return undefined;
      },
    };
    await preflightAnyToken(plan);
    const { ref, clientToken } = await startOrFind(driver, plan);
    await hostInfo(`import ${ref.adopted ? 'adopted' : 'started'}: task ${ref.taskId}`);
    return { id: ref.taskId, outs: await finish(driver, inputs, ref, clientToken) };
  },

  async read(id, props) {
    const state = props as Record<string, unknown>;
    const ref = state.task as TaskRef | undefined;
    if (!ref) return { id: '' };
    const driver = await driverOf(ref.cloud, ref.region, endpointsOf(state));
    // Asked first: a deleted image can leave its task looking unfinished (Alibaba waits for the image to show).
    if (state.taskState === 'succeeded' && (await imageGone(driver, typeof state.imageId === 'string' ? state.imageId : undefined))) return { id: '' };
    let snapshot: TaskSnapshot;
    try {
      snapshot = await driver.describe(ref);
    } catch (error) {
      if (isNotFound(error)) return { id: '' };
      throw error;
    }
    if (snapshot.state === 'failed' || snapshot.state === 'cancelled') return { id: '' };
    return { id, props: outputsOf(omit(state, OUTPUT_FIELDS), snapshot, String(state.clientToken ?? ref.clientToken ?? '')) };
  },

  async update(_id, olds, news) {
    const previous = olds as Record<string, unknown>;
    const inputs = news as Record<string, unknown>;
    const ref = previous.task as TaskRef | undefined;
    const driver = ref ? await driverOf(ref.cloud, ref.region, endpointsOf(inputs)) : undefined;
    // New tags go to the cloud first, so that a resumed wait that gives up again does not leave them unapplied.
    if (ref && driver && tagsChanged(previous, inputs)) await retag(driver, ref, inputs.tags);
    if (ref && driver && previous.taskState !== 'succeeded') {
      await hostInfo(`import ${ref.taskId}: resuming the wait`);
      return { outs: await finish(driver, inputs, ref, String(previous.clientToken ?? ref.clientToken ?? '')) };
    }
    if (ref && !sameValue(previous.description, inputs.description)) {
      await hostInfo(`import ${ref.taskId}: no cloud can change an import's description: the new one is recorded in the Pulumi state only`);
    }
    const outputs = Object.fromEntries(OUTPUT_FIELDS.filter((field) => previous[field] !== undefined).map((field) => [field, previous[field]]));
    return { outs: toPlain({ ...omit(inputs, [PROVIDER_KEY]), ...outputs }) };
  },

  async delete(_id, props) {
    const state = props as Record<string, unknown>;
    const ref = state.task as TaskRef | undefined;
    if (!ref) return;
    const driver = await driverOf(ref.cloud, ref.region, endpointsOf(state));
    const recorded = typeof state.imageId === 'string' && state.imageId !== '' ? state.imageId : undefined;
    let imageId: string | undefined;
    if (state.taskState === 'succeeded') {
      // Ended long ago: nothing to cancel, and the task itself may be forgotten (EC2 keeps tasks 7 days); the image stays.
      imageId = recorded;
    } else {
      const final = await endTask(driver, ref, durationMs('deleteTimeout', state.deleteTimeout, DEFAULT_DELETE_TIMEOUT));
      imageId = final?.state === 'succeeded' ? (final.imageId ?? recorded) : undefined;
    }
    if (!imageId) return;
    if (state.removalPolicy !== 'destroy') {
      await hostInfo(`import ${ref.taskId}: kept image ${imageId} (removalPolicy ${state.removalPolicy === 'retain' ? 'retain' : 'not recorded: retain'})`);
      return;
    }
    const outcome = await driver.deleteImage(imageId);
    await hostInfo(`import ${ref.taskId}: ${outcome === 'deleted' ? `deleted image ${imageId}` : `image ${imageId} was already gone`}`);
  },
};
