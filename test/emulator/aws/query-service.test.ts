import test from 'ava';
import { connect } from 'node:net';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rejection, startAwsKit, type AwsKit } from './aws-test-kit';
import { errorCode, rawRequest, type RawResponse } from '../raw-request';

const EC2_ERROR_SHAPE = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>[^<]+<\/Code><Message>[^<]*<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/;
const QUERY_ERROR_SHAPE = /<ErrorResponse xmlns="https:\/\/(iam|sts)\.amazonaws\.com\/doc\/[0-9-]+\/"><Error><Type>Sender<\/Type><Code>[^<]+<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/;

function signedEc2(kit: AwsKit, body: string | Buffer, extra: { contentType?: string; region?: string; signingDate?: Date } = {}): Promise<RawResponse> {
  return rawRequest({
    endpoint: kit.emulator.endpoints.aws.ec2,
    body,
    headers: { 'content-type': extra.contentType ?? 'application/x-www-form-urlencoded; charset=utf-8' },
    sign: { service: 'ec2', region: extra.region ?? 'us-east-1', ...kit.emulator.credentials.aws, ...(extra.signingDate ? { signingDate: extra.signingDate } : {}) },
  });
}

test('query: a request signed like the AWS CLI (content-type;host;x-amz-date only) is accepted', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const answer = await signedEc2(kit, 'Action=DescribeImages&Version=2016-11-15&ImageId.1=ami-0600d000000000001');
  t.is(answer.status, 200);
  t.regex(answer.body, /<DescribeImagesResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><imagesSet><item><imageId>ami-0600d000000000001/);
  t.truthy(answer.headers['x-amzn-requestid']);
});

