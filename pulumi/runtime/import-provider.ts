import type * as pulumi from '@pulumi/pulumi';
import { type CloudId, isCloudId } from '../../lib/model/cloud';
import { IMPORT_UPDATE_FIELDS, type ImportSpec } from '../../lib/model/import-spec';
import { type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import { deterministicToken } from '../../lib/model/token';
import { SpecValidationError } from '../../lib/model/validation-issue';
import { driverOf, rulesOf } from './core';
import { hostInfo } from './host-log';
import { canonicalJson, isUnknown, omit, PROVIDER_KEY, sameValue, toPlain } from './properties';
import { ResourceInitError } from './resource-init-error';
import { failuresOf, preflightOrThrow } from './spec-checks';
import { DEFAULT_DELETE_TIMEOUT, DEFAULT_WAIT_TIMEOUT, durationMs, TASK_OPTION_FIELDS, taskOptionFailures } from './task-options';
import { endTask, isNotFound, waitOn } from './task-wait';

/** Provider-only input names. */
const OWN_FIELDS = [...TASK_OPTION_FIELDS, PROVIDER_KEY];
/** Output-only names. */
const OUTPUT_FIELDS = ['taskId', 'clientToken', 'taskState', 'progress', 'imageId', 'task'];
/** Inputs whose change updates in place. */
const IN_PLACE_FIELDS: readonly string[] = [...IMPORT_UPDATE_FIELDS, 'waitTimeout', 'deleteTimeout'];
/** How many tokens `create` tries when the task a token replays has failed. */
const MAX_TOKEN_ATTEMPTS = 5;

/** The cloud spec inside the inputs. */
export function importSpecOf(inputs: Record<string, unknown>): ImportSpec {
  return omit(omit(inputs, OWN_FIELDS), OUTPUT_FIELDS) as unknown as ImportSpec;
}

/** The fields whose change replaces the import: every spec field but the in-place ones. */
function replaceFields(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(importSpecOf(olds)), ...Object.keys(importSpecOf(news))]);
  return [...names].filter((name) => !(IMPORT_UPDATE_FIELDS as readonly string[]).includes(name)).sort();
}

/** The deterministic token of an import: the same resource and replace fields always give the same token. */
export function importToken(inputs: Record<string, unknown>, attempt: number): string {
  const spec = importSpecOf(inputs) as unknown as Record<string, unknown>;
  const identity = Object.fromEntries(Object.entries(spec).filter(([key]) => !(IMPORT_UPDATE_FIELDS as readonly string[]).includes(key)));
  return deterministicToken([
    'imageport-pulumi-import',
    String(inputs.tokenScope ?? ''),
    canonicalJson(identity),
    attempt === 0 ? undefined : `attempt-${attempt}`,
  ]);
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

async function finish(inputs: Record<string, unknown>, ref: TaskRef, clientToken: string): Promise<Record<string, unknown>> {
  const driver = await driverOf(ref.cloud, ref.region);
  const outcome = await waitOn(driver, ref, durationMs('waitTimeout', inputs.waitTimeout, DEFAULT_WAIT_TIMEOUT));
  const outs = outputsOf(inputs, outcome.snapshot, clientToken);
  if (outcome.kind === 'incomplete') throw new ResourceInitError(outcome.message, ref.taskId, outs, inputs[PROVIDER_KEY]);
  await hostInfo(`import ${ref.taskId} succeeded: image ${String(outs.imageId)}`);
  return outs;
}

/**
 * The image-import provider, on the core drivers: `check` with the cloud's validation; every field but tags and
 * description replaces; `create` starts with a deterministic token and waits for the image; `read` reports a task
 * that is gone, failed or cancelled as a blank id; `delete` cancels a running import (JD Cloud: waits for its end).
 * Deleting the resource keeps the imported image: no driver deregisters images, and an image is usually what the
 * import was for.
 */
export const importProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const inputs = { ...news } as Record<string, unknown>;
    const failures = taskOptionFailures(inputs, false);
    if (!isCloudId(inputs.cloud)) {
      failures.push({ property: 'cloud', reason: `cloud: ${JSON.stringify(inputs.cloud)} is not allowed (allowed: aws, alicloud, jdcloud)` });
      return { inputs, failures };
    }
    failures.push(...failuresOf(rulesOf(inputs.cloud).validateImport(importSpecOf(inputs)), inputs));
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
    const driver = await driverOf(cloud, spec.region);
    await preflightOrThrow(`import into ${spec.region}`, () => driver.preflightImport({ ...spec, clientToken: importToken(inputs, 0) }));
    for (let attempt = 0; ; attempt += 1) {
      const clientToken = importToken(inputs, attempt);
      const ref = await driver.startImport(spec, clientToken);
      if (ref.adopted && attempt + 1 < MAX_TOKEN_ATTEMPTS) {
        const snapshot = await driver.describe(ref);
        if (snapshot.state === 'failed' || snapshot.state === 'cancelled') {
          await hostInfo(`import task ${ref.taskId} found for this resource has ended ${snapshot.state}: starting a new one`);
          continue;
        }
      }
      await hostInfo(`import ${ref.adopted ? 'adopted' : 'started'}: task ${ref.taskId}`);
      return { id: ref.taskId, outs: await finish(inputs, ref, clientToken) };
    }
  },

  async read(id, props) {
    const state = props as Record<string, unknown>;
    const ref = state.task as TaskRef | undefined;
    if (!ref) return { id: '' };
    const driver = await driverOf(ref.cloud, ref.region);
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
    if (ref && previous.taskState !== 'succeeded') {
      await hostInfo(`import ${ref.taskId}: resuming the wait`);
      return { outs: await finish(inputs, ref, String(previous.clientToken ?? ref.clientToken ?? '')) };
    }
    const outputs = Object.fromEntries(OUTPUT_FIELDS.filter((field) => previous[field] !== undefined).map((field) => [field, previous[field]]));
    return { outs: toPlain({ ...omit(inputs, [PROVIDER_KEY]), ...outputs }) };
  },

  async delete(_id, props) {
    const state = props as Record<string, unknown>;
    const ref = state.task as TaskRef | undefined;
    if (!ref) return;
    const driver = await driverOf(ref.cloud, ref.region);
    await endTask(driver, ref, durationMs('deleteTimeout', state.deleteTimeout, DEFAULT_DELETE_TIMEOUT));
  },
};
