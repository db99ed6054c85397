import test, { type ExecutionContext } from 'ava';
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import * as $Ecs from '@alicloud/ecs20140526';
import { OpenApiUtil } from '@alicloud/openapi-core';
import * as $Ram from '@alicloud/ram20150501';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import {
  acsErrorShape,
  anyMethod,
  arrayKey,
  assertAnswered,
  assertRefusal,
  extraHeaders,
  GarbledCase,
  garbledBody,
  garbledContentType,
  garbledPath,
  garbledQuery,
  holdsAsync,
  junkKey,
  nastyText,
  percentEncode,
  s3RefusalProperty,
  sendWire,
  watchProcess,
  wireText,
  type ErrorShape,
  type Signing,
  type WireRequest,
  type WireResponse,
} from '../garbled-requests';
import { GOLDEN_IMAGE, startAlicloudKit, type AlicloudKit } from './alicloud-test-kit';

// Issue 7: every Alibaba Cloud endpoint of the emulator (ECS and RAM behind the RPC gateway, in both signature
// styles, V3 ACS3-HMAC-SHA256 and V2 HMAC-SHA1, and OSS) answers a garbled request with the gateway's JSON error
// (`{RequestId, HostId, Code, Message, Recommend}`) or OSS's `<Error>` XML, and never crashes. Each generated
// request carries a defect the real gateway refuses, with noise that cannot repair it; requests with odd list
// indexes, which may be valid, must be answered without a 5xx. One emulator for the file.

let kit: AlicloudKit;
const watch = watchProcess();
const EXISTING_BUCKET = 'garbled-requests-target';
/** A nonce claimed in `before`: signing with it again is a replay (SignatureNonceUsed). */
const USED_NONCE = `garbled-${randomUUID()}`;

test.before(async () => {
  kit = await startAlicloudKit();
  await kit.createBucket(EXISTING_BUCKET);
  const claim = await sendSignedRpc('ecs', 'V3', rpcRequest(['Action=DescribeImages', 'Version=2014-05-26', 'RegionId=cn-hangzhou']), 'admin', { nonce: USED_NONCE });
  if (claim.status !== 200) throw new Error(`could not claim the nonce: ${claim.status} ${claim.text}`);
});
test.after.always(async () => {
  watch.stop();
  await kit?.stop();
});

/** Valid SDK calls on every Alibaba service still succeed (run after each property) and nothing went unhandled. */
async function stillServes(t: ExecutionContext): Promise<void> {
  for (const client of [kit.ecs, kit.ecsV2]) {
    const images = await client.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', imageId: GOLDEN_IMAGE['cn-hangzhou'] }));
    t.is(images.body?.images?.image?.[0]?.imageId, GOLDEN_IMAGE['cn-hangzhou']);
  }
  const policy = await kit.ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'AliyunOSSFullAccess', policyType: 'System' }));
  t.is(policy.body?.policy?.policyName, 'AliyunOSSFullAccess');
  await t.notThrowsAsync(kit.oss().send(new HeadBucketCommand({ Bucket: EXISTING_BUCKET })));
  t.true((await kit.oss().send(new ListBucketsCommand({}))).Buckets?.some((bucket) => bucket.Name === EXISTING_BUCKET));
  t.deepEqual(watch.problems, []);
}

// ----------------------------------------------------------------------------------------------------------------
// Signing garbled RPC requests with the SDK's own signer (@alicloud/openapi-core OpenApiUtil)

type SignatureStyle = 'V3' | 'V2';

function endpointOf(service: 'ecs' | 'ram'): string {
  return kit.emulator.endpoints.alicloud[service];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The query as the gateway reads it (each component decoded, `+` kept, the first of a repeated key wins). */
function decodedQuery(segments: readonly string[]): Record<string, string> {
  const params = Object.create(null) as Record<string, string>;
  for (const segment of segments) {
    if (segment === '') continue;
    const at = segment.indexOf('=');
    const key = safeDecode(at < 0 ? segment : segment.slice(0, at));
    if (!(key in params)) params[key] = at < 0 ? '' : safeDecode(segment.slice(at + 1));
  }
  return params;
}

/** Every parameter the gateway sees: the query, then a form body's keys the query does not have. */
function visibleParams(request: WireRequest): Record<string, string> {
  const params = decodedQuery(request.query);
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (request.body.length > 0 && type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) if (!(key in params)) params[key] = value;
  }
  return params;
}

function acsTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface SignOptions {
  /** Signature nonce. @default - a fresh one */
  readonly nonce?: string;
}

/** Signs an RPC request in a style as a signing asks (unsigned, wrong secret, 20 minutes old, a used nonce, or properly). */
function signRpc(service: 'ecs' | 'ram', style: SignatureStyle, request: WireRequest, signing: Signing | 'reused-nonce', options: SignOptions = {}): WireRequest {
  if (signing === 'unsigned') return request;
  const keys = signing === 'restricted' ? kit.emulator.restrictedCredentials.alicloud : kit.emulator.credentials.alicloud;
  const secret = signing === 'wrong-secret' ? `${keys.secretAccessKey}x` : keys.secretAccessKey;
  const date = signing === 'stale' ? new Date(Date.now() - 20 * 60 * 1000) : new Date();
  const nonce = signing === 'reused-nonce' ? USED_NONCE : (options.nonce ?? OpenApiUtil.getNonce());
  const host = new URL(endpointOf(service)).host;
  if (style === 'V3') {
    const headers: Record<string, string> = { ...request.headers, host, 'x-acs-date': acsTimestamp(date), 'x-acs-signature-nonce': nonce };
    const payload = createHash('sha256').update(request.body).digest('hex');
    headers['x-acs-content-sha256'] = payload;
    const authorization = OpenApiUtil.getAuthorization(
      { pathname: request.path, method: request.method, query: decodedQuery(request.query), headers } as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0],
      'ACS3-HMAC-SHA256',
      payload,
      keys.accessKeyId,
      secret,
    );
    return { ...request, headers: { ...headers, authorization } };
  }
  const signed = {
    ...visibleParams(request),
    AccessKeyId: keys.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    Timestamp: acsTimestamp(date),
  };
  const extra = ['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp'].map((key) => `${key}=${percentEncode(signed[key as keyof typeof signed])}`);
  const signature = OpenApiUtil.getRPCSignature(signed, request.method, secret);
  return { ...request, query: [...request.query, ...extra, `Signature=${percentEncode(signature)}`] };
}

async function sendSignedRpc(service: 'ecs' | 'ram', style: SignatureStyle, request: WireRequest, signing: Signing | 'reused-nonce', options: SignOptions = {}): Promise<WireResponse> {
  return sendWire(endpointOf(service), signRpc(service, style, request, signing, options));
}

function rpcRequest(query: string[], method = 'POST'): WireRequest {
  return { method, path: '/', query, headers: {}, body: Buffer.alloc(0) };
}

// ----------------------------------------------------------------------------------------------------------------
// Garbled RPC requests

/** Why a garbled RPC request must be refused. */
type RpcDefect =
  | 'unsigned'
  | 'wrong-secret'
  | 'stale'
  | 'reused-nonce'
  | 'bad-method' // neither GET nor POST
  | 'no-action'
  | 'unknown-action'
  | 'bad-version'
  | 'bad-region' // ECS: RegionId absent, empty or not a region
  | 'missing-name'; // RAM: the role or policy name every action needs is absent

interface RpcService {
  readonly service: 'ecs' | 'ram';
  readonly hostId: string;
  readonly version: string;
  readonly actions: readonly string[];
  /** Parameter names the product and the signatures use (noise never does). */
  readonly reserved: readonly string[];
  readonly arrays: readonly fc.Arbitrary<string>[];
  readonly defects: readonly RpcDefect[];
}

const SIGNATURE_PARAMS = ['Action', 'Version', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'Format', 'SecurityToken', 'RegionId'];
const GATEWAY_DEFECTS: readonly RpcDefect[] = ['unsigned', 'wrong-secret', 'stale', 'reused-nonce', 'bad-method', 'no-action', 'unknown-action', 'bad-version'];

