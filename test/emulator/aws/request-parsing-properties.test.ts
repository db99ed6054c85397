import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, GetPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  anyMethod,
  arrayKey,
  assertAnswered,
  assertRefusal,
  ec2ErrorShape,
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
  queryErrorShape,
  s3RefusalProperty,
  sendWire,
  signSigV4,
  staleDate,
  watchProcess,
  wireText,
  type ErrorShape,
  type Signing,
  type WireRequest,
  type WireResponse,
} from '../garbled-requests';
import { GOLDEN_AMI, startAwsKit, VMIE_TRUST_POLICY, type AwsKit } from './aws-test-kit';

// Issue 7: every AWS endpoint of the emulator (EC2, IAM, STS Query APIs and S3) answers a garbled request with
// the service's error shape and never crashes. Each generated request carries a defect that real AWS refuses
// (and noise on top that cannot repair it); requests that may be valid (odd array indexes) must be answered
// without a 5xx. One emulator for the file; the process is watched for unhandled rejections.

let kit: AwsKit;
const watch = watchProcess();
const EXISTING_BUCKET = 'garbled-requests-target';
/** The role the IAM list property tags and untags. */
const EXISTING_ROLE = 'garbled-role';

test.before(async () => {
  kit = await startAwsKit();
  await kit.s3.send(new CreateBucketCommand({ Bucket: EXISTING_BUCKET }));
  await kit.iam.send(new CreateRoleCommand({ RoleName: EXISTING_ROLE, AssumeRolePolicyDocument: JSON.stringify(VMIE_TRUST_POLICY) }));
});
test.after.always(async () => {
  watch.stop();
  await kit?.stop();
});

/** Valid SDK calls on every AWS service still succeed (run after each property) and nothing went unhandled. */
async function stillServes(t: ExecutionContext): Promise<void> {
  const images = await kit.ec2.send(new DescribeImagesCommand({ ImageIds: [GOLDEN_AMI['us-east-1']] }));
  t.is(images.Images?.[0]?.ImageId, GOLDEN_AMI['us-east-1']);
  const policy = await kit.iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
  t.is(policy.Policy?.PolicyName, 'AmazonS3ReadOnlyAccess');
  t.is((await kit.sts.send(new GetCallerIdentityCommand({}))).Account, kit.emulator.accounts.aws);
  await t.notThrowsAsync(kit.s3.send(new HeadBucketCommand({ Bucket: EXISTING_BUCKET })));
  const buckets = await kit.s3.send(new ListBucketsCommand({}));
  t.true(buckets.Buckets?.some((bucket) => bucket.Name === EXISTING_BUCKET));
  t.deepEqual(watch.problems, []);
}

/** Why a garbled Query-protocol request must be refused. */
type QueryDefect =
  | 'unsigned'
  | 'wrong-secret'
  | 'stale'
  | 'bad-method' // neither GET nor POST
  | 'no-action' // Action absent or empty
  | 'unknown-action' // an action the service does not have (random text, another case)
  | 'bad-version' // Version absent, empty or another
  | 'unknown-parameter' // EC2: a parameter the action does not model
  | 'bad-name'; // IAM: the role or policy name / ARN an action needs is absent or invalid

/** What differs between the three Query services. */
interface QueryService {
  readonly service: 'ec2' | 'iam' | 'sts';
  readonly version: string;
  readonly actions: readonly string[];
  /** Parameter names the service models (noise never uses them). */
  readonly reserved: readonly string[];
  /** List parameters with odd indexes, as noise. */
  readonly arrays: readonly fc.Arbitrary<string>[];
  readonly defects: readonly QueryDefect[];
  readonly shape: ErrorShape;
}

const SIGNATURE_DEFECTS: readonly QueryDefect[] = ['unsigned', 'wrong-secret', 'stale', 'bad-method', 'no-action', 'unknown-action', 'bad-version'];

