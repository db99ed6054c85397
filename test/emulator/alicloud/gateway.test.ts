import test from 'ava';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as OpenApi from '@alicloud/openapi-core';
import Ram, * as $Ram from '@alicloud/ram20150501';
import { ECS_TRUST, GOLDEN_IMAGE, codeOf, startAlicloudKit } from './alicloud-test-kit';

/** A V2-signed request built with the official SDK's own signer (`OpenApiUtil.getRPCSignature`). */
function v2Params(action: string, version: string, params: Record<string, string>, method: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const all: Record<string, string> = {
    Action: action,
    Format: 'json',
    Version: version,
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    SignatureNonce: randomUUID(),
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: credentials.accessKeyId,
    ...params,
  };
  return { ...all, Signature: OpenApi.OpenApiUtil.getRPCSignature(all, method, credentials.secretAccessKey) };
}

function send(endpoint: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: Number(url.port), method, path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('ECS and RAM take V2 (HMAC-SHA1) signatures from the official SDKs', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  const images = await kit.ecsV2.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', imageId: GOLDEN_IMAGE['cn-hangzhou'] }));
  t.is(images.body?.images?.image?.[0]?.imageId, GOLDEN_IMAGE['cn-hangzhou']);
  const url = new URL(kit.emulator.endpoints.alicloud.ram);
  const credentials = kit.emulator.credentials.alicloud;
  const ramV2 = new Ram(new OpenApi.$OpenApiUtil.Config({ ...{ accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.secretAccessKey }, endpoint: url.host, protocol: 'http', signatureAlgorithm: 'v2' }));
  await ramV2.createRole(new $Ram.CreateRoleRequest({ roleName: 'v2-role', assumeRolePolicyDocument: ECS_TRUST }));
  t.is((await kit.ram.getRole(new $Ram.GetRoleRequest({ roleName: 'v2-role' }))).body?.role?.roleName, 'v2-role');
});

test('parameters are read from a GET query and from a form-encoded POST body alike', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  const credentials = kit.emulator.credentials.alicloud;
  const params = { RegionId: 'cn-hangzhou', ImageId: GOLDEN_IMAGE['cn-hangzhou'] };
  const get = v2Params('DescribeImages', '2014-05-26', params, 'GET', credentials);
  const viaGet = await send(kit.emulator.endpoints.alicloud.ecs, 'GET', `/?${new URLSearchParams(get).toString().replace(/\+/g, '%20')}`);
  t.is(viaGet.status, 200);
  t.is(JSON.parse(viaGet.body).Images.Image[0].ImageId, GOLDEN_IMAGE['cn-hangzhou']);
  const post = v2Params('DescribeImages', '2014-05-26', params, 'POST', credentials);
  const viaForm = await send(kit.emulator.endpoints.alicloud.ecs, 'POST', '/', new URLSearchParams(post).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  t.is(viaForm.status, 200, viaForm.body);
  t.is(JSON.parse(viaForm.body).TotalCount, 1);
});

