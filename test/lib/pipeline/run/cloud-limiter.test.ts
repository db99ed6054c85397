import test from 'ava';
import { CloudLimiter } from '../../../../lib/pipeline/run/cloud-limiter';

test('never lets more than the quota run on a cloud, and serves waiters in order', async (t) => {
  const limiter = new CloudLimiter((cloud) => (cloud === 'aws' ? 2 : 1));
  const order: string[] = [];
  const a = await limiter.acquire('aws');
  const b = await limiter.acquire('aws');
  const waiting = ['c', 'd'].map((name) => limiter.acquire('aws').then((release) => (order.push(name), release)));
  const other = await limiter.acquire('jdcloud');
  t.is(limiter.runningOn('aws'), 2);
  a();
  a(); // releasing twice frees one slot only
  const c = await waiting[0];
  t.deepEqual(order, ['c']);
  t.is(limiter.runningOn('aws'), 2);
  b();
  const d = await waiting[1];
  t.deepEqual(order, ['c', 'd']);
  c();
  d();
  other();
  t.is(limiter.runningOn('aws'), 0);
});

test('rejects a waiter whose signal aborts', async (t) => {
  const limiter = new CloudLimiter(() => 1);
  const held = await limiter.acquire('aws');
  const controller = new AbortController();
  const waiting = limiter.acquire('aws', controller.signal);
  controller.abort(new Error('stop'));
  await t.throwsAsync(waiting, { message: 'stop' });
  held();
  t.is(limiter.runningOn('aws'), 0);
});