test('rejects unsigned requests in each service\'s error shape (EC2 401 AuthFailure, IAM/STS 403)', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const body = 'Action=DescribeImages&Version=2016-11-15';
  const ec2 = await rawRequest({ endpoint: kit.emulator.endpoints.aws.ec2, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.is(ec2.status, 401);
  t.regex(ec2.body, EC2_ERROR_SHAPE);
  t.is(errorCode(ec2.body), 'AuthFailure');
  const iam = await rawRequest({ endpoint: kit.emulator.endpoints.aws.iam, body: 'Action=GetRole&Version=2010-05-08&RoleName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.is(iam.status, 403);
  t.regex(iam.body, QUERY_ERROR_SHAPE);
  t.is(errorCode(iam.body), 'MissingAuthenticationToken');
});

test('rejects bad signatures and unknown keys through the SDKs', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const { endpoints, credentials } = kit.emulator;
  const wrongSecret = { accessKeyId: credentials.aws.accessKeyId, secretAccessKey: 'not-the-secret' };
  const unknownKey = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'whatever' };
  const common = { region: 'us-east-1', maxAttempts: 1 };
  t.is((await rejection(new EC2Client({ ...common, endpoint: endpoints.aws.ec2, credentials: wrongSecret }).send(new DescribeImagesCommand({})))).name, 'AuthFailure');
  t.is((await rejection(new EC2Client({ ...common, endpoint: endpoints.aws.ec2, credentials: unknownKey }).send(new DescribeImagesCommand({})))).name, 'AuthFailure');
  const iamBad = await rejection(new IAMClient({ ...common, endpoint: endpoints.aws.iam, credentials: wrongSecret }).send(new GetRoleCommand({ RoleName: 'x' })));
  t.is(iamBad.name, 'SignatureDoesNotMatch');
  t.is(iamBad.$metadata?.httpStatusCode, 403);
  t.is((await rejection(new STSClient({ ...common, endpoint: endpoints.aws.sts, credentials: unknownKey }).send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
});

test('rejects a bad IAM/STS signature with the message those services send: the canonical string and string to sign quoted', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const credentials = { accessKeyId: kit.emulator.credentials.aws.accessKeyId, secretAccessKey: 'not-the-secret', sessionToken: 'session-token-value' };
  const error = await rejection(new STSClient({ region: 'us-east-1', maxAttempts: 1, endpoint: kit.emulator.endpoints.aws.sts, credentials }).send(new GetCallerIdentityCommand({})));
  t.is(error.name, 'SignatureDoesNotMatch');
  t.regex(
    error.message,
    /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'POST\n\/\n\n[^']*x-amz-security-token:session-token-value\n[^']*'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/sts\/aws4_request\n[0-9a-f]{64}'\n$/,
  );
});

test('rejects a signature dated more than 15 minutes away from the real clock (EC2 RequestExpired, STS "Signature expired")', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const old = new Date(Date.now() - 20 * 60_000);
  const ec2 = await signedEc2(kit, 'Action=DescribeImages&Version=2016-11-15', { signingDate: old });
  t.is(ec2.status, 400);
  t.is(errorCode(ec2.body), 'RequestExpired');
  const sts = await rawRequest({
    endpoint: kit.emulator.endpoints.aws.sts,
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    sign: { service: 'sts', region: 'us-east-1', ...kit.emulator.credentials.aws, signingDate: old },
  });
  t.is(sts.status, 403);
  t.is(errorCode(sts.body), 'SignatureDoesNotMatch');
  t.regex(sts.body, /Signature expired: \d{8}T\d{6}Z is now earlier than/);
  const future = await signedEc2(kit, 'Action=DescribeImages&Version=2016-11-15', { signingDate: new Date(Date.now() + 20 * 60_000) });
  t.is(errorCode(future.body), 'RequestExpired');
  const fresh = await signedEc2(kit, 'Action=DescribeImages&Version=2016-11-15', { signingDate: new Date(Date.now() - 5 * 60_000) });
  t.is(fresh.status, 200, 'five minutes of skew is fine');
});

test('rejects a scope for a region EC2 does not serve, and a scope for another service', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const region = await signedEc2(kit, 'Action=DescribeImages&Version=2016-11-15', { region: 'xx-nowhere-1' });
  t.is(region.status, 401);
  t.regex(region.body, /Credential should be scoped to a valid region, not 'xx-nowhere-1'/);
  const service = await rawRequest({
    endpoint: kit.emulator.endpoints.aws.ec2,
    body: 'Action=DescribeImages&Version=2016-11-15',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    sign: { service: 'iam', region: 'us-east-1', ...kit.emulator.credentials.aws },
  });
  t.regex(service.body, /Credential should be scoped to correct service: 'ec2'/);
});

for (const [title, body, contentType, code] of [
  ['random bytes', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x3d, 0x26, 0x3d, 0x25, 0x7a]), 'application/x-www-form-urlencoded', 'MissingAction'],
  ['random bytes of another content type', Buffer.from([1, 2, 3, 250, 251]), 'application/octet-stream', 'MissingAction'],
  ['a missing Action', 'Version=2016-11-15&ImageId.1=ami-0600d000000000001', 'application/x-www-form-urlencoded', 'MissingAction'],
  ['an unknown Action', 'Action=LaunchRockets&Version=2016-11-15', 'application/x-www-form-urlencoded', 'InvalidAction'],
  ['an unknown Version', 'Action=DescribeImages&Version=1999-01-01', 'application/x-www-form-urlencoded', 'NoSuchVersion'],
  ['Filter.N on DescribeImportImageTasks (its wire name is Filters.N)', 'Action=DescribeImportImageTasks&Version=2016-11-15&Filter.1.Name=task-state&Filter.1.Value.1=active', 'application/x-www-form-urlencoded', 'UnknownParameter'],
  ['Filters.N on DescribeExportImageTasks (its wire name is Filter.N)', 'Action=DescribeExportImageTasks&Version=2016-11-15&Filters.1.Name=task-state&Filters.1.Value.1=active', 'application/x-www-form-urlencoded', 'UnknownParameter'],
] as const) {
  test(`rejects ${title} with EC2's error shape`, async (t) => {
    const kit = await startAwsKit();
    t.teardown(() => kit.stop());
    const answer = await signedEc2(kit, body, { contentType });
    t.is(answer.status, 400);
    t.regex(answer.body, EC2_ERROR_SHAPE);
    t.is(errorCode(answer.body), code);
  });
}

test('rejects bytes that are not HTTP at all with a 400 in EC2\'s shape, and keeps serving', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const url = new URL(kit.emulator.endpoints.aws.ec2);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a])));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
  t.regex(reply, /^HTTP\/1\.1 400 Bad Request/);
  t.regex(reply, /<Response><Errors><Error><Code>MalformedQueryString<\/Code>/);
  t.is((await kit.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0600d000000000001'] }))).Images?.length, 1);
});

test('rejects a request body larger than the service accepts (413) without reading it all', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const answer = await rawRequest({
    endpoint: kit.emulator.endpoints.aws.ec2,
    body: `Action=DescribeImages&Version=2016-11-15&Pad=${'x'.repeat(2 * 1024 * 1024)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.is(answer.status, 413);
  t.regex(answer.body, EC2_ERROR_SHAPE);
});
