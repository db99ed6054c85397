import test from 'ava';
import { deterministicToken } from '../../../lib/model/token';

test('the same parts give the same token', (t) => {
  t.is(deterministicToken(['stack', 'golden', 'ami-1', 'vmdk']), deterministicToken(['stack', 'golden', 'ami-1', 'vmdk']));
});

test('any changed part gives a different token', (t) => {
  const base = deterministicToken(['stack', 'golden', 'ami-1', 'vmdk']);
  t.not(deterministicToken(['stack', 'golden', 'ami-1', 'raw']), base);
  t.not(deterministicToken(['stack', 'golden', 'ami-2', 'vmdk']), base);
});

test('part boundaries matter: ["ab","c"] differs from ["a","bc"]', (t) => {
  t.not(deterministicToken(['ab', 'c']), deterministicToken(['a', 'bc']));
});

test('tokens are short ASCII that AWS and JD accept (at most 64 characters)', (t) => {
  const token = deterministicToken(['x'.repeat(500)]);
  t.regex(token, /^ip-[0-9a-f]{40}$/);
  t.true(token.length <= 64);
});
