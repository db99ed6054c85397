import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { dirname, join, relative, sep } from 'node:path';
import { writeLayoutSync, type DiskImageLayout } from '../../disk/disk-image-layout';
import { type AccessKeyPair, type BucketSnapshotJson, type RegionSet } from '../../types';
import { type FaultInjector } from '../fault-injector';
import { DELEGATED, startHttpService, type PlumbingProblem, type RunningService, type ServiceRequest, type ServiceResponse } from '../http-service';
import { verifySigV4, type SigV4Result } from '../sigv4-verifier';
import { parseXml } from '../xml';
import { decodeAwsChunked, failedChecksum } from './aws-chunked';
import { bucketConfigKind, defaultEncryptionAlgorithm, handleBucketConfig } from './bucket-configs';
import { s3Empty, s3Error, s3Xml } from './s3-responses';
import { unstorableNameResponse } from './storable-names';
import { createS3rver, registerS3rverKey, S3RVER_OBJECT_SUFFIX, type S3rverApp } from './s3rver-binding';

/** Persisted metadata of the store's buckets (a state section). */
export interface ObjectStoreState {
  /** Per bucket: region, creation time, stored configurations. */
  buckets: Record<string, { region: string; createdAt: number; configs: Record<string, string> }>;
}

/** Options of {@link S3ObjectStore.start}. */
export interface S3ObjectStoreOptions {
  /** Cloud id (fault filter, inspection). */
  readonly cloud: string;
  /** Service name for fault filters. @default 's3' */
  readonly service?: string;
  /** Address to bind. */
  readonly host: string;
  /** Folder for s3rver's files. */
  readonly directory: string;
  /** Persisted bucket metadata (mutated in place). */
  readonly state: ObjectStoreState;
  /** Called after the metadata changed. */
  readonly markDirty: () => void;
  /** The key pair requests must be signed with. */
  readonly credentials: AccessKeyPair;
  /** A second key pair that may only read (GET, HEAD); anything else it signs is 403 `AccessDenied`. @default - none */
  readonly readOnlyCredentials?: AccessKeyPair;
  /** Account id / display name (s3rver's registry). */
  readonly account: string;
  /** Regions buckets may live in; `default` is where a bucket without LocationConstraint goes. */
  readonly regions: RegionSet;
  /** Fault injection. @default - none */
  readonly faults?: FaultInjector;
  /** Called before each request (lets a cloud finish due task side effects, e.g. write an export, first). @default - nothing */
  readonly beforeRequest?: () => void;
  /** Largest upload accepted in one request, bytes. @default 268435456 (256 MiB) */
  readonly maxUploadBytes?: number;
  /**
   * Put a bucket created without LocationConstraint in the region the request was signed for, when it is one of
   * `regions` (OSS and JD OSS create buckets in their endpoint's region and take no LocationConstraint; one emulated
   * endpoint stands for every region, so the signing region says which).
   * @default false (S3: us-east-1, else `regions.default`)
   */
  readonly bucketRegionFromSigningRegion?: boolean;
}

/** Methods S3 has operations for; any other is `MethodNotAllowed`. */
const S3_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS']);

/** Bucket subresources S3 knows: a request naming one is that subresource's operation, else the bucket's own. */
const BUCKET_SUBRESOURCES: readonly string[] = [
  'accelerate', 'acl', 'analytics', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory', 'lifecycle', 'location', 'logging',
  'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'tagging', 'uploads', 'versioning', 'versions', 'website',
];

/** Bucket subresources neither the store nor s3rver implements. */
const UNIMPLEMENTED_SUBRESOURCES: readonly string[] = ['accelerate', 'intelligent-tiering', 'logging', 'versioning'];

/** Region S3 reports with an empty LocationConstraint. */
const US_EAST_1 = 'us-east-1';

/**
 * An S3-protocol object store (path-style) built on s3rver, with what s3rver lacks put in front of it: SigV4
 * verification (s3rver only checks that the key exists), `aws-chunked` uploads and checksums (newer SDKs stream
 * with trailers), bucket regions (CreateBucket LocationConstraint → GetBucketLocation / HeadBucket), and bucket
 * configurations (public access block, encryption, policy, ownership controls, lifecycle, tagging).
 *
 * Services of the same cloud read and write objects synchronously through the methods below (an export writes
 * its disk image here), so task side effects never race with requests.
 */
