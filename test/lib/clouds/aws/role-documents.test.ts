import test from 'ava';
import {
  awsRoleDocuments,
  partitionOfRegion,
  vmimportPermissionPolicy,
  vmimportTrustPolicy,
} from '../../../../lib/clouds/aws/role-documents';

// The exact documents of the VM Import/Export user guide (required-permissions.md), reference §3.1 and §3.2.
const DOCUMENTED_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'vmie.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } },
    },
  ],
};

const DOCUMENTED_PERMISSIONS = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::disk-image-file-bucket', 'arn:aws:s3:::disk-image-file-bucket/*'],
    },
    {
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketAcl'],
      Resource: ['arn:aws:s3:::export-bucket', 'arn:aws:s3:::export-bucket/*'],
    },
    {
      Effect: 'Allow',
      Action: ['ec2:ModifySnapshotAttribute', 'ec2:CopySnapshot', 'ec2:RegisterImage', 'ec2:Describe*'],
      Resource: '*',
    },
  ],
};

test('the trust policy equals the documented JSON', (t) => {
  t.deepEqual(JSON.parse(JSON.stringify(vmimportTrustPolicy())), DOCUMENTED_TRUST);
});

test('with a known account, the trust policy adds the published confused-deputy conditions', (t) => {
  const policy = vmimportTrustPolicy({ accountId: '111122223333' });
  t.deepEqual(policy.Statement[0].Condition, {
    StringEquals: { 'sts:Externalid': 'vmimport', 'aws:SourceAccount': '111122223333' },
    ArnLike: { 'aws:SourceArn': 'arn:aws:vmie:*:111122223333:*' },
  });
  t.is(vmimportTrustPolicy({ accountId: '111122223333', partition: 'aws-cn' }).Statement[0].Condition?.ArnLike['aws:SourceArn'], 'arn:aws-cn:vmie:*:111122223333:*');
});

test('the permission policy for one import and one export bucket equals the documented JSON', (t) => {
  const policy = vmimportPermissionPolicy({ importBuckets: ['disk-image-file-bucket'], exportBuckets: ['export-bucket'] });
  t.deepEqual(JSON.parse(JSON.stringify(policy)), DOCUMENTED_PERMISSIONS);
});

test('the permission policy is scoped to exactly the buckets in use', (t) => {
  const policy = vmimportPermissionPolicy({ exportBuckets: ['out-a', 'out-b', 'out-a'], importBuckets: ['in-a', 'out-b'] });
  const resources = policy.Statement.map((s) => s.Resource);
  t.deepEqual(resources, [
    ['arn:aws:s3:::in-a', 'arn:aws:s3:::in-a/*'],
    ['arn:aws:s3:::out-a', 'arn:aws:s3:::out-a/*', 'arn:aws:s3:::out-b', 'arn:aws:s3:::out-b/*'],
    '*',
  ]);
  t.false(JSON.stringify(policy).includes('s3:::*'));
});

test('an export-only role has no import statement and no KMS statement', (t) => {
  const policy = vmimportPermissionPolicy({ exportBuckets: ['out'] });
  t.is(policy.Statement.length, 2);
  t.deepEqual(policy.Statement[0].Action, ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketAcl']);
  t.false(JSON.stringify(policy).includes('kms:'));
});

test('a KMS statement is added only for the given keys', (t) => {
  const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const policy = vmimportPermissionPolicy({ importBuckets: ['in'], kmsKeyArns: [key] });
  const kms = policy.Statement.at(-1)!;
  t.deepEqual(kms.Resource, [key]);
  t.deepEqual(kms.Action, ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);
});

test('awsRoleDocuments names the role and policy, follows the purpose, and uses the region partition', (t) => {
  const docs = awsRoleDocuments(
    { cloud: 'aws', purpose: 'export', roleName: 'imageport-golden', exportBuckets: ['out'], importBuckets: ['in'] },
    { region: 'cn-north-1', accountId: '111122223333' },
  );
  t.is(docs.roleName, 'imageport-golden');
  t.is(docs.policies.length, 1);
  t.is(docs.policies[0].name, 'imageport-golden');
  const text = JSON.stringify(docs.policies[0].document);
  t.true(text.includes('arn:aws-cn:s3:::out'));
  t.false(text.includes(':::in'));
  t.true(JSON.stringify(docs.trustPolicy).includes('arn:aws-cn:vmie:*:111122223333:*'));
  const defaults = awsRoleDocuments({ cloud: 'aws', purpose: 'both', policyName: 'p' });
  t.is(defaults.roleName, 'vmimport');
  t.is(defaults.policies[0].name, 'p');
  t.deepEqual(defaults.trustPolicy, DOCUMENTED_TRUST);
});

test('partitionOfRegion', (t) => {
  t.is(partitionOfRegion('us-east-1'), 'aws');
  t.is(partitionOfRegion('cn-northwest-1'), 'aws-cn');
  t.is(partitionOfRegion('us-gov-west-1'), 'aws-us-gov');
  t.is(partitionOfRegion(undefined), 'aws');
});
