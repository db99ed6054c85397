import test from 'ava';
import { ExportBucket } from '../../../pulumi/aws/export-bucket';
import { VmImportRole } from '../../../pulumi/aws/vm-import-role';
import { promiseOf, runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';

function byType(resources: RegisteredResource[], type: string): RegisteredResource[] {
  return resources.filter((r) => r.type === type);
}

test.serial('creates the role with the exact vmimport trust policy and a policy scoped to the buckets, both parented', async (t) => {
  // GIVEN / WHEN
  const run = await runUnderMocks(() => {
    const role = new VmImportRole('vmimport', { exportBuckets: ['exports-a'], importBuckets: ['uploads-b'] });
    return { roleName: promiseOf(role.roleName) };
  });

  // THEN
  const [component] = byType(run.resources, 'imageport:aws:VmImportRole');
  const [role] = byType(run.resources, 'aws:iam/role:Role');
  const [policy] = byType(run.resources, 'aws:iam/rolePolicy:RolePolicy');
  t.truthy(component);
  t.is(role.parent, component.urn);
  t.is(policy.parent, component.urn);
  t.is(role.inputs.name, 'vmimport');
  t.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'vmie.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } },
      },
    ],
  });
  t.is(policy.inputs.role, 'vmimport');
  t.is(policy.inputs.name, 'vmimport');
  const statements = JSON.parse(String(policy.inputs.policy)).Statement as { Action: string[]; Resource: string | string[] }[];
  t.deepEqual(statements[0], {
    Effect: 'Allow',
    Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::uploads-b', 'arn:aws:s3:::uploads-b/*'],
  } as never);
  t.deepEqual(statements[1], {
    Effect: 'Allow',
    Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketAcl'],
    Resource: ['arn:aws:s3:::exports-a', 'arn:aws:s3:::exports-a/*'],
  } as never);
  t.false(JSON.stringify(statements).includes('"arn:aws:s3:::*"'), 'no statement grants on every bucket');
  t.is(await run.result.roleName, 'vmimport');
});

test.serial('adds the confused-deputy conditions when the account is given, and takes a custom name and buckets from outputs', async (t) => {
  const run = await runUnderMocks(() => {
    const bucket = new ExportBucket('exports', { bucketName: 'acme-exports' });
    new VmImportRole('role', { roleName: 'imageport-vmimport', exportBuckets: [bucket.bucketName], accountId: '111122223333', region: 'cn-north-1' });
  });
  const [role] = byType(run.resources, 'aws:iam/role:Role');
  const [policy] = byType(run.resources, 'aws:iam/rolePolicy:RolePolicy');
  const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
  t.is(role.inputs.name, 'imageport-vmimport');
  t.deepEqual(trust.Statement[0].Condition, {
    StringEquals: { 'sts:Externalid': 'vmimport', 'aws:SourceAccount': '111122223333' },
    ArnLike: { 'aws:SourceArn': 'arn:aws-cn:vmie:*:111122223333:*' },
  });
  const statements = JSON.parse(String(policy.inputs.policy)).Statement as { Resource: unknown }[];
  t.deepEqual(statements[0].Resource, ['arn:aws-cn:s3:::acme-exports', 'arn:aws-cn:s3:::acme-exports/*']);
});
