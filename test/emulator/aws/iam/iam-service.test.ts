import test from 'ava';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { CancelExportTaskCommand, ExportImageCommand } from '@aws-sdk/client-ec2';
import { GOLDEN_AMI, rejection, startAwsKit, VMIE_TRUST_POLICY, vmieRolePolicy } from '../aws-test-kit';

test('iam: role lifecycle with inline policies; documents come back URL-encoded', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const trust = JSON.stringify(VMIE_TRUST_POLICY);
  const created = await kit.iam.send(new CreateRoleCommand({ RoleName: 'vmimport', AssumeRolePolicyDocument: trust, Description: 'VM Import/Export', Tags: [{ Key: 'a', Value: '1' }] }));
  t.is(created.Role?.Arn, `arn:aws:iam::${kit.emulator.accounts.aws}:role/vmimport`);
  t.regex(created.Role?.RoleId ?? '', /^AROA[A-Z0-9]{17}$/);
  t.true(created.Role?.CreateDate instanceof Date);
  t.is(created.Role?.AssumeRolePolicyDocument, encodeURIComponent(trust));
  t.deepEqual(created.Role?.Tags, [{ Key: 'a', Value: '1' }]);

  const fetched = await kit.iam.send(new GetRoleCommand({ RoleName: 'VMIMPORT' }));
  t.is(fetched.Role?.RoleName, 'vmimport', 'role names are case-insensitive');
  t.deepEqual(JSON.parse(decodeURIComponent(fetched.Role!.AssumeRolePolicyDocument!)), VMIE_TRUST_POLICY);

  const policy = JSON.stringify(vmieRolePolicy('in', 'out'));
  await kit.iam.send(new PutRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport', PolicyDocument: policy }));
  t.deepEqual((await kit.iam.send(new ListRolePoliciesCommand({ RoleName: 'vmimport' }))).PolicyNames, ['vmimport']);
  const inline = await kit.iam.send(new GetRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport' }));
  t.is(decodeURIComponent(inline.PolicyDocument!), policy);

  await kit.iam.send(new TagRoleCommand({ RoleName: 'vmimport', Tags: [{ Key: 'b', Value: '2' }] }));
  const updatedTrust = JSON.stringify({ ...VMIE_TRUST_POLICY, Statement: [{ ...VMIE_TRUST_POLICY.Statement[0], Condition: undefined }] });
  await kit.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'vmimport', PolicyDocument: updatedTrust }));
  const after = await kit.iam.send(new GetRoleCommand({ RoleName: 'vmimport' }));
  t.deepEqual(after.Role?.Tags, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
  t.is(decodeURIComponent(after.Role!.AssumeRolePolicyDocument!), updatedTrust);

  const conflict = await rejection(kit.iam.send(new DeleteRoleCommand({ RoleName: 'vmimport' })));
  t.is(conflict.Code, 'DeleteConflict');
  t.is(conflict.$metadata?.httpStatusCode, 409);
  await kit.iam.send(new DeleteRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport' }));
  await kit.iam.send(new DeleteRoleCommand({ RoleName: 'vmimport' }));
  const gone = await rejection(kit.iam.send(new GetRoleCommand({ RoleName: 'vmimport' })));
  t.is(gone.Code, 'NoSuchEntity');
  t.is(gone.$metadata?.httpStatusCode, 404);
  t.is(gone.message, 'The role with name vmimport cannot be found.');
});

test('rejects a duplicate role (EntityAlreadyExists) and malformed policy documents (MalformedPolicyDocument)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY) }));
  const duplicate = await rejection(kit.iam.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY) })));
  t.is(duplicate.Code, 'EntityAlreadyExists');
  t.is(duplicate.$metadata?.httpStatusCode, 409);
  const badJson = await rejection(kit.iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: '{not json' })));
  t.is(badJson.Code, 'MalformedPolicyDocument');
  t.regex(badJson.message, /invalid Json/);
  const noPrincipal = await rejection(kit.iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }) })));
  t.is(noPrincipal.Code, 'MalformedPolicyDocument');
  t.regex(noPrincipal.message, /Missing required field Principal/);
  const withPrincipal = await rejection(
    kit.iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }) })),
  );
  t.is(withPrincipal.Code, 'MalformedPolicyDocument');
  const badName = await rejection(kit.iam.send(new CreateRoleCommand({ RoleName: 'bad name!', AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY) })));
  t.is(badName.Code, 'ValidationError');
  t.regex(badName.message, /roleName/);
  const missing = await rejection(kit.iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'absent' })));
  t.is(missing.Code, 'NoSuchEntity');
});

