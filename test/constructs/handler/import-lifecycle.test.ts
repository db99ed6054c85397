/**
 * The CloudFormation lifecycle of an import: its task resource and its `Image` resource (physical id = the AMI id),
 * the handler bundle inside aws-cdk-lib's own Provider framework runtime, against the emulator in virtual time.
 */
import anyTest, { type TestFn } from 'ava';
import { EXPORT_RESOURCE_TYPE, IMPORT_RESOURCE_TYPE } from '../../../constructs/handler/resource-properties';
import { type CfnResponse } from './cloudformation-simulator';
import { BUCKET, describeImage, GOLDEN, type Lifecycle, ROLE, snapshotExists, SOURCE_SNAPSHOT, startLifecycle, taskTags, userTags } from './lifecycle-fixture';

const test = anyTest as TestFn<Lifecycle>;

test.before(async (t) => {
  t.context = await startLifecycle();
});

test.after.always(async (t) => {
  await t.context?.close();
});

function taskProperties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Stage: 'task',
    Disks: [{ SnapshotId: SOURCE_SNAPSHOT }],
    Platform: 'Linux',
    RoleName: ROLE,
    Description: 'appliance',
    Tags: { team: 'images' },
    TimeoutSeconds: '3600',
    ImageRemovalPolicy: 'retain',
    ...overrides,
  };
}

function imageProperties(taskId: string, removal: 'retain' | 'destroy'): Record<string, unknown> {
  return { Stage: 'image', TaskId: taskId, ImageRemovalPolicy: removal };
}

function importTasks(t: { context: Lifecycle }): { id: string; outcome: string }[] {
  return t.context.emulator.inspect().tasks.filter((task) => task.kind === 'import');
}

async function stateOf(t: { context: Lifecycle }, taskId: string, cancelRequested = false): Promise<string> {
  return (await t.context.driver.describe({ cloud: 'aws', region: t.context.region, kind: 'import', taskId, cancelRequested })).state;
}

/** Create of the task resource, then of the Image resource, as CloudFormation orders them (GetAtt TaskId). */
async function createImport(t: { context: Lifecycle }, removal: 'retain' | 'destroy', overrides: Record<string, unknown> = {}): Promise<{ task: CfnResponse; image: CfnResponse }> {
  const { cfn } = t.context;
  const task = await cfn.send(
    cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceTask', ResourceProperties: taskProperties({ ImageRemovalPolicy: removal, ...overrides }) }),
  );
  if (task.Status !== 'SUCCESS') throw new Error(`import failed: ${task.Reason}`);
  const image = await cfn.send(
    cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceImage', ResourceProperties: imageProperties(task.Data.TaskId, removal) }),
  );
  return { task, image };
}

test.serial('Create imports to completion; the Image resource holds the new AMI, which launches and exports', async (t) => {
  const { cfn } = t.context;
  const { task, image } = await createImport(t, 'retain');
  t.regex(task.PhysicalResourceId, /^import-ami-[0-9a-f]{17}$/);
  t.like(task.Data, { TaskId: task.PhysicalResourceId });
  t.regex(task.Data.ImageId, /^ami-[0-9a-f]{17}$/);
  t.is(image.Status, 'SUCCESS', image.Reason);
  t.is(image.PhysicalResourceId, task.Data.ImageId, 'Ref of the Image resource (machineImage) is the AMI id');
  t.deepEqual(image.Data, { ImageId: task.Data.ImageId, TaskId: task.PhysicalResourceId });
  const ami = await describeImage(t.context, image.PhysicalResourceId);
  t.is(ami?.state, 'available');
  t.deepEqual(userTags(await taskTags(t.context, 'import', task.PhysicalResourceId)), { team: 'images' });
  // usable: an export of the imported AMI runs to completion
  const exported = await cfn.send(
    cfn.request({
      RequestType: 'Create',
      ResourceType: EXPORT_RESOURCE_TYPE,
      ResourceProperties: { Stage: 'task', ImageId: image.PhysicalResourceId, Format: 'VMDK', Bucket: BUCKET, Prefix: 'reexport/', RoleName: ROLE, ObjectRemovalPolicy: 'retain' },
    }),
  );
  t.is(exported.Status, 'SUCCESS', exported.Reason);
  t.truthy(await t.context.driver.storage().head(BUCKET, exported.Data.ObjectKey));
});

