/**
 * The CloudFormation lifecycle of an export: the handler bundle inside aws-cdk-lib's own Provider framework runtime
 * (see `cloudformation-simulator.ts`), against the emulator in virtual time.
 */
import anyTest, { type TestFn } from 'ava';
import { EXPORT_RESOURCE_TYPE } from '../../../constructs/handler/resource-properties';
import { startWaitConditionHandle } from '../support/local-endpoints';
import { CREATE_FAILED_MARKER } from './cloudformation-simulator';
import { BUCKET, GOLDEN, type Lifecycle, POLLER_ARN, ROLE, startLifecycle, taskTags, userTags } from './lifecycle-fixture';

const test = anyTest as TestFn<Lifecycle>;

test.before(async (t) => {
  t.context = await startLifecycle();
});

test.after.always(async (t) => {
  await t.context?.close();
});

function properties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Stage: 'task',
    ImageId: GOLDEN,
    Format: 'VMDK',
    Bucket: BUCKET,
    Prefix: 'exports/',
    RoleName: ROLE,
    Tags: { team: 'images' },
    TimeoutSeconds: '3600',
    ObjectRemovalPolicy: 'retain',
    ...overrides,
  };
}

function exportTasks(t: { context: Lifecycle }): { id: string; clientToken?: string; outcome: string }[] {
  return t.context.emulator.inspect().tasks.filter((task) => task.kind === 'export');
}

async function stateOf(t: { context: Lifecycle }, taskId: string, cancelRequested = false): Promise<string> {
  return (await t.context.driver.describe({ cloud: 'aws', region: t.context.region, kind: 'export', taskId, cancelRequested })).state;
}

test.serial('Create runs to completion through the isComplete loop and reports the file', async (t) => {
  const { cfn, driver } = t.context;
  const response = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties() }));
  t.is(response.Status, 'SUCCESS', response.Reason);
  t.regex(response.PhysicalResourceId, /^export-ami-[0-9a-f]{17}$/);
  const key = `exports/${response.PhysicalResourceId}.vmdk`;
  t.like(response.Data, { TaskId: response.PhysicalResourceId, ObjectKey: key, S3Uri: `s3://${BUCKET}/${key}`, Format: 'VMDK' });
  const head = await driver.storage().head(BUCKET, key);
  t.truthy(head);
  t.is(response.Data.SizeBytes, String(head!.sizeBytes));
  t.deepEqual(userTags(await taskTags(t.context, 'export', response.PhysicalResourceId)), { team: 'images' }, 'tagged at creation');
});

test.serial('Update of the format replaces (new task, new id); Delete of the old id keeps its file', async (t) => {
  const { cfn, driver } = t.context;
  const created = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'replace/' }) }));
  t.is(created.Status, 'SUCCESS', created.Reason);
  const updated = await cfn.send(
    cfn.request({
      RequestType: 'Update',
      ResourceType: EXPORT_RESOURCE_TYPE,
      PhysicalResourceId: created.PhysicalResourceId,
      OldResourceProperties: properties({ Prefix: 'replace/' }),
      ResourceProperties: properties({ Prefix: 'replace/', Format: 'RAW' }),
    }),
  );
  t.is(updated.Status, 'SUCCESS', updated.Reason);
  t.not(updated.PhysicalResourceId, created.PhysicalResourceId);
  t.is(updated.Data.ObjectKey, `replace/${updated.PhysicalResourceId}.raw`);
  // CloudFormation then deletes the old physical id, with the old properties
  const deleted = await cfn.send(
    cfn.request({ RequestType: 'Delete', ResourceType: EXPORT_RESOURCE_TYPE, PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: properties({ Prefix: 'replace/' }) }),
  );
  t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  t.truthy(await driver.storage().head(BUCKET, created.Data.ObjectKey), 'RETAIN keeps the old file');
});