const ECS: RpcService = {
  service: 'ecs',
  hostId: 'ecs.aliyuncs.com',
  version: '2014-05-26',
  actions: ['ExportImage', 'ImportImage', 'DescribeTasks', 'DescribeTaskAttribute', 'CancelTask', 'DescribeImages', 'DeleteImage', 'TagResources', 'UntagResources', 'ListTagResources'],
  reserved: [
    ...SIGNATURE_PARAMS, 'ImageId', 'OSSBucket', 'OSSPrefix', 'ImageFormat', 'RoleName', 'DryRun', 'TaskId', 'TaskIds', 'TaskAction', 'TaskStatus', 'PageNumber', 'PageSize', 'Force',
    'ResourceType', 'ResourceId', 'Tag', 'TagKey', 'All', 'NextToken', 'DiskDeviceMapping', 'Architecture', 'Platform', 'OSType', 'ImageName', 'Description', 'LicenseType',
    'BootMode', 'ClientToken', 'Status', 'ImageOwnerAlias', 'DetectionStrategy', 'Features',
  ],
  arrays: [arrayKey('Tag', ['Key', 'Value']), arrayKey('ResourceId'), arrayKey('TagKey'), arrayKey('DiskDeviceMapping', ['OSSBucket', 'OSSObject', 'Format', 'DiskImageSize', 'Device'])],
  defects: [...GATEWAY_DEFECTS, 'bad-region'],
};

const RAM: RpcService = {
  service: 'ram',
  hostId: 'ram.aliyuncs.com',
  version: '2015-05-01',
  actions: ['CreateRole', 'GetRole', 'UpdateRole', 'DeleteRole', 'CreatePolicy', 'GetPolicy', 'DeletePolicy', 'AttachPolicyToRole', 'DetachPolicyFromRole', 'ListPoliciesForRole'],
  reserved: [...SIGNATURE_PARAMS, 'RoleName', 'PolicyName', 'PolicyType', 'AssumeRolePolicyDocument', 'PolicyDocument', 'Description', 'MaxSessionDuration', 'NewAssumeRolePolicyDocument', 'NewDescription', 'CascadingDelete'],
  arrays: [arrayKey('Tag', ['Key', 'Value'])],
  defects: [...GATEWAY_DEFECTS, 'missing-name'],
};

const FORM = /^application\/x-www-form-urlencoded/i;

/** One garbled RPC call: how it is signed, in which style, and where Action/Version travel (headers, query, form body). */
class RpcCase extends GarbledCase<RpcDefect> {
  constructor(
    defect: RpcDefect,
    request: WireRequest,
    signing: Signing,
    public readonly style: SignatureStyle,
  ) {
    super(defect, request, signing);
  }
}