const EC2: QueryService = {
  service: 'ec2',
  version: '2016-11-15',
  actions: ['ExportImage', 'DescribeExportImageTasks', 'CancelExportTask', 'ImportImage', 'DescribeImportImageTasks', 'CancelImportTask', 'DescribeImages', 'DescribeSnapshots', 'DeregisterImage', 'DeleteSnapshot', 'CreateTags', 'DeleteTags'],
  reserved: [
    'Action', 'Version', 'CancelReason', 'ClientToken', 'DeleteAssociatedSnapshots', 'Description', 'DiskImageFormat', 'DryRun', 'ExecutableBy', 'ExportImageTaskId', 'ExportTaskId',
    'Filter', 'Filters', 'ImageId', 'ImportTaskId', 'IncludeDeprecated', 'IncludeDisabled', 'MaxResults', 'NextToken', 'Owner', 'ResourceId', 'RestorableBy', 'RoleName',
    'S3ExportLocation', 'SnapshotId', 'Tag', 'TagSpecification', 'DiskContainer', 'Architecture', 'Platform', 'LicenseType', 'Hypervisor', 'Encrypted', 'KmsKeyId', 'BootMode',
    'LicenseSpecifications', 'ClientData', 'UsageOperation',
  ],
  arrays: [
    arrayKey('Filter', ['Name', 'Value.N']),
    arrayKey('Filters', ['Name', 'Value.N']),
    arrayKey('ImageId'),
    arrayKey('Owner'),
    arrayKey('ExportImageTaskId'),
    arrayKey('ResourceId'),
    arrayKey('Tag', ['Key', 'Value']),
    arrayKey('TagSpecification', ['ResourceType', 'Tag.N']),
    arrayKey('DiskContainer', ['Format', 'Url', 'UserBucket']),
    arrayKey('SnapshotId'),
  ],
  defects: [...SIGNATURE_DEFECTS, 'unknown-parameter'],
  shape: ec2ErrorShape,
};

const IAM: QueryService = {
  service: 'iam',
  version: '2010-05-08',
  actions: ['CreateRole', 'GetRole', 'ListRoles', 'DeleteRole', 'UpdateAssumeRolePolicy', 'UpdateRole', 'TagRole', 'UntagRole', 'ListRoleTags', 'PutRolePolicy', 'GetRolePolicy', 'DeleteRolePolicy', 'ListRolePolicies', 'ListAttachedRolePolicies', 'AttachRolePolicy', 'DetachRolePolicy', 'CreatePolicy', 'GetPolicy', 'GetPolicyVersion', 'DeletePolicy'],
  reserved: ['Action', 'Version', 'RoleName', 'PolicyName', 'PolicyArn', 'AssumeRolePolicyDocument', 'PolicyDocument', 'Path', 'PathPrefix', 'Description', 'MaxSessionDuration', 'PermissionsBoundary', 'Tags', 'TagKeys', 'MaxItems', 'Marker', 'VersionId'],
  arrays: [arrayKey('Tags.member', ['Key', 'Value']), arrayKey('TagKeys.member')],
  defects: [...SIGNATURE_DEFECTS, 'bad-name'],
  shape: queryErrorShape,
};

const STS: QueryService = {
  service: 'sts',
  version: '2011-06-15',
  actions: ['GetCallerIdentity'],
  reserved: ['Action', 'Version'],
  arrays: [arrayKey('PolicyArns.member', ['arn'])],
  defects: SIGNATURE_DEFECTS,
  shape: queryErrorShape,
};

/** IAM actions by the name they need (every one but ListRoles needs one). */
const IAM_NAMES: Readonly<Record<string, string>> = {
  CreatePolicy: 'PolicyName',
  GetPolicy: 'PolicyArn',
  GetPolicyVersion: 'PolicyArn',
  DeletePolicy: 'PolicyArn',
};

const FORM = /^application\/x-www-form-urlencoded/i;

/**
 * One garbled Query-protocol request: the defect's parameters (Action, Version, …) travel in the query or, for a
 * POST with a form content type, in the body; noise (junk keys, odd list indexes, duplicates, broken escapes,
 * bad content types, headers, bodies up to 1 MB) is added around them.
 */