test.serial('Update of tags re-tags the task in place: EC2 shows the new tags, no task is started, the id and attributes stay', async (t) => {
  const { cfn } = t.context;
  const created = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'tags/' }) }));
  t.is(created.Status, 'SUCCESS', created.Reason);
  const tokenTag = (await taskTags(t.context, 'export', created.PhysicalResourceId))['imageport:client-token'];
  t.truthy(tokenTag, 'the driver tags its tasks with their token');
  t.deepEqual(userTags(await taskTags(t.context, 'export', created.PhysicalResourceId)), { team: 'images' });
  const before = exportTasks(t).length;
  const retag = async (oldTags: unknown, newTags: unknown) =>
    cfn.send(
      cfn.request({
        RequestType: 'Update',
        ResourceType: EXPORT_RESOURCE_TYPE,
        PhysicalResourceId: created.PhysicalResourceId,
        OldResourceProperties: properties({ Prefix: 'tags/', Tags: oldTags }),
        ResourceProperties: properties({ Prefix: 'tags/', Tags: newTags, Description: 'now described' }),
      }),
    );
  const updated = await retag({ team: 'images' }, { team: 'other', stage: 'prod' });
  t.is(updated.Status, 'SUCCESS', updated.Reason);
  t.is(updated.PhysicalResourceId, created.PhysicalResourceId);
  t.deepEqual(updated.Data, created.Data);
  t.deepEqual(await taskTags(t.context, 'export', created.PhysicalResourceId), { team: 'other', stage: 'prod', 'imageport:client-token': tokenTag });
  const cleared = await retag({ team: 'other', stage: 'prod' }, undefined);
  t.is(cleared.Status, 'SUCCESS', cleared.Reason);
  t.deepEqual(await taskTags(t.context, 'export', created.PhysicalResourceId), { 'imageport:client-token': tokenTag }, 'removing the property removes the tags');
  t.is(exportTasks(t).length, before, 'no task was started');
});

test.serial('an in-place tags Update of a task EC2 no longer knows succeeds and says why the tags were not applied', async (t) => {
  const { cfn } = t.context;
  const gone = 'export-ami-0123456789abcdef0';
  const response = await cfn.send(
    cfn.request({
      RequestType: 'Update',
      ResourceType: EXPORT_RESOURCE_TYPE,
      PhysicalResourceId: gone,
      OldResourceProperties: properties({ Stage: 'start', Prefix: 'gone/' }),
      ResourceProperties: properties({ Stage: 'start', Prefix: 'gone/', Tags: { team: 'new' } }),
    }),
  );
  t.is(response.Status, 'SUCCESS', response.Reason);
  t.is(response.PhysicalResourceId, gone);
  t.true(cfn.logs.some((line) => line.includes(`export task ${gone} is no longer known to EC2, so its tags were not updated`)));
});

test.serial('Delete during a running export cancels it', async (t) => {
  const { cfn } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'cancel/', ObjectRemovalPolicy: 'destroy' }) });
  const started = await cfn.start(request);
  const taskId = String(started?.PhysicalResourceId);
  t.not(await stateOf(t, taskId), 'succeeded');
  const deleted = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: EXPORT_RESOURCE_TYPE, PhysicalResourceId: taskId, ResourceProperties: request.ResourceProperties }));
  t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  await t.context.clock.sleep(600_000);
  // the task was ended by a cancel (a `deleted` task we cancelled), not left to run to completion
  t.is(await stateOf(t, taskId, true), 'cancelled');
});

test.serial('Delete under DESTROY removes the exported file', async (t) => {
  const { cfn, driver } = t.context;
  const props = properties({ Prefix: 'destroy/', ObjectRemovalPolicy: 'destroy' });
  const created = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: props }));
  t.truthy(await driver.storage().head(BUCKET, created.Data.ObjectKey));
  const deleted = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: EXPORT_RESOURCE_TYPE, PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: props }));
  t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  t.is(await driver.storage().head(BUCKET, created.Data.ObjectKey), undefined);
});

test.serial('fails a Create with a clear reason, and the rollback Delete succeeds', async (t) => {
  const { cfn } = t.context;
  const bad = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Format: 'QCOW2', Description: 'd'.repeat(300) }) }));
  t.is(bad.Status, 'FAILED');
  t.is(bad.PhysicalResourceId, CREATE_FAILED_MARKER);
  t.regex(bad.Reason, /format: "QCOW2" is not an export format of AWS \(allowed: VMDK, RAW, VHD\)/);
  t.regex(bad.Reason, /description: .* must be at most 255 characters/);
  const missing = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ ImageId: 'ami-0ffffffffffffffff' }) }));
  t.is(missing.Status, 'FAILED');
  t.regex(missing.Reason, /ami-0ffffffffffffffff/);
  for (const failed of [bad, missing]) {
    const rollback = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: EXPORT_RESOURCE_TYPE, PhysicalResourceId: failed.PhysicalResourceId, ResourceProperties: properties() }));
    t.is(rollback.Status, 'SUCCESS');
  }
});