test('iam: managed policies can be created, read, attached (they then count for the role) and detached', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  await kit.iam.send(new CreateRoleCommand({ RoleName: 'vmimport', AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY) }));
  const document = JSON.stringify(vmieRolePolicy('in', 'out'));
  const { Policy } = await kit.iam.send(new CreatePolicyCommand({ PolicyName: 'vmimport-buckets', PolicyDocument: document }));
  t.is(Policy?.Arn, `arn:aws:iam::${kit.emulator.accounts.aws}:policy/vmimport-buckets`);
  t.is(Policy?.DefaultVersionId, 'v1');
  await kit.iam.send(new AttachRolePolicyCommand({ RoleName: 'vmimport', PolicyArn: Policy!.Arn }));
  await kit.iam.send(new AttachRolePolicyCommand({ RoleName: 'vmimport', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
  const attached = await kit.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'vmimport' }));
  t.deepEqual(attached.AttachedPolicies?.map((item) => item.PolicyName), ['vmimport-buckets', 'AmazonS3ReadOnlyAccess']);
  t.is((await kit.iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy?.AttachmentCount, 1);
  const version = await kit.iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v1' }));
  t.is(decodeURIComponent(version.PolicyVersion!.Document!), document);
  const conflict = await rejection(kit.iam.send(new DeleteRoleCommand({ RoleName: 'vmimport' })));
  t.is(conflict.Code, 'DeleteConflict');
  t.regex(conflict.message, /detach/);

  await kit.createBucket('out');
  const exportInput = { ImageId: GOLDEN_AMI['us-east-1'], DiskImageFormat: 'RAW' as const, S3ExportLocation: { S3Bucket: 'out' } };
  const started = await kit.ec2.send(new ExportImageCommand(exportInput));
  t.is(started.Status, 'active', 'the attached managed policy grants s3:PutObject');
  await kit.ec2.send(new CancelExportTaskCommand({ ExportTaskId: started.ExportImageTaskId }));
  kit.clock.advance(60_000);
  await kit.iam.send(new DetachRolePolicyCommand({ RoleName: 'vmimport', PolicyArn: Policy!.Arn }));
  t.is((await rejection(kit.ec2.send(new ExportImageCommand(exportInput)))).name, 'InvalidParameter', 'read-only S3 access is not enough');
  t.is((await rejection(kit.iam.send(new AttachRolePolicyCommand({ RoleName: 'vmimport', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })))).Code, 'NoSuchEntity');
});

test('iam: ListRoles paginates with MaxItems/Marker; UntagRole, UpdateRole; a policy in use cannot be deleted', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  for (const name of ['a-role', 'b-role', 'c-role']) {
    await kit.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY), Tags: [{ Key: 'k', Value: 'v' }] }));
  }
  const page1 = await kit.iam.send(new ListRolesCommand({ MaxItems: 2 }));
  t.deepEqual(page1.Roles?.map((role) => role.RoleName), ['a-role', 'b-role']);
  t.true(page1.IsTruncated);
  const page2 = await kit.iam.send(new ListRolesCommand({ MaxItems: 2, Marker: page1.Marker }));
  t.deepEqual(page2.Roles?.map((role) => role.RoleName), ['c-role']);
  t.false(page2.IsTruncated);
  await kit.iam.send(new UntagRoleCommand({ RoleName: 'a-role', TagKeys: ['k'] }));
  await kit.iam.send(new UpdateRoleCommand({ RoleName: 'a-role', Description: 'updated', MaxSessionDuration: 7200 }));
  const role = (await kit.iam.send(new GetRoleCommand({ RoleName: 'a-role' }))).Role!;
  t.is(role.Tags, undefined);
  t.is(role.Description, 'updated');
  t.is(role.MaxSessionDuration, 7200);
  const { Policy } = await kit.iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: JSON.stringify(vmieRolePolicy('i', 'o')) }));
  await kit.iam.send(new AttachRolePolicyCommand({ RoleName: 'b-role', PolicyArn: Policy!.Arn }));
  t.is((await rejection(kit.iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })))).Code, 'DeleteConflict');
  t.is((await rejection(kit.iam.send(new UpdateRoleCommand({ RoleName: 'a-role', MaxSessionDuration: 60 })))).Code, 'ValidationError');
});
