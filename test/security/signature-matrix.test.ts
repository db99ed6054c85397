/**
 * Signatures on every emulated service. For each one (AWS EC2, IAM, STS, S3; Alibaba Cloud ECS, RAM, OSS; JD Cloud
 * vm, IAM, OSS) an unsigned request, a badly signed one (wrong secret), an expired one (signed 20 minutes ago) and
 * a replayed one (the byte-identical request sent again) are checked against the cloud's real answer: HTTP status
 * and error code.
 *
 * Requests come from the official SDKs (AWS SDK v3, `@alicloud/openapi-core`; the S3 client for every S3-protocol
 * store) through a recording proxy, so the replay is exactly what the SDK sent; JD Cloud's come from imageport's
 * JD signer with a chosen date and nonce (`jdRaw`).
 *
 * Replays: AWS SigV4 and the S3-protocol stores (S3, OSS and JD OSS over S3) carry no nonce, and the real services
 * accept a byte-identical request again within the 15-minute window (SDK retries legitimately resend one), so the
 * emulator accepts it and the test asserts that. Alibaba Cloud's RPC gateway refuses a reused
 * `x-acs-signature-nonce` (`SignatureNonceUsed`) and JD Cloud's gateway a reused `x-jdcloud-nonce`
 * (`APIGW_NONCE_CONFLICT`): both are real and enforced.
 */
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as OpenApi from '@alicloud/openapi-core';
import Ram, * as $Ram from '@alicloud/ram20150501';
import test from 'ava';
import { startEmulator, type Emulator } from '../../emulator';
import { jdRaw, vmPath, type JdRawResponse } from '../emulator/jdcloud/jd-test-kit';
import { RecordingProxy, withoutHeaders, type RawAnswer } from './recording-proxy';

/** How far in the past an "expired" request is signed: beyond every cloud's 15-minute window. */
const EXPIRED_BY_MS = 20 * 60 * 1000;
const WRONG_SECRET = 'not-the-secret-0000000000000000000000';

/** An expected refusal: HTTP status and the cloud's error code; `accepted` for a request the real service takes. */
type Expected = { readonly status: number; readonly code: string } | 'accepted';

interface Matrix {
  readonly unsigned: Expected;
  readonly badlySigned: Expected;
  readonly expired: Expected;
  readonly replayed: Expected;
}

type KeyPair = { accessKeyId: string; secretAccessKey: string };

/** One SDK-driven service: how to make one read call through an endpoint, and how to read an error code. */
interface SdkService {
  readonly name: string;
  /** The emulator endpoint behind the proxy. */
  target(emulator: Emulator): string;
  /** One read call through `endpoint` (errors are expected and swallowed: the proxy keeps the answer). */
  call(endpoint: string, credentials: KeyPair, clockOffsetMs: number): Promise<unknown>;
  /** The error code of an answer body. */
  code(answer: RawAnswer): string | undefined;
  readonly expected: Matrix;
}

const xmlCode = (answer: RawAnswer) => /<Code>([^<]*)<\/Code>/.exec(answer.body)?.[1];
const jsonCode = (answer: RawAnswer) => {
  try {
    return (JSON.parse(answer.body) as { Code?: string }).Code;
  } catch {
    return undefined;
  }
};

const aws = { region: 'us-east-1', maxAttempts: 1 } as const;

/** The S3 protocol: what S3 answers, and what OSS and JD OSS answer over their S3-compatible endpoints. */
const S3_MATRIX: Matrix = {
  unsigned: { status: 403, code: 'AccessDenied' },
  badlySigned: { status: 403, code: 'SignatureDoesNotMatch' },
  expired: { status: 403, code: 'RequestTimeTooSkewed' },
  // No nonce in SigV4: S3 accepts a byte-identical request again within 15 minutes (SDK retries resend them).
  replayed: 'accepted',
};

/** The S3-protocol endpoint of a cloud: S3, OSS, JD OSS. */
function storeEndpoint(emulator: Emulator, cloud: 'aws' | 'alicloud' | 'jdcloud'): string {
  return cloud === 'aws' ? emulator.endpoints.aws.s3 : emulator.endpoints[cloud].oss;
}

function s3Service(name: string, cloud: 'aws' | 'alicloud' | 'jdcloud', region: string): SdkService {
  return {
    name,
    target: (emulator) => storeEndpoint(emulator, cloud),
    call: (endpoint, credentials, clockOffsetMs) =>
      new S3Client({ region, endpoint, credentials, forcePathStyle: true, maxAttempts: 1, systemClockOffset: clockOffsetMs }).send(
        new ListObjectsV2Command({ Bucket: `imageport-signatures-${cloud}` }),
      ),
    code: xmlCode,
    expected: S3_MATRIX,
  };
}