export class S3ObjectStore {
  /** Endpoint URL. */
  public readonly url: string;
  private readonly options: S3ObjectStoreOptions;
  private readonly app: S3rverApp;
  private readonly service: RunningService;

  private constructor(options: S3ObjectStoreOptions, app: S3rverApp, service: RunningService) {
    this.options = options;
    this.app = app;
    this.service = service;
    this.url = service.url;
  }

  /** Starts the store on a free port. */
  public static async start(options: S3ObjectStoreOptions): Promise<S3ObjectStore> {
    mkdirSync(options.directory, { recursive: true });
    registerS3rverKey(options.account, `${options.cloud}-emulator`, options.credentials.accessKeyId, options.credentials.secretAccessKey);
    const reader = options.readOnlyCredentials;
    if (reader) registerS3rverKey(options.account, `${options.cloud}-emulator-reader`, reader.accessKeyId, reader.secretAccessKey);
    const app = createS3rver(options.directory);
    const listener = app.callback();
    const holder: { store?: S3ObjectStore } = {};
    const service = await startHttpService(
      {
        cloud: options.cloud,
        service: options.service ?? 's3',
        maxBodyBytes: options.maxUploadBytes ?? 256 * 1024 * 1024,
        handle: (request, res) => (holder.store as S3ObjectStore).handle(request, res, listener),
        problemResponse: (problem, ids) => problemResponse(problem, ids.requestId),
      },
      { host: options.host, ...(options.faults ? { faults: options.faults } : {}) },
    );
    holder.store = new S3ObjectStore(options, app, service);
    return holder.store;
  }

  /** Stops listening. */
  public close(): Promise<void> {
    return this.service.close();
  }

  /** True when the bucket exists. */
  public bucketExists(bucket: string): boolean {
    if (!isSafeName(bucket)) return false;
    const path = join(this.app.store.rootDirectory, bucket);
    return existsSync(path) && statSync(path).isDirectory();
  }

  /** Region of an existing bucket (undefined when the bucket does not exist). */
  public bucketRegion(bucket: string): string | undefined {
    if (!this.bucketExists(bucket)) return undefined;
    return this.options.state.buckets[bucket]?.region ?? this.options.regions.default;
  }

  /** Default encryption algorithm of an existing bucket (`AES256`, `aws:kms`, `aws:kms:dsse`). */
  public bucketEncryption(bucket: string): string {
    return defaultEncryptionAlgorithm(this.options.state.buckets[bucket]?.configs ?? {});
  }

  /** Writes an object from a sparse disk image layout (replaces any existing object). */
  public putObjectSync(bucket: string, key: string, layout: DiskImageLayout, contentType = 'application/octet-stream'): void {
    const objectPath = this.app.store.getResourcePath(bucket, key, 'object');
    mkdirSync(dirname(objectPath), { recursive: true });
    rmSync(this.app.store.getResourcePath(bucket, key, 'object.md5'), { force: true });
    writeLayoutSync(layout, objectPath);
    writeFileSync(this.app.store.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify({ 'content-type': contentType }, null, 2));
  }

  /** Deletes an object (a missing one is fine). */
  public deleteObjectSync(bucket: string, key: string): void {
    for (const resource of ['object', 'object.md5', 'metadata.json']) rmSync(this.app.store.getResourcePath(bucket, key, resource), { force: true });
  }

  /** Size of an object, or undefined when it does not exist. */
  public objectSize(bucket: string, key: string): number | undefined {
    if (!this.bucketExists(bucket)) return undefined;
    const path = this.app.store.getResourcePath(bucket, key, 'object');
    return existsSync(path) ? statSync(path).size : undefined;
  }

