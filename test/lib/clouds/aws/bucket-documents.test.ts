import test from 'ava';
import {
  LIFECYCLE_RULE_ID,
  lifecycleRuleOf,
  mergeLifecycleRules,
  tlsOnlyStatement,
  validateBucketSpec,
  withTlsOnlyStatement,
} from '../../../../lib/clouds/aws/bucket-documents';
import { parsePolicyDocument } from '../../../../lib/clouds/aws/iam-api';
import { canonicalJson } from '../../../../lib/clouds/aws/role-setup';

test('the TLS-only statement denies every request without aws:SecureTransport', (t) => {
  t.deepEqual(JSON.parse(JSON.stringify(tlsOnlyStatement('out'))), {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::out', 'arn:aws:s3:::out/*'],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
});

test('the TLS-only statement is added to an existing policy once, keeping its statements', (t) => {
  const existing = { Version: '2012-10-17', Statement: [{ Sid: 'Mine', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::out/*' }] };
  const merged = withTlsOnlyStatement(existing, 'out')!;
  t.is((merged.Statement as unknown[]).length, 2);
  t.deepEqual((merged.Statement as unknown[])[0], existing.Statement[0]);
  t.is(withTlsOnlyStatement(merged, 'out'), undefined);
  t.is((withTlsOnlyStatement(undefined, 'out')!.Statement as unknown[]).length, 1);
});

test('lifecycle: none unless asked; imageport rule replaced, other rules kept', (t) => {
  t.is(lifecycleRuleOf({ cloud: 'aws', region: 'us-east-1', name: 'out' }), undefined);
  const rule = lifecycleRuleOf({ cloud: 'aws', region: 'us-east-1', name: 'out', lifecycle: { expireAfterDays: 90, transitionAfterDays: 30 }, lifecyclePrefix: 'exports/' })!;
  t.deepEqual(rule, {
    ID: LIFECYCLE_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: 'exports/' },
    Expiration: { Days: 90 },
    Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
  });
  const other = { ID: 'logs', Status: 'Enabled' as const, Filter: { Prefix: 'logs/' }, Expiration: { Days: 7 } };
  const old = { ...rule, Expiration: { Days: 10 } };
  t.deepEqual(mergeLifecycleRules([other, old], rule), [other, rule]);
  t.deepEqual(mergeLifecycleRules([other, old], undefined), [other]);
});

test('rejects bad bucket specs, all at once', (t) => {
  const issues = validateBucketSpec({ cloud: 'aws', region: 'nowhere', name: 'Bad_Name', lifecycle: { expireAfterDays: 10, transitionAfterDays: 30.5 } });
  t.deepEqual(
    issues.map((i) => `${i.field}:${i.code}`),
    ['name:bucket-name.characters', 'name:bucket-name.edges', 'region:region.format', 'lifecycle.transitionAfterDays:lifecycle.days', 'lifecycle.expireAfterDays:lifecycle.order'],
  );
  t.deepEqual(validateBucketSpec({ cloud: 'aws', region: 'us-east-1', name: 'good-bucket', lifecycle: { expireAfterDays: 90 } }), []);
});

test('policy documents from IAM are parsed whether URL-encoded or plain', (t) => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a b/*' }] };
  t.deepEqual(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc))), doc);
  t.deepEqual(parsePolicyDocument(JSON.stringify(doc)), doc);
  t.deepEqual(parsePolicyDocument(JSON.stringify({ x: '100%' })), { x: '100%' });
  t.is(parsePolicyDocument('%E0%A4%A'), undefined);
  t.is(parsePolicyDocument(undefined), undefined);
});

test('canonicalJson ignores key order and undefined members', (t) => {
  t.is(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] }), canonicalJson({ a: [{ d: 2 }], b: 1 }));
  t.not(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
});
