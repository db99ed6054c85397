import type * as pulumi from '@pulumi/pulumi';
import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { type JdcloudDriver } from '../../lib/clouds/jdcloud/driver';
import { type CloudId, isCloudId } from '../../lib/model/cloud';
import { normalizeDiskFormat } from '../../lib/model/disk-format';
import { EXPORT_REPLACE_FIELDS, EXPORT_UPDATE_FIELDS, type ExportSpec } from '../../lib/model/export-spec';
import { type Artifact, type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import { deterministicToken } from '../../lib/model/token';
import { SpecValidationError } from '../../lib/model/validation-issue';
import type * as verifyModule from '../../lib/storage/verify-artifact';
import { driverOf, rulesOf } from './core';
import { endpointsOf } from './endpoint-inputs';
import { hostInfo } from './host-log';
import type * as drainModule from './jdcloud-drain';
import { isUnknown, omit, PROVIDER_KEY, sameValue, toPlain } from './properties';
import { ResourceInitError } from './resource-init-error';
import { specFailures, withRequestedToken } from './spec-checks';
import { retag, tagsChanged } from './tag-update';
import {
  attemptToken,
  DEFAULT_DELETE_TIMEOUT,
  DEFAULT_WAIT_TIMEOUT,
  durationMs,
  type RemovalPolicy,
  TASK_OPTION_FIELDS,
  taskOptionFailures,
} from './task-options';
import { preflightAnyToken, startOrFind } from './task-start';
import { endTask, isNotFound, waitOn } from './task-wait';

/** Inputs of an image-export resource, as stored in state: the export spec plus the provider's own options. */
export interface ExportInputs {
  /** The cloud. */
  readonly cloud: CloudId;
  /** Region of the image and bucket. */
  readonly region: string;
  /** The image. */
  readonly imageId: string;
  /** Requested format (canonical lower case after `check`). */
  readonly format?: string;
  /** Destination bucket. */
  readonly bucket: string;
  /** Key prefix. */
  readonly prefix?: string;
  /** Service role. */
  readonly roleName?: string;
  /** Task description (AWS). */
  readonly description?: string;
  /** Task tags (AWS). */
  readonly tags?: Record<string, string>;
  /** Export data disks too (JD). */
  readonly allDisks?: boolean;
  /** How long `create` waits. */
  readonly waitTimeout?: string;
  /** How long `delete` waits for the task to end. */
  readonly deleteTimeout?: string;
  /** Delete the exported objects with the resource. */
  readonly removalPolicy?: RemovalPolicy;
  /** Check each artifact's header, size and format after the task. */
  readonly verifyArtifacts?: boolean;
  /** Scopes the idempotency token (project, stack, resource name). */
  readonly tokenScope?: string;
  /** Per-service endpoint overrides, applied by the host at run time (the `imageport:endpoints` config wins). */
  readonly endpoints?: Record<string, string>;
  /** The client token of the first start, as the program gave it (later starts derive theirs from it). */
  readonly requestedClientToken?: string;
}

/** Outputs of an image-export resource: the inputs, plus where the export landed. */
export interface ExportOutputs extends ExportInputs {
  /** The cloud's task id (also the resource id). */
  readonly taskId: string;
  /** The idempotency token the task was started with. */
  readonly clientToken: string;
  /** Normalised task state when last seen. */
  readonly taskState: string;
  /** Progress 0-100 when last seen (running tasks). */
  readonly progress?: number;
  /** Object key of the (system-disk) artifact. */
  readonly objectKey: string;
  /** URI of the artifact: `s3://bucket/key`, `oss://bucket/key`. */
  readonly uri: string;
  /** Size of the artifact in bytes. */
  readonly sizeBytes: number;
  /**
   * Format of the artifact as written (`raw.tar.gz` for an Alibaba RAW export). Distinct from the `format` input,
   * which stays as requested so that `diff` (which only sees outputs) compares like with like.
   */
  readonly artifactFormat: string;
  /** Every file written (data disks included). */
  readonly artifacts: Artifact[];
  /** How the artifacts fared in verification: `passed`, `failed` (the next `pulumi up` checks again), or `skipped`. */
  readonly verification?: 'passed' | 'failed' | 'skipped';
  /** The task reference, for describe and cancel. */
  readonly task: TaskRef;
}

/** Provider-only input names: everything else is part of the cloud spec. */
const OWN_FIELDS = [...TASK_OPTION_FIELDS, 'verifyArtifacts', PROVIDER_KEY];
/** Output-only names. */
const OUTPUT_FIELDS = [
  'taskId',
  'clientToken',
  'taskState',
  'progress',
  'objectKey',
  'uri',
  'sizeBytes',
  'artifactFormat',
  'artifacts',
  'verification',
  'task',
];
/** Inputs whose change updates in place: the spec's update fields and the provider's options. */
const IN_PLACE_FIELDS: readonly string[] = [
  ...EXPORT_UPDATE_FIELDS,
  'waitTimeout',
  'deleteTimeout',
  'removalPolicy',
  'verifyArtifacts',
  'endpoints',
  'requestedClientToken',
];

/** The cloud spec inside the inputs. */
export function exportSpecOf(inputs: Record<string, unknown>): ExportSpec {
  return omit(omit(inputs, OWN_FIELDS), OUTPUT_FIELDS) as unknown as ExportSpec;
}

/** A replace field's value with its defaults applied, so `vmimport` and "unset" compare equal on AWS. */
function effective(field: string, inputs: Record<string, unknown>): unknown {
  const value = inputs[field];
  const cloud = inputs.cloud as CloudId;
  if (field === 'format') return normalizeDiskFormat(value) ?? value ?? (isCloudId(cloud) ? rulesOf(cloud).defaultExportFormat : undefined);
  if (field === 'roleName') return value ?? (isCloudId(cloud) ? rulesOf(cloud).defaultExportRole : undefined);
  if (field === 'prefix') return value ?? '';
  if (field === 'allDisks') return value ?? false;
  return value;
}

/**
 * The token of an export's `attempt`-th start: the requested token (then tokens derived from it) when the program
 * gave one, else a deterministic token of the resource and its replace fields.
 */
export function exportToken(inputs: Record<string, unknown>, attempt: number): string {
  return attemptToken(inputs.requestedClientToken, attempt, (n) =>
    deterministicToken([
      'imageport-pulumi-export',
      String(inputs.tokenScope ?? ''),
      ...EXPORT_REPLACE_FIELDS.map((field) => {
        const value = effective(field, inputs);
        return value === undefined ? undefined : String(value);
      }),
      n === 0 ? undefined : `attempt-${n}`,
    ]),
  );
}

function primary(artifacts: readonly Artifact[]): Artifact | undefined {
  return artifacts.find((a) => (a.disk ?? 'system') === 'system') ?? artifacts[0];
}

function outputsOf(inputs: Record<string, unknown>, snapshot: TaskSnapshot, clientToken: string, verification?: unknown): Record<string, unknown> {
  const artifact = primary(snapshot.artifacts);
  return toPlain({
    ...omit(inputs, [PROVIDER_KEY]),
    taskId: snapshot.ref.taskId,
    clientToken,
    taskState: snapshot.state,
    ...(snapshot.progress === undefined ? {} : { progress: snapshot.progress }),
    objectKey: artifact?.key ?? '',
    uri: artifact?.uri ?? '',
    sizeBytes: artifact?.sizeBytes ?? 0,
    artifactFormat: artifact?.format ?? effective('format', inputs),
    artifacts: snapshot.artifacts,
    ...(verification === undefined ? {} : { verification }),
    task: snapshot.ref,
  });
}

async function artifactsPresent(driver: CloudDriver, artifacts: readonly Artifact[]): Promise<boolean> {
  if (artifacts.length === 0) return false;
  const storage = driver.storage();
  for (const artifact of artifacts) {
    if ((await storage.head(artifact.bucket, artifact.key)) === undefined) return false;
  }
  return true;
}

/**
 * Every error-level problem of the artifacts (size read back, format magic and header by ranged reads), as
 * `<uri>: <message>`. The checks themselves are the core's (`lib/storage/verify-artifact.ts`).
 */
async function verify(driver: CloudDriver, snapshot: TaskSnapshot): Promise<string[]> {
  const { verifyArtifact } = require('../../lib/storage/verify-artifact') as typeof verifyModule;
  if (snapshot.artifacts.length === 0) return [`task ${snapshot.ref.taskId} succeeded but names no exported file`];
  const problems: string[] = [];
  for (const artifact of snapshot.artifacts) {
    const report = await verifyArtifact(driver.storage(), artifact);
    for (const problem of report.problems) {
      if (problem.severity === 'error') problems.push(`${artifact.uri}: ${problem.message}`);
    }
  }
  return problems;
}

/**
 * Waits for a started (or adopted) export, verifies its artifacts (unless `verifyArtifacts` is false), and returns
 * the outputs. A wait that times out, or an artifact that fails verification, leaves a task behind: reported as
 * {@link ResourceInitError} so the engine keeps the resource. A task that fails or is cancelled is a plain error
 * (nothing to keep).
 */
async function finish(driver: CloudDriver, inputs: Record<string, unknown>, ref: TaskRef, clientToken: string): Promise<Record<string, unknown>> {
  const timeoutMs = durationMs('waitTimeout', inputs.waitTimeout, DEFAULT_WAIT_TIMEOUT);
  const outcome = await waitOn(driver, ref, timeoutMs);
  if (outcome.kind === 'incomplete') {
    const outs = outputsOf(inputs, outcome.snapshot, clientToken);
    throw new ResourceInitError(outcome.message, ref.taskId, outs, inputs[PROVIDER_KEY]);
  }
  const snapshot = outcome.snapshot;
  if (inputs.verifyArtifacts === false) return outputsOf(inputs, snapshot, clientToken, 'skipped');
  let problems: string[];
  try {
    problems = await verify(driver, snapshot);
  } catch (error) {
    problems = [`could not be read back: ${(error as Error).message}`];
  }
  if (problems.length > 0) {
    const message = `export ${ref.taskId} finished but its artifact failed verification: ${problems.join(' | ')}`;
    throw new ResourceInitError(message, ref.taskId, outputsOf(inputs, snapshot, clientToken, 'failed'), inputs[PROVIDER_KEY]);
  }
  const outs = outputsOf(inputs, snapshot, clientToken, 'passed');
  await hostInfo(`export ${ref.taskId} succeeded: ${String(outs.uri)} (${String(outs.sizeBytes)} bytes)`);
  return outs;
}

/**
 * The image-export provider, on the core drivers:
 * - `check`: the cloud's validation, one failure per problem, naming the property; the format is normalised;
 * - `diff`: replaces for the `EXPORT_REPLACE_FIELDS`, in place for tags, description and the provider's options;
 * - `create`: preflight, start with a deterministic token, wait (`waitTimeout`), verify, return where it landed;
 * - `read`: the task and its artifacts; a task or artifact that is gone reads as a blank id (drift);
 * - `update`: resumes a wait left by a timed-out create, else records the new in-place values; full outputs;
 * - `delete`: cancels a running task, deletes the objects only with `removalPolicy: "destroy"`; JD Cloud, which
 *   cannot cancel, waits for the task's end and then removes what it wrote (the JD driver's `drainAndRemove`).
 */
export const exportProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const inputs = { ...news } as Record<string, unknown>;
    const failures = taskOptionFailures(inputs, isCloudId(inputs.cloud) ? inputs.cloud : undefined);
    if (!isCloudId(inputs.cloud)) {
      failures.push({ property: 'cloud', reason: `cloud: ${JSON.stringify(inputs.cloud)} is not allowed (allowed: aws, alicloud, jdcloud)` });
      return { inputs, failures };
    }
    if (inputs.verifyArtifacts !== undefined && !isUnknown(inputs.verifyArtifacts) && typeof inputs.verifyArtifacts !== 'boolean') {
      failures.push({ property: 'verifyArtifacts', reason: `verifyArtifacts: ${JSON.stringify(inputs.verifyArtifacts)} must be true or false` });
    }
    failures.push(...specFailures(rulesOf(inputs.cloud).validateExport(withRequestedToken(exportSpecOf(inputs), inputs)), inputs));
    const format = normalizeDiskFormat(inputs.format);
    if (format && !isUnknown(inputs.format)) inputs.format = format;
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = [];
    const changes: string[] = [];
    for (const field of EXPORT_REPLACE_FIELDS) {
      if (isUnknown(news[field]) || !sameValue(effective(field, olds), effective(field, news))) replaces.push(field);
    }
    for (const field of IN_PLACE_FIELDS) {
      if (isUnknown(news[field]) || !sameValue(olds[field], news[field])) changes.push(field);
    }
    // deleteBeforeReplace: the clouds refuse (AWS) or adopt (Alibaba) a second export of the same image while one
    // runs, and a replacement may write the same object key (Alibaba names it after prefix and image only).
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(news) {
    const inputs = news as Record<string, unknown>;
    const cloud = inputs.cloud as CloudId;
    const spec = exportSpecOf(inputs);
    const issues = rulesOf(cloud).validateExport(spec);
    if (issues.length > 0) throw new SpecValidationError(`ImageExport of ${String(spec.imageId)}`, issues);
    const driver = await driverOf(cloud, spec.region, endpointsOf(inputs));
    // Each token goes into its preflight: a running task started with it is this very export (a retry after a
    // crash), which preflight must not hold against it.
    const plan = {
      kind: 'export' as const,
      subject: `export of ${spec.imageId}`,
      tokenFor: (attempt: number) => exportToken(inputs, attempt),
      preflight: (clientToken: string) => driver.preflightExport({ ...spec, clientToken }),
      start: (clientToken: string) => driver.startExport(spec, clientToken),
      // A task found again is reused unless it can no longer give the artifact.
      unusable: async (_ref: TaskRef, snapshot: TaskSnapshot | undefined) => {
        if (snapshot === undefined) return undefined;
        if (snapshot.state === 'failed' || snapshot.state === 'cancelled') return `has ended ${snapshot.state}`;
        if (snapshot.state === 'succeeded' && !(await artifactsPresent(driver, snapshot.artifacts))) return 'has lost its artifact';
        return undefined;
      },
    };
    await preflightAnyToken(plan);
    const { ref, clientToken } = await startOrFind(driver, plan);
    await hostInfo(`export ${ref.adopted ? 'adopted' : 'started'}: task ${ref.taskId} (${spec.imageId} to ${spec.bucket})`);
    const outs = await finish(driver, inputs, ref, clientToken);
    return { id: ref.taskId, outs };
  },

  async read(id, props) {
    const state = props as Record<string, unknown>;
    const ref = state.task as TaskRef | undefined;
    if (!ref) return { id: '' };
    const driver = await driverOf(ref.cloud, ref.region, endpointsOf(state));
    let snapshot: TaskSnapshot;
    try {
      snapshot = await driver.describe(ref);
    } catch (error) {
      if (isNotFound(error)) return { id: '' };
      throw error;
    }
    if (snapshot.state === 'failed' || snapshot.state === 'cancelled') return { id: '' };
    if (snapshot.state === 'succeeded' && !(await artifactsPresent(driver, snapshot.artifacts))) return { id: '' };
    const outs = outputsOf(omit(state, OUTPUT_FIELDS), snapshot, String(state.clientToken ?? ref.clientToken ?? ''), state.verification);
    return { id, props: outs };
  },

  async update(_id, olds, news) {
    const previous = olds as Record<string, unknown>;
    const inputs = news as Record<string, unknown>;
    const ref = previous.task as TaskRef | undefined;
    const driver = ref ? await driverOf(ref.cloud, ref.region, endpointsOf(inputs)) : undefined;
    // New tags go to the cloud first, so that a resumed wait that gives up again does not leave them unapplied.
    if (ref && driver && tagsChanged(previous, inputs)) await retag(driver, ref, inputs.tags);
    if (ref && driver && (previous.taskState !== 'succeeded' || previous.verification === 'failed')) {
      // A create that timed out, or whose artifact failed verification, left this task: resume (or check again).
      await hostInfo(`export ${ref.taskId}: resuming the wait`);
      return { outs: await finish(driver, inputs, ref, String(previous.clientToken ?? ref.clientToken ?? '')) };
    }
    if (ref && !sameValue(previous.description, inputs.description)) {
      await hostInfo(`export ${ref.taskId}: no cloud can change a task's description: the new one is recorded in the Pulumi state only`);
    }
    const outputs = Object.fromEntries(OUTPUT_FIELDS.filter((field) => previous[field] !== undefined).map((field) => [field, previous[field]]));
    return { outs: toPlain({ ...omit(inputs, [PROVIDER_KEY]), ...outputs }) };
  },

  async delete(_id, props) {
    const state = props as Record<string, unknown>;
    const ref = state.task as TaskRef | undefined;
    if (!ref) return;
    const driver = await driverOf(ref.cloud, ref.region, endpointsOf(state));
    const timeoutMs = durationMs('deleteTimeout', state.deleteTimeout, DEFAULT_DELETE_TIMEOUT);
    if (ref.cloud === 'jdcloud') {
      const { drainJdcloudExport } = require('./jdcloud-drain') as typeof drainModule;
      await drainJdcloudExport(driver as JdcloudDriver, ref, timeoutMs, state.removalPolicy === 'destroy');
      return;
    }
    const final = await endTask(driver, ref, timeoutMs);
    if (state.removalPolicy !== 'destroy') return;
    const artifacts = final?.artifacts.length ? final.artifacts : ((state.artifacts as Artifact[] | undefined) ?? []);
    const storage = driver.storage();
    for (const artifact of artifacts) {
      await storage.delete(artifact.bucket, artifact.key);
      await hostInfo(`export ${ref.taskId}: deleted ${artifact.uri}`);
    }
  },
};
