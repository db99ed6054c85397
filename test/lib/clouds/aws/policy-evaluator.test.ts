import test from 'ava';
import { evaluateCondition, evaluatePolicies, wildcardMatch } from '../../../../lib/clouds/aws/policy-evaluator';
import { vmimportPermissionPolicy } from '../../../../lib/clouds/aws/role-documents';

const documented = [{ name: 'inline policy vmimport', document: vmimportPermissionPolicy({ exportBuckets: ['out'], importBuckets: ['in'] }) }];

test('wildcards: * and ? in actions (any case) and resources (exact case)', (t) => {
  t.true(wildcardMatch('s3:Get*', 's3:GetObject', true));
  t.true(wildcardMatch('S3:GETOBJECT', 's3:GetObject', true));
  t.false(wildcardMatch('arn:aws:s3:::Out/*', 'arn:aws:s3:::out/k', false));
  t.true(wildcardMatch('arn:aws:s3:::out/exp?rts/*', 'arn:aws:s3:::out/exports/a.vmdk', false));
  t.false(wildcardMatch('arn:aws:s3:::out', 'arn:aws:s3:::out/k', false));
  t.true(wildcardMatch('a.b+c', 'a.b+c', false));
  t.false(wildcardMatch('a.b', 'axb', false));
});

test('the documented policy allows the export set on the export bucket and the read set on the import bucket', (t) => {
  for (const action of ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetBucketAcl']) {
    t.is(evaluatePolicies(documented, { action, resource: 'arn:aws:s3:::out' }).decision, 'allowed', action);
  }
  t.is(evaluatePolicies(documented, { action: 's3:PutObject', resource: 'arn:aws:s3:::out/exports/x.vmdk' }).decision, 'allowed');
  t.is(evaluatePolicies(documented, { action: 's3:GetObject', resource: 'arn:aws:s3:::in/disk.vmdk' }).decision, 'allowed');
  t.is(evaluatePolicies(documented, { action: 'ec2:DescribeImages', resource: '*' }).decision, 'allowed');
});

test('fails to allow what the documented policy does not grant', (t) => {
  const put = evaluatePolicies(documented, { action: 's3:PutObject', resource: 'arn:aws:s3:::in/x' });
  t.deepEqual(put, { decision: 'not-allowed', uncertain: false, by: [] });
  t.is(evaluatePolicies(documented, { action: 's3:PutObject', resource: 'arn:aws:s3:::other/x' }).decision, 'not-allowed');
  t.is(evaluatePolicies(documented, { action: 's3:DeleteObject', resource: 'arn:aws:s3:::out/x' }).decision, 'not-allowed');
});

test('an explicit Deny wins over any Allow, and names the statement', (t) => {
  const deny = { name: 'managed policy guard', document: { Statement: { Sid: 'NoWrites', Effect: 'Deny', Action: 's3:Put*', Resource: '*' } } };
  const result = evaluatePolicies([...documented, deny], { action: 's3:PutObject', resource: 'arn:aws:s3:::out/x' });
  t.is(result.decision, 'explicitly-denied');
  t.deepEqual(result.by, [{ policy: 'managed policy guard', statement: 'NoWrites' }]);
});

test('NotAction and NotResource invert their element', (t) => {
  const policy = [{ name: 'p', document: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' }] } }];
  t.is(evaluatePolicies(policy, { action: 's3:PutObject', resource: 'arn:aws:s3:::out/x' }).decision, 'allowed');
  t.is(evaluatePolicies(policy, { action: 'iam:CreateRole', resource: 'arn:aws:s3:::out/x' }).decision, 'not-allowed');
  t.is(evaluatePolicies(policy, { action: 's3:PutObject', resource: 'arn:aws:s3:::secret/x' }).decision, 'not-allowed');
});

test('a statement under an undecidable condition counts as allowed but uncertain', (t) => {
  const policy = [{ name: 'p', document: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] } }];
  t.deepEqual(evaluatePolicies(policy, { action: 's3:PutObject', resource: 'arn:aws:s3:::out/x' }), {
    decision: 'allowed',
    uncertain: true,
    by: [{ policy: 'p', statement: '#1' }],
  });
});

test('conditions on known keys decide: StringEquals, StringLike, IfExists, case-insensitive keys', (t) => {
  const trust = [{ name: 'trust', document: { Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } } }] } }];
  const principal = { Service: 'vmie.amazonaws.com' };
  t.is(evaluatePolicies(trust, { action: 'sts:AssumeRole', principal, context: { 'sts:ExternalId': 'vmimport' } }).decision, 'allowed');
  t.is(evaluatePolicies(trust, { action: 'sts:AssumeRole', principal, context: { 'sts:ExternalId': 'other' } }).decision, 'not-allowed');
  t.is(evaluatePolicies(trust, { action: 'sts:AssumeRole', principal: { Service: 'ec2.amazonaws.com' }, context: { 'sts:ExternalId': 'vmimport' } }).decision, 'not-allowed');
  t.true(evaluateCondition('StringLike', 'vmimport', ['vm*']));
  t.false(evaluateCondition('StringNotEquals', 'a', ['a']));
  t.true(evaluateCondition('StringEqualsIfExists', undefined, ['a']));
  t.is(evaluateCondition('StringEquals', undefined, ['a']), undefined);
  t.is(evaluateCondition('NumericLessThan', '1', ['2']), undefined);
  t.true(evaluateCondition('ForAnyValue:StringEqualsIgnoreCase', 'VMIMPORT', ['vmimport']));
});

test('malformed documents allow nothing and do not crash', (t) => {
  for (const document of [null, 'x', { Statement: 'x' }, { Statement: [null, 5] }, {}]) {
    t.is(evaluatePolicies([{ name: 'p', document }], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }).decision, 'not-allowed');
  }
});