function garbledRpcCase(spec: RpcService): fc.Arbitrary<RpcCase> {
  const action = fc.constantFrom(...spec.actions);
  const known = new Set(spec.actions);
  const unknownAction = fc
    .oneof(nastyText, action.map((name) => name.toLowerCase()), action.map((name) => `${name} `), fc.constantFrom('Describe*', 'DescribeRegions', 'GetCallerIdentity'))
    .filter((name) => name !== '' && !known.has(name));
  const badVersion = fc.oneof(fc.constant(undefined), fc.constant(''), fc.constantFrom('2014-05-27', '2015-05-01', '2014-05-26 ', 'latest'), nastyText).filter((version) => version !== spec.version);
  const region = spec.service === 'ecs' ? { RegionId: 'cn-hangzhou' } : {};
  const badRegion = fc.oneof(fc.constant(undefined), fc.constant(''), fc.constantFrom('cn-hangzhou-x', 'CN-HANGZHOU', 'us-east-1', 'cn-east-2'), nastyText).filter((value) => value !== 'cn-hangzhou' && value !== 'cn-shanghai' && value !== 'ap-southeast-1');

  /** Action, Version and the defect's parameters, as decoded pairs (undefined: left out). */
  const defectParams = (defect: RpcDefect): fc.Arbitrary<Record<string, string | undefined>> => {
    switch (defect) {
      case 'no-action':
        return fc.constantFrom({ Version: spec.version, ...region }, { Action: '', Version: spec.version }, { Version: spec.version, action: 'DescribeImages' });
      case 'unknown-action':
        return unknownAction.map((name) => ({ Action: name, Version: spec.version, ...region }));
      case 'bad-version':
        return fc.tuple(action, badVersion).map(([name, version]) => ({ Action: name, Version: version, ...region }));
      case 'bad-region':
        return fc.tuple(action, badRegion).map(([name, value]) => ({ Action: name, Version: spec.version, RegionId: value }));
      case 'missing-name':
        return action.map((name) => ({ Action: name, Version: spec.version }));
      default:
        return fc.oneof(
          action.map((name) => ({ Action: name, Version: spec.version, ...region })),
          fc.tuple(action, badVersion).map(([name, version]) => ({ Action: name, Version: version })),
        );
    }
  };

  const noiseKeys = fc.oneof({ weight: 2, arbitrary: junkKey(spec.reserved) }, { weight: 1, arbitrary: fc.oneof(...spec.arrays) });
  return fc.constantFrom(...spec.defects).chain((defect) =>
    fc
      .record({
        params: defectParams(defect),
        signing: defect === 'unsigned' || defect === 'wrong-secret' || defect === 'stale' ? fc.constant<Signing>(defect) : fc.constantFrom<Signing>('admin', 'restricted'),
        style: fc.constantFrom<SignatureStyle>('V3', 'V2'),
        actionInHeaders: fc.boolean(),
        method: defect === 'bad-method' ? anyMethod.filter((method) => method !== 'GET' && method !== 'POST') : fc.constantFrom('POST', 'GET'),
        path: fc.oneof({ weight: 4, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: garbledPath }),
        inBody: fc.boolean(),
        contentType: garbledContentType,
        noiseQuery: garbledQuery(noiseKeys),
        noiseForm: garbledQuery(noiseKeys),
        headers: extraHeaders(['accept', 'x-acs-accesskey-id', 'x-acs-security-token', 'x-acs-signature-method', 'x-acs-signature-version', 'user-agent', 'date']),
        body: garbledBody,
      })
      .map(({ params, signing, style, actionInHeaders, method, path, inBody, contentType, noiseQuery, noiseForm, headers, body }) => {
        // V3 clients send Action and Version as x-acs-action / x-acs-version headers (when the value is one a header
        // can carry as is: trimming "DescribeTasks " would repair an unknown action).
        const headerable = [params.Action, params.Version].every((value) => value === undefined || headerSafe(value) === value);
        const asHeaders = style === 'V3' && actionInHeaders && headerable;
        const pairs = Object.entries(params).filter(([name, value]) => value !== undefined && !(asHeaders && (name === 'Action' || name === 'Version')));
        const segments = pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value as string)}`);
        const actionHeaders: Record<string, string> = {};
        if (asHeaders && params.Action !== undefined) actionHeaders['x-acs-action'] = headerSafe(params.Action);
        if (asHeaders && params.Version !== undefined) actionHeaders['x-acs-version'] = headerSafe(params.Version);
        const formCarrier = inBody && method === 'POST' && contentType !== undefined && FORM.test(contentType);
        const request: WireRequest = {
          method,
          path,
          query: formCarrier ? noiseQuery : [...segments, ...noiseQuery],
          headers: { ...headers, ...actionHeaders, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
          body: formCarrier ? Buffer.from([...segments, ...noiseForm].join('&')) : body,
        };
        return new RpcCase(defect, request, signing, style);
      }),
  );
}

/** A header carries printable ASCII only (valid HTTP): other characters are dropped, which keeps a wrong value wrong. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '').trim();
}

for (const spec of [ECS, RAM]) {
  test.serial(`${spec.service}: every garbled request (V3 and V2 signatures) is refused with the gateway's JSON error, never a 5xx`, async (t) => {
    const shape = acsErrorShape(spec.hostId);
    await holdsAsync(
      t,
      fc.asyncProperty(garbledRpcCase(spec), async (garbled) => {
        const request = signRpc(spec.service, garbled.style, garbled.request, garbled.defect === 'reused-nonce' ? 'reused-nonce' : garbled.signing);
        assertRefusal(await sendWire(endpointOf(spec.service), request), shape, request);
      }),
      { numRuns: 200 },
    );
    await stillServes(t);
  });
}

