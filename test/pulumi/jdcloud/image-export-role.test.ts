import test from 'ava';
import { ImageExportRole } from '../../../pulumi/jdcloud/image-export-role';
import { promiseOf, runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';

function one(resources: RegisteredResource[], type: string): RegisteredResource {
  const found = resources.filter((r) => r.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

test.serial('three dynamic resources: a service role trusted by the disk service, the export policy on the bucket, the attachment', async (t) => {
  const run = await runUnderMocks(() => {
    const role = new ImageExportRole('export-role', { roleName: 'image-export', exportBuckets: ['acme-exports'], accountId: '324100000385' });
    return { roleName: promiseOf(role.roleName) };
  });
  const component = one(run.resources, 'imageport:jdcloud:ImageExportRole');
  const role = one(run.resources, 'pulumi-nodejs:dynamic/imageport/jdcloud:ServiceRole');
  const policy = one(run.resources, 'pulumi-nodejs:dynamic/imageport/jdcloud:Policy');
  const attachment = one(run.resources, 'pulumi-nodejs:dynamic/imageport/jdcloud:RolePolicyAttachment');
  for (const child of [role, policy, attachment]) {
    t.is(child.parent, component.urn, child.type);
    t.is(typeof child.inputs.__provider, 'string', 'each carries its serialized provider');
  }
  t.is(role.inputs.roleName, 'image-export');
  t.deepEqual(JSON.parse(String(role.inputs.trustPolicy)), {
    Version: '3',
    Statement: [{ Effect: 'Allow', Principal: { Service: ['disk'] }, Action: 'sts:assumeRole', Resource: '*' }],
  });
  t.is(policy.inputs.policyName, 'image-export-policy');
  t.deepEqual(JSON.parse(String(policy.inputs.document)), {
    Version: '3',
    Statement: [
      { Effect: 'Allow', Action: ['oss:ListAllMyBuckets'], Resource: ['*'] },
      {
        Effect: 'Allow',
        Action: ['oss:GetObject', 'oss:AbortMultipartUpload', 'oss:PutObject', 'oss:ListMultipartUploadParts'],
        Resource: ['jrn:oss:*:324100000385:acme-exports/*'],
      },
    ],
  });
  t.like(attachment.inputs, { roleName: 'image-export', policyName: 'image-export-policy' });
  t.is(await run.result.roleName, 'image-export');
});

test.serial('the serialized providers capture no module, client or credential', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageExportRole('export-role', { exportBuckets: ['acme-exports'] });
  });
  for (const resource of run.resources.filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/'))) {
    const text = String(resource.inputs.__provider);
    t.true(text.length < 8000, `${resource.type}: ${text.length} characters`);
    t.notRegex(text, /require\(["']@aws-sdk|require\(["']\.\.?\//, 'no captured SDK or relative module');
    t.notRegex(text, /secretAccessKey|JDCLOUD_SECRET_KEY|AWS_SECRET_ACCESS_KEY/);
    t.regex(text, /imageport\/pulumi\/runtime\/index/);
  }
});
