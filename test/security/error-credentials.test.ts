/**
 * No credential in what the drivers hand back: `CloudError`s (message, `toString`, `JSON.stringify`, stack, and
 * `util.inspect`, which is what `console.error(error)` prints, cause chain included) from calls refused to the
 * restricted key, signed with a wrong secret or with an unknown key id, on every service of every cloud
 * (compute, IAM/RAM, object storage); and task snapshots, role and bucket outcomes and permission checks from a
 * full export, each through `String` and `JSON.stringify`.
 */
import { inspect } from 'node:util';
import test from 'ava';
import { startEmulator, type Emulator } from '../../emulator';
import { createAlicloudDriver } from '../../lib/clouds/alicloud/driver';
import { createAwsDriver } from '../../lib/clouds/aws/driver';
import { createJdcloudDriver } from '../../lib/clouds/jdcloud/driver';
import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { CloudError } from '../../lib/model/cloud-error';
import { type StaticCredentials } from '../../lib/model/connection';
import { type ExportSpec } from '../../lib/model/export-spec';
import { type TaskSnapshot } from '../../lib/model/task';
import { CLOUDS, describeLeaks, FAKE_SESSION_TOKENS, plantedSecrets, SecretScanner, type SecurityCloud } from './secret-scan';

const UNKNOWN_KEY_IDS = { aws: 'AKIAIMAGEPORTUNKNOWN9', alicloud: 'LTAI5tImageportUnknownKey9', jdcloud: 'JDCIMAGEPORTUNKNOWNACCESSKEY0009' } as const;
const WRONG_SECRET = 'ImagePortWrongSecret/For+Every/Cloud0000';

let emulator: Emulator;
let scanner: SecretScanner;

test.before(async () => {
  emulator = await startEmulator({ speed: 6000 });
  scanner = new SecretScanner(
    plantedSecrets(emulator.credentials, emulator.restrictedCredentials, [
      { label: 'wrong secret', value: WRONG_SECRET },
      ...CLOUDS.map((cloud) => ({ label: `${cloud} unknown key id`, value: UNKNOWN_KEY_IDS[cloud] })),
    ]),
  );
});

test.after.always(async () => {
  await emulator?.stop();
});

const REGION: Record<SecurityCloud, string> = { aws: 'us-east-1', alicloud: 'cn-hangzhou', jdcloud: 'cn-east-2' };
const IMAGE: Record<SecurityCloud, string> = { aws: 'ami-0600d000000000001', alicloud: 'm-g01den0hangzhou001', jdcloud: 'img-g01den0001' };
const ROLE: Record<SecurityCloud, string> = { aws: 'vmimport', alicloud: 'AliyunECSImageExportDefaultRole', jdcloud: 'imageport-export' };

// The factories themselves, not lib/clouds/drivers.ts: its lazy `import()` of extension-less paths is for compiled
// code and the CLI's loader, not for ava's worker.
const FACTORIES = { aws: createAwsDriver, alicloud: createAlicloudDriver, jdcloud: createJdcloudDriver } as const;

function driverWith(cloud: SecurityCloud, credentials: StaticCredentials): Promise<CloudDriver> {
  return Promise.resolve(FACTORIES[cloud]({ region: REGION[cloud], endpoints: { ...emulator.endpoints[cloud] }, credentials }));
}

function keysOf(cloud: SecurityCloud, kind: 'full' | 'restricted' | 'wrong-secret' | 'unknown-key'): StaticCredentials {
  const sessionToken = FAKE_SESSION_TOKENS[cloud];
  if (kind === 'restricted') return { ...emulator.restrictedCredentials[cloud], sessionToken };
  if (kind === 'wrong-secret') return { accessKeyId: emulator.credentials[cloud].accessKeyId, secretAccessKey: WRONG_SECRET, sessionToken };
  if (kind === 'unknown-key') return { accessKeyId: UNKNOWN_KEY_IDS[cloud], secretAccessKey: WRONG_SECRET, sessionToken };
  return { ...emulator.credentials[cloud], sessionToken };
}

function exportSpec(cloud: SecurityCloud, bucket: string): ExportSpec {
  const base = { region: REGION[cloud], imageId: IMAGE[cloud], bucket, roleName: ROLE[cloud] };
  if (cloud === 'aws') return { ...base, cloud, format: 'vmdk', prefix: 'exports/' };
  return { ...base, cloud, prefix: 'security' };
}

/** Every way an error is turned into text, cause chain included. */
function renderings(error: unknown): Record<string, unknown> {
  const e = error as Error;
  return {
    message: e.message,
    toString: String(error),
    json: JSON.stringify(error),
    stack: e.stack,
    inspect: inspect(error, { depth: 10, showHidden: false }),
  };
}

