import test, { type ExecutionContext } from 'ava';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { signJdcloudRequest, type JdcloudSignatureAlgorithm } from '../../../lib/clouds/jdcloud/signer';
import {
  anyMethod,
  arrayKey,
  assertAnswered,
  assertRefusal,
  brokenJson,
  extraHeaders,
  GarbledCase,
  garbledBody,
  garbledContentType,
  garbledPath,
  garbledQuery,
  holdsAsync,
  jdErrorShape,
  junkKey,
  nastyText,
  percentEncode,
  s3RefusalProperty,
  sendWire,
  staleDate,
  targetOf,
  watchProcess,
  wirePathSegment,
  wireText,
  type Signing,
  type WireRequest,
} from '../garbled-requests';
import { JD_IMAGES, startJdKit, type JdKit } from './jd-test-kit';

// Issue 7: every JD Cloud endpoint of the emulator (vm and IAM OpenAPI, OSS) answers a garbled request with JD's
// error shape (`{requestId, error: {code, status, message}}`, code = the HTTP status) or OSS's `<Error>` XML, and
// never crashes. Requests are signed with the JD signer of lib/ (JDCLOUD2 and JDCLOUD3), so garbled-but-signed
// requests reach the routers and body parsers; each carries a defect JD refuses, plus noise. One emulator.

let kit: JdKit;
let oss: S3Client;
const watch = watchProcess();
const EXISTING_BUCKET = 'garbled-requests-target';
const EXISTING_ROLE = 'garbled-requests-role';
/** A nonce claimed in `before`: signing with it again is a replay (APIGW_NONCE_CONFLICT). */
const USED_NONCE = `garbled-${randomUUID()}`;

test.before(async () => {
  kit = await startJdKit();
  oss = new S3Client({ region: 'cn-east-2', endpoint: kit.emulator.endpoints.jdcloud.oss, forcePathStyle: true, credentials: kit.emulator.credentials.jdcloud, maxAttempts: 1 });
  await oss.send(new CreateBucketCommand({ Bucket: EXISTING_BUCKET }));
  await kit.exportRole([EXISTING_BUCKET], EXISTING_ROLE);
  // Each service keeps its own nonces (whether JD's gateway shares them across products is not published).
  for (const [service, path] of [['vm', `/v1/regions/cn-east-2/images/${JD_IMAGES.golden}`], ['iam', `/v1/role/${EXISTING_ROLE}`]] as const) {
    const claim = await sendWire(kit.emulator.endpoints.jdcloud[service], signJd(service, { method: 'GET', path, query: [], headers: {}, body: Buffer.alloc(0) }, 'admin', 'JDCLOUD2-HMAC-SHA256', USED_NONCE));
    if (claim.status !== 200) throw new Error(`could not claim the nonce on ${service}: ${claim.status} ${claim.text}`);
  }
});
test.after.always(async () => {
  watch.stop();
  oss?.destroy();
  await kit?.stop();
});

/** Valid calls on every JD service still succeed (run after each property) and nothing went unhandled. */
async function stillServes(t: ExecutionContext): Promise<void> {
  t.is((await kit.vm.describeImage('cn-east-2', JD_IMAGES.golden)).imageId, JD_IMAGES.golden);
  t.is((await kit.iam.describeRole(EXISTING_ROLE)).roleName, EXISTING_ROLE);
  await t.notThrowsAsync(oss.send(new HeadBucketCommand({ Bucket: EXISTING_BUCKET })));
  t.true((await oss.send(new ListBucketsCommand({}))).Buckets?.some((bucket) => bucket.Name === EXISTING_BUCKET));
  t.deepEqual(watch.problems, []);
}

type JdService = 'vm' | 'iam';

/** Signs a JD OpenAPI request with lib's signer as a signing asks (the scope region: cn-east-2 for vm, jdcloud for IAM, as the Node SDK signs). */
function signJd(service: JdService, request: WireRequest, signing: Signing | 'reused-nonce' | 'wrong-service', algorithm: JdcloudSignatureAlgorithm, nonce?: string): WireRequest {
  if (signing === 'unsigned') return request;
  const keys = signing === 'restricted' ? kit.emulator.restrictedCredentials.jdcloud : kit.emulator.credentials.jdcloud;
  const signedService = signing === 'wrong-service' ? (service === 'vm' ? 'iam' : 'vm') : service;
  const signed = signJdcloudRequest({
    algorithm,
    method: request.method,
    host: new URL(kit.emulator.endpoints.jdcloud[service]).host,
    path: request.path,
    query: request.query.join('&'),
    headers: request.headers,
    body: request.body,
    region: signedService === 'vm' ? 'cn-east-2' : 'jdcloud',
    service: signedService,
    accessKeyId: keys.accessKeyId,
    secretAccessKey: signing === 'wrong-secret' ? `${keys.secretAccessKey}x` : keys.secretAccessKey,
    ...(signing === 'stale' ? { date: staleDate() } : {}),
    ...(signing === 'reused-nonce' ? { nonce: USED_NONCE } : nonce ? { nonce } : {}),
  });
  return { ...request, headers: signed.headers };
}

