import test from 'ava';
import { configureHost, connectionFor, pollIntervals, redact } from '../../../pulumi/runtime/host-settings';

function configure(values: Record<string, string>): void {
  configureHost({ config: { get: (key: string) => values[key], require: (key: string) => values[key] } });
}

test.serial('connections carry the stack config endpoints and credentials of their cloud only', (t) => {
  configure({
    'imageport:endpoints': JSON.stringify({ jdcloud: { vm: 'http://127.0.0.1:1', iam: 'http://127.0.0.1:2' } }),
    'imageport:credentials': JSON.stringify({ jdcloud: { accessKeyId: 'JDKEYID', secretAccessKey: 'jd-secret-value' } }),
  });
  t.deepEqual(connectionFor('jdcloud', 'cn-east-2'), {
    region: 'cn-east-2',
    endpoints: { vm: 'http://127.0.0.1:1', iam: 'http://127.0.0.1:2' },
    credentials: { accessKeyId: 'JDKEYID', secretAccessKey: 'jd-secret-value' },
  });
  t.deepEqual(connectionFor('aws', 'us-east-1'), { region: 'us-east-1' });
});

test.serial('redacts every credential value the host knows, from config and from the environment', (t) => {
  configure({ 'imageport:credentials': JSON.stringify({ alicloud: { accessKeyId: 'LTAIKEYID', secretAccessKey: 'ali-secret-value' } }) });
  const env = { AWS_SECRET_ACCESS_KEY: 'aws-secret-value', JDCLOUD_SECRET_KEY: 'jd-env-secret' };
  t.is(
    redact('signature by LTAIKEYID with ali-secret-value, aws-secret-value and jd-env-secret refused', env),
    'signature by *** with ***, *** and *** refused',
  );
});

test.serial('poll interval config is read as durations', (t) => {
  configure({ 'imageport:minPollInterval': '250ms', 'imageport:maxPollInterval': '2s' });
  t.deepEqual(pollIntervals(), { minIntervalMs: 250, maxIntervalMs: 2000 });
});

test.serial('rejects malformed settings, naming the key and never echoing the value', (t) => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ 'imageport:credentials': 'not json {secret}' }, /stack config imageport:credentials is not valid JSON/],
    [{ 'imageport:credentials': JSON.stringify({ gcp: { accessKeyId: 'a', secretAccessKey: 'b' } }) }, /"gcp" is not a cloud \(allowed: aws, alicloud, jdcloud\)/],
    [{ 'imageport:endpoints': JSON.stringify({ aws: { ec2: 'ftp://x' } }) }, /imageport:endpoints\.aws\.ec2 must be an http\(s\) URL/],
    [{ 'imageport:minPollInterval': 'fast' }, /imageport:minPollInterval: "fast" is not a duration/],
  ];
  for (const [values, expected] of bad) {
    const error = t.throws(() => configure(values));
    t.regex(error!.message, expected);
    t.notRegex(error!.message, /\{secret\}/);
  }
});