/** A success is a JSON object whose RequestId is the header's. */
const rpcSuccess: ErrorShape = (response) => {
  if (response.status >= 300) return [];
  try {
    const body = JSON.parse(response.text) as Record<string, unknown>;
    return body.RequestId === response.headers['x-acs-request-id'] ? [] : [`success without the RequestId: ${response.text.slice(0, 200)}`];
  } catch {
    return [`success that is not JSON: ${response.text.slice(0, 200)}`];
  }
};

const TAGS = arrayKey('Tag', ['Key', 'Value']);

/**
 * ECS calls with list parameters: what each needs besides its lists (dry runs where a call would change something)
 * and the lists it reads.
 */
const LIST_CALLS: Readonly<Record<string, { readonly base: readonly string[]; readonly lists: readonly fc.Arbitrary<string>[] }>> = {
  DescribeImages: { base: [], lists: [TAGS] },
  ListTagResources: { base: ['ResourceType=image'], lists: [arrayKey('ResourceId'), TAGS] },
  TagResources: { base: ['ResourceType=image', `ResourceId.1=${GOLDEN_IMAGE['cn-hangzhou']}`], lists: [TAGS] },
  UntagResources: { base: ['ResourceType=image', `ResourceId.1=${GOLDEN_IMAGE['cn-hangzhou']}`], lists: [arrayKey('TagKey')] },
  ImportImage: { base: ['ImageName=garbled-import', 'DryRun=true'], lists: [arrayKey('DiskDeviceMapping', ['OSSBucket', 'OSSObject', 'Format', 'DiskImageSize', 'Device']), TAGS] },
};

test.serial('ecs: odd list indexes (huge, negative, non-numeric) reach the parsers and are answered, never with a 5xx', async (t) => {
  const listCall = fc
    .constantFrom(...Object.keys(LIST_CALLS))
    .chain((action) =>
      fc.record({
        action: fc.constant(action),
        lists: fc.array(fc.tuple(fc.oneof(...LIST_CALLS[action].lists), wireText), { minLength: 1, maxLength: 8 }),
        style: fc.constantFrom<SignatureStyle>('V3', 'V2'),
      }),
    );
  const shape = acsErrorShape(ECS.hostId);
  await holdsAsync(
    t,
    fc.asyncProperty(listCall, async ({ action, lists, style }) => {
      const query = [`Action=${action}`, 'Version=2014-05-26', 'RegionId=cn-hangzhou', ...LIST_CALLS[action].base, ...lists.map(([key, value]) => `${key}=${value}`)];
      const request = signRpc('ecs', style, rpcRequest(query), 'admin');
      const response = await sendWire(endpointOf('ecs'), request);
      assertAnswered(response, shape, request);
      const problems = rpcSuccess(response);
      if (problems.length > 0) throw new Error(problems.join('; '));
    }),
    { numRuns: 150 },
  );
  await stillServes(t);
});

test.serial('oss: every garbled request is refused in the <Error> shape with RequestId and HostId, never a 5xx', async (t) => {
  const endpoint = kit.emulator.endpoints.alicloud.oss;
  const keys = { admin: kit.emulator.credentials.alicloud, restricted: kit.emulator.restrictedCredentials.alicloud };
  await holdsAsync(
    t,
    s3RefusalProperty(endpoint, EXISTING_BUCKET, keys, 'cn-hangzhou'),
    { numRuns: 200 },
  );
  await stillServes(t);
});