/** Why a garbled JD OpenAPI request must be refused. */
type JdDefect =
  | 'unsigned'
  | 'wrong-secret'
  | 'stale'
  | 'reused-nonce'
  | 'wrong-service' // signed for the other service
  | 'unknown-route' // a path no API has
  | 'bad-method' // a known path with a method it does not take
  | 'broken-body' // a body API with broken JSON, another JSON type, or required fields missing
  | 'bad-region' // a region that does not exist
  | 'bad-query' // imageTasks with invalid taskAction / taskStatus / pageNumber / pageSize
  | 'missing-resource'; // an image, role or policy that does not exist

/** A JD case: the request, how it is signed, and with which algorithm. */
class JdCase extends GarbledCase<JdDefect> {
  constructor(
    defect: JdDefect,
    request: WireRequest,
    signing: Signing,
    public readonly algorithm: JdcloudSignatureAlgorithm,
  ) {
    super(defect, request, signing);
  }
}

const REGIONS = ['cn-east-2', 'cn-north-1', 'cn-east-1', 'cn-south-1'];
const colon = fc.constantFrom(':', '%3A');
const anyId = fc.oneof(fc.constantFrom(JD_IMAGES.golden, JD_IMAGES.notReady, JD_IMAGES.publicImage), wirePathSegment.filter((segment) => segment !== '' && segment !== '.' && segment !== '..'));
const missingName = wirePathSegment.filter((segment) => !['', '.', '..'].includes(segment) && !segment.includes('%2F')).map((segment) => `missing-${segment}`);
const badRegion = fc.oneof(fc.constantFrom('cn-east-3', 'CN-EAST-2', 'us-east-1', 'jdcloud'), nastyText.filter((text) => text.length > 0 && text.length < 100)).map(percentEncode).filter((region) => !REGIONS.includes(decodeURIComponentSafe(region)));

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** vm and IAM calls that take a JSON body: method and path. */
function bodyCalls(service: JdService): fc.Arbitrary<[string, string]> {
  if (service === 'vm') {
    return fc.oneof(
      fc.tuple(anyId, colon).map(([id, c]): [string, string] => ['POST', `/v1/regions/cn-east-2/images/${id}${c}exportImage`]),
      colon.map((c): [string, string] => ['POST', `/v1/regions/cn-east-2/images${c}import`]),
    );
  }
  return fc.oneof(
    fc.constantFrom<[string, string]>(['POST', '/v1/role'], ['POST', '/v1/policy'], ['PUT', `/v1/role/${EXISTING_ROLE}/assumeRolePolicy`], ['POST', `/v1/role/${EXISTING_ROLE}:attachRolePolicy`]),
    missingName.map((name): [string, string] => ['PUT', `/v1/policy/${name}`]),
  );
}

/** Known paths and the methods each does NOT take (for bad-method). */
function wrongMethodCalls(service: JdService): fc.Arbitrary<[string, string]> {
  const others = (taken: readonly string[]) => anyMethod.filter((method) => !taken.includes(method));
  if (service === 'vm') {
    return fc.oneof(
      fc.tuple(others(['POST']), colon).map(([method, c]): [string, string] => [method, `/v1/regions/cn-east-2/images/${JD_IMAGES.golden}${c}exportImage`]),
      others(['GET']).map((method): [string, string] => [method, '/v1/regions/cn-east-2/imageTasks']),
      others(['GET', 'DELETE']).map((method): [string, string] => [method, `/v1/regions/cn-east-2/images/${JD_IMAGES.golden}`]),
    );
  }
  return fc.oneof(
    others(['POST']).map((method): [string, string] => [method, '/v1/role']),
    others(['GET', 'DELETE']).map((method): [string, string] => [method, `/v1/role/${EXISTING_ROLE}`]),
    others(['GET', 'PUT', 'DELETE']).map((method): [string, string] => [method, '/v1/policy/anything']),
    others(['GET']).map((method): [string, string] => [method, `/v1/role/${EXISTING_ROLE}/policies`]),
  );
}

