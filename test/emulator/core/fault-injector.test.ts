import test from 'ava';
import { FaultInjector, validateFaultSettings } from '../../../emulator/core/fault-injector';

function draws(injector: FaultInjector, count: number, service = 'ec2'): string[] {
  return Array.from({ length: count }, () => {
    const draw = injector.draw('aws', service);
    return draw.request ?? draw.task ?? '-';
  });
}

test('faults: the same seed and request order give the same faults; set() restarts the sequence', (t) => {
  const settings = { rate: 0.4, kinds: ['throttle', '5xx', 'drop', 'fail-task'] as const, seed: 42 };
  const a = new FaultInjector({ ...settings, kinds: [...settings.kinds] });
  const b = new FaultInjector({ ...settings, kinds: [...settings.kinds] });
  const first = draws(a, 200);
  t.deepEqual(draws(b, 200), first);
  a.set({ ...settings, kinds: [...settings.kinds] });
  t.deepEqual(draws(a, 200), first);
  const hits = first.filter((kind) => kind !== '-').length;
  t.true(hits > 40 && hits < 120, `about 40% of 200 requests hit (${hits})`);
  t.true(first.includes('fail-task'), 'task faults are drawn like the others');
});

test('faults: rate 0 never fires, rate 1 always does; cloud and service filters apply', (t) => {
  const injector = new FaultInjector({ rate: 0, kinds: ['5xx'] });
  t.deepEqual(draws(injector, 20), Array(20).fill('-'));
  injector.set({ rate: 1, kinds: ['5xx'], services: ['iam'] });
  t.deepEqual(draws(injector, 5, 'ec2'), Array(5).fill('-'));
  t.deepEqual(draws(injector, 5, 'iam'), Array(5).fill('5xx'));
  injector.set({ rate: 1, kinds: ['slow-task'], clouds: ['jdcloud'] });
  t.deepEqual(injector.draw('aws', 'ec2'), {});
  t.deepEqual(injector.draw('jdcloud', 'vm'), { task: 'slow-task' });
  injector.clear();
  t.is(injector.settings, undefined);
  t.deepEqual(injector.draw('aws', 'iam'), {});
});

test('rejects fault settings with every problem named', (t) => {
  t.deepEqual(validateFaultSettings({ rate: 0.5, kinds: ['drop'] }), []);
  t.deepEqual(validateFaultSettings('x'), ['fault settings must be an object, got "x"']);
  const problems = validateFaultSettings({ rate: 'high', kinds: 'drop', clouds: [1], extra: true });
  t.is(problems.length, 4);
  t.regex(problems.join('\n'), /rate: "high"[\s\S]*kinds: "drop"[\s\S]*clouds: \[1\][\s\S]*extra: unknown field/);
});
