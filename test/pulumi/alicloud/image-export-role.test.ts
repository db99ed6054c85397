import test from 'ava';
import { ImageExportRole } from '../../../pulumi/alicloud/image-export-role';
import { ImageImportRole } from '../../../pulumi/alicloud/image-import-role';
import { runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';

const ECS_TRUST = {
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }],
  Version: '1',
};

function ofType(resources: RegisteredResource[], type: string): RegisteredResource[] {
  return resources.filter((r) => r.type === type);
}

test.serial('the export role trusts ECS and gets the system policy by default, children parented', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageExportRole('export-role');
  });
  const [component] = ofType(run.resources, 'imageport:alicloud:ImageExportRole');
  const [role] = ofType(run.resources, 'alicloud:ram/role:Role');
  const [attachment] = ofType(run.resources, 'alicloud:ram/rolePolicyAttachment:RolePolicyAttachment');
  t.is(role.parent, component.urn);
  t.is(attachment.parent, component.urn);
  t.is(role.inputs.roleName, 'AliyunECSImageExportDefaultRole');
  t.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicyDocument)), ECS_TRUST);
  t.deepEqual(attachment.inputs, { roleName: 'AliyunECSImageExportDefaultRole', policyName: 'AliyunECSImageExportRolePolicy', policyType: 'System' });
  t.is(ofType(run.resources, 'alicloud:ram/policy:Policy').length, 0);
});

test.serial('scoped mode creates a custom policy on exactly the buckets and attaches it', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageImportRole('import-role', { policyMode: 'scoped', buckets: ['uploads'] });
  });
  const [role] = ofType(run.resources, 'alicloud:ram/role:Role');
  const [policy] = ofType(run.resources, 'alicloud:ram/policy:Policy');
  const [attachment] = ofType(run.resources, 'alicloud:ram/rolePolicyAttachment:RolePolicyAttachment');
  t.is(role.inputs.roleName, 'AliyunECSImageImportDefaultRole');
  t.is(policy.inputs.policyName, 'imageport-AliyunECSImageImportDefaultRole');
  const document = JSON.parse(String(policy.inputs.policyDocument));
  t.is(document.Version, '1');
  const resources = (document.Statement as { Resource: string[] }[]).flatMap((s) => s.Resource);
  t.deepEqual([...new Set(resources)].sort(), ['acs:oss:*:*:uploads', 'acs:oss:*:*:uploads/*']);
  t.false(resources.includes('*'));
  t.deepEqual(attachment.inputs, { roleName: 'AliyunECSImageImportDefaultRole', policyName: 'imageport-AliyunECSImageImportDefaultRole', policyType: 'Custom' });
});

test.serial('rejects scoped mode without buckets, naming the field', async (t) => {
  const error = await t.throwsAsync(() =>
    runUnderMocks(() => {
      new ImageExportRole('export-role', { policyMode: 'scoped' });
    }),
  );
  t.regex(error!.message, /exportBuckets/);
  t.regex(error!.message, /at least one bucket/);
});
