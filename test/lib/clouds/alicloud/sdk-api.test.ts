import test from 'ava';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { CloudError } from '../../../../lib/model/cloud-error';
import { createSdkApi } from '../../../../lib/clouds/alicloud/sdk-api';
import { buildExportImageParams, buildImportImageParams } from '../../../../lib/clouds/alicloud/requests';

/** A capture server: records each request and answers from a queue of canned responses. */
interface Captured {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

async function captureServer(answers: { status: number; body: unknown }[]): Promise<{ url: string; requests: Captured[]; server: Server }> {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', query: url.searchParams, headers: req.headers });
    req.resume();
    req.on('end', () => {
      const answer = answers.shift() ?? { status: 200, body: { RequestId: 'r' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `127.0.0.1:${port}`, requests, server };
}

function api(endpoint: string, maxAttempts = 1) {
  return createSdkApi({
    region: 'cn-hangzhou',
    credentials: () => ({ accessKeyId: 'test-ak', secretAccessKey: 'sk-very-secret' }),
    ecsEndpoint: { endpoint, protocol: 'http' },
    ramEndpoint: { endpoint, protocol: 'http' },
    maxAttempts,
    sleep: async () => undefined,
  });
}

test('ExportImage goes out as a V3-signed RPC POST with every parameter in the query', async (t) => {
  const { url, requests, server } = await captureServer([{ status: 200, body: { RequestId: 'r', TaskId: 't-abc', RegionId: 'cn-hangzhou' } }]);
  t.teardown(() => server.close());
  const params = buildExportImageParams({ cloud: 'alicloud', region: 'cn-hangzhou', imageId: 'm-abc', bucket: 'bkt', prefix: 'EcsExport', format: 'QCOW2' });
  const answer = await api(url).exportImage(params);
  t.is(answer.taskId, 't-abc');
  const [request] = requests;
  t.is(request.method, 'POST');
  t.is(request.headers['x-acs-action'], 'ExportImage');
  t.is(request.headers['x-acs-version'], '2014-05-26');
  t.regex(String(request.headers.authorization), /^ACS3-HMAC-SHA256 Credential=test-ak,SignedHeaders=[^,]+,Signature=[0-9a-f]{64}$/);
  t.deepEqual(Object.fromEntries(request.query), {
    RegionId: 'cn-hangzhou',
    ImageId: 'm-abc',
    OSSBucket: 'bkt',
    OSSPrefix: 'EcsExport',
    ImageFormat: 'qcow2',
    RoleName: 'AliyunECSImageExportDefaultRole',
  });
});

test('ImportImage flattens DiskDeviceMapping.N, Tag.N and Features.NvmeSupport into the query', async (t) => {
  const { url, requests, server } = await captureServer([{ status: 200, body: { RequestId: 'r', TaskId: 't-1', ImageId: 'm-new', RegionId: 'cn-hangzhou' } }]);
  t.teardown(() => server.close());
  const params = buildImportImageParams(
    {
      cloud: 'alicloud',
      region: 'cn-hangzhou',
      disks: [
        { bucket: 'src', key: 'a b/system.qcow2', format: 'qcow2', sizeGiB: 40 },
        { bucket: 'src', key: 'data.raw', sizeGiB: 100 },
      ],
      imageName: 'golden(1)',
      architecture: 'arm64',
      osType: 'Linux',
      platform: 'rocky linux',
      licenseType: 'byol',
      tags: { team: 'infra', env: 'prod' },
      detectionStrategy: 'standard',
      nvmeSupport: 'supported',
    },
    'ip-token-1',
  );
  const answer = await api(url).importImage(params);
  t.deepEqual(answer, { taskId: 't-1', imageId: 'm-new' });
  t.deepEqual(Object.fromEntries(requests[0].query), {
    RegionId: 'cn-hangzhou',
    'DiskDeviceMapping.1.OSSBucket': 'src',
    'DiskDeviceMapping.1.OSSObject': 'a b/system.qcow2',
    'DiskDeviceMapping.1.Format': 'QCOW2',
    'DiskDeviceMapping.1.DiskImageSize': '40',
    'DiskDeviceMapping.2.OSSBucket': 'src',
    'DiskDeviceMapping.2.OSSObject': 'data.raw',
    'DiskDeviceMapping.2.DiskImageSize': '100',
    ImageName: 'golden(1)',
    Architecture: 'arm64',
    OSType: 'linux',
    Platform: 'Rocky Linux',
    BootMode: 'UEFI',
    LicenseType: 'BYOL',
    RoleName: 'AliyunECSImageImportDefaultRole',
    ClientToken: 'ip-token-1',
    DetectionStrategy: 'Standard',
    'Features.NvmeSupport': 'supported',
    'Tag.1.Key': 'team',
    'Tag.1.Value': 'infra',
    'Tag.2.Key': 'env',
    'Tag.2.Value': 'prod',
  });
});

test('DescribeTasks and DescribeTaskAttribute answers are read through the SDK models', async (t) => {
  const { url, server } = await captureServer([
    {
      status: 200,
      body: {
        RequestId: 'r',
        TotalCount: 1,
        PageNumber: 1,
        PageSize: 100,
        TaskSet: { Task: [{ TaskId: 't-1', TaskAction: 'ExportImage', TaskStatus: 'Processing', ResourceId: 'm-1', SupportCancel: 'true' }] },
      },
    },
    {
      status: 200,
      body: {
        RequestId: 'r',
        TaskId: 't-1',
        TaskStatus: 'Processing',
        TaskProcess: '45%',
        OperationProgressSet: { OperationProgress: [{ OperationStatus: 'Success', RelatedItemSet: { RelatedItem: [{ Name: 'OSSBucket', Value: 'b' }] } }] },
      },
    },
  ]);
  t.teardown(() => server.close());
  const client = api(url);
  const page = await client.describeTasks({ regionId: 'cn-hangzhou', taskAction: 'ExportImage' });
  t.is(page.taskSet?.task?.[0]?.resourceId, 'm-1');
  const attribute = await client.describeTaskAttribute({ regionId: 'cn-hangzhou', taskId: 't-1' });
  t.is(attribute.taskProcess, '45%');
  t.is(attribute.operationProgressSet?.operationProgress?.[0]?.relatedItemSet?.relatedItem?.[0]?.value, 'b');
});

test('rejects with a CloudError carrying the verbatim code and never the secret', async (t) => {
  const { url, server } = await captureServer([
    { status: 403, body: { RequestId: 'req-9', HostId: 'ecs.aliyuncs.com', Code: 'NoSetRoletoECSServiceAcount', Message: 'ECS service account Have no right to access your OSS.' } },
  ]);
  t.teardown(() => server.close());
  const error = await t.throwsAsync(api(url).exportImage({ regionId: 'cn-hangzhou', imageId: 'm-1', OSSBucket: 'b' }), { instanceOf: CloudError });
  t.is(error?.code, 'NoSetRoletoECSServiceAcount');
  t.is(error?.kind, 'denied');
  t.is(error?.requestId, 'req-9');
  t.is(error?.httpStatus, 403);
  t.false(error?.message.includes('sk-very-secret'));
});

test('retries 5xx and throttling answers, then succeeds', async (t) => {
  const { url, requests, server } = await captureServer([
    { status: 503, body: { RequestId: 'r1', Code: 'ServiceUnavailable', Message: 'busy' } },
    { status: 400, body: { RequestId: 'r2', Code: 'Throttling.User', Message: 'slow down' } },
    { status: 200, body: { RequestId: 'r3', TaskId: 't-1', TaskStatus: 'Finished' } },
  ]);
  t.teardown(() => server.close());
  const attribute = await api(url, 3).describeTaskAttribute({ regionId: 'cn-hangzhou', taskId: 't-1' });
  t.is(attribute.taskStatus, 'Finished');
  t.is(requests.length, 3);
});

test('rejects after the last attempt with a retryable error, and does not retry a client error', async (t) => {
  const { url, requests, server } = await captureServer([
    { status: 500, body: { RequestId: 'r1', Code: 'InternalError', Message: 'boom' } },
    { status: 500, body: { RequestId: 'r2', Code: 'InternalError', Message: 'boom' } },
    { status: 404, body: { RequestId: 'r3', Code: 'InvalidTaskId.NotFound', Message: 'The specified "TaskId" is not found.' } },
  ]);
  t.teardown(() => server.close());
  const client = api(url, 2);
  const transient = await t.throwsAsync(client.describeTaskAttribute({ regionId: 'cn-hangzhou', taskId: 't-1' }), { instanceOf: CloudError });
  t.true(transient?.retryable);
  const notFound = await t.throwsAsync(client.describeTaskAttribute({ regionId: 'cn-hangzhou', taskId: 't-1' }), { instanceOf: CloudError });
  t.is(notFound?.kind, 'not-found');
  t.is(requests.length, 3);
});

test('a garbled (non-JSON) error answer is a retryable MalformedResponse', async (t) => {
  const { url, server } = await captureServer([{ status: 502, body: '<html>bad gateway</html>' }]);
  t.teardown(() => server.close());
  const error = await t.throwsAsync(api(url).describeTasks({ regionId: 'cn-hangzhou' }), { instanceOf: CloudError });
  t.is(error?.code, 'MalformedResponse');
  t.true(error?.retryable);
});

test('RAM GetRole and GetPolicy read a missing entity as undefined', async (t) => {
  const { url, requests, server } = await captureServer([
    { status: 404, body: { RequestId: 'r', Code: 'EntityNotExist.Role', Message: 'The role does not exist.' } },
    { status: 404, body: { RequestId: 'r', Code: 'EntityNotExist.Policy', Message: 'The policy does not exist.' } },
  ]);
  t.teardown(() => server.close());
  const client = api(url);
  t.is(await client.getRole('AliyunECSImageExportDefaultRole'), undefined);
  t.is(await client.getPolicy({ policyName: 'p', policyType: 'Custom' }), undefined);
  t.is(requests[0].headers['x-acs-action'], 'GetRole');
  t.is(requests[0].headers['x-acs-version'], '2015-05-01');
  t.is(requests[0].query.get('RoleName'), 'AliyunECSImageExportDefaultRole');
});
