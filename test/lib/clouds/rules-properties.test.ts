import test from 'ava';
import { describeValue, formatIssue } from '../../../lib/model/validation-issue';

// Counterexamples the properties found, pinned.

test('describeValue describes a value that has neither a JSON nor a string form instead of throwing', (t) => {
  // A null-prototype object holding a BigInt: JSON.stringify throws on the BigInt, String() finds no toString.
  const value = Object.assign(Object.create(null) as Record<string, unknown>, { size: 10n });
  t.is(describeValue(value), '[object Object]');
  t.is(formatIssue({ field: 'tags', value, rule: 'must be a map of strings', code: 'type' }), 'tags: [object Object] must be a map of strings');
  t.is(describeValue(Symbol('two\nlines')), 'Symbol(two lines)');
});