test.serial('fails an import that EC2 rejects with the cloud reason, and the rollback Delete succeeds', async (t) => {
  const { cfn, driver } = t.context;
  await driver.storage().put(BUCKET, 'bad/not-a-disk.vmdk', 'this is not a VMDK file, just text');
  const props = taskProperties({ Disks: [{ Bucket: BUCKET, Key: 'bad/not-a-disk.vmdk', Format: 'VMDK' }] });
  const failed = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, ResourceProperties: props }));
  t.is(failed.Status, 'FAILED');
  t.regex(failed.PhysicalResourceId, /^import-ami-/, 'the task started; its id is what CloudFormation will delete');
  t.regex(failed.Reason, /ClientError/);
  t.is(await stateOf(t, failed.PhysicalResourceId), 'failed');
  const rollback = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, PhysicalResourceId: failed.PhysicalResourceId, ResourceProperties: props }));
  t.is(rollback.Status, 'SUCCESS', rollback.Reason);
});

test.serial('fails a Create whose disks cannot be imported before starting anything, naming the fields', async (t) => {
  const { cfn } = t.context;
  const before = importTasks(t).length;
  const bad = await cfn.send(
    cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, ResourceProperties: taskProperties({ Disks: [{ SnapshotId: 'vol-123' }], Architecture: 'sparc' }) }),
  );
  t.is(bad.Status, 'FAILED');
  t.regex(bad.Reason, /disks\[0\]\.snapshotId: "vol-123"/);
  t.regex(bad.Reason, /architecture: "sparc"/);
  t.is(importTasks(t).length, before);
});

test.serial('Delete during a running import cancels it', async (t) => {
  const { cfn, clock } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, ResourceProperties: taskProperties({ Description: 'cancelled' }) });
  const started = await cfn.start(request);
  const taskId = String(started?.PhysicalResourceId);
  t.regex(taskId, /^import-ami-/);
  t.not(await stateOf(t, taskId), 'succeeded');
  const deleted = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, PhysicalResourceId: taskId, ResourceProperties: request.ResourceProperties }));
  t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  await clock.sleep(600_000);
  t.is(await stateOf(t, taskId, true), 'cancelled');
  t.is(importTasks(t).find((task) => task.id === taskId)?.outcome, 'cancelled');
});

test.serial('a repeated Create with the same request id starts one import', async (t) => {
  const { cfn } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, ResourceProperties: taskProperties({ Description: 'repeated' }) });
  const before = importTasks(t).length;
  await cfn.invokeUserOnEvent(request); // the framework Lambda died after starting the task
  const first = await cfn.send(request);
  const second = await cfn.send(request);
  t.is(first.Status, 'SUCCESS', first.Reason);
  t.is(second.PhysicalResourceId, first.PhysicalResourceId);
  t.is(importTasks(t).length, before + 1);
});

test.serial('Update of tags re-tags the import task and its AMI in place; no import is started, the AMI stays', async (t) => {
  const { cfn } = t.context;
  const { task, image } = await createImport(t, 'retain', { Description: 'retagged' });
  const before = importTasks(t).length;
  const updated = await cfn.send(
    cfn.request({
      RequestType: 'Update',
      ResourceType: IMPORT_RESOURCE_TYPE,
      LogicalResourceId: 'ApplianceTask',
      PhysicalResourceId: task.PhysicalResourceId,
      OldResourceProperties: taskProperties({ Description: 'retagged' }),
      ResourceProperties: taskProperties({ Description: 'retagged', Tags: { team: 'platform', tier: 'gold' } }),
    }),
  );
  t.is(updated.Status, 'SUCCESS', updated.Reason);
  t.is(updated.PhysicalResourceId, task.PhysicalResourceId);
  t.deepEqual(updated.Data, task.Data, 'the attributes are reported again');
  t.deepEqual(userTags(await taskTags(t.context, 'import', task.PhysicalResourceId)), { team: 'platform', tier: 'gold' });
  t.like((await describeImage(t.context, image.PhysicalResourceId))?.tags, { team: 'platform', tier: 'gold' });
  t.is(importTasks(t).length, before, 'no import was started');
});