/** Paths no API has: outside /v1, or under /v1 with a first segment no route starts with. */
const unknownRoute = fc.oneof(
  garbledPath.filter((path) => !path.startsWith('/v1/')),
  fc.tuple(wirePathSegment, garbledPath).map(([segment, rest]) => `/v1/zz-${segment}${rest}`),
  fc.constantFrom('/v1', '/v1/', '/v2/regions/cn-east-2/imageTasks', '/v1/regions', '/v1/regions/cn-east-2', '/v1/regions/cn-east-2/images', '/v1/regions/cn-east-2/images/a/b', '/v1/role/', '/v1/roles'),
);

function defectRequest(service: JdService, defect: JdDefect): fc.Arbitrary<{ method: string; path: string; query?: string[]; body?: Buffer }> {
  const anyCall = fc.oneof(bodyCalls(service), service === 'vm' ? fc.constant<[string, string]>(['GET', '/v1/regions/cn-east-2/imageTasks']) : fc.constant<[string, string]>(['GET', `/v1/role/${EXISTING_ROLE}`]));
  switch (defect) {
    case 'unknown-route':
      return fc.tuple(anyMethod, unknownRoute).map(([method, path]) => ({ method, path }));
    case 'bad-method':
      return wrongMethodCalls(service).map(([method, path]) => ({ method, path }));
    case 'broken-body':
      return fc
        .tuple(bodyCalls(service), fc.oneof(garbledBody, brokenJson.map((text) => Buffer.from(text)), fc.object().map((value) => Buffer.from(JSON.stringify(value)))))
        .map(([[method, path], body]) => ({ method, path, body }));
    case 'bad-region':
      return fc
        .tuple(badRegion, colon, fc.constantFrom('imageTasks', 'image', 'delete', 'export'))
        .map(([region, c, kind]) =>
          kind === 'imageTasks'
            ? { method: 'GET', path: `/v1/regions/${region}/imageTasks` }
            : kind === 'image'
              ? { method: 'GET', path: `/v1/regions/${region}/images/${JD_IMAGES.golden}` }
              : kind === 'delete'
                ? { method: 'DELETE', path: `/v1/regions/${region}/images/${JD_IMAGES.golden}` }
                : { method: 'POST', path: `/v1/regions/${region}/images/${JD_IMAGES.golden}${c}exportImage`, body: Buffer.from(JSON.stringify({ roleName: EXISTING_ROLE, ossUrl: `${kit.emulator.endpoints.jdcloud.oss}/${EXISTING_BUCKET}` })) },
        );
    case 'bad-query':
      return fc
        .record({
          name: fc.constantFrom('taskAction', 'taskStatus', 'pageNumber', 'pageSize'),
          value: wireText.filter((value) => !['ImportImage', 'ExportImage', 'pending', 'running', 'failed', 'finished', '', '1', '10', '20', '50', '100'].includes(decodeURIComponentSafe(value.replace(/\+/g, ' ')))),
        })
        .map(({ name, value }) => ({ method: 'GET', path: '/v1/regions/cn-east-2/imageTasks', query: [`${name}=${value}`] }));
    case 'missing-resource':
      if (service === 'iam') {
        return fc.oneof(
          fc.tuple(missingName, fc.constantFrom('GET', 'DELETE'), fc.boolean()).map(([name, method, role]) => ({ method, path: role ? `/v1/role/${name}` : `/v1/policy/${name}` })),
          missingName.map((name) => ({ method: 'GET', path: `/v1/role/${name}/policies` })),
        );
      }
      return fc.tuple(missingName, fc.constantFrom('GET', 'DELETE')).map(([id, method]) => ({ method, path: `/v1/regions/cn-east-2/images/${id}` }));
    default:
      // Signature defects: any call, valid or not.
      return anyCall.map(([method, path]) => ({ method, path }));
  }
}

/** Query names the APIs read (noise never uses them). */
const RESERVED_QUERY = ['taskAction', 'taskStatus', 'pageNumber', 'pageSize', 'taskIds', 'deleteSnapshot', 'policyName', 'sort'];