function garbledQueryCase(spec: QueryService): fc.Arbitrary<GarbledCase<QueryDefect>> {
  const action = fc.constantFrom(...spec.actions);
  const known = new Set(spec.actions);
  const unknownAction = fc
    .oneof(nastyText, action.map((name) => name.toLowerCase()), action.map((name) => `${name} `), fc.constantFrom('Describe*', 'InvalidAction', 'GetCallerIdentityX'))
    .filter((name) => name !== '' && !known.has(name));
  const badVersion = fc.oneof(fc.constant(undefined), fc.constant(''), fc.constantFrom('2016-11-16', '2010-05-09', '2011-06-15 ', 'latest'), nastyText).filter((version) => version !== spec.version);
  const param = (name: string, value: string) => `${name}=${percentEncode(value)}`;

  const defectParams = (defect: QueryDefect): fc.Arbitrary<string[]> => {
    switch (defect) {
      case 'no-action':
        return fc.constantFrom([], ['Action='], ['Action'], [`Version=${spec.version}`], ['action=DescribeImages']);
      case 'unknown-action':
        return fc.tuple(unknownAction, fc.boolean()).map(([name, withVersion]) => [param('Action', name), ...(withVersion ? [param('Version', spec.version)] : [])]);
      case 'bad-version':
        return fc.tuple(action, badVersion).map(([name, version]) => [param('Action', name), ...(version === undefined ? [] : [param('Version', version)])]);
      case 'unknown-parameter':
        return fc
          .tuple(action, junkKey([]).filter((key) => !spec.reserved.includes(decodeURIComponentSafe(key).split('.')[0])), wireText)
          .map(([name, key, value]) => [param('Action', name), param('Version', spec.version), `${key}=${value}`]);
      case 'bad-name':
        return fc
          .tuple(
            fc.constantFrom(...spec.actions.filter((name) => name !== 'ListRoles')),
            fc.option(nastyText.filter((value) => !/^[\w+=,.@-]{1,64}$/.test(value) && !value.startsWith('arn:')), { nil: undefined }),
          )
          .map(([name, value]) => [param('Action', name), param('Version', spec.version), ...(value === undefined ? [] : [param(IAM_NAMES[name] ?? 'RoleName', value)])]);
      default:
        // Signature and method defects: a request that would otherwise be valid, or garbled anyway.
        return fc.oneof(
          action.map((name) => [param('Action', name), param('Version', spec.version)]),
          fc.tuple(action, badVersion).map(([name, version]) => [param('Action', name), ...(version === undefined ? [] : [param('Version', version)])]),
        );
    }
  };

  const noiseKeys = fc.oneof({ weight: 2, arbitrary: junkKey(spec.reserved) }, { weight: 1, arbitrary: fc.oneof(...spec.arrays) });
  return fc.constantFrom(...spec.defects).chain((defect) =>
    fc
      .record({
        params: defectParams(defect),
        signing: defect === 'unsigned' || defect === 'wrong-secret' || defect === 'stale' ? fc.constant<Signing>(defect) : fc.constantFrom<Signing>('admin', 'restricted'),
        method: defect === 'bad-method' ? anyMethod.filter((method) => method !== 'GET' && method !== 'POST') : fc.constantFrom('POST', 'GET', 'POST'),
        path: fc.oneof({ weight: 4, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: garbledPath }),
        inBody: fc.boolean(),
        contentType: garbledContentType,
        noiseQuery: garbledQuery(noiseKeys),
        noiseForm: garbledQuery(noiseKeys),
        headers: extraHeaders(['accept', 'x-amz-target', 'x-amz-user-agent', 'amz-sdk-request', 'x-amzn-trace-id', 'x-amz-security-token', 'cache-control']),
        body: garbledBody,
      })
      .map(({ params, signing, method, path, inBody, contentType, noiseQuery, noiseForm, headers, body }) => {
        const formCarrier = inBody && method === 'POST' && contentType !== undefined && FORM.test(contentType);
        const request: WireRequest = {
          method,
          path,
          query: formCarrier ? noiseQuery : [...params, ...noiseQuery],
          headers: { ...headers, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
          body: formCarrier ? Buffer.from([...params, ...noiseForm].join('&')) : body,
        };
        return new GarbledCase(defect, request, signing);
      }),
  );
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Signs a Query-protocol case as it asks (SigV4 for the service, us-east-1). */
async function signQueryCase(service: string, garbled: GarbledCase): Promise<WireRequest> {
  const endpoint = endpointOf(service);
  const admin = kit.emulator.credentials.aws;
  const region = 'us-east-1';
  switch (garbled.signing) {
    case 'unsigned':
      return garbled.request;
    case 'wrong-secret':
      return signSigV4(endpoint, garbled.request, { service, region, accessKeyId: admin.accessKeyId, secretAccessKey: `${admin.secretAccessKey}x` });
    case 'stale':
      return signSigV4(endpoint, garbled.request, { service, region, ...admin, signingDate: staleDate() });
    case 'admin':
      return signSigV4(endpoint, garbled.request, { service, region, ...admin });
    case 'restricted':
      return signSigV4(endpoint, garbled.request, { service, region, ...kit.emulator.restrictedCredentials.aws });
  }
}

function endpointOf(service: string): string {
  return (kit.emulator.endpoints.aws as unknown as Record<string, string>)[service];
}

/** Every garbled request to a Query service is refused in the service's error shape. */
function refusesGarbledQueryRequests(spec: QueryService): fc.IAsyncProperty<[GarbledCase<QueryDefect>]> {
  return fc.asyncProperty(garbledQueryCase(spec), async (garbled) => {
    const request = await signQueryCase(spec.service, garbled);
    assertRefusal(await sendWire(endpointOf(spec.service), request), spec.shape, request);
  });
}

for (const spec of [EC2, IAM, STS]) {
  test.serial(`${spec.service}: every garbled Query request is refused in the ${spec.service === 'ec2' ? '<Response><Errors>' : '<ErrorResponse>'} shape, never a 5xx`, async (t) => {
    await holdsAsync(t, refusesGarbledQueryRequests(spec), { numRuns: 150 });
    await stillServes(t);
  });
}

/** A success is `<{Action}Response>` XML (the requests below may be valid). */
function successOf(action: string, response: WireResponse): string[] {
  if (response.status >= 300) return [];
  return response.text.includes(`<${action}Response`) ? [] : [`success without <${action}Response>: ${response.text.slice(0, 200)}`];
}

test.serial('ec2: odd list indexes (huge, negative, non-numeric) reach the parsers and are answered, never with a 5xx', async (t) => {
  const listCall = fc.record({
    action: fc.constantFrom('DescribeImages', 'DescribeSnapshots', 'DescribeExportImageTasks', 'DescribeImportImageTasks', 'CreateTags', 'DeleteTags', 'ExportImage', 'ImportImage', 'DeregisterImage'),
    lists: fc.array(fc.tuple(fc.oneof(...EC2.arrays), wireText), { minLength: 1, maxLength: 6 }),
    dryRun: fc.boolean(),
  });
  await holdsAsync(
    t,
    fc.asyncProperty(listCall, async ({ action, lists, dryRun }) => {
      const request = await signSigV4(
        endpointOf('ec2'),
        {
          method: 'POST',
          path: '/',
          query: [],
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: Buffer.from([`Action=${action}`, 'Version=2016-11-15', ...(dryRun ? ['DryRun=true'] : []), ...lists.map(([key, value]) => `${key}=${value}`)].join('&')),
        },
        { service: 'ec2', region: 'us-east-1', ...kit.emulator.credentials.aws },
      );
      const response = await sendWire(endpointOf('ec2'), request);
      assertAnswered(response, ec2ErrorShape, request);
      const problems = successOf(action, response);
      if (problems.length > 0) throw new Error(problems.join('; '));
    }),
    { numRuns: 150 },
  );
  await stillServes(t);
});

test.serial('iam: odd Tags.member.N / TagKeys.member.N indexes are answered, never with a 5xx', async (t) => {
  const listCall = fc.record({
    action: fc.constantFrom('CreateRole', 'TagRole', 'UntagRole', 'CreatePolicy', 'ListRoles'),
    lists: fc.array(fc.tuple(fc.oneof(...IAM.arrays), wireText), { minLength: 1, maxLength: 6 }),
  });
  await holdsAsync(
    t,
    fc.asyncProperty(listCall, async ({ action, lists }) => {
      const request = await signSigV4(
        endpointOf('iam'),
        {
          method: 'POST',
          path: '/',
          query: [],
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: Buffer.from([`Action=${action}`, 'Version=2010-05-08', `RoleName=${EXISTING_ROLE}`, ...lists.map(([key, value]) => `${key}=${value}`)].join('&')),
        },
        { service: 'iam', region: 'us-east-1', ...kit.emulator.credentials.aws },
      );
      const response = await sendWire(endpointOf('iam'), request);
      assertAnswered(response, queryErrorShape, request);
      const problems = successOf(action, response);
      if (problems.length > 0) throw new Error(problems.join('; '));
    }),
    { numRuns: 100 },
  );
  await stillServes(t);
});

test.serial('s3: every garbled request is refused in the <Error> shape with RequestId and HostId, never a 5xx', async (t) => {
  const endpoint = kit.emulator.endpoints.aws.s3;
  const keys = { admin: kit.emulator.credentials.aws, restricted: kit.emulator.restrictedCredentials.aws };
  await holdsAsync(
    t,
    s3RefusalProperty(endpoint, EXISTING_BUCKET, keys, 'us-east-1'),
    { numRuns: 200 },
  );
  await stillServes(t);
});

// Counterexamples the properties found, pinned (each was a bug in the emulator, fixed at its root).

/** Sends a signed request to an AWS endpoint of the emulator. */
async function sendSigned(service: string, request: WireRequest): Promise<WireResponse> {
  const signed = await signSigV4(endpointOf(service), request, { service, region: 'us-east-1', ...kit.emulator.credentials.aws });
  return sendWire(endpointOf(service), signed);
}

test.serial('pinned: a U+0000 echoed in an IAM error is replaced by U+FFFD, so the answer stays XML 1.0 (it was sent raw)', async (t) => {
  const response = await sendSigned('iam', { method: 'POST', path: '/', query: ['Action=CreateRole', 'Version=2010-05-08', 'RoleName=%00'], headers: {}, body: Buffer.alloc(0) });
  t.is(response.status, 400);
  t.deepEqual(queryErrorShape(response), []);
  t.true(response.text.includes("Value '\uFFFD' at 'roleName'"), response.text);
});