test.serial('Delete under RETAIN keeps the AMI and its snapshots', async (t) => {
  const { cfn } = t.context;
  const { task, image } = await createImport(t, 'retain', { Description: 'kept' });
  const ami = await describeImage(t.context, image.PhysicalResourceId);
  t.true((ami?.snapshotIds.length ?? 0) > 0);
  for (const [logicalId, physicalId, props] of [
    ['ApplianceImage', image.PhysicalResourceId, imageProperties(task.PhysicalResourceId, 'retain')],
    ['ApplianceTask', task.PhysicalResourceId, taskProperties({ Description: 'kept' })],
  ] as const) {
    const deleted = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: logicalId, PhysicalResourceId: physicalId, ResourceProperties: props }));
    t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  }
  t.is((await describeImage(t.context, image.PhysicalResourceId))?.state, 'available');
  for (const snapshotId of ami!.snapshotIds) t.true(await snapshotExists(t.context, snapshotId));
});

test.serial('Delete under DESTROY deregisters the AMI and deletes its snapshots; the source snapshot stays', async (t) => {
  const { cfn } = t.context;
  const { task, image } = await createImport(t, 'destroy', { Description: 'destroyed' });
  const ami = await describeImage(t.context, image.PhysicalResourceId);
  t.true((ami?.snapshotIds.length ?? 0) > 0);
  t.false(ami!.snapshotIds.includes(SOURCE_SNAPSHOT));
  // stack deletion: the Image resource first (it depends on the task resource), then the task resource
  const imageDeleted = await cfn.send(
    cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceImage', PhysicalResourceId: image.PhysicalResourceId, ResourceProperties: imageProperties(task.PhysicalResourceId, 'destroy') }),
  );
  t.is(imageDeleted.Status, 'SUCCESS', imageDeleted.Reason);
  t.is(await describeImage(t.context, image.PhysicalResourceId), undefined);
  for (const snapshotId of ami!.snapshotIds) t.false(await snapshotExists(t.context, snapshotId));
  t.true(await snapshotExists(t.context, SOURCE_SNAPSHOT));
  const taskDeleted = await cfn.send(
    cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceTask', PhysicalResourceId: task.PhysicalResourceId, ResourceProperties: taskProperties({ Description: 'destroyed', ImageRemovalPolicy: 'destroy' }) }),
  );
  t.is(taskDeleted.Status, 'SUCCESS', taskDeleted.Reason);
});

test.serial('under DESTROY, deleting a task resource whose import finished anyway (no Image resource yet) deletes that AMI', async (t) => {
  const { cfn } = t.context;
  const props = taskProperties({ Description: 'late cancel', ImageRemovalPolicy: 'destroy' });
  const task = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, ResourceProperties: props }));
  t.is(task.Status, 'SUCCESS', task.Reason);
  t.is((await describeImage(t.context, task.Data.ImageId))?.state, 'available');
  const deleted = await cfn.send(cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, PhysicalResourceId: task.PhysicalResourceId, ResourceProperties: props }));
  t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  t.is(await describeImage(t.context, task.Data.ImageId), undefined);
});

