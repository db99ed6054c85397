import test from 'ava';
import { checkRolePermissions, checkTrustPolicy, exportPermissionNeeds, importPermissionNeeds } from '../../../../lib/clouds/aws/role-checks';
import { vmimportPermissionPolicy, vmimportTrustPolicy } from '../../../../lib/clouds/aws/role-documents';

test('the documented trust policy passes, with or without the confused-deputy conditions', (t) => {
  t.deepEqual(checkTrustPolicy('vmimport', vmimportTrustPolicy()), []);
  t.deepEqual(checkTrustPolicy('vmimport', vmimportTrustPolicy({ accountId: '111122223333' }), { accountId: '111122223333' }), []);
  t.deepEqual(checkTrustPolicy('vmimport', vmimportTrustPolicy({ accountId: '111122223333' })), []);
});

test('fails a role that does not trust vmie.amazonaws.com', (t) => {
  const ec2Only = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const [problem] = checkTrustPolicy('vmimport', ec2Only);
  t.is(problem.code, 'role.trust');
  t.regex(problem.message, /role "vmimport" does not trust vmie\.amazonaws\.com/);
  t.truthy(problem.fix);
});

test('fails a role trusting vmie without the ExternalId condition, or with another external id', (t) => {
  const noCondition = { Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'vmie.amazonaws.com'] }, Action: 'sts:AssumeRole' }] };
  const [missing] = checkTrustPolicy('vmimport', noCondition);
  t.is(missing.code, 'role.trust-external-id');
  t.regex(missing.message, /without the condition "sts:Externalid": "vmimport"/);
  const wrong = { Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'other' } } }] };
  const [mismatch] = checkTrustPolicy('vmimport', wrong);
  t.is(mismatch.code, 'role.trust-external-id');
  t.regex(mismatch.message, /refuses the external id "vmimport"/);
});

test('fails a trust policy that denies vmie explicitly', (t) => {
  const doc = {
    Statement: [
      ...vmimportTrustPolicy().Statement,
      { Sid: 'NoVmie', Effect: 'Deny', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:*' },
    ],
  };
  const [problem] = checkTrustPolicy('vmimport', doc);
  t.is(problem.code, 'role.trust');
  t.regex(problem.message, /denies sts:AssumeRole .*NoVmie/);
});

test('export needs pass on the documented policy for that bucket', (t) => {
  const policies = [{ name: 'inline policy vmimport', document: vmimportPermissionPolicy({ exportBuckets: ['out'] }) }];
  t.deepEqual(checkRolePermissions('vmimport', policies, exportPermissionNeeds('out', 'exports/', 'vmdk')), []);
});

test('fails naming the missing permission and the bucket', (t) => {
  const policies = [
    {
      name: 'inline policy vmimport',
      document: { Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:GetBucketAcl'], Resource: ['arn:aws:s3:::out', 'arn:aws:s3:::out/*'] }] },
    },
  ];
  const problems = checkRolePermissions('vmimport', policies, exportPermissionNeeds('out', 'exports/', 'vmdk'));
  t.is(problems.length, 1);
  t.is(problems[0].code, 'role.permission');
  t.regex(problems[0].message, /role "vmimport" lacks s3:PutObject on bucket "out" \(arn:aws:s3:::out\/exports\/export-ami-[0-9a-f]{17}\.vmdk\)/);
});

test('fails when the role is scoped to another bucket or another prefix', (t) => {
  const other = [{ name: 'p', document: vmimportPermissionPolicy({ exportBuckets: ['elsewhere'] }) }];
  t.is(checkRolePermissions('vmimport', other, exportPermissionNeeds('out', '', 'raw')).length, 5);
  const prefixed = [{ name: 'p', document: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::out', 'arn:aws:s3:::out/logs/*'] }] } }];
  const problems = checkRolePermissions('vmimport', prefixed, exportPermissionNeeds('out', 'exports/', 'raw'));
  t.deepEqual(problems.map((p) => p.message.split(' ')[3]), ['s3:GetObject', 's3:PutObject']);
});

test('fails naming the Deny that blocks a permission', (t) => {
  const policies = [
    { name: 'inline policy vmimport', document: vmimportPermissionPolicy({ exportBuckets: ['out'] }) },
    { name: 'managed policy arn:aws:iam::111122223333:policy/guard', document: { Statement: [{ Sid: 'NoPut', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] } },
  ];
  const [problem] = checkRolePermissions('vmimport', policies, exportPermissionNeeds('out', '', 'vhd'));
  t.regex(problem.message, /is denied s3:PutObject on bucket "out" .* by managed policy arn:aws:iam::111122223333:policy\/guard statement NoPut/);
});

test('import needs read each source object once per bucket and the EC2 actions', (t) => {
  const needs = importPermissionNeeds([
    { bucket: 'in', key: 'a.vmdk' },
    { bucket: 'in', key: 'b.vmdk' },
  ]);
  t.deepEqual(
    needs.map((n) => `${n.action} ${n.resource}`),
    [
      's3:GetBucketLocation arn:aws:s3:::in',
      's3:GetObject arn:aws:s3:::in/a.vmdk',
      's3:ListBucket arn:aws:s3:::in',
      's3:GetObject arn:aws:s3:::in/b.vmdk',
      'ec2:ModifySnapshotAttribute *',
      'ec2:CopySnapshot *',
      'ec2:RegisterImage *',
      'ec2:DescribeImages *',
    ],
  );
  const policies = [{ name: 'p', document: vmimportPermissionPolicy({ importBuckets: ['in'] }) }];
  t.deepEqual(checkRolePermissions('vmimport', policies, needs), []);
});
