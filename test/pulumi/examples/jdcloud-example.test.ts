import test from 'ava';
import { startEmulator, type Emulator } from '../../../emulator';
import { dynamicResources, findSecrets, MiniEngine, type ResourceStateEntry } from '../../support/pulumi-engine';
import { assertRuntimeBuilt, loadExample, resourceOf } from '../../support/pulumi-example-stack';
import { runUnderMocks } from '../../support/pulumi-mock-program';
import { FAST_POLLING, ProviderHost } from '../../support/pulumi-provider-host';

const DYNAMIC = 'pulumi-nodejs:dynamic/imageport/jdcloud';

let emulator: Emulator;

test.before(async () => {
  assertRuntimeBuilt();
  emulator = await startEmulator({ speed: 600 });
});

test.after.always(async () => {
  await emulator?.stop();
});

test.serial('engine-less pulumi up of examples/pulumi/jdcloud: bucket, role, policy, attachment and export, every one a dynamic resource in the real host', async (t) => {
  // GIVEN the program under mocks
  const example = loadExample('jdcloud');
  const run = await runUnderMocks(example.program, { project: example.project, stack: 'local', config: example.config });
  const order = ['Bucket', 'ServiceRole', 'Policy', 'RolePolicyAttachment', 'ImageExportTask'];
  const dynamic = dynamicResources(run.resources);
  t.deepEqual(dynamic.map((r) => r.type).sort(), order.map((type) => `${DYNAMIC}:${type}`).sort());
  // Created in dependency order, as the engine would.
  const ordered = order.map((type) => resourceOf(dynamic, `${DYNAMIC}:${type}`));

  const host = await ProviderHost.start({ env: { ...emulator.env }, project: example.project, config: FAST_POLLING });
  const engine = new MiniEngine(host);
  try {
    // WHEN the engine creates them in order
    const states: ResourceStateEntry[] = [];
    for (const resource of ordered) states.push(await engine.create(resource));
    const [bucket, role, policy, attachment, exported] = states;

    // THEN each exists in the emulator as declared
    const snapshot = emulator.inspect();
    t.true(snapshot.buckets.some((b) => b.cloud === 'jdcloud' && b.name === 'imageport-example-exports'));
    const jdRole = snapshot.roles.find((r) => r.cloud === 'jdcloud' && r.name === 'imageport-export');
    t.truthy(jdRole);
    t.deepEqual(jdRole!.trustPolicy, JSON.parse(String(role.inputs.trustPolicy)));
    t.is(bucket.id, 'imageport-example-exports');
    t.is(role.id, 'imageport-export');
    t.is(policy.id, 'imageport-export-policy');
    t.is(attachment.id, 'imageport-export:imageport-export-policy');
    const [task] = snapshot.tasks.filter((x) => x.cloud === 'jdcloud' && x.kind === 'export');
    t.is(exported.id, task.id);
    t.like(exported.outputs, { taskState: 'succeeded', artifactFormat: 'qcow2', uri: `oss://imageport-example-exports/${String(exported.outputs.objectKey)}` });
    t.regex(String(exported.outputs.objectKey), /^golden_exportImage_img-g01den0001/);

    // refresh finds each of them
    for (const state of states) t.is((await engine.refresh(state))?.id, state.id, state.type);

    // a changed policy document updates in place; a changed trust policy too
    const document = JSON.parse(String(policy.inputs.document));
    const reformatted = await engine.update(policy, { ...policy.inputs, document: JSON.stringify(document, null, 2) });
    t.is(reformatted.kind, 'same', 'the same document, reformatted, is no change');
    const narrower = { ...document, Statement: document.Statement.slice(1) };
    const policyUpdate = await engine.update(policy, { ...policy.inputs, document: JSON.stringify(narrower) });
    t.is(policyUpdate.kind, 'updated');
    t.deepEqual(policyUpdate.diff.replaces, []);
    const reread = await engine.refresh(policyUpdate.state);
    t.deepEqual(JSON.parse(String(reread!.outputs.document)), narrower, 'the cloud holds the new document');
    const trust = JSON.parse(String(role.inputs.trustPolicy));
    trust.Statement[0].Principal = { Service: ['disk', 'batch'] };
    const roleUpdate = await engine.update(role, { ...role.inputs, trustPolicy: JSON.stringify(trust) });
    t.is(roleUpdate.kind, 'updated');
    t.deepEqual(emulator.inspect().roles.find((r) => r.cloud === 'jdcloud' && r.name === 'imageport-export')!.trustPolicy, trust);

    // destroy in reverse order: export (retained artifact), attachment, policy, role, then the bucket, which still
    // holds the export and is refused without forceDestroy
    await engine.delete(exported);
    await engine.delete(attachment);
    await engine.delete(policyUpdate.state);
    await engine.delete(roleUpdate.state);
    t.false(emulator.inspect().roles.some((r) => r.cloud === 'jdcloud' && r.name === 'imageport-export'));
    const refused = await t.throwsAsync(() => engine.delete(bucket));
    t.regex(refused!.message, /still holds 1 object\(s\).*forceDestroy/);
    const forced = await engine.update(bucket, { ...bucket.inputs, forceDestroy: true });
    t.is(forced.kind, 'updated');
    await engine.delete(forced.state);
    t.false(emulator.inspect().buckets.some((b) => b.cloud === 'jdcloud' && b.name === 'imageport-example-exports'));

    const secrets = { 'JD secret key': emulator.credentials.jdcloud.secretAccessKey, 'JD access key': emulator.credentials.jdcloud.accessKeyId };
    t.deepEqual(findSecrets(secrets, { inputs: run.resources.map((r) => r.inputs), calls: engine.calls, logs: host.logs, out: host.stdout + host.stderr }), []);
  } finally {
    await host.stop();
  }
});
