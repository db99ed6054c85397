/**
 * No credential in anything Pulumi would record: the inputs every resource registers (the serialized dynamic
 * providers, `__provider`, included), the inputs and outputs the engine keeps for each dynamic resource after
 * Check, Create, Read and Delete, the errors it records, and every log line the provider host sends the engine,
 * plus the host's stdout and stderr. Driven through the engine-less harness of `test/support`: the example
 * program `examples/pulumi/all-clouds` under mocks, its dynamic resources in the real dynamic-provider host against
 * the emulator.
 *
 * The credentials reach the host the two documented ways, the clouds' environment variables (with session tokens)
 * and the secret stack config `imageport:credentials`; the program itself runs with them in its environment too, so
 * a closure that captured one would carry it into `__provider`. Error paths: the restricted key (denied) and a
 * wrong secret (refused signature).
 */
import test from 'ava';
import { startEmulator, type Emulator } from '../../emulator';
import { applyAlicloudResources } from '../support/pulumi-alicloud-apply';
import { applyAwsResources } from '../support/pulumi-aws-apply';
import { dynamicResources, MiniEngine, type ResourceStateEntry } from '../support/pulumi-engine';
import { assertRuntimeBuilt, loadExample, resourceOf } from '../support/pulumi-example-stack';
import { runUnderMocks, type RegisteredResource } from '../support/pulumi-mock-program';
import { FAST_POLLING, ProviderHost } from '../support/pulumi-provider-host';
import { CLOUDS, describeLeaks, FAKE_SESSION_TOKENS, plantedSecrets, SecretScanner } from './secret-scan';

const WRONG_SECRET = 'PulumiWrongSecretImagePort/0000+1111';
const JD = 'pulumi-nodejs:dynamic/imageport/jdcloud';
const EXPORT_TYPES = CLOUDS.map((cloud) => `pulumi-nodejs:dynamic/imageport/${cloud}:ImageExportTask`);

let emulator: Emulator;
let scanner: SecretScanner;
let resources: readonly RegisteredResource[];
const example = loadExample('all-clouds');

/** The clouds' credential variables for a key pair of each cloud, with the fake session tokens. */
function credentialEnv(pairs: Emulator['credentials'], secret?: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: pairs.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: secret ?? pairs.aws.secretAccessKey,
    AWS_SESSION_TOKEN: FAKE_SESSION_TOKENS.aws,
    ALIBABA_CLOUD_ACCESS_KEY_ID: pairs.alicloud.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret ?? pairs.alicloud.secretAccessKey,
    ALIBABA_CLOUD_SECURITY_TOKEN: FAKE_SESSION_TOKENS.alicloud,
    JDCLOUD_ACCESS_KEY: pairs.jdcloud.accessKeyId,
    JDCLOUD_SECRET_KEY: secret ?? pairs.jdcloud.secretAccessKey,
    JDCLOUD_SESSION_TOKEN: FAKE_SESSION_TOKENS.jdcloud,
  };
}

/** The endpoints (no credentials) of the emulator's env. */
function endpointEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(emulator.env).filter(([key]) => /ENDPOINT|REGION/.test(key)));
}

test.before(async () => {
  assertRuntimeBuilt();
  emulator = await startEmulator({ speed: 600 });
  scanner = new SecretScanner(plantedSecrets(emulator.credentials, emulator.restrictedCredentials, [{ label: 'wrong secret', value: WRONG_SECRET }]));
  // The program runs with the credentials in its environment, as `pulumi up` would.
  Object.assign(process.env, credentialEnv(emulator.credentials));
  const run = await runUnderMocks(example.program, { project: example.project, stack: 'local', config: example.config });
  resources = run.resources;
  await applyAwsResources(resources, { endpoints: emulator.endpoints.aws, credentials: emulator.credentials.aws, region: 'us-east-1' });
  await applyAlicloudResources(resources, { endpoints: emulator.endpoints.alicloud, credentials: emulator.credentials.alicloud, region: 'cn-hangzhou' });
});

test.after.always(async () => {
  await emulator?.stop();
});