  /** Up to `length` bytes of an object from `start` (fewer at the end of the object). */
  public readObjectRange(bucket: string, key: string, start: number, length: number): Buffer {
    const fd = openSync(this.app.store.getResourcePath(bucket, key, 'object'), 'r');
    try {
      const buffer = Buffer.alloc(Math.max(0, length));
      const read = readSync(fd, buffer, 0, buffer.length, start);
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  /** Every bucket with its objects, for inspection. */
  public inspect(): BucketSnapshotJson[] {
    const root = this.app.store.rootDirectory;
    if (!existsSync(root)) return [];
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((name) => ({
        cloud: this.options.cloud,
        name,
        region: this.bucketRegion(name) ?? this.options.regions.default,
        configs: Object.keys(this.options.state.buckets[name]?.configs ?? {}).sort(),
        objects: listObjects(join(root, name)),
      }));
  }

  private async handle(request: ServiceRequest, res: ServerResponse, listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<ServiceResponse | typeof DELEGATED> {
    this.options.beforeRequest?.();
    const id = request.requestId;
    const auth = verifySigV4(request, {
      service: 's3',
      s3: true,
      secretFor: (key) => this.secretFor(key),
    });
    if (!auth.ok) return authFailure(auth, id);
    if (auth.accessKeyId === this.options.readOnlyCredentials?.accessKeyId && request.method !== 'GET' && request.method !== 'HEAD') {
      return s3Error(403, 'AccessDenied', 'Access Denied', id);
    }

    let body = request.body;
    const headers: IncomingHttpHeaders = { ...request.headers };
    const contentSha = String(request.headers['x-amz-content-sha256'] ?? '');
    if (contentSha.startsWith('STREAMING-')) {
      let decoded;
      try {
        decoded = decodeAwsChunked(
          body,
          contentSha.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')
            ? { signingKey: auth.signingKey, amzDate: auth.amzDate, scope: auth.scope, seedSignature: auth.signature }
            : undefined,
        );
      } catch (error) {
        return s3Error(400, 'IncompleteBody', `The request body could not be decoded: ${(error as Error).message}`, id);
      }
      const declared = request.headers['x-amz-decoded-content-length'];
      if (declared !== undefined && Number(declared) !== decoded.data.length) {
        return s3Error(400, 'IncompleteBody', `x-amz-decoded-content-length is ${String(declared)} but the body holds ${decoded.data.length} bytes`, id);
      }
      body = decoded.data;
      const checksum = failedChecksum(body, { ...headerStrings(request.headers), ...decoded.trailers });
      if (checksum) return s3Error(400, 'BadDigest', `The ${checksum} you specified did not match the calculated checksum.`, id);
      const encodings = String(headers['content-encoding'] ?? '')
        .split(',')
        .map((value) => value.trim())
        .filter((value) => value !== '' && value !== 'aws-chunked');
      if (encodings.length > 0) headers['content-encoding'] = encodings.join(',');
      else delete headers['content-encoding'];
      delete headers['transfer-encoding'];
      delete headers['x-amz-decoded-content-length'];
      delete headers['x-amz-trailer'];
      headers['content-length'] = String(body.length);
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    } else {
      const checksum = failedChecksum(body, headerStrings(request.headers));
      if (checksum) return s3Error(400, 'BadDigest', `The ${checksum} you specified did not match the calculated checksum.`, id);
    }

    const { bucket, key } = splitPath(request.rawPath);
    if (!S3_METHODS.has(request.method)) {
      // S3 has no operation for this method (s3rver's router would answer a plain-text 404).
      return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', id, {
        Method: request.method,
        ResourceType: key !== undefined ? 'OBJECT' : bucket !== undefined ? 'BUCKET' : 'SERVICE',
      });
    }
    const unstorable = bucket === undefined ? undefined : unstorableNameResponse(request.method, bucket, key, id, (name) => this.bucketExists(name));
    if (unstorable) return unstorable;
    res.setHeader('x-amz-request-id', id);
    res.setHeader('x-amz-id-2', Buffer.from(id).toString('base64'));
    if (bucket !== undefined && key === undefined) {
      const own = this.handleBucketRequest(request, bucket, auth.region, body, res);
      if (own) return own;
    }
    listener(replayRequest(request.incoming, headers, body), res);
    return DELEGATED;
  }

  private secretFor(accessKeyId: string): string | undefined {
    if (accessKeyId === this.options.credentials.accessKeyId) return this.options.credentials.secretAccessKey;
    if (accessKeyId === this.options.readOnlyCredentials?.accessKeyId) return this.options.readOnlyCredentials.secretAccessKey;
    return undefined;
  }

  /** Bucket-level operations the store answers itself; undefined means "let s3rver answer". */
  private handleBucketRequest(request: ServiceRequest, bucket: string, signingRegion: string, body: Buffer, res: ServerResponse): ServiceResponse | undefined {
    const id = request.requestId;
    const { method, query } = request;
    const state = this.options.state;
    const subresources = BUCKET_SUBRESOURCES.filter((name) => query.has(name));
    // Parameters that name no subresource do not change the operation: `PUT /b?junk=1` is still CreateBucket.
    if (method === 'PUT' && subresources.length === 0) {
      return this.createBucket(bucket, signingRegion, body, id, res);
    }
    if (subresources.some((name) => UNIMPLEMENTED_SUBRESOURCES.includes(name))) {
      // s3rver does not route these: `PUT /b?versioning` would create the bucket, `GET /b?versioning` list it.
      if (!this.bucketExists(bucket)) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', id, { BucketName: bucket });
      return s3Error(501, 'NotImplemented', 'A parameter you provided implies functionality that is not implemented', id);
    }
    if (method === 'DELETE' && subresources.length === 0) {
      res.once('finish', () => {
        if (res.statusCode === 204 && !this.bucketExists(bucket)) {
          delete state.buckets[bucket];
          this.options.markDirty();
        }
      });
      return undefined;
    }
    if (method === 'HEAD' && this.bucketExists(bucket)) {
      res.setHeader('x-amz-bucket-region', this.bucketRegion(bucket) ?? this.options.regions.default);
      return undefined;
    }
    const configKind = bucketConfigKind(query);
    const wantsLocation = method === 'GET' && query.has('location');
    if (!configKind && !wantsLocation) return undefined;
    if (!this.bucketExists(bucket)) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', id, { BucketName: bucket });
    if (wantsLocation) {
      const region = this.bucketRegion(bucket);
      return s3Xml(id, 'LocationConstraint', region === US_EAST_1 ? {} : { '#text': region });
    }
    const meta = (state.buckets[bucket] ??= { region: this.options.regions.default, createdAt: Date.now(), configs: {} });
    const answer = handleBucketConfig(method, configKind as NonNullable<typeof configKind>, body, meta.configs, id);
    if (method !== 'GET') this.options.markDirty();
    return answer;
  }

  private createBucket(bucket: string, signingRegion: string, body: Buffer, id: string, res: ServerResponse): ServiceResponse | undefined {
    let location: string | undefined;
    if (body.length > 0) {
      const parsed = parseXml(body.toString('utf8')) as { CreateBucketConfiguration?: { LocationConstraint?: unknown } } | undefined;
      if (!parsed || !('CreateBucketConfiguration' in parsed)) {
        return s3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', id);
      }
      const constraint = parsed.CreateBucketConfiguration?.LocationConstraint;
      location = typeof constraint === 'string' && constraint !== '' ? constraint : undefined;
    }
    const regions = this.options.regions;
    if (location !== undefined && (location === US_EAST_1 || !regions.all.includes(location))) {
      return s3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', id, { LocationConstraint: location });
    }
    if (location === undefined && signingRegion !== US_EAST_1 && regions.all.includes(US_EAST_1)) {
      return s3Error(400, 'IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.', id);
    }
    if (location !== undefined && signingRegion !== US_EAST_1 && signingRegion !== location) {
      return s3Error(400, 'IllegalLocationConstraintException', `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`, id);
    }
    const signedFor = this.options.bucketRegionFromSigningRegion && regions.all.includes(signingRegion) ? signingRegion : undefined;
    const region = location ?? signedFor ?? (regions.all.includes(US_EAST_1) ? US_EAST_1 : regions.default);
    if (this.bucketExists(bucket)) {
      if (region === US_EAST_1 && this.bucketRegion(bucket) === US_EAST_1) return s3Empty(id);
      return s3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', id, { BucketName: bucket });
    }
    res.once('finish', () => {
      if (res.statusCode === 200 && this.bucketExists(bucket)) {
        this.options.state.buckets[bucket] = { region, createdAt: Date.now(), configs: {} };
        this.options.markDirty();
      }
    });
    return undefined;
  }
}

/** Rebuilds the request for s3rver with the decoded body (s3rver reads the message as a stream). */
function replayRequest(original: IncomingMessage, headers: IncomingHttpHeaders, body: Buffer): IncomingMessage {
  const replay = new IncomingMessage(original.socket);
  replay.method = original.method;
  replay.url = original.url;
  replay.httpVersion = original.httpVersion;
  replay.httpVersionMajor = original.httpVersionMajor;
  replay.httpVersionMinor = original.httpVersionMinor;
  replay.headers = headers;
  replay.rawHeaders = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.flatMap((v) => [name, v]) : [name, String(value)]));
  replay.complete = true;
  replay.push(body);
  replay.push(null);
  return replay;
}

