import test from 'ava';
import { startEmulator, type Emulator } from '../../../emulator';
import { type CloudDriver } from '../../../lib/clouds/cloud-driver';
import { createAlicloudDriver } from '../../../lib/clouds/alicloud/driver';
import { createAwsDriver } from '../../../lib/clouds/aws/driver';
import { createJdcloudDriver } from '../../../lib/clouds/jdcloud/driver';
import { type CloudId } from '../../../lib/model/cloud';
import { deterministicToken } from '../../../lib/model/token';
import { waitForTask } from '../../../lib/wait';

let emulator: Emulator;

test.before(async () => {
  emulator = await startEmulator({ speed: 600 });
});

test.after.always(async () => {
  await emulator?.stop();
});

/** The drivers' own factories: `createDriver` loads them with a dynamic `import()`, which tsx cannot resolve here. */
const FACTORIES = { aws: createAwsDriver, alicloud: createAlicloudDriver, jdcloud: createJdcloudDriver };

async function driverFor(cloud: CloudId, region: string): Promise<CloudDriver> {
  return FACTORIES[cloud]({ region, endpoints: { ...emulator.endpoints[cloud] }, credentials: emulator.credentials[cloud] });
}

test('imageExists: true for a catalog image on every cloud, false for an id the cloud does not know', async (t) => {
  const cases: [CloudId, string, string, string][] = [
    ['aws', 'us-east-1', 'ami-0600d000000000001', 'ami-0000000000000dead'],
    ['alicloud', 'cn-hangzhou', 'm-g01den0hangzhou001', 'm-doesnotexist0001'],
    ['jdcloud', 'cn-east-2', 'img-g01den0001', 'img-doesnotexist1'],
  ];
  for (const [cloud, region, known, unknown] of cases) {
    const driver = await driverFor(cloud, region);
    t.true(await driver.imageExists!(known), `${cloud} ${known}`);
    t.false(await driver.imageExists!(unknown), `${cloud} ${unknown}`);
  }
});

test('imageExists: an imported AMI exists until deleteImage deregisters it', async (t) => {
  const driver = await driverFor('aws', 'us-east-1');
  const ref = await driver.startImport(
    { cloud: 'aws', region: 'us-east-1', disks: [{ snapshotId: 'snap-0600d00000000a001' }], architecture: 'x86_64', platform: 'Linux' },
    deterministicToken(['image-exists', 'aws']),
  );
  const done = await waitForTask(() => driver.describe(ref), { timeoutMs: 60_000, minIntervalMs: 50, maxIntervalMs: 200 });
  const imageId = done.imageId!;
  t.true(await driver.imageExists!(imageId));
  t.is(await driver.deleteImage(imageId), 'deleted');
  t.false(await driver.imageExists!(imageId));
});
