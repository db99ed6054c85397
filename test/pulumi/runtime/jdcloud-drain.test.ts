import test from 'ava';
import { ExportBucket } from '../../../pulumi/jdcloud/export-bucket';
import { ImageExport } from '../../../pulumi/jdcloud/image-export';
import { ImageExportRole } from '../../../pulumi/jdcloud/image-export-role';
import { dynamicResources, type ResourceStateEntry } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, resourceOf } from '../../support/pulumi-example-stack';
import { startHostFixture, waitUntil, type HostFixture } from '../../support/pulumi-host-fixture';
import { runUnderMocks } from '../../support/pulumi-mock-program';
import { ProviderCallError } from '../../support/pulumi-provider-host';

const DYNAMIC = 'pulumi-nodejs:dynamic/imageport/jdcloud';

let fx: HostFixture;

test.before(async () => {
  assertRuntimeBuilt();
  fx = await startHostFixture(600);
});

test.after.always(async () => {
  await fx?.stop();
});

test.serial('destroying a running JD export (no cancel API) waits for its end, then removes what it wrote with removalPolicy destroy', async (t) => {
  const run = await runUnderMocks(() => {
    const bucket = new ExportBucket('exports', { bucketName: 'drain-exports', region: 'cn-east-2' });
    const role = new ImageExportRole('role', { roleName: 'drain-export', exportBuckets: [bucket.bucketName] });
    new ImageExport('golden', {
      region: 'cn-east-2',
      imageId: 'img-g01den0001',
      bucket: bucket.bucketName,
      roleName: role.roleName,
      prefix: 'drain',
      waitTimeout: '500ms',
      removalPolicy: 'destroy',
    });
  });
  const dynamic = dynamicResources(run.resources);
  const { engine, host, emulator, clock } = fx;
  for (const type of ['Bucket', 'ServiceRole', 'Policy', 'RolePolicyAttachment']) await engine.create(resourceOf(dynamic, `${DYNAMIC}:${type}`));
  const exportResource = resourceOf(dynamic, `${DYNAMIC}:ImageExportTask`);

  // The wait gives up while the export stands still: the engine records the task.
  clock.freeze();
  const error = await t.throwsAsync(() => engine.create(exportResource), { instanceOf: ProviderCallError });
  const failure = error!.initFailure!;
  const running = () => emulator.inspect().tasks.find((task) => task.cloud === 'jdcloud' && task.id === failure.id)!;
  t.is(running().outcome, 'running');
  const state: ResourceStateEntry = { urn: exportResource.urn, type: exportResource.type, name: exportResource.name, id: failure.id, inputs: exportResource.inputs, outputs: failure.properties };

  // destroy: JD cannot cancel, so delete waits for the end (time runs again once it waits) and removes the file
  const destroyed = engine.delete(state);
  await waitUntil(() => host.logs.some((entry) => /cannot cancel an export; waiting for it to end/.test(entry.message)), 'delete to start waiting');
  t.is(running().outcome, 'running', 'still running when delete began to wait');
  clock.run();
  await destroyed;
  t.is(running().outcome, 'succeeded', 'the task ran to its end');
  const objects = emulator.inspect().buckets.find((b) => b.cloud === 'jdcloud' && b.name === 'drain-exports')!.objects;
  t.deepEqual(objects, [], 'what the export wrote was removed');
});
