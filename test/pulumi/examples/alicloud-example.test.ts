import test from 'ava';
import { startEmulator, type Emulator } from '../../../emulator';
import { applyAlicloudResources } from '../../support/pulumi-alicloud-apply';
import { dynamicResources, findSecrets, MiniEngine } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, loadExample, resourceOf } from '../../support/pulumi-example-stack';
import { runUnderMocks } from '../../support/pulumi-mock-program';
import { FAST_POLLING, ProviderHost } from '../../support/pulumi-provider-host';

const EXPORT_TYPE = 'pulumi-nodejs:dynamic/imageport/alicloud:ImageExportTask';

let emulator: Emulator;

test.before(async () => {
  assertRuntimeBuilt();
  emulator = await startEmulator({ speed: 600 });
});

test.after.always(async () => {
  await emulator?.stop();
});

test.serial('engine-less pulumi up of examples/pulumi/alicloud: the scoped RAM role lets ECS write the RAW export, through the real host', async (t) => {
  const example = loadExample('alicloud');
  const run = await runUnderMocks(example.program, { project: example.project, stack: 'local', config: example.config });
  t.deepEqual(dynamicResources(run.resources).map((r) => r.type), [EXPORT_TYPE]);
  const exportResource = resourceOf(run.resources, EXPORT_TYPE);
  t.like(exportResource.inputs, { cloud: 'alicloud', region: 'cn-hangzhou', imageId: 'm-g01den0hangzhou001', format: 'raw', bucket: 'imageport-example-exports', prefix: 'golden' });

  const applied = await applyAlicloudResources(run.resources, {
    endpoints: emulator.endpoints.alicloud,
    credentials: emulator.credentials.alicloud,
    region: 'cn-hangzhou',
  });
  t.deepEqual(applied, ['alicloud:oss/bucket:Bucket', 'alicloud:ram/role:Role', 'alicloud:ram/policy:Policy', 'alicloud:ram/rolePolicyAttachment:RolePolicyAttachment']);

  const host = await ProviderHost.start({ env: { ...emulator.env }, project: example.project, config: FAST_POLLING });
  const engine = new MiniEngine(host);
  try {
    const created = await engine.create(exportResource);
    const tasks = emulator.inspect().tasks.filter((task) => task.cloud === 'alicloud' && task.kind === 'export');
    t.is(tasks.length, 1);
    t.is(created.id, tasks[0].id);
    const key = 'golden_m-g01den0hangzhou001_system.raw.tar.gz';
    t.like(created.outputs, { objectKey: key, uri: `oss://imageport-example-exports/${key}`, format: 'raw', artifactFormat: 'raw.tar.gz', taskState: 'succeeded' });
    const stored = emulator.inspect().buckets.find((b) => b.cloud === 'alicloud' && b.name === 'imageport-example-exports')?.objects.find((o) => o.key === key);
    t.is(created.outputs.sizeBytes, stored?.sizeBytes);

    // A second up with the same inputs finds nothing to do.
    const again = await engine.update(created, exportResource.inputs);
    t.is(again.kind, 'same');

    await engine.delete(created);
    const secrets = { 'Alibaba secret': emulator.credentials.alicloud.secretAccessKey, 'Alibaba key id': emulator.credentials.alicloud.accessKeyId };
    t.deepEqual(findSecrets(secrets, { inputs: run.resources.map((r) => r.inputs), calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }), []);
  } finally {
    await host.stop();
  }
});
