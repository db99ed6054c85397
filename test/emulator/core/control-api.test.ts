import test from 'ava';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { rejection, startAwsKit } from '../aws/aws-test-kit';

async function control(base: string, method: string, path: string, body?: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  return { status: response.status, json: await response.json() };
}

test('control API: GET /state returns the inspect() snapshot as JSON', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.createBucket('seen-bucket');
  const { status, json } = await control(kit.emulator.endpoints.control, 'GET', '/state');
  t.is(status, 200);
  const state = json as ReturnType<typeof kit.emulator.inspect>;
  t.deepEqual(state.buckets.map((bucket) => bucket.name), ['seen-bucket']);
  t.true(state.images.some((image) => image.id === 'ami-0600d000000000001' && image.source === 'catalog'));
  t.deepEqual(state.tasks, []);
  t.is(state.faults, null);
  t.is(state.emulatedNow, new Date(kit.clock.now()).toISOString());
});

test('control API: PUT /faults installs faults for running processes, DELETE /faults removes them', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const base = kit.emulator.endpoints.control;
  const put = await control(base, 'PUT', '/faults', JSON.stringify({ rate: 1, kinds: ['5xx'], services: ['ec2'], seed: 3 }));
  t.is(put.status, 200);
  t.deepEqual(put.json, { rate: 1, kinds: ['5xx'], services: ['ec2'], seed: 3 });
  t.is((await rejection(kit.ec2.send(new DescribeImagesCommand({})))).name, 'InternalError');
  t.deepEqual((await control(base, 'GET', '/faults')).json, { rate: 1, kinds: ['5xx'], services: ['ec2'], seed: 3 });
  t.is((await control(base, 'DELETE', '/faults')).status, 200);
  t.truthy((await kit.ec2.send(new DescribeImagesCommand({}))).Images);
});

test('rejects bad control requests with a JSON error naming the problem', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const base = kit.emulator.endpoints.control;
  const invalid = await control(base, 'PUT', '/faults', JSON.stringify({ rate: -1, kinds: ['nope'] }));
  t.is(invalid.status, 400);
  t.regex((invalid.json as { error: string }).error, /rate: -1 must be a number from 0 to 1[\s\S]*kinds\[0\]: "nope"/);
  t.is((await control(base, 'PUT', '/faults', '{not json')).status, 400);
  t.is((await control(base, 'GET', '/nowhere')).status, 404);
  t.is((await control(base, 'POST', '/faults', '{}')).status, 405);
  t.is(kit.emulator.faults.settings, undefined);
});
