import test from 'ava';
import { startEmulator, type Emulator } from '../../../emulator';
import { applyAlicloudResources } from '../../support/pulumi-alicloud-apply';
import { applyAwsResources } from '../../support/pulumi-aws-apply';
import { dynamicResources, findSecrets, MiniEngine } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, loadExample, resourceOf } from '../../support/pulumi-example-stack';
import { runUnderMocks } from '../../support/pulumi-mock-program';
import { FAST_POLLING, ProviderHost } from '../../support/pulumi-provider-host';

let emulator: Emulator;

test.before(async () => {
  assertRuntimeBuilt();
  emulator = await startEmulator({ speed: 600 });
});

test.after.always(async () => {
  await emulator?.stop();
});

test.serial('engine-less pulumi up of examples/pulumi/all-clouds: the same golden image exported from the three clouds, in parallel, in one host', async (t) => {
  const example = loadExample('all-clouds');
  const run = await runUnderMocks(example.program, { project: example.project, stack: 'local', config: example.config });
  await applyAwsResources(run.resources, { endpoints: emulator.endpoints.aws, credentials: emulator.credentials.aws, region: 'us-east-1' });
  await applyAlicloudResources(run.resources, { endpoints: emulator.endpoints.alicloud, credentials: emulator.credentials.alicloud, region: 'cn-hangzhou' });

  const host = await ProviderHost.start({ env: { ...emulator.env }, project: example.project, config: FAST_POLLING });
  const engine = new MiniEngine(host);
  try {
    const dynamic = dynamicResources(run.resources);
    const jd = 'pulumi-nodejs:dynamic/imageport/jdcloud';
    for (const type of ['Bucket', 'ServiceRole', 'Policy', 'RolePolicyAttachment']) await engine.create(resourceOf(dynamic, `${jd}:${type}`));

    const exportTypes = ['aws', 'alicloud', 'jdcloud'].map((cloud) => `pulumi-nodejs:dynamic/imageport/${cloud}:ImageExportTask`);
    const created = await Promise.all(exportTypes.map((type) => engine.create(resourceOf(dynamic, type))));

    const tasks = emulator.inspect().tasks.filter((task) => task.kind === 'export');
    t.deepEqual(tasks.map((task) => task.cloud).sort(), ['alicloud', 'aws', 'jdcloud']);
    const [aws, alicloud, jdcloud] = created;
    t.like(aws.outputs, { artifactFormat: 'vmdk', taskState: 'succeeded' });
    t.like(alicloud.outputs, { artifactFormat: 'raw.tar.gz', taskState: 'succeeded' });
    t.like(jdcloud.outputs, { artifactFormat: 'qcow2', taskState: 'succeeded' });
    t.regex(String(aws.outputs.uri), /^s3:\/\/imageport-golden-aws\/golden\/export-ami-/);
    t.is(alicloud.outputs.uri, 'oss://imageport-golden-alicloud/golden_m-g01den0hangzhou001_system.raw.tar.gz');
    t.regex(String(jdcloud.outputs.uri), /^oss:\/\/imageport-golden-jdcloud\/golden_exportImage_img-g01den0001/);
    for (const state of created) t.true(Number(state.outputs.sizeBytes) > 0);

    const secrets = Object.fromEntries(
      (['aws', 'alicloud', 'jdcloud'] as const).flatMap((cloud) => [
        [`${cloud} secret`, emulator.credentials[cloud].secretAccessKey],
        [`${cloud} key id`, emulator.credentials[cloud].accessKeyId],
      ]),
    );
    t.deepEqual(findSecrets(secrets, { inputs: run.resources.map((r) => r.inputs), calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }), []);
  } finally {
    await host.stop();
  }
});
