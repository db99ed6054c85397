import test from 'ava';
import { CloudError } from '../../../../lib/model/cloud-error';
import { CALL_ATTEMPTS, retryCall } from '../../../../lib/pipeline/run/retry-call';
import { VirtualClock } from '../../../../lib/wait/clock';

const throttled = () => new CloudError({ cloud: 'alicloud', operation: 'CreateRole', code: 'Throttling.User', message: 'flow control', kind: 'throttling' });

test('retries throttling and transient errors, then succeeds', async (t) => {
  let calls = 0;
  const clock = new VirtualClock();
  const result = await retryCall(async () => {
    calls++;
    if (calls < 3) throw throttled();
    return 'ok';
  }, { clock, minIntervalMs: 1000 });
  t.is(result, 'ok');
  t.is(calls, 3);
  t.true(clock.now() >= 2000, 'it backed off between attempts');
});

test('rethrows a non-retryable error at once', async (t) => {
  let calls = 0;
  const denied = new CloudError({ cloud: 'aws', operation: 'CreateRole', code: 'AccessDenied', message: 'no', kind: 'denied' });
  await t.throwsAsync(retryCall(async () => {
    calls++;
    throw denied;
  }, { clock: new VirtualClock() }), { is: denied });
  t.is(calls, 1);
});

test('gives up after a bounded number of attempts', async (t) => {
  let calls = 0;
  await t.throwsAsync(retryCall(async () => {
    calls++;
    throw throttled();
  }, { clock: new VirtualClock() }), { message: /Throttling\.User/ });
  t.is(calls, CALL_ATTEMPTS);
});