test('the emulator refuses a replayed request (SignatureNonceUsed) and a stale one (InvalidTimeStamp.Expired)', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  const credentials = kit.emulator.credentials.alicloud;
  const path = `/?${new URLSearchParams(v2Params('DescribeTasks', '2014-05-26', { RegionId: 'cn-hangzhou' }, 'GET', credentials))}`;
  t.is((await send(kit.emulator.endpoints.alicloud.ecs, 'GET', path)).status, 200);
  const replayed = await send(kit.emulator.endpoints.alicloud.ecs, 'GET', path);
  t.is(replayed.status, 400);
  t.is(JSON.parse(replayed.body).Code, 'SignatureNonceUsed');
  const stale = v2Params('DescribeTasks', '2014-05-26', { RegionId: 'cn-hangzhou', Timestamp: new Date(Date.now() - 20 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') }, 'GET', credentials);
  t.is(JSON.parse((await send(kit.emulator.endpoints.alicloud.ram, 'GET', `/?${new URLSearchParams({ ...stale, Version: '2015-05-01' })}`)).body).Code, 'SignatureDoesNotMatch', 'Version changed after signing');
  const staleRam = v2Params('ListPoliciesForRole', '2015-05-01', { RoleName: 'x', Timestamp: new Date(Date.now() - 20 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') }, 'GET', credentials);
  t.is(JSON.parse((await send(kit.emulator.endpoints.alicloud.ram, 'GET', `/?${new URLSearchParams(staleRam)}`)).body).Code, 'InvalidTimeStamp.Expired');
});

test('errors carry {RequestId, HostId, Code, Message, Recommend}; unknown actions and versions are refused', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  const credentials = kit.emulator.credentials.alicloud;
  const unknown = v2Params('RunInstances', '2014-05-26', { RegionId: 'cn-hangzhou' }, 'GET', credentials);
  const answer = await send(kit.emulator.endpoints.alicloud.ecs, 'GET', `/?${new URLSearchParams(unknown)}`);
  t.is(answer.status, 404);
  const body = JSON.parse(answer.body);
  t.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  t.is(body.Code, 'InvalidApi.NotFound');
  t.is(body.HostId, 'ecs.aliyuncs.com');
  t.regex(body.Recommend, /q=InvalidApi\.NotFound&product=Ecs&requestId=/);
  const wrongVersion = v2Params('DescribeImages', '2016-01-01', { RegionId: 'cn-hangzhou' }, 'GET', credentials);
  t.is(JSON.parse((await send(kit.emulator.endpoints.alicloud.ecs, 'GET', `/?${new URLSearchParams(wrongVersion)}`)).body).Code, 'InvalidVersion');
  const missing = await kit.ecs.describeTasks(new $Ecs.DescribeTasksRequest({})).catch((error: unknown) => error);
  t.is(codeOf(missing), 'MissingParameter');
});

test('garbled requests get an error answer, never a crash', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  const url = new URL(kit.emulator.endpoints.alicloud.ecs);
  const raw = await new Promise<string>((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write('this is not HTTP\r\n\r\n'));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  t.regex(raw, /^HTTP\/1\.1 400/);
  const unsigned = await send(kit.emulator.endpoints.alicloud.ecs, 'POST', '/?Action=DescribeImages&RegionId=cn-hangzhou');
  t.is(JSON.parse(unsigned.body).Code, 'IncompleteSignature');
  const badMethod = await send(kit.emulator.endpoints.alicloud.ecs, 'DELETE', '/');
  t.is(badMethod.status, 404);
  // The emulator still serves afterwards.
  t.is((await kit.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou' }))).body?.regionId, 'cn-hangzhou');
});

test('injected throttling and 5xx answer as the gateway does, and the SDK classifies them', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 1, kinds: ['throttle'], clouds: ['alicloud'], services: ['ecs'], seed: 7 });
  const throttled = await t.throwsAsync(kit.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou' })));
  t.is((throttled as Error).name, 'ThrottlingError');
  t.is(codeOf(throttled), 'Throttling.User');
  kit.emulator.faults.set({ rate: 1, kinds: ['5xx'], clouds: ['alicloud'], services: ['ram'], seed: 7 });
  const server = await t.throwsAsync(kit.ram.getRole(new $Ram.GetRoleRequest({ roleName: 'x' })));
  t.is((server as Error).name, 'ServerError');
  kit.emulator.faults.clear();
  await t.notThrowsAsync(kit.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou' })));
});

test('state survives a restart with a state folder: tasks, roles, buckets and objects', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'alicloud-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const first = await startAlicloudKit({ stateDir: dir });
  await first.createBucket('kept');
  await first.createServiceRole('AliyunECSImageExportDefaultRole', 'AliyunECSImageExportRolePolicy');
  const taskId = (await first.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: 'cn-hangzhou', imageId: GOLDEN_IMAGE['cn-hangzhou'], OSSBucket: 'kept' }))).body?.taskId;
  await first.stop();
  const second = await startAlicloudKit({ stateDir: dir });
  t.teardown(() => second.stop());
  second.clock.advance(2 * 60 * 60 * 1000);
  const attribute = (await second.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'cn-hangzhou', taskId }))).body!;
  t.is(attribute.taskId, taskId);
  t.is((await second.ram.getRole(new $Ram.GetRoleRequest({ roleName: 'AliyunECSImageExportDefaultRole' }))).body?.role?.roleName, 'AliyunECSImageExportDefaultRole');
  t.true(second.emulator.inspect().buckets.some((bucket) => bucket.name === 'kept' && bucket.region === 'cn-hangzhou'));
});

test('the emulator advertises Alibaba endpoints, credentials, regions and the ALIBABA_CLOUD_* environment', async (t) => {
  const kit = await startAlicloudKit();
  t.teardown(() => kit.stop());
  const { endpoints, credentials, regions, env, accounts } = kit.emulator;
  t.regex(endpoints.alicloud.ecs, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.regex(endpoints.alicloud.ram, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.regex(endpoints.alicloud.oss, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.is(regions.alicloud.default, 'cn-hangzhou');
  t.true(regions.alicloud.all.includes('ap-southeast-1'));
  t.regex(accounts.alicloud, /^\d{16}$/);
  t.like(env, {
    ALIBABA_CLOUD_ENDPOINT_ECS: endpoints.alicloud.ecs,
    ALIBABA_CLOUD_ENDPOINT_RAM: endpoints.alicloud.ram,
    ALIBABA_CLOUD_ENDPOINT_OSS: endpoints.alicloud.oss,
    ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.alicloud.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.alicloud.secretAccessKey,
  });
  const client = new Ecs(new OpenApi.$OpenApiUtil.Config({ accessKeyId: 'wrong', accessKeySecret: 'x', endpoint: new URL(endpoints.alicloud.ecs).host, protocol: 'http' }));
  t.is(codeOf(await t.throwsAsync(client.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou' })))), 'InvalidAccessKeyId.NotFound');
});