function splitPath(rawPath: string): { bucket?: string; key?: string } {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path === '') return {};
  const slash = path.indexOf('/');
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  if (slash < 0) return { bucket: decode(path) };
  const key = path.slice(slash + 1);
  return { bucket: decode(path.slice(0, slash)), ...(key === '' ? {} : { key: decode(key) }) };
}

function authFailure(auth: Extract<SigV4Result, { ok: false }>, id: string): ServiceResponse {
  switch (auth.reason) {
    case 'missing':
      return s3Error(403, 'AccessDenied', 'Access Denied', id);
    case 'unknown-key':
      return s3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', id, { AWSAccessKeyId: auth.accessKeyId ?? '' });
    case 'expired':
    case 'not-yet-valid':
      return auth.detail === 'Request has expired.'
        ? s3Error(403, 'AccessDenied', 'Request has expired', id)
        : s3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', id);
    case 'payload-mismatch':
      return s3Error(400, auth.detail.startsWith('Missing') ? 'InvalidRequest' : 'XAmzContentSHA256Mismatch', auth.detail, id);
    case 'malformed':
    case 'wrong-service':
      return s3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${auth.detail}`, id);
    case 'mismatch':
      // S3 echoes the key id and what it signed (the canonical request with every signed header, a session token
      // included), so a client can compare; a client must not pass these fields on.
      return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', id, {
        AWSAccessKeyId: auth.accessKeyId ?? '',
        ...(auth.computed
          ? {
              StringToSign: auth.computed.stringToSign,
              SignatureProvided: auth.computed.signatureProvided,
              StringToSignBytes: spacedHex(auth.computed.stringToSign),
              CanonicalRequest: auth.computed.canonicalRequest,
              CanonicalRequestBytes: spacedHex(auth.computed.canonicalRequest),
            }
          : {}),
      });
  }
}

/** S3's `…Bytes` rendering of a text: its UTF-8 bytes as lower-case hex pairs separated by spaces. */
function spacedHex(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function problemResponse(problem: PlumbingProblem, requestId: string): ServiceResponse {
  switch (problem) {
    case 'throttle':
      return s3Error(503, 'SlowDown', 'Please reduce your request rate.', requestId);
    case 'malformed':
      return s3Error(400, 'InvalidRequest', 'The request could not be parsed as HTTP.', requestId);
    case 'too-large':
      return s3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', requestId);
    case '5xx':
    case 'internal':
      return s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.', requestId);
  }
}

function headerStrings(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value[0] : value;
  return out;
}

function listObjects(bucketDir: string): Array<{ key: string; sizeBytes: number }> {
  const out: Array<{ key: string; sizeBytes: number }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(S3RVER_OBJECT_SUFFIX)) {
        out.push({ key: relative(bucketDir, path).split(sep).join('/').slice(0, -S3RVER_OBJECT_SUFFIX.length), sizeBytes: statSync(path).size });
      }
    }
  };
  walk(bucketDir);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function isSafeName(bucket: string): boolean {
  return bucket !== '' && bucket !== '.' && bucket !== '..' && !bucket.includes('/') && !bucket.includes('\\');
}