test.serial('a replaced import gives the Image resource a new AMI id; CloudFormation then deletes the old AMI under DESTROY', async (t) => {
  const { cfn } = t.context;
  const { task, image } = await createImport(t, 'destroy', { Description: 'v1' });
  const oldProps = taskProperties({ Description: 'v1', ImageRemovalPolicy: 'destroy' });
  const newProps = taskProperties({ Description: 'v1', ImageRemovalPolicy: 'destroy', Platform: 'Windows' });
  const replaced = await cfn.send(
    cfn.request({ RequestType: 'Update', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceTask', PhysicalResourceId: task.PhysicalResourceId, OldResourceProperties: oldProps, ResourceProperties: newProps }),
  );
  t.is(replaced.Status, 'SUCCESS', replaced.Reason);
  t.not(replaced.PhysicalResourceId, task.PhysicalResourceId, 'a new import');
  const imageUpdated = await cfn.send(
    cfn.request({
      RequestType: 'Update',
      ResourceType: IMPORT_RESOURCE_TYPE,
      LogicalResourceId: 'ApplianceImage',
      PhysicalResourceId: image.PhysicalResourceId,
      OldResourceProperties: imageProperties(task.PhysicalResourceId, 'destroy'),
      ResourceProperties: imageProperties(replaced.PhysicalResourceId, 'destroy'),
    }),
  );
  t.is(imageUpdated.Status, 'SUCCESS', imageUpdated.Reason);
  t.is(imageUpdated.PhysicalResourceId, replaced.Data.ImageId);
  t.not(imageUpdated.PhysicalResourceId, image.PhysicalResourceId);
  // cleanup phase: the old physical ids, with their old properties
  const oldImage = await cfn.send(
    cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceImage', PhysicalResourceId: image.PhysicalResourceId, ResourceProperties: imageProperties(task.PhysicalResourceId, 'destroy') }),
  );
  const oldTask = await cfn.send(
    cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceTask', PhysicalResourceId: task.PhysicalResourceId, ResourceProperties: oldProps }),
  );
  t.is(oldImage.Status, 'SUCCESS', oldImage.Reason);
  t.is(oldTask.Status, 'SUCCESS', oldTask.Reason);
  t.is(await describeImage(t.context, image.PhysicalResourceId), undefined, 'the old AMI is gone');
  t.is((await describeImage(t.context, imageUpdated.PhysicalResourceId))?.state, 'available', 'the new one stays');
});

test.serial('switching the removal policy updates the Image resource in place, reading nothing', async (t) => {
  const { cfn } = t.context;
  const { task, image } = await createImport(t, 'retain', { Description: 'policy switch' });
  const updated = await cfn.send(
    cfn.request({
      RequestType: 'Update',
      ResourceType: IMPORT_RESOURCE_TYPE,
      LogicalResourceId: 'ApplianceImage',
      PhysicalResourceId: image.PhysicalResourceId,
      OldResourceProperties: imageProperties(task.PhysicalResourceId, 'retain'),
      ResourceProperties: imageProperties(task.PhysicalResourceId, 'destroy'),
    }),
  );
  t.is(updated.Status, 'SUCCESS', updated.Reason);
  t.is(updated.PhysicalResourceId, image.PhysicalResourceId);
  t.deepEqual(updated.Data, image.Data);
});

test.serial('fails the Image resource of an import task EC2 does not know, naming the task', async (t) => {
  const { cfn } = t.context;
  const response = await cfn.send(
    cfn.request({ RequestType: 'Create', ResourceType: IMPORT_RESOURCE_TYPE, LogicalResourceId: 'ApplianceImage', ResourceProperties: imageProperties('import-ami-0123456789abcdef0', 'destroy') }),
  );
  t.is(response.Status, 'FAILED');
  t.regex(response.Reason, /import task import-ami-0123456789abcdef0 is unknown to EC2/);
});

test.serial('a golden AMI never gets deleted through an Image resource it does not hold', async (t) => {
  const { cfn } = t.context;
  // a Delete whose physical id is not an AMI (the framework's failed-Create marker) does nothing
  const marker = await cfn.send(
    cfn.request({ RequestType: 'Delete', ResourceType: IMPORT_RESOURCE_TYPE, PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', ResourceProperties: imageProperties('x', 'destroy') }),
  );
  t.is(marker.Status, 'SUCCESS', marker.Reason);
  t.is((await describeImage(t.context, GOLDEN))?.state, 'available');
});
