/**
 * The CloudFormation lifecycle of the real CDK handler (its source, as bundled) against the emulator, with
 * `AWS_ENDPOINT_URL_*` pointing at it and the emulator's tasks moving in virtual time.
 */
import anyTest, { type TestFn } from 'ava';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from '../../../emulator';
import { createAwsDriver } from '../../../lib/clouds/aws';
import { type CloudDriver } from '../../../lib/clouds/cloud-driver';
import { VirtualClock } from '../../../lib/wait';
import { poll } from '../../../constructs/handler/image-task.lambda';
import { outbound, type WaitConditionSignal } from '../../../constructs/handler/outbound';
import { type PollerInput } from '../../../constructs/handler/poll';
import { EXPORT_RESOURCE_TYPE } from '../../../constructs/handler/resource-properties';
import { CloudFormationSimulator, CREATE_FAILED_MARKER } from './cloudformation-simulator';

interface Context {
  emulator: Emulator;
  clock: VirtualClock;
  driver: CloudDriver;
  cfn: CloudFormationSimulator;
  region: string;
}
const test = anyTest as TestFn<Context>;

const GOLDEN = 'ami-0600d000000000001';
const BUCKET = 'cdk-exports';
const ROLE = 'imageport-cdk-vmimport';

test.before(async (t) => {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const emulator = await startEmulator({ clock });
  const region = emulator.regions.aws.default;
  Object.assign(process.env, {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: emulator.credentials.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.credentials.aws.secretAccessKey,
    AWS_ENDPOINT_URL_EC2: emulator.endpoints.aws.ec2,
    AWS_ENDPOINT_URL_IAM: emulator.endpoints.aws.iam,
    AWS_ENDPOINT_URL_S3: emulator.endpoints.aws.s3,
    AWS_ENDPOINT_URL_STS: emulator.endpoints.aws.sts,
    IMAGEPORT_IS_COMPLETE_BUDGET_MS: '0',
  });
  const driver = createAwsDriver({ region, endpoints: { ...emulator.endpoints.aws }, credentials: emulator.credentials.aws });
  await driver.ensureRole({ cloud: 'aws', purpose: 'both', roleName: ROLE, exportBuckets: [BUCKET] });
  await driver.ensureBucket({ cloud: 'aws', region, name: BUCKET });
  t.context = { emulator, clock, driver, region, cfn: new CloudFormationSimulator(clock) };
});

test.after.always(async (t) => {
  await t.context?.emulator.stop();
});

function properties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
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

function exportTasks(t: { context: Context }): { id: string; clientToken?: string; state?: string }[] {
  return t.context.emulator.inspect().tasks as never;
}

async function stateOf(t: { context: Context }, taskId: string, cancelRequested = false): Promise<string> {
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

test.serial('Update of tags only starts no task and keeps the id and attributes', async (t) => {
  const { cfn } = t.context;
  const created = await cfn.send(cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'tags/' }) }));
  const before = exportTasks(t).length;
  const updated = await cfn.send(
    cfn.request({
      RequestType: 'Update',
      ResourceType: EXPORT_RESOURCE_TYPE,
      PhysicalResourceId: created.PhysicalResourceId,
      OldResourceProperties: properties({ Prefix: 'tags/' }),
      ResourceProperties: properties({ Prefix: 'tags/', Tags: { team: 'other' }, Description: 'now described' }),
    }),
  );
  t.is(updated.Status, 'SUCCESS', updated.Reason);
  t.is(updated.PhysicalResourceId, created.PhysicalResourceId);
  t.deepEqual(updated.Data, created.Data);
  t.is(exportTasks(t).length, before, 'no task was started');
});

test.serial('Delete during a running export cancels it; DESTROY deletes nothing that is not there', async (t) => {
  const { cfn } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'cancel/', ObjectRemovalPolicy: 'destroy' }) });
  const started = await cfn.onEventOnly(request);
  t.not(await stateOf(t, started.PhysicalResourceId), 'succeeded');
  const deleted = await cfn.send(
    cfn.request({ RequestType: 'Delete', ResourceType: EXPORT_RESOURCE_TYPE, PhysicalResourceId: started.PhysicalResourceId, ResourceProperties: request.ResourceProperties }),
  );
  t.is(deleted.Status, 'SUCCESS', deleted.Reason);
  await t.context.clock.sleep(600_000);
  // the task was ended by a cancel (a `deleted` task we cancelled), not left to run to completion
  t.is(await stateOf(t, started.PhysicalResourceId, true), 'cancelled');
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

test.serial('the Lambda dying between onEvent and isComplete converges on one task', async (t) => {
  const { cfn } = t.context;
  const request = cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Prefix: 'crash/' }) });
  const before = exportTasks(t).length;
  await cfn.onEventOnly(request); // started the task, then died before answering
  await t.context.clock.sleep(5_000);
  const response = await cfn.send(request); // Lambda's retry of the same invocation
  t.is(response.Status, 'SUCCESS', response.Reason);
  t.is(exportTasks(t).length, before + 1);
});

test.serial('the long-wait path signals the WaitCondition with the attributes, and the result resource reads them', async (t) => {
  const { cfn, clock } = t.context;
  const signals: WaitConditionSignal[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      t.is(req.method, 'PUT');
      signals.push(JSON.parse(body) as WaitConditionSignal);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const handleUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wait-handle?X-Amz-Signature=x`;
  const started: { name: string; input: PollerInput }[] = [];
  const realStart = outbound.startPoller;
  outbound.startPoller = async (name, input) => {
    started.push({ name, input: input as PollerInput });
  };
  try {
    const start = await cfn.send(
      cfn.request({ RequestType: 'Create', ResourceType: EXPORT_RESOURCE_TYPE, ResourceProperties: properties({ Stage: 'start', Prefix: 'long/', WaitHandle: handleUrl, TimeoutSeconds: '21600' }) }),
    );
    t.is(start.Status, 'SUCCESS', start.Reason);
    t.is(started.length, 1);
    // Step Functions: poll, wait as told, poll again, until done
    let state = { ...started[0].input, Done: false, WaitSeconds: 0 };
    for (let i = 0; i < 200 && !state.Done; i++) {
      await clock.sleep(state.WaitSeconds * 1000);
      state = await poll(state);
    }
    t.true(state.Done);
    t.is(signals.length, 1);
    const signal = signals[0];
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
    t.deepEqual(result.Data, { ...data });
  } finally {
    outbound.startPoller = realStart;
    server.close();
  }
});
