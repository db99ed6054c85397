import test from 'ava';
import { CloudError, type CloudErrorKind } from '../../../lib/model/cloud-error';
import { classifyRetryableError, retryDelayMs } from '../../../lib/wait/retry-policy';

const cloudError = (kind: CloudErrorKind): CloudError =>
  new CloudError({ cloud: 'alicloud', operation: 'DescribeTaskAttribute', code: 'X', message: 'x', kind });

test('classifies cloud errors by kind', (t) => {
  t.is(classifyRetryableError(cloudError('throttling')), 'throttling');
  t.is(classifyRetryableError(cloudError('transient')), 'transient');
  for (const kind of ['auth', 'denied', 'not-found', 'invalid', 'conflict', 'quota', 'other'] as const) {
    t.is(classifyRetryableError(cloudError(kind)), undefined, kind);
  }
});

test('classifies low-level network errors as transient, also when wrapped', (t) => {
  for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_SOCKET']) {
    t.is(classifyRetryableError(Object.assign(new Error(code), { code })), 'transient', code);
  }
  t.is(classifyRetryableError(new Error('socket hang up')), 'transient');
  t.is(classifyRetryableError(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })), 'transient');
});

test('does not retry anything else', (t) => {
  t.is(classifyRetryableError(new TypeError('x is undefined')), undefined);
  t.is(classifyRetryableError(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })), undefined);
  t.is(classifyRetryableError('a string'), undefined);
  t.is(classifyRetryableError(undefined), undefined);
});

test('back-off grows, is capped, and throttling backs off harder', (t) => {
  const settings = { minIntervalMs: 2000, maxIntervalMs: 300_000, random: () => 0.5 };
  const transient = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs('transient', n, settings));
  const throttling = [1, 2, 3, 4, 5, 6].map((n) => retryDelayMs('throttling', n, settings));
  t.deepEqual(transient, [2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  t.deepEqual(throttling, [4000, 12_000, 36_000, 108_000, 300_000, 300_000]);
});

test('back-off jitter stays within ±25 % and the bounds', (t) => {
  const at = (random: number): number =>
    retryDelayMs('transient', 4, { minIntervalMs: 2000, maxIntervalMs: 300_000, random: () => random });
  t.is(at(0), 12_000);
  t.is(at(0.999999), 20_000);
  t.is(retryDelayMs('transient', 1, { minIntervalMs: 2000, maxIntervalMs: 300_000, random: () => 0 }), 2000);
  t.is(retryDelayMs('throttling', 9, { minIntervalMs: 2000, maxIntervalMs: 30_000, random: () => 0.99 }), 30_000);
});
