import test from 'ava';
import { abortOnSignals } from '../../lib/pipeline/cli/interrupt';
import { CloudLimiter } from '../../lib/pipeline/run/cloud-limiter';

// A pipeline of 60 entries on a quota of 5 has 55 entries queued on the run's one abort signal: Node printed
// "MaxListenersExceededWarning: Possible EventTarget memory leak detected" on every large apply.
test.serial('sixty entries queued on the interrupt signal print no listener warning, and each stops listening when it starts', async (t) => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  const interrupt = abortOnSignals(() => undefined);
  try {
    const limiter = new CloudLimiter(() => 1);
    let release = await limiter.acquire('aws', interrupt.signal);
    const queued = Array.from({ length: 60 }, () => limiter.acquire('aws', interrupt.signal));
    for (const next of queued) {
      release();
      release = await next;
    }
    release();
    await new Promise((resolve) => setImmediate(resolve));
    t.deepEqual(warnings, []);
    t.is(limiter.runningOn('aws'), 0);
  } finally {
    interrupt.dispose();
    process.off('warning', onWarning);
  }
});