/** Runs `call` expecting a CloudError, and returns the error's renderings keyed by `where`. */
async function refusal(where: string, call: () => Promise<unknown>): Promise<{ error: CloudError; places: Record<string, unknown> }> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof CloudError)) throw new Error(`${where}: expected a CloudError, got ${caught === undefined ? 'success' : String(caught)}`);
  return { error: caught, places: Object.fromEntries(Object.entries(renderings(caught)).map(([how, text]) => [`${where} ${how}`, text])) };
}

for (const cloud of CLOUDS) {
  test(`no credential in ${cloud} CloudErrors: refused, badly signed and unknown-key calls on compute, IAM and object storage`, async (t) => {
    const bucket = `imageport-security-errors-${cloud}`;
    const places: Record<string, unknown> = {};
    const kinds: string[] = [];
    for (const keys of ['restricted', 'wrong-secret', 'unknown-key'] as const) {
      const driver = await driverWith(cloud, keysOf(cloud, keys));
      const spec = exportSpec(cloud, bucket);
      const calls: Record<string, () => Promise<unknown>> = {
        // A write refused to the restricted key is "denied"; the same call with a bad signature is "auth".
        'ensureRole (IAM/RAM)': () => driver.ensureRole({ cloud, purpose: 'export', roleName: ROLE[cloud], exportBuckets: [bucket] }),
        'ensureBucket (object storage)': () => driver.ensureBucket({ cloud, region: REGION[cloud], name: bucket }),
        'storage().put (object storage)': () => driver.storage().put(bucket, 'security/probe.txt', 'probe'),
        'startExport (compute)': () => driver.startExport(spec, 'security-token-0001'),
      };
      if (keys !== 'restricted') calls['describe (compute)'] = () => driver.describe({ cloud, region: REGION[cloud], kind: 'export', taskId: cloud === 'aws' ? 'export-ami-0123456789abcdef0' : cloud === 'alicloud' ? 't-0123456789' : '700999' });
      for (const [name, call] of Object.entries(calls)) {
        const { error, places: rendered } = await refusal(`${cloud} ${keys} ${name}`, call);
        kinds.push(`${keys}:${error.kind}`);
        Object.assign(places, rendered);
      }
    }
    t.true(kinds.some((kind) => kind === 'restricted:denied'), `the restricted key was denied (${kinds.join(', ')})`);
    t.true(kinds.some((kind) => kind === 'wrong-secret:auth'), `the wrong secret was refused (${kinds.join(', ')})`);
    t.true(kinds.some((kind) => kind === 'unknown-key:auth'), `the unknown key was refused (${kinds.join(', ')})`);
    const leaks = scanner.scanAll(places);
    t.deepEqual(leaks, [], describeLeaks(leaks));
  });

  test(`no credential in ${cloud} snapshots, outcomes and permission checks of a full export`, async (t) => {
    const bucket = `imageport-security-snapshots-${cloud}`;
    const driver = await driverWith(cloud, keysOf(cloud, 'full'));
    const places: Record<string, unknown> = {};
    const keep = (where: string, value: unknown) => {
      places[`${where} (JSON)`] = JSON.stringify(value);
      places[`${where} (String)`] = String(value);
      places[`${where} (inspect)`] = inspect(value, { depth: 10 });
    };
    keep('role outcome', await driver.ensureRole({ cloud, purpose: 'export', roleName: ROLE[cloud], exportBuckets: [bucket] }));
    keep('bucket outcome', await driver.ensureBucket({ cloud, region: REGION[cloud], name: bucket }));
    const spec = exportSpec(cloud, bucket);
    keep('preflight', await driver.preflightExport(spec));
    keep('permission check', await driver.checkExportPermissions(spec));
    const task = await driver.startExport(spec, `security-${cloud}-0001`);
    keep('task ref', task);
    let snapshot: TaskSnapshot = await driver.describe(task);
    for (let polls = 0; snapshot.state !== 'succeeded' && snapshot.state !== 'failed' && polls < 400; polls++) {
      keep(`snapshot ${snapshot.rawStatus} ${polls}`, snapshot);
      await new Promise((resolve) => setTimeout(resolve, 25));
      snapshot = await driver.describe(task);
    }
    t.is(snapshot.state, 'succeeded', JSON.stringify(snapshot));
    keep('final snapshot', snapshot);
    const leaks = scanner.scanAll(places);
    t.deepEqual(leaks, [], describeLeaks(leaks));
  });
}
