import test from 'ava';
import { startEmulator, type Emulator } from '../../../emulator';
import { loadPipeline } from '../../../pulumi/pipeline/load-pipeline';
import { findSecrets, MiniEngine } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, loadExample } from '../../support/pulumi-example-stack';
import { liveDeployment } from '../../support/pulumi-live-deploy';
import { resolveOutputs, runUnderMocks } from '../../support/pulumi-mock-program';
import { FAST_POLLING, ProviderHost } from '../../support/pulumi-provider-host';

let emulator: Emulator;

// A fresh emulator (account) per test: two pipelines in one account would both create the `vmimport` role.
test.beforeEach(async () => {
  assertRuntimeBuilt();
  emulator = await startEmulator({ speed: 600 });
});

test.afterEach.always(async () => {
  await emulator?.stop();
});

async function upPipeline(pipelineFile: string) {
  const example = loadExample('pipeline');
  const host = await ProviderHost.start({ env: { ...emulator.env }, project: example.project, config: FAST_POLLING });
  const engine = new MiniEngine(host);
  const live = liveDeployment(engine, emulator);
  try {
    const run = await runUnderMocks<Record<string, unknown>>(example.program, {
      project: example.project,
      stack: 'local',
      config: { ...example.config, [`${example.project}:pipelineFile`]: pipelineFile },
      deploy: live.deploy,
    });
    return { run, engine, host, created: live.created, outputs: await resolveOutputs(run.result) };
  } finally {
    await host.stop();
  }
}

test.serial('pulumi up of examples/pulumi/pipeline with the quickstart pipeline: the file\'s roles, buckets and exports on three clouds', async (t) => {
  const { run, engine, host, created, outputs } = await upPipeline('../../pipelines/quickstart.yaml');
  const components = run.resources.filter((r) => r.type.startsWith('imageport:')).map((r) => `${r.type} ${r.name}`).sort();
  t.deepEqual(components, [
    'imageport:alicloud:ExportBucket alicloud-exports',
    'imageport:alicloud:ImageExport golden-alicloud',
    'imageport:alicloud:ImageExportRole alicloud-export',
    'imageport:aws:ExportBucket aws-exports',
    'imageport:aws:ImageExport golden-aws',
    'imageport:aws:VmImportRole aws-vmimport',
    'imageport:jdcloud:ExportBucket jdcloud-exports',
    'imageport:jdcloud:ImageExport golden-jdcloud',
    'imageport:jdcloud:ImageExportRole jdcloud-export',
    'imageport:pipeline:Pipeline quickstart',
  ]);
  const exportsDone = created.filter((state) => state.type.endsWith(':ImageExportTask'));
  t.is(exportsDone.length, 3);
  for (const state of exportsDone) t.is(state.outputs.taskState, 'succeeded', state.type);
  const uris = outputs.exportUris as Record<string, string>;
  t.regex(uris['golden-aws'], /^s3:\/\/imageport-quickstart-aws\/exports\/export-ami-[0-9a-f]+\.vmdk$/);
  t.is(uris['golden-alicloud'], 'oss://imageport-quickstart-alicloud/quickstart_m-g01den0hangzhou001_system.raw.tar.gz');
  t.regex(uris['golden-jdcloud'], /^oss:\/\/imageport-quickstart-jdcloud\/quickstart_exportImage_img-g01den0001/);
  // the file's description, tags and timeouts reached the export resource
  const awsExport = run.resources.find((r) => r.type === 'pulumi-nodejs:dynamic/imageport/aws:ImageExportTask')!;
  t.like(awsExport.inputs, { description: 'Golden image, exported by the imageport quickstart', tags: { pipeline: 'quickstart' }, waitTimeout: '7200000ms', removalPolicy: 'retain' });

  const secrets = Object.fromEntries((['aws', 'alicloud', 'jdcloud'] as const).map((cloud) => [cloud, emulator.credentials[cloud].secretAccessKey]));
  t.deepEqual(findSecrets(secrets, { inputs: run.resources.map((r) => r.inputs), calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }), []);
});

test.serial('a chained pipeline (export, import that file, export the new image) flows real outputs from one resource to the next', async (t) => {
  const { created } = await upPipeline('../../pipelines/export-then-import.yaml');
  const [golden, reimported, vhd] = ['golden-vmdk', 'reimported', 'reimported-vhd'].map((name) => created.find((state) => state.name === name)!);
  t.is(golden.outputs.taskState, 'succeeded');
  t.deepEqual((reimported.inputs.disks as { bucket: string; key: string }[])[0], { bucket: 'imageport-chain-images', key: golden.outputs.objectKey, format: 'vmdk' } as never);
  t.regex(String(reimported.outputs.imageId), /^ami-/);
  t.is(vhd.inputs.imageId, reimported.outputs.imageId, 'the second export reads the imported image');
  t.like(vhd.outputs, { artifactFormat: 'vhd', taskState: 'succeeded' });
  const tasks = emulator.inspect().tasks.filter((task) => task.bucket === 'imageport-chain-images' || task.imageId === reimported.outputs.imageId);
  t.true(tasks.length >= 3);
});

test.serial('rejects an invalid pipeline with every problem, file:line:col first', (t) => {
  const error = t.throws(() => loadPipeline(`${__dirname}/../../../package.json`));
  t.regex(error!.message, /package\.json is invalid:\n {2}.*package\.json:\d+:\d+: /);
});
