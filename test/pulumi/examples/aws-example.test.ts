import test from 'ava';
import { startEmulator, type Emulator } from '../../../emulator';
import { applyAwsResources } from '../../support/pulumi-aws-apply';
import { dynamicResources, findSecrets, MiniEngine } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, loadExample, resourceOf } from '../../support/pulumi-example-stack';
import { resolveOutputs, runUnderMocks } from '../../support/pulumi-mock-program';
import { FAST_POLLING, ProviderHost } from '../../support/pulumi-provider-host';

const EXPORT_TYPE = 'pulumi-nodejs:dynamic/imageport/aws:ImageExportTask';

let emulator: Emulator;

test.before(async () => {
  assertRuntimeBuilt();
  emulator = await startEmulator({ speed: 600 });
});

test.after.always(async () => {
  await emulator?.stop();
});

test.serial('engine-less pulumi up of examples/pulumi/aws: the export runs in the real host against the emulator, then refresh, in-place update, replace and destroy', async (t) => {
  // GIVEN the example program, run under mocks as `pulumi up` would run it
  const example = loadExample('aws');
  const run = await runUnderMocks<Record<string, unknown>>(example.program, { project: example.project, stack: 'local', config: example.config });
  const dynamic = dynamicResources(run.resources);
  t.deepEqual(dynamic.map((r) => r.type), [EXPORT_TYPE]);
  const exportResource = resourceOf(run.resources, EXPORT_TYPE);
  t.is(exportResource.parent, resourceOf(run.resources, 'imageport:aws:ImageExport').urn);
  t.like(exportResource.inputs, {
    cloud: 'aws',
    region: 'us-east-1',
    imageId: 'ami-0600d000000000001',
    format: 'VMDK',
    bucket: 'imageport-example-exports',
    prefix: 'exports/',
    roleName: 'vmimport',
    waitTimeout: '2h',
  });
  t.is(typeof exportResource.inputs.__provider, 'string');

  // The pulumi-aws resources (role, policy, bucket and its settings) exist in the emulator as declared.
  const applied = await applyAwsResources(run.resources, {
    endpoints: emulator.endpoints.aws,
    credentials: emulator.credentials.aws,
    region: 'us-east-1',
  });
  t.true(applied.includes('aws:iam/role:Role') && applied.includes('aws:s3/bucket:Bucket'));

  // WHEN the engine creates the dynamic resource through the real dynamic-provider host
  const host = await ProviderHost.start({ env: { ...emulator.env }, project: example.project, config: FAST_POLLING });
  const engine = new MiniEngine(host);
  try {
    const created = await engine.create(exportResource);

    // THEN one export task ran, and its artifact is where the outputs say
    const tasks = emulator.inspect().tasks.filter((task) => task.kind === 'export');
    t.is(tasks.length, 1);
    t.is(created.id, tasks[0].id);
    t.is(tasks[0].outcome, 'succeeded');
    const key = `exports/${tasks[0].id}.vmdk`;
    t.like(created.outputs, { taskId: tasks[0].id, objectKey: key, uri: `s3://imageport-example-exports/${key}`, format: 'vmdk', artifactFormat: 'vmdk', taskState: 'succeeded' });
    const stored = emulator.inspect().buckets.find((b) => b.name === 'imageport-example-exports')?.objects.find((o) => o.key === key);
    t.truthy(stored);
    t.is(created.outputs.sizeBytes, stored!.sizeBytes);
    t.is(typeof created.outputs.__provider, 'string', 'the host keeps __provider in the state');

    // refresh: still there
    const refreshed = await engine.refresh(created);
    t.is(refreshed?.id, created.id);

    // a new tag updates in place: no new task, full outputs
    const tagged = await engine.update(created, { ...exportResource.inputs, tags: { project: 'imageport-example', owner: 'ops' } });
    t.is(tagged.kind, 'updated');
    t.deepEqual(tagged.diff.replaces, []);
    t.like(tagged.state.outputs, { taskId: created.id, objectKey: key, tags: { project: 'imageport-example', owner: 'ops' } });
    t.is(emulator.inspect().tasks.filter((task) => task.kind === 'export').length, 1);

    // a new prefix replaces: the old export goes first (retained artifact), a new task writes under the new prefix
    const moved = await engine.update(tagged.state, { ...exportResource.inputs, prefix: 'moved/' });
    t.is(moved.kind, 'replaced');
    t.deepEqual(moved.diff.replaces, ['prefix']);
    t.true(moved.diff.deleteBeforeReplace);
    t.not(moved.state.id, created.id);
    t.is(moved.state.outputs.objectKey, `moved/${moved.state.id}.vmdk`);
    const keys = emulator.inspect().buckets.find((b) => b.name === 'imageport-example-exports')!.objects.map((o) => o.key);
    t.true(keys.includes(key), 'the replaced export kept its artifact (removalPolicy retain)');

    // destroy: the artifact stays by default
    await engine.delete(moved.state);
    const after = emulator.inspect().buckets.find((b) => b.name === 'imageport-example-exports')!.objects.map((o) => o.key);
    t.true(after.includes(`moved/${moved.state.id}.vmdk`));

    // the program's stack outputs resolve
    const outputs = await resolveOutputs(run.result);
    t.deepEqual(Object.keys(outputs).sort(), ['exportFormat', 'exportSizeBytes', 'exportTaskId', 'exportUri']);

    // nothing recorded anywhere holds a credential
    const secrets = { 'AWS secret key': emulator.credentials.aws.secretAccessKey, 'AWS access key id': emulator.credentials.aws.accessKeyId };
    t.deepEqual(
      findSecrets(secrets, {
        'registered inputs': run.resources.map((r) => r.inputs),
        'engine calls (inputs, outputs, serialized providers)': engine.calls,
        'host logs': host.logs,
        'host stdout': host.stdout,
        'host stderr': host.stderr,
      }),
      [],
    );
  } finally {
    await host.stop();
  }
});
