import test from 'ava';
import * as $Ram from '@alicloud/ram20150501';
import { ECS_TRUST, codeOf, startAlicloudKit } from './alicloud-test-kit';

test('RAM roles: CreateRole, GetRole, UpdateRole, DeleteRole in the shapes the SDK reads', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  const created = (await kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', assumeRolePolicyDocument: ECS_TRUST, description: 'd' }))).body!;
  t.like(created.role, { roleName: 'AliyunECSImageExportDefaultRole', arn: `acs:ram::${kit.emulator.accounts.alicloud}:role/aliyunecsimageexportdefaultrole`, description: 'd' });
  t.is(created.role?.assumeRolePolicyDocument, ECS_TRUST);
  const got = (await kit.ram.getRole(new $Ram.GetRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole' }))).body!;
  t.is(got.role?.roleId, created.role?.roleId);
  const other = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['oss.aliyuncs.com'] } }] });
  await kit.ram.updateRole(new $Ram.UpdateRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', newAssumeRolePolicyDocument: other }));
  t.is((await kit.ram.getRole(new $Ram.GetRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole' }))).body?.role?.assumeRolePolicyDocument, other);
  await kit.ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole' }));
  t.is(codeOf(await t.throwsAsync(kit.ram.getRole(new $Ram.GetRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole' })))), 'EntityNotExist.Role');
});

test('rejects duplicate roles, bad names and malformed trust documents with the documented codes', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  await kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'r1', assumeRolePolicyDocument: ECS_TRUST }));
  const duplicate = await t.throwsAsync(kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'r1', assumeRolePolicyDocument: ECS_TRUST })));
  t.is(codeOf(duplicate), 'EntityAlreadyExists.Role');
  t.is((duplicate as { statusCode?: number }).statusCode, 409);
  t.is(codeOf(await t.throwsAsync(kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'bad name', assumeRolePolicyDocument: ECS_TRUST })))), 'InvalidParameter.RoleName.InvalidChars');
  t.is(codeOf(await t.throwsAsync(kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'x'.repeat(65), assumeRolePolicyDocument: ECS_TRUST })))), 'InvalidParameter.RoleName.Length');
  t.is(codeOf(await t.throwsAsync(kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'r2', assumeRolePolicyDocument: '{nope' })))), 'MalformedPolicyDocument');
  t.is(codeOf(await t.throwsAsync(kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'r3' })))), 'MissingParameter');
});

test('RAM policies and attachments: create, get, attach, list, detach, delete, with conflicts', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  await kit.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'role', assumeRolePolicyDocument: ECS_TRUST }));
  const document = JSON.stringify({ Version: '1', Statement: [{ Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:b/*'], Effect: 'Allow' }] });
  await kit.ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'imageport-role', policyDocument: document }));
  t.is(codeOf(await t.throwsAsync(kit.ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'imageport-role', policyDocument: document })))), 'EntityAlreadyExists.Policy');
  t.is(codeOf(await t.throwsAsync(kit.ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'bad.name', policyDocument: document })))), 'InvalidParameter.PolicyName.InvalidChars');
  const custom = (await kit.ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'imageport-role', policyType: 'Custom' }))).body!;
  t.is(custom.defaultPolicyVersion?.policyDocument, document);
  t.is(custom.policy?.policyType, 'Custom');
  const system = (await kit.ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }))).body!;
  t.regex(system.defaultPolicyVersion?.policyDocument ?? '', /oss:PutObject/);
  t.is(codeOf(await t.throwsAsync(kit.ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'nope', policyType: 'Custom' })))), 'EntityNotExist.Policy');

  await kit.ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: 'role', policyName: 'imageport-role', policyType: 'Custom' }));
  await kit.ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: 'role', policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }));
  t.is(
    codeOf(await t.throwsAsync(kit.ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: 'role', policyName: 'imageport-role', policyType: 'Custom' })))),
    'EntityAlreadyExists.Role.Policy',
  );
  t.is(codeOf(await t.throwsAsync(kit.ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: 'nobody', policyName: 'imageport-role', policyType: 'Custom' })))), 'EntityNotExist.Role');
  const listed = (await kit.ram.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: 'role' }))).body!;
  t.deepEqual(listed.policies?.policy?.map((p) => [p.policyName, p.policyType]), [['imageport-role', 'Custom'], ['AliyunECSImageExportRolePolicy', 'System']]);

  t.is(codeOf(await t.throwsAsync(kit.ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: 'role' })))), 'DeleteConflict.Role.Policy');
  t.is(codeOf(await t.throwsAsync(kit.ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: 'imageport-role' })))), 'DeleteConflict.Policy.Role');
  await kit.ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ roleName: 'role', policyName: 'imageport-role', policyType: 'Custom' }));
  t.is(
    codeOf(await t.throwsAsync(kit.ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ roleName: 'role', policyName: 'imageport-role', policyType: 'Custom' })))),
    'EntityNotExist.Role.Policy',
  );
  await kit.ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: 'imageport-role' }));
  await kit.ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ roleName: 'role', policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' }));
  await kit.ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: 'role' }));
  t.deepEqual(kit.emulator.inspect().roles, []);
});

test('inspect() shows roles with their trust policy and attachments', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  await kit.createServiceRole('AliyunECSImageImportDefaultRole', 'AliyunECSImageImportRolePolicy');
  t.like(kit.emulator.inspect().roles[0], {
    cloud: 'alicloud',
    name: 'AliyunECSImageImportDefaultRole',
    trustPolicy: JSON.parse(ECS_TRUST),
    attachedPolicies: ['System:AliyunECSImageImportRolePolicy'],
  });
});
