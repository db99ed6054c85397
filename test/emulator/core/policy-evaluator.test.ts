import test from 'ava';
import { evaluatePolicies, trustsService, validatePolicyDocument, wildcardMatch } from '../../../emulator/core/policy-evaluator';

const allowBucket = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:PutObject'], Resource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'] }] };

test('policies: allow by action and resource wildcards; actions are case-insensitive, resources are not', (t) => {
  t.is(evaluatePolicies([allowBucket], { action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/a/b.vmdk' }), 'allow');
  t.is(evaluatePolicies([allowBucket], { action: 'S3:getobject', resource: 'arn:aws:s3:::bucket/x' }), 'allow');
  t.is(evaluatePolicies([allowBucket], { action: 's3:PutObject', resource: 'arn:aws:s3:::BUCKET/x' }), 'implicit-deny');
  t.is(evaluatePolicies([allowBucket], { action: 's3:DeleteObject', resource: 'arn:aws:s3:::bucket/x' }), 'implicit-deny');
  t.is(evaluatePolicies([allowBucket], { action: 's3:PutObject', resource: 'arn:aws:s3:::bucket-2/x' }), 'implicit-deny');
  t.true(wildcardMatch('arn:aws:s3:::b?cket/*', 'arn:aws:s3:::bucket/k', false));
});

test('policies: an explicit Deny wins over any Allow; NotAction and NotResource invert', (t) => {
  const deny = { Statement: { Effect: 'Deny', NotAction: 's3:Get*', Resource: '*' } };
  t.is(evaluatePolicies([allowBucket, deny], { action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/x' }), 'explicit-deny');
  t.is(evaluatePolicies([allowBucket, deny], { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/x' }), 'allow');
  const notResource = { Statement: [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::secret/*' }] };
  t.is(evaluatePolicies([notResource], { action: 's3:PutObject', resource: 'arn:aws:s3:::secret/x' }), 'implicit-deny');
  t.is(evaluatePolicies([notResource], { action: 's3:PutObject', resource: 'arn:aws:s3:::open/x' }), 'allow');
});

test('trust: the principal must name the service; conditions use case-insensitive keys, IfExists and Like operators', (t) => {
  const trust = (condition?: object) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'vmie.amazonaws.com'] }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  });
  const context = { 'sts:ExternalId': 'vmimport', 'aws:SourceArn': 'arn:aws:vmie:us-east-1:123456789012:export-ami-1' };
  t.true(trustsService(trust(), 'vmie.amazonaws.com', 'sts:AssumeRole', context));
  t.false(trustsService(trust(), 'lambda.amazonaws.com', 'sts:AssumeRole', context));
  t.true(trustsService(trust({ StringEquals: { 'sts:externalid': 'vmimport' } }), 'vmie.amazonaws.com', 'sts:AssumeRole', context));
  t.false(trustsService(trust({ StringEquals: { 'sts:ExternalId': 'other' } }), 'vmie.amazonaws.com', 'sts:AssumeRole', context));
  t.true(trustsService(trust({ ArnLike: { 'aws:SourceArn': 'arn:aws:vmie:*:123456789012:*' } }), 'vmie.amazonaws.com', 'sts:AssumeRole', context));
  t.false(trustsService(trust({ ArnLike: { 'aws:SourceArn': 'arn:aws:vmie:*:999999999999:*' } }), 'vmie.amazonaws.com', 'sts:AssumeRole', context));
  t.true(trustsService(trust({ StringEqualsIfExists: { 'aws:PrincipalTag/x': 'y' } }), 'vmie.amazonaws.com', 'sts:AssumeRole', context));
  t.false(trustsService(trust({ StringEquals: { 'aws:PrincipalTag/x': 'y' } }), 'vmie.amazonaws.com', 'sts:AssumeRole', context));
  t.false(trustsService(trust({ NumericLessThan: { 'sts:ExternalId': '3' } }), 'vmie.amazonaws.com', 'sts:AssumeRole', context), 'unknown operators never hold');
  t.false(trustsService({ Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:TagSession' }] }, 'vmie.amazonaws.com', 'sts:AssumeRole'));
});

test('rejects malformed policy documents with IAM\'s wording', (t) => {
  t.deepEqual(validatePolicyDocument(JSON.stringify(allowBucket), 'identity'), []);
  t.deepEqual(validatePolicyDocument('{', 'identity'), ['This policy contains invalid Json']);
  t.deepEqual(validatePolicyDocument('[]', 'trust'), ['Syntax errors in policy.']);
  const identity = validatePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Principal: '*', Action: 's3:*' }] }), 'identity');
  t.regex(identity.join('\n'), /Effect must be "Allow" or "Deny"[\s\S]*should not specify a principal[\s\S]*must contain resources/);
  const trust = validatePolicyDocument(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }), 'trust');
  t.regex(trust.join('\n'), /Has prohibited field Resource[\s\S]*Missing required field Principal/);
  t.regex(validatePolicyDocument(JSON.stringify({ Version: '2020-01-01', Statement: [] }), 'identity').join('\n'), /Version "2020-01-01"[\s\S]*Statement is missing or empty/);
});