test.serial('a repeated Create with the same request id starts no second task', async (t) => {
  const { cfn } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'repeat/' }) });
  const first = await cfn.send(request);
  const second = await cfn.send(request);
  t.is(first.Status, 'SUCCESS', first.Reason);
  t.is(second.PhysicalResourceId, first.PhysicalResourceId);
  t.is(exportTasks(t).filter((task) => task.id === first.PhysicalResourceId).length, 1);
});

test.serial('the framework Lambda dying after the user onEvent converges on one task', async (t) => {
  const { cfn } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'crash/' }) });
  const before = exportTasks(t).length;
  await cfn.invokeUserOnEvent(request); // started the task, then the framework Lambda died before the waiter
  await t.context.clock.sleep(5_000);
  const response = await cfn.send(request); // Lambda's retry of the same asynchronous invocation
  t.is(response.Status, 'SUCCESS', response.Reason);
  t.is(exportTasks(t).length, before + 1);
});

test.serial('the framework reports a timeout when the export outlasts the waiter, and the Delete that follows cancels it', async (t) => {
  const { cfn, clock } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'timeout/' }) });
  const response = await cfn.send(request, { maxAttempts: 2 });
  t.is(response.Status, 'FAILED');
  t.is(response.Reason, 'Operation timed out');
  t.regex(response.PhysicalResourceId, /^export-ami-/);
  const deleted = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: EXPORT_RESOURCE_TYPE, PhysicalResourceId: response.PhysicalResourceId, ResourceProperties: request.ResourceProperties }));
  t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  await clock.sleep(600_000);
  t.is(await stateOf(t, response.PhysicalResourceId, true), 'cancelled');
});

test.serial('the long-wait path starts the poller, signals the WaitCondition with the attributes, and the result resource reads them', async (t) => {
  const { cfn, clock, bundle, stepFunctions } = t.context;
  const handle = await startWaitConditionHandle();
  try {
    const start = await cfn.send(
      cfn.request({
        RequestType: 'Create',
        ResourceType: EXPORT_RESOURCE_TYPE,
        ResourceProperties: properties({ Stage: 'start', Prefix: 'long/', WaitHandle: handle.signalUrl, TimeoutSeconds: '21600' }),
      }),
    );
    t.is(start.Status, 'SUCCESS', start.Reason);
    const execution = stepFunctions.received.find((e) => (e.input as { Ref: { taskId: string } }).Ref.taskId === start.PhysicalResourceId);
    t.truthy(execution, 'the poller was started on Step Functions');
    t.is(execution!.stateMachineArn, POLLER_ARN);
    t.regex(execution!.name, /^ip-[0-9a-f]{40}$/);
    // Step Functions: poll, wait as told, poll again, until done
    let state = { ...(execution!.input as object), Done: false, WaitSeconds: 0 } as { Done: boolean; WaitSeconds: number };
    for (let i = 0; i < 200 && !state.Done; i++) {
      await clock.sleep(state.WaitSeconds * 1000);
      state = (await bundle.poll(state)) as typeof state;
    }
    t.true(state.Done);
    t.is(handle.received.length, 1);
    const signal = handle.received[0];
    t.is(signal.Status, 'SUCCESS');
    t.is(signal.UniqueId, start.PhysicalResourceId);
    t.regex(signal.Reason, /completed/);
    const data = JSON.parse(signal.Data) as Record<string, string>;
    t.is(data.ObjectKey, `long/${start.PhysicalResourceId}.vmdk`);
    const result = await cfn.send(
      cfn.request({
        RequestType: 'Create',
        ResourceType: EXPORT_RESOURCE_TYPE,
        ResourceProperties: { Stage: 'result', Format: 'VMDK', Bucket: BUCKET, Prefix: 'long/', TaskId: start.PhysicalResourceId, WaitData: signal.Data },
      }),
    );
    t.is(result.Status, 'SUCCESS', result.Reason);
    t.is(result.PhysicalResourceId, `${start.PhysicalResourceId}:result`);
    t.deepEqual(result.Data, { ...data });
  } finally {
    await handle.close();
  }
});

test('the handler bundle (built as npm run build does) stays under 100 KB', (t) => {
  t.true(t.context.bundle.bytes < 100 * 1024, `${(t.context.bundle.bytes / 1024).toFixed(1)} KiB`);
  t.log(`handler bundle: ${(t.context.bundle.bytes / 1024).toFixed(1)} KiB`);
});

test.serial('nothing the framework or the handler logged carries the credentials', (t) => {
  const { cfn, emulator } = t.context;
  t.true(cfn.logs.length > 0, 'the framework logs every request');
  const secret = emulator.credentials.aws.secretAccessKey;
  t.false(cfn.logs.some((line) => line.includes(secret)));
});