function garbledJdCase(service: JdService): fc.Arbitrary<JdCase> {
  const common: JdDefect[] = ['unsigned', 'wrong-secret', 'stale', 'reused-nonce', 'wrong-service', 'unknown-route', 'bad-method', 'broken-body', 'missing-resource'];
  // IAM is global and reads no query worth garbling: regions and imageTasks queries are vm's.
  const defects: JdDefect[] = service === 'vm' ? [...common, 'bad-region', 'bad-query'] : common;
  return fc.constantFrom(...defects).chain((defect) =>
    fc
      .record({
        call: defectRequest(service, defect),
        signing: ['unsigned', 'wrong-secret', 'stale'].includes(defect) ? fc.constant(defect as Signing) : fc.constantFrom<Signing>('admin', 'restricted'),
        algorithm: fc.constantFrom<JdcloudSignatureAlgorithm>('JDCLOUD2-HMAC-SHA256', 'JDCLOUD3-HMAC-SHA256'),
        noiseQuery: garbledQuery(fc.oneof({ weight: 2, arbitrary: junkKey(RESERVED_QUERY) }, { weight: 1, arbitrary: arrayKey('junk', ['x']) }), 4),
        contentType: garbledContentType,
        headers: extraHeaders(['accept', 'x-jdcloud-pin', 'x-jdcloud-security-token', 'x-jdcloud-erp', 'cache-control']),
        body: garbledBody,
      })
      .map(({ call, signing, algorithm, noiseQuery, contentType, headers, body }) => {
        const request: WireRequest = {
          method: call.method,
          path: call.path,
          query: [...(call.query ?? []), ...noiseQuery],
          headers: { ...headers, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
          body: call.body ?? (call.method === 'GET' || call.method === 'HEAD' ? Buffer.alloc(0) : body),
        };
        return new JdCase(defect, request, signing, algorithm);
      }),
  );
}

/** How a case is signed: the defect decides for replays and service mix-ups. */
function signingOf(garbled: JdCase): Signing | 'reused-nonce' | 'wrong-service' {
  if (garbled.defect === 'reused-nonce' || garbled.defect === 'wrong-service') return garbled.defect;
  return garbled.signing;
}

for (const service of ['vm', 'iam'] as const) {
  test.serial(`${service}: every garbled request (JDCLOUD2 and JDCLOUD3 signatures) is refused as {requestId, error: {code, status, message}}, never a 5xx`, async (t) => {
    const endpoint = kit.emulator.endpoints.jdcloud[service];
    await holdsAsync(
      t,
      fc.asyncProperty(garbledJdCase(service), async (garbled) => {
        const request = signJd(service, garbled.request, signingOf(garbled), garbled.algorithm);
        assertRefusal(await sendWire(endpoint, request), jdErrorShape, request);
      }),
      { numRuns: 200 },
    );
    await stillServes(t);
  });
}

test.serial('vm: imageTasks with odd taskIds.N indexes and page values is answered, never with a 5xx', async (t) => {
  const endpoint = kit.emulator.endpoints.jdcloud.vm;
  const call = fc.record({
    ids: fc.array(fc.tuple(arrayKey('taskIds'), wireText), { minLength: 1, maxLength: 6 }),
    extra: fc.subarray(['taskAction=ExportImage', 'taskAction=ImportImage', 'taskStatus=finished', 'pageNumber=1', 'pageSize=100']),
    algorithm: fc.constantFrom<JdcloudSignatureAlgorithm>('JDCLOUD2-HMAC-SHA256', 'JDCLOUD3-HMAC-SHA256'),
  });
  await holdsAsync(
    t,
    fc.asyncProperty(call, async ({ ids, extra, algorithm }) => {
      const request = signJd('vm', { method: 'GET', path: '/v1/regions/cn-east-2/imageTasks', query: [...extra, ...ids.map(([key, value]) => `${key}=${value}`)], headers: { 'content-type': 'application/json' }, body: Buffer.alloc(0) }, 'admin', algorithm);
      const response = await sendWire(endpoint, request);
      assertAnswered(response, jdErrorShape, request);
      if (response.status === 200) {
        const body = JSON.parse(response.text) as { requestId?: string; result?: { taskSet?: unknown[]; totalCount?: number } };
        if (body.requestId !== response.headers['x-jdcloud-request-id'] || !Array.isArray(body.result?.taskSet)) throw new Error(`success not in JD's shape for ${targetOf(request)}: ${response.text.slice(0, 200)}`);
      }
    }),
    { numRuns: 150 },
  );
  await stillServes(t);
});

test.serial('oss: every garbled request is refused in the <Error> shape with RequestId and HostId, never a 5xx', async (t) => {
  const endpoint = kit.emulator.endpoints.jdcloud.oss;
  const keys = { admin: kit.emulator.credentials.jdcloud, restricted: kit.emulator.restrictedCredentials.jdcloud };
  await holdsAsync(
    t,
    s3RefusalProperty(endpoint, EXISTING_BUCKET, keys, 'cn-east-2'),
    { numRuns: 200 },
  );
  await stillServes(t);
});