/** The openapi-core client's clock (`x-acs-date`), shifted for the expired case (the emulator's clock is not). */
const acsUtils = (require('@alicloud/openapi-core/dist/utils') as { default: { getTimestamp(): string } }).default;
async function withAcsClockOffset<T>(offsetMs: number, run: () => Promise<T>): Promise<T> {
  if (offsetMs === 0) return run();
  const original = acsUtils.getTimestamp;
  acsUtils.getTimestamp = () => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  try {
    return await run();
  } finally {
    acsUtils.getTimestamp = original;
  }
}

function acsConfig(endpoint: string, credentials: KeyPair) {
  return new OpenApi.$OpenApiUtil.Config({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.secretAccessKey,
    regionId: 'cn-hangzhou',
    endpoint: new URL(endpoint).host,
    protocol: 'http',
  });
}

/** Alibaba Cloud's RPC gateway (ECS and RAM alike). */
const ACS_MATRIX: Matrix = {
  unsigned: { status: 400, code: 'IncompleteSignature' },
  badlySigned: { status: 400, code: 'SignatureDoesNotMatch' },
  expired: { status: 400, code: 'InvalidTimeStamp.Expired' },
  replayed: { status: 400, code: 'SignatureNonceUsed' },
};

const SDK_SERVICES: readonly SdkService[] = [
  {
    name: 'AWS EC2',
    target: (emulator) => emulator.endpoints.aws.ec2,
    call: (endpoint, credentials, clockOffsetMs) =>
      new EC2Client({ ...aws, endpoint, credentials, systemClockOffset: clockOffsetMs }).send(new DescribeImagesCommand({ ImageIds: ['ami-0600d000000000001'] })),
    code: xmlCode,
    expected: {
      unsigned: { status: 401, code: 'AuthFailure' },
      badlySigned: { status: 401, code: 'AuthFailure' },
      expired: { status: 400, code: 'RequestExpired' },
      replayed: 'accepted', // SigV4 has no nonce; EC2 takes the same request again within 15 minutes.
    },
  },
  {
    name: 'AWS IAM',
    target: (emulator) => emulator.endpoints.aws.iam,
    call: (endpoint, credentials, clockOffsetMs) => new IAMClient({ ...aws, endpoint, credentials, systemClockOffset: clockOffsetMs }).send(new ListRolesCommand({})),
    code: xmlCode,
    expected: {
      unsigned: { status: 403, code: 'MissingAuthenticationToken' },
      badlySigned: { status: 403, code: 'SignatureDoesNotMatch' },
      expired: { status: 403, code: 'SignatureDoesNotMatch' }, // "Signature expired: … is now earlier than …"
      replayed: 'accepted',
    },
  },
  {
    name: 'AWS STS',
    target: (emulator) => emulator.endpoints.aws.sts,
    call: (endpoint, credentials, clockOffsetMs) => new STSClient({ ...aws, endpoint, credentials, systemClockOffset: clockOffsetMs }).send(new GetCallerIdentityCommand({})),
    code: xmlCode,
    expected: {
      unsigned: { status: 403, code: 'MissingAuthenticationToken' },
      badlySigned: { status: 403, code: 'SignatureDoesNotMatch' },
      expired: { status: 403, code: 'SignatureDoesNotMatch' },
      replayed: 'accepted',
    },
  },
  s3Service('AWS S3', 'aws', 'us-east-1'),
  {
    name: 'Alibaba Cloud ECS',
    target: (emulator) => emulator.endpoints.alicloud.ecs,
    call: (endpoint, credentials, clockOffsetMs) =>
      withAcsClockOffset(clockOffsetMs, () => new Ecs(acsConfig(endpoint, credentials)).describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-hangzhou', taskAction: 'ExportImage' }))),
    code: jsonCode,
    expected: ACS_MATRIX,
  },
  {
    name: 'Alibaba Cloud RAM',
    target: (emulator) => emulator.endpoints.alicloud.ram,
    call: (endpoint, credentials, clockOffsetMs) =>
      withAcsClockOffset(clockOffsetMs, () => new Ram(acsConfig(endpoint, credentials)).getPolicy(new $Ram.GetPolicyRequest({ policyName: 'AliyunOSSFullAccess', policyType: 'System' }))),
    code: jsonCode,
    expected: ACS_MATRIX,
  },
  s3Service('Alibaba Cloud OSS (S3 protocol)', 'alicloud', 'cn-hangzhou'),
  s3Service('JD Cloud OSS (S3 protocol)', 'jdcloud', 'cn-east-2'),
];

/** JD Cloud's API gateway (vm and IAM alike). */
const JD_MATRIX: Matrix = {
  unsigned: { status: 401, code: 'ACCESS_ERROR' },
  badlySigned: { status: 401, code: 'ACCESS_ERROR' },
  expired: { status: 401, code: 'ACCESS_ERROR' },
  replayed: { status: 403, code: 'APIGW_NONCE_CONFLICT' },
};

const JD_SERVICES = [
  { name: 'JD Cloud vm', service: 'vm', region: 'cn-east-2', endpoint: (e: Emulator) => e.endpoints.jdcloud.vm, path: vmPath('/regions/cn-east-2/images/img-g01den0001') },
  { name: 'JD Cloud IAM', service: 'iam', region: 'jdcloud-api', endpoint: (e: Emulator) => e.endpoints.jdcloud.iam, path: '/v1/role/imageport-signature-probe' },
] as const;

let emulator: Emulator;

test.before(async () => {
  emulator = await startEmulator({ speed: 60 });
  for (const [cloud, region] of [['aws', 'us-east-1'], ['alicloud', 'cn-hangzhou'], ['jdcloud', 'cn-east-2']] as const) {
    // No LocationConstraint: us-east-1 for S3; OSS and JD OSS take the signing region.
    await new S3Client({ region, endpoint: storeEndpoint(emulator, cloud), forcePathStyle: true, credentials: emulator.credentials[cloud] }).send(
      new CreateBucketCommand({ Bucket: `imageport-signatures-${cloud}` }),
    );
  }
});

test.after.always(async () => {
  await emulator?.stop();
});

function cloudOf(name: string): 'aws' | 'alicloud' | 'jdcloud' {
  return name.startsWith('AWS') ? 'aws' : name.startsWith('Alibaba') ? 'alicloud' : 'jdcloud';
}

function outcome(answer: { status: number }, code: string | undefined): Expected {
  return answer.status >= 200 && answer.status < 300 ? 'accepted' : { status: answer.status, code: code ?? '(no code)' };
}

for (const service of SDK_SERVICES) {
  test(`${service.name}: unsigned, badly signed, expired and replayed requests get the real service's answer`, async (t) => {
    const proxy = await RecordingProxy.start(service.target(emulator));
    t.teardown(() => proxy.stop());
    const credentials = emulator.credentials[cloudOf(service.name)];

    // A well-signed read goes through; it is what the other cases alter or resend.
    await service.call(proxy.endpoint, credentials, 0);
    const original = proxy.last();
    t.is(outcome(original.answer, service.code(original.answer)), 'accepted', `the original request: ${original.answer.body}`);

    const unsigned = await proxy.send(withoutHeaders(original.request, 'authorization'));
    await service.call(proxy.endpoint, { accessKeyId: credentials.accessKeyId, secretAccessKey: WRONG_SECRET }, 0).catch(() => undefined);
    const badlySigned = proxy.last().answer;
    await service.call(proxy.endpoint, credentials, -EXPIRED_BY_MS).catch(() => undefined);
    const expired = proxy.last().answer;
    const replayed = await proxy.send(original.request);

    t.deepEqual(
      {
        unsigned: outcome(unsigned, service.code(unsigned)),
        badlySigned: outcome(badlySigned, service.code(badlySigned)),
        expired: outcome(expired, service.code(expired)),
        replayed: outcome(replayed, service.code(replayed)),
      },
      service.expected,
    );
  });
}

for (const service of JD_SERVICES) {
  test(`${service.name}: unsigned, badly signed, expired and replayed requests get the real service's answer`, async (t) => {
    const credentials = emulator.credentials.jdcloud;
    const endpoint = service.endpoint(emulator);
    const sign = (overrides: { secretAccessKey?: string; date?: Date; nonce?: string }) => ({
      ...credentials,
      region: service.region,
      service: service.service,
      ...overrides,
    });
    const jdOutcome = (answer: JdRawResponse) => outcome(answer, (answer.json?.error as { status?: string } | undefined)?.status);
    const signedAt = new Date();
    const original = await jdRaw({ endpoint, path: service.path, sign: sign({ date: signedAt, nonce: `matrix-${service.service}-1` }) });
    // The original passes the gateway (IAM then answers that the probe role does not exist, which is not a refusal).
    t.false([401, 403].includes(original.status), `the original request: ${original.body}`);

    const unsigned = await jdRaw({ endpoint, path: service.path });
    const badlySigned = await jdRaw({ endpoint, path: service.path, sign: sign({ secretAccessKey: WRONG_SECRET }) });
    const expired = await jdRaw({ endpoint, path: service.path, sign: sign({ date: new Date(Date.now() - EXPIRED_BY_MS) }) });
    // Same date, same nonce, same everything: the byte-identical request again.
    const replayed = await jdRaw({ endpoint, path: service.path, sign: sign({ date: signedAt, nonce: `matrix-${service.service}-1` }) });

    t.deepEqual(
      { unsigned: jdOutcome(unsigned), badlySigned: jdOutcome(badlySigned), expired: jdOutcome(expired), replayed: jdOutcome(replayed) },
      JD_MATRIX,
    );
  });
}
