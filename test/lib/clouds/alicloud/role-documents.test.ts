import test from 'ava';
import { SpecValidationError } from '../../../../lib/model/validation-issue';
import { alicloudPolicyName, alicloudRoleDocuments } from '../../../../lib/clouds/alicloud/role-documents';
import { missingOssActions, trustsEcs } from '../../../../lib/clouds/alicloud/policy-check';
import { EXPORT_OSS_ACTIONS, IMPORT_OSS_ACTIONS } from '../../../../lib/clouds/alicloud/constants';

test('the export role trusts ecs.aliyuncs.com with the exact documented trust policy and the system policy', (t) => {
  const documents = alicloudRoleDocuments({ cloud: 'alicloud', purpose: 'export' });
  t.is(documents.roleName, 'AliyunECSImageExportDefaultRole');
  t.deepEqual(documents.trustPolicy, {
    Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }],
    Version: '1',
  });
  t.deepEqual(documents.systemPolicies, ['AliyunECSImageExportRolePolicy']);
  t.deepEqual(documents.policies, []);
});

test('the import role gets its own name and system policy', (t) => {
  const documents = alicloudRoleDocuments({ cloud: 'alicloud', purpose: 'import' });
  t.is(documents.roleName, 'AliyunECSImageImportDefaultRole');
  t.deepEqual(documents.systemPolicies, ['AliyunECSImageImportRolePolicy']);
  t.true(trustsEcs(documents.trustPolicy));
});

test('scoped mode grants the documented actions on exactly the buckets in use, never * for object writes', (t) => {
  const documents = alicloudRoleDocuments({ cloud: 'alicloud', purpose: 'export', policyMode: 'scoped', exportBuckets: ['b2', 'b1', 'b1'] });
  t.deepEqual(documents.systemPolicies, []);
  t.is(documents.policies.length, 1);
  const policy = documents.policies[0];
  t.is(policy.name, 'imageport-AliyunECSImageExportDefaultRole');
  const statements = policy.document.Statement as { Action: string[]; Resource: string[] }[];
  const allResources = statements.flatMap((s) => s.Resource);
  t.false(allResources.includes('*'));
  t.deepEqual(statements[0].Resource, ['acs:oss:*:*:b1/*', 'acs:oss:*:*:b2/*']);
  t.true(statements[0].Action.includes('oss:PutObject'));
  t.deepEqual(statements[1].Resource, ['acs:oss:*:*:b1', 'acs:oss:*:*:b2']);
  t.deepEqual(statements.flatMap((s) => s.Action).sort(), [...EXPORT_OSS_ACTIONS].sort());
  t.deepEqual(missingOssActions([policy.document], EXPORT_OSS_ACTIONS, 'b1', 'cn-hangzhou'), []);
  t.deepEqual(missingOssActions([policy.document], EXPORT_OSS_ACTIONS, 'b3', 'cn-hangzhou'), [...EXPORT_OSS_ACTIONS]);
});

test('scoped import policy grants only reads', (t) => {
  const documents = alicloudRoleDocuments({ cloud: 'alicloud', purpose: 'import', policyMode: 'scoped', importBuckets: ['src'] });
  const actions = documents.policies[0].document.Statement as { Action: string[] }[];
  t.deepEqual(actions.flatMap((s) => s.Action).sort(), [...IMPORT_OSS_ACTIONS].sort());
});

test('policy names keep only characters RAM allows', (t) => {
  t.is(alicloudPolicyName({ cloud: 'alicloud', purpose: 'export', roleName: 'my.role' }), 'imageport-my-role');
  t.is(alicloudPolicyName({ cloud: 'alicloud', purpose: 'export', policyName: 'Mine' }), 'Mine');
});

test('rejects purpose both and scoped mode without buckets, naming the fields', (t) => {
  const error = t.throws(() => alicloudRoleDocuments({ cloud: 'alicloud', purpose: 'both' }), { instanceOf: SpecValidationError });
  t.is(error?.issues[0].field, 'purpose');
  const scoped = t.throws(() => alicloudRoleDocuments({ cloud: 'alicloud', purpose: 'import', policyMode: 'scoped' }), { instanceOf: SpecValidationError });
  t.is(scoped?.issues[0].field, 'importBuckets');
});

test('trustsEcs reads JSON strings, the account-qualified principal, and refuses other services or Deny', (t) => {
  const trust = (service: unknown, effect = 'Allow'): string =>
    JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: effect, Principal: { Service: service } }] });
  t.true(trustsEcs(trust(['ecs.aliyuncs.com'])));
  t.true(trustsEcs(trust('1234567890@ecs.aliyuncs.com')));
  t.false(trustsEcs(trust(['oss.aliyuncs.com'])));
  t.false(trustsEcs(trust(['ecs.aliyuncs.com'], 'Deny')));
  t.false(trustsEcs('{not json'));
  t.false(trustsEcs(undefined));
});

test('missingOssActions honours wildcards, bucket vs object resources, and Deny', (t) => {
  const allowAll = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: '*' }] };
  t.deepEqual(missingOssActions([allowAll], EXPORT_OSS_ACTIONS, 'b', 'cn-hangzhou'), []);
  const objectsOnly = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:*'], Resource: ['acs:oss:*:*:b/*'] }] };
  t.deepEqual(missingOssActions([objectsOnly], EXPORT_OSS_ACTIONS, 'b', 'cn-hangzhou'), ['oss:GetBucketLocation', 'oss:GetBucketInfo', 'oss:ListMultipartUploads']);
  const deny = { Version: '1', Statement: [{ Effect: 'Deny', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:b/*' }] };
  t.deepEqual(missingOssActions([allowAll, deny], EXPORT_OSS_ACTIONS, 'b', 'cn-hangzhou'), ['oss:PutObject']);
  const account = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: ['acs:oss:*:123:b', 'acs:oss:*:123:b/*'] }] };
  t.deepEqual(missingOssActions([account], IMPORT_OSS_ACTIONS, 'b', 'cn-hangzhou'), [], 'unknown account: any account matches');
  t.deepEqual(missingOssActions([account], IMPORT_OSS_ACTIONS, 'b', 'cn-hangzhou', '999'), [...IMPORT_OSS_ACTIONS]);
  t.deepEqual(missingOssActions([], IMPORT_OSS_ACTIONS, 'b', 'cn-hangzhou'), [...IMPORT_OSS_ACTIONS]);
});
