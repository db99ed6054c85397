import { CloudError } from '../../lib/model/cloud-error';
import { type TaskRef } from '../../lib/model/task';
import { SpecValidationError } from '../../lib/model/validation-issue';
import { exportAttributes } from './attributes';
import { type OnEventRequest, type OnEventResponse } from './cloudformation-event';
import { outbound } from './outbound';
import { type PollerInput } from './poll';
import { Attr, exportObjectKey, Prop } from './resource-properties';
import { exportSpecOf, importSpecOf, isTaskId, kindOf, needsReplacement, stageOf, taskRefOf, text, tokenOf } from './task-specs';

/** The Lambda's region. */
export function lambdaRegion(): string {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('AWS_REGION is not set');
  return region;
}

/**
 * onEvent of the Provider framework. Create (and an Update that changes a replace-forcing property) validates the
 * properties with the core rules, runs the driver's preflight, and starts the task with a deterministic token (so a
 * re-invocation finds the task it already started); the long-wait strategy also starts the poller. An Update of
 * tags or description starts nothing. Delete cancels a running task and, under the destroy policy, deletes the
 * exported file.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  const kind = kindOf(event.ResourceType);
  const stage = stageOf(event.ResourceProperties);
  const region = lambdaRegion();

  if (stage === 'result') {
    if (event.RequestType === 'Delete') return {};
    return { PhysicalResourceId: `${text(event.ResourceProperties, Prop.taskId)}:result` };
  }
  if (event.RequestType === 'Delete') {
    await deleteTask(event, region);
    return {};
  }
  if (event.RequestType === 'Update' && isTaskId(event.PhysicalResourceId) && !needsReplacement(kind, event)) {
    const taskId = event.PhysicalResourceId;
    if (kind === 'export' && stage === 'task') {
      const driver = outbound.driver(region);
      const ref = taskRefOf(kind, taskId, event.ResourceProperties, region);
      return { PhysicalResourceId: taskId, Data: await exportAttributes(driver, ref, event.ResourceProperties) };
    }
    return { PhysicalResourceId: taskId, Data: { [Attr.taskId]: taskId } };
  }
  const ref = await startTask(event, region);
  if (stage === 'start') await startPoller(event, ref);
  return { PhysicalResourceId: ref.taskId, Data: { [Attr.taskId]: ref.taskId } };
}

async function startTask(event: OnEventRequest, region: string): Promise<TaskRef> {
  const kind = kindOf(event.ResourceType);
  const driver = outbound.driver(region);
  const subject = `${kind === 'export' ? 'ImageExport' : 'ImageImport'} ${event.LogicalResourceId}`;
  const token = tokenOf(kind, event);
  if (kind === 'export') {
    const spec = exportSpecOf(event.ResourceProperties, region);
    const issues = driver.validateExport(spec);
    if (issues.length > 0) throw new SpecValidationError(subject, issues);
    await preflight(subject, () => driver.preflightExport({ ...spec, clientToken: token }));
    return driver.startExport(spec, token);
  }
  const spec = importSpecOf(event.ResourceProperties, region);
  const issues = driver.validateImport(spec);
  if (issues.length > 0) throw new SpecValidationError(subject, issues);
  await preflight(subject, () => driver.preflightImport({ ...spec, clientToken: token }));
  return driver.startImport(spec, token);
}

async function preflight(subject: string, run: () => Promise<{ problems: readonly { code: string; message: string; fix?: string }[] }>): Promise<void> {
  const { problems } = await run();
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  - ${p.code}: ${p.message}${p.fix ? ` Fix: ${p.fix}` : ''}`);
  throw new Error(`${subject} would fail:\n${lines.join('\n')}`);
}

async function startPoller(event: OnEventRequest, ref: TaskRef): Promise<void> {
  const kind = kindOf(event.ResourceType);
  const signalUrl = text(event.ResourceProperties, Prop.waitHandle);
  if (!signalUrl) throw new Error(`${event.LogicalResourceId}: the long-wait strategy needs the ${Prop.waitHandle} property`);
  const now = Date.now();
  const timeoutSeconds = Number(text(event.ResourceProperties, Prop.timeoutSeconds) ?? 3600);
  const input: PollerInput = {
    Ref: ref,
    Properties: pickAttributeProperties(event.ResourceProperties),
    SignalUrl: signalUrl,
    StartedMs: now,
    DeadlineMs: now + timeoutSeconds * 1000,
    Readings: [],
  };
  await outbound.startPoller(tokenOf(kind, event), input);
}

/** The few properties the poller needs to compute attributes (never tags or description). */
function pickAttributeProperties(properties: Readonly<Record<string, unknown>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of [Prop.format, Prop.bucket, Prop.prefix]) {
    const value = text(properties, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

async function deleteTask(event: OnEventRequest, region: string): Promise<void> {
  if (!isTaskId(event.PhysicalResourceId)) return;
  const kind = kindOf(event.ResourceType);
  const driver = outbound.driver(region);
  const ref = taskRefOf(kind, event.PhysicalResourceId, event.ResourceProperties, region);
  try {
    await driver.cancel(ref);
  } catch (error) {
    if (!(error instanceof CloudError && error.kind === 'not-found')) throw error;
  }
  if (kind === 'export' && text(event.ResourceProperties, Prop.removalPolicy) === 'destroy') {
    const bucket = text(event.ResourceProperties, Prop.bucket);
    const format = text(event.ResourceProperties, Prop.format);
    if (bucket && format) await driver.storage().delete(bucket, exportObjectKey(text(event.ResourceProperties, Prop.prefix), ref.taskId, format));
  }
}
