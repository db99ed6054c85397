import test from 'ava';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { VmImportRole } from '../../constructs';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
}

test('trusts vmie.amazonaws.com with the vmimport external id and no fixed name', (t) => {
  // GIVEN
  const stack = newStack();
  // WHEN
  new VmImportRole(stack, 'Role');
  // THEN
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { Service: 'vmie.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'sts:Externalid': 'vmimport', 'aws:SourceAccount': '123456789012' }) }),
        }),
      ],
    },
  });
  const roles = template.findResources('AWS::IAM::Role');
  t.is(Object.values(roles)[0].Properties.RoleName, undefined);
});

test('takes the name vmimport only when asked', (t) => {
  const stack = newStack();
  new VmImportRole(stack, 'Role', { roleName: VmImportRole.DEFAULT_ROLE_NAME });
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'vmimport' });
  t.pass();
});

test('grantExportTo and grantImportFrom scope S3 access to exactly those buckets', (t) => {
  const stack = newStack();
  const role = new VmImportRole(stack, 'Role');
  const exports = new s3.Bucket(stack, 'Exports');
  const sources = new s3.Bucket(stack, 'Sources');
  role.grantExportTo(exports);
  role.grantImportFrom(sources);
  const template = Template.fromStack(stack);
  const policy = Object.values(template.findResources('AWS::IAM::Policy'))[0];
  const statements = policy.Properties.PolicyDocument.Statement as { Action: string[]; Resource: unknown }[];
  const exportStatement = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('s3:PutObject'));
  const importStatement = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('s3:GetObject') && !s.Action.includes('s3:PutObject'));
  t.truthy(exportStatement);
  t.truthy(importStatement);
  t.regex(JSON.stringify(exportStatement?.Resource), /Exports/);
  t.notRegex(JSON.stringify(exportStatement?.Resource), /Sources/);
  t.regex(JSON.stringify(importStatement?.Resource), /Sources/);
  t.notRegex(JSON.stringify(importStatement?.Resource), /Exports/);
  t.false(JSON.stringify(statements).includes('"Resource":"*","Action":["s3'));
});

test('grants the KMS key of an encrypted source bucket and an encryption key', (t) => {
  const stack = newStack();
  const role = new VmImportRole(stack, 'Role');
  const key = new kms.Key(stack, 'Key');
  role.grantImportFrom(new s3.Bucket(stack, 'Sources', { encryptionKey: key, encryption: s3.BucketEncryption.KMS }));
  role.grantEncryptWith(key);
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kms:CreateGrant', 'kms:Decrypt']) })]) },
  });
  t.pass();
});

test('fromRoleName imports an existing role whose grants add a policy to it', (t) => {
  const stack = newStack();
  const role = VmImportRole.fromRoleName(stack, 'Existing', 'vmimport');
  role.grantExportTo(new s3.Bucket(stack, 'Exports'));
  t.is(role.roleName, 'vmimport');
  t.regex(JSON.stringify(stack.resolve(role.roleArn)), /:role\/vmimport/);
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: ['vmimport'] });
  Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
});

test('fails on a role name IAM refuses, naming the value and the rule', (t) => {
  const stack = newStack();
  const error = t.throws(() => new VmImportRole(stack, 'Role', { roleName: 'has spaces and is far too long for IAM, which allows 64 characters' }));
  t.regex(error.message, /VmImportRole "Role" is invalid/);
  t.regex(error.message, /roleName: "has spaces/);
});

test('fails to import a role with an invalid name', (t) => {
  const stack = newStack();
  t.throws(() => VmImportRole.fromRoleName(stack, 'Bad', 'bad name!'), { message: /roleName: "bad name!"/ });
});
