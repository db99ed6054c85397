import { type TaskKind, type TaskRef } from '../../lib/model/task';
import { SpecValidationError } from '../../lib/model/validation-issue';
import { type OnEventRequest, type OnEventResponse } from './cloudformation-event';
import { deleteTask } from './delete-task';
import { onImageEvent } from './image-stage';
import { outbound } from './outbound';
import { type PollerInput } from './poll';
import { Attr, Prop } from './resource-properties';
import { exportSpecOf, importSpecOf, isTaskId, kindOf, needsReplacement, stageOf, text, tokenOf } from './task-specs';
import { updateInPlace } from './update-in-place';

/** The Lambda's region. */
export function lambdaRegion(): string {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('AWS_REGION is not set');
  return region;
}

/**
 * onEvent of the Provider framework. Create (and an Update that changes a replace-forcing property) validates the
 * properties with the core rules, runs the driver's preflight, and starts the task with a deterministic token (so a
 * re-invocation finds the task it already started); the long-wait strategy also starts the poller. Any other
 * Update starts nothing and re-tags the task in place when its tags changed. Delete cancels a running task and,
 * under the destroy policy, deletes the exported file or the imported AMI. The `image` stage of an import is
 * handled by {@link onImageEvent}.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  const kind = kindOf(event.ResourceType);
  const stage = stageOf(event.ResourceProperties);
  const region = lambdaRegion();

  if (stage === 'image') return onImageEvent(event, region);
  if (stage === 'result') {
    if (event.RequestType === 'Delete') return {};
    return { PhysicalResourceId: `${text(event.ResourceProperties, Prop.taskId)}:result` };
  }
  if (event.RequestType === 'Delete') {
    await deleteTask(event, region);
    return {};
  }
  if (isInPlaceUpdate(kind, event)) return updateInPlace(event, region);
  const ref = await startTask(event, region);
  if (stage === 'start') await startPoller(event, ref);
  return { PhysicalResourceId: ref.taskId, Data: { [Attr.taskId]: ref.taskId } };
}

/** True for an Update of a task we started that changes nothing replace-forcing. */
export function isInPlaceUpdate(kind: TaskKind, event: OnEventRequest): event is OnEventRequest & { PhysicalResourceId: string } {
  return event.RequestType === 'Update' && isTaskId(event.PhysicalResourceId) && !needsReplacement(kind, event);
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