test.serial('no credential in Pulumi inputs, state, provider calls or host logs: up, refresh and destroy of all-clouds', async (t) => {
  const host = await ProviderHost.start({ env: { ...endpointEnv(), ...credentialEnv(emulator.credentials) }, project: example.project, config: FAST_POLLING });
  t.teardown(() => host.stop());
  const engine = new MiniEngine(host);
  const dynamic = dynamicResources(resources);
  const states: ResourceStateEntry[] = [];
  for (const type of ['Bucket', 'ServiceRole', 'Policy', 'RolePolicyAttachment']) states.push(await engine.create(resourceOf(dynamic, `${JD}:${type}`)));
  const exports = await Promise.all(EXPORT_TYPES.map((type) => engine.create(resourceOf(dynamic, type))));
  t.deepEqual(exports.map((state) => state.outputs.taskState), ['succeeded', 'succeeded', 'succeeded']);
  states.push(...exports);
  const refreshed = await Promise.all(exports.map((state) => engine.refresh(state)));
  for (const state of exports) await engine.delete(state);

  t.true(resources.some((r) => typeof r.inputs.__provider === 'string' && String(r.inputs.__provider).length > 100), 'the serialized providers are scanned');
  const leaks = scanner.scanAll({
    'registered inputs (with __provider)': resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })),
    'engine state (inputs and outputs)': states,
    'refreshed state': refreshed,
    'provider calls': engine.calls,
    'host logs': host.logs,
    'host stdout and stderr': host.stdout + host.stderr,
  });
  t.deepEqual(leaks, [], describeLeaks(leaks));
});

test.serial('no credential in Pulumi errors, recorded calls or host logs when the restricted key is denied and a wrong secret is refused', async (t) => {
  const restricted = await ProviderHost.start({ env: { ...endpointEnv(), ...credentialEnv(emulator.restrictedCredentials) }, project: example.project, config: FAST_POLLING });
  t.teardown(() => restricted.stop());
  // The wrong secret arrives through the secret stack config, with the session tokens, and no credential variable.
  const config = {
    ...FAST_POLLING,
    'imageport:credentials': JSON.stringify(
      Object.fromEntries(CLOUDS.map((cloud) => [cloud, { accessKeyId: emulator.credentials[cloud].accessKeyId, secretAccessKey: WRONG_SECRET, sessionToken: FAKE_SESSION_TOKENS[cloud] }])),
    ),
  };
  const wrong = await ProviderHost.start({ env: endpointEnv(), project: example.project, config });
  t.teardown(() => wrong.stop());

  const dynamic = dynamicResources(resources);
  const places: Record<string, unknown> = {};
  const failures: string[] = [];
  for (const [label, host] of [['restricted', restricted], ['wrong secret', wrong]] as const) {
    const engine = new MiniEngine(host);
    for (const type of [...EXPORT_TYPES, `${JD}:Policy`]) {
      const resource = resourceOf(dynamic, type);
      // Another prefix than the successful run's, so no export is found and adopted (reads are allowed to the
      // restricted key): the call that starts one is made and refused.
      // Likewise a policy of another name: an existing policy of the same name is adopted with a read.
      const inputs = type.endsWith('ImageExportTask') ? { ...resource.inputs, prefix: 'securitydenied' } : { ...resource.inputs, policyName: 'imageport-security-denied' };
      const error = await engine.create({ ...resource, inputs, urn: `${resource.urn}-${label.replace(' ', '-')}` }).then(
        () => undefined,
        (caught: Error) => caught,
      );
      t.truthy(error, `${label}: ${type} was refused`);
      if (error) {
        failures.push(`${label} ${type}: ${error.message}`);
        places[`${label} ${type} error`] = { message: error.message, stack: error.stack, detail: (error as { initFailure?: unknown }).initFailure };
      }
    }
    places[`${label} provider calls`] = engine.calls;
    places[`${label} host logs`] = host.logs;
    places[`${label} host stdout and stderr`] = host.stdout + host.stderr;
  }
  const text = failures.join('\n');
  t.regex(text, /UnauthorizedOperation|Forbidden\.RAM|HTTP_FORBIDDEN|AccessDenied/, 'the restricted key was denied');
  t.regex(text, /AuthFailure|SignatureDoesNotMatch|sign result is not same/, 'the wrong secret was refused');
  const leaks = scanner.scanAll(places);
  t.deepEqual(leaks, [], describeLeaks(leaks));
});
