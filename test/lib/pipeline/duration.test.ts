import test from 'ava';
import { formatDuration, parseDuration } from '../../../lib/pipeline/duration';

test('parses Terraform-style durations', (t) => {
  t.is(parseDuration('90m'), 90 * 60_000);
  t.is(parseDuration('2h'), 7_200_000);
  t.is(parseDuration('1h30m'), 5_400_000);
  t.is(parseDuration('45s'), 45_000);
  t.is(parseDuration('250ms'), 250);
  t.is(parseDuration('1.5h'), 5_400_000);
  t.is(parseDuration('1d'), 86_400_000);
});

test('rejects what is not a duration', (t) => {
  for (const text of ['', '90', 'm', '90x', '1h 30m', '-5m', '0s', 'h1', 42, undefined, null]) {
    t.is(parseDuration(text), undefined, String(text));
  }
});

test('formats durations compactly', (t) => {
  t.is(formatDuration(5_400_000), '1h30m');
  t.is(formatDuration(45_000), '45s');
  t.is(formatDuration(250), '250ms');
  t.is(formatDuration(90_061_000), '1d1h1m1s');
});
