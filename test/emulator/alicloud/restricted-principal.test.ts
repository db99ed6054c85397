import test from 'ava';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as OpenApi from '@alicloud/openapi-core';
import Ram, * as $Ram from '@alicloud/ram20150501';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { codeOf, ECS_TRUST, GOLDEN_IMAGE, startAlicloudKit, type AlicloudKit } from './alicloud-test-kit';

function restricted(kit: AlicloudKit) {
  const credentials = kit.emulator.restrictedCredentials.alicloud;
  const config = (endpoint: string) =>
    new OpenApi.$OpenApiUtil.Config({ accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.secretAccessKey, regionId: 'cn-hangzhou', endpoint: new URL(endpoint).host, protocol: 'http' });
  return {
    ecs: new Ecs(config(kit.emulator.endpoints.alicloud.ecs)),
    ram: new Ram(config(kit.emulator.endpoints.alicloud.ram)),
    oss: new S3Client({ region: 'cn-hangzhou', endpoint: kit.emulator.endpoints.alicloud.oss, forcePathStyle: true, credentials, maxAttempts: 1 }),
  };
}

interface SdkError {
  code?: string;
  statusCode?: number;
  data?: { Message?: string; AccessDeniedDetail?: Record<string, unknown> };
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

async function errorOf(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

const EXPORT = { regionId: 'cn-hangzhou', imageId: GOLDEN_IMAGE['cn-hangzhou'], OSSBucket: 'restricted-exports' };

test('the restricted key reads ECS but ExportImage, with or without DryRun, is 403 Forbidden.RAM with an AccessDeniedDetail', async (t) => {
  const kit = await startAlicloudKit();
  const reader = restricted(kit);
  t.teardown(async () => {
    reader.oss.destroy();
    await kit.stop();
  });
  await kit.createBucket('restricted-exports');
  await kit.createServiceRole('AliyunECSImageExportDefaultRole', 'AliyunECSImageExportRolePolicy');
  const images = (await reader.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', imageId: GOLDEN_IMAGE['cn-hangzhou'] }))).body!;
  t.is(images.totalCount, 1);
  for (const dryRun of [true, false]) {
    const denied = await errorOf(reader.ecs.exportImage(new $Ecs.ExportImageRequest({ ...EXPORT, dryRun })));
    t.is(codeOf(denied), 'Forbidden.RAM');
    t.is(denied.statusCode, 403);
    t.is(denied.data?.Message, "User not authorized to operate on the specified resource, or this API doesn't support RAM.");
    t.like(denied.data?.AccessDeniedDetail, {
      AuthAction: 'ecs:ExportImage',
      NoPermissionType: 'ImplicitDeny',
      PolicyType: 'AccountLevelIdentityBasedPolicy',
      AuthPrincipalType: 'SubUser',
      AuthPrincipalOwnerId: kit.emulator.accounts.alicloud,
    });
    t.is(typeof denied.data?.AccessDeniedDetail?.EncodedDiagnosticMessage, 'string');
  }
  t.deepEqual(kit.emulator.inspect().tasks, []);
  // The account's own key passes the same DryRun.
  t.is(codeOf(await errorOf(kit.ecs.exportImage(new $Ecs.ExportImageRequest({ ...EXPORT, dryRun: true })))), 'DryRunOperation');
  t.is(codeOf(await errorOf(reader.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: 'cn-hangzhou', imageId: GOLDEN_IMAGE['cn-hangzhou'] })))), 'Forbidden.RAM');
});

test('the restricted key reads RAM but CreateRole is Forbidden.RAM; OSS reads work, writes are AccessDenied', async (t) => {
  const kit = await startAlicloudKit();
  const reader = restricted(kit);
  t.teardown(async () => {
    reader.oss.destroy();
    await kit.stop();
  });
  t.is(codeOf(await errorOf(reader.ram.getRole(new $Ram.GetRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole' })))), 'EntityNotExist.Role');
  const denied = await errorOf(reader.ram.createRole(new $Ram.CreateRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole', assumeRolePolicyDocument: ECS_TRUST })));
  t.is(codeOf(denied), 'Forbidden.RAM');
  t.is(denied.data?.AccessDeniedDetail?.AuthAction, 'ram:CreateRole');
  t.deepEqual(kit.emulator.inspect().roles.filter((role) => role.cloud === 'alicloud'), []);
  await kit.createBucket('restricted-exports');
  await kit.putObject('restricted-exports', 'k', Buffer.from('x'));
  const read = await reader.oss.send(new GetObjectCommand({ Bucket: 'restricted-exports', Key: 'k' }));
  t.is(await read.Body?.transformToString(), 'x');
  const write = await errorOf(reader.oss.send(new PutObjectCommand({ Bucket: 'restricted-exports', Key: 'k2', Body: 'y' })));
  t.is(write.name, 'AccessDenied');
  t.is(write.$metadata?.httpStatusCode, 403);
});
