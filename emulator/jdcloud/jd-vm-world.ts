import { evaluatePolicies, trustsService } from '../core/policy-evaluator';
import { type S3ObjectStore } from '../core/object-store/s3-object-store';
import { positionAt } from '../core/task-timeline';
import { type Clock, type ExportDurationQuery, type RegionSet } from '../types';
import { type JdCatalog, type JdCatalogDataDisk } from './jd-catalog';
import { type JdIam } from './jd-iam';
import { JD_ACCOUNT_ID, JD_DISK_SERVICE } from './jd-identity';
import { failedPrecondition, invalidArgument } from './jd-response';
import { type JdTokenRecord, type JdVmState } from './jd-vm-state';

/** An image as describeImage shows it, from the catalog or from an import. */
export interface JdImageView {
  readonly imageId: string;
  readonly region: string;
  readonly name: string;
  readonly desc: string;
  readonly status: string;
  readonly imageSource: string;
  readonly rootDeviceType: string;
  readonly osType: string;
  readonly platform: string;
  readonly osVersion: string;
  readonly architecture: string;
  readonly systemDiskSizeGB: number;
  readonly imported: boolean;
  readonly virtualSizeBytes: number;
  readonly dataDisks: readonly JdCatalogDataDisk[];
  readonly createdAt: number;
  /** Creation progress of an image still being imported (`"40"`). @default - none */
  readonly progress?: string;
  /** Where the image came from. */
  readonly source: 'catalog' | 'import';
}

/** What the vm world needs. */
export interface JdVmWorldOptions {
  readonly catalog: JdCatalog;
  readonly state: JdVmState;
  readonly iam: JdIam;
  readonly objects: S3ObjectStore;
  readonly clock: Clock;
  readonly markDirty: () => void;
  /** Length of a new export task (the emulator's `exportDurationMs` option). @default - the cloud's own rule */
  readonly exportDurationMs?: (task: ExportDurationQuery) => number;
}

const CATALOG_CREATED_AT = Date.UTC(2024, 5, 1, 12, 0, 0);

/**
 * The emulated JD vm world: images (catalog + imported), tasks, client tokens, and the checks the JD export guide
 * documents (role trusted by the cloud-disk service and allowed to write the bucket; bucket in the image's region).
 */
export class JdVmWorld {
  public readonly catalog: JdCatalog;
  public readonly state: JdVmState;
  public readonly iam: JdIam;
  public readonly objects: S3ObjectStore;
  public readonly clock: Clock;
  public readonly markDirty: () => void;
  /** Length of a new export task. */
  public readonly exportDurationMs: (task: ExportDurationQuery) => number;

  constructor(options: JdVmWorldOptions) {
    this.catalog = options.catalog;
    this.state = options.state;
    this.state.deletedImages ??= []; // a state saved before deleteImage existed
    this.iam = options.iam;
    this.objects = options.objects;
    this.clock = options.clock;
    this.markDirty = options.markDirty;
    this.exportDurationMs = options.exportDurationMs ?? ((task) => task.defaultMs);
  }

  /** The regions. */
  public get regions(): RegionSet {
    return this.catalog.regions;
  }

  /** Rejects a region the emulator does not know. */
  public assertRegion(region: string): void {
    if (!this.regions.all.includes(region)) {
      throw invalidArgument(`regionId ${region} is not a valid region (known: ${this.regions.all.join(', ')})`);
    }
  }

  /** A new numeric task id, as a string (current API versions return task ids as strings). */
  public nextTaskId(): string {
    const id = String(this.state.nextTaskNumber);
    this.state.nextTaskNumber += 1;
    return id;
  }

  /** The result a client token gave before, if any. */
  public token(region: string, action: string, token: string | undefined): JdTokenRecord | undefined {
    return token === undefined ? undefined : this.state.tokens[`${region}/${action}/${token}`];
  }

  /** Remembers what a client token gave. */
  public rememberToken(region: string, action: string, token: string | undefined, record: JdTokenRecord): void {
    if (token !== undefined) this.state.tokens[`${region}/${action}/${token}`] = record;
  }

  /** One image of a region, catalog or imported, with its status at the current emulated time. */
  public image(region: string, imageId: string): JdImageView | undefined {
    if (this.state.deletedImages.includes(imageId)) return undefined;
    const seeded = this.catalog.images.find((image) => image.imageId === imageId && image.region === region);
    if (seeded) return { ...seeded, createdAt: CATALOG_CREATED_AT, source: 'catalog' };
    const imported = this.state.images[imageId];
    if (!imported || imported.region !== region) return undefined;
    const task = this.state.importTasks[imported.taskId];
    const { status, progress } = task ? importedImageStatus(task.plan, task.imageReadyDelayMs, this.clock.now()) : { status: 'ready', progress: undefined };
    return {
      imageId,
      region,
      name: imported.name,
      desc: imported.desc,
      status,
      imageSource: 'private',
      rootDeviceType: 'cloudDisk',
      osType: imported.osType,
      platform: imported.platform,
      osVersion: imported.osVersion,
      architecture: imported.architecture,
      systemDiskSizeGB: imported.systemDiskSizeGB,
      imported: true,
      virtualSizeBytes: imported.virtualSizeBytes,
      dataDisks: [],
      createdAt: imported.createdAt,
      ...(progress !== undefined ? { progress } : {}),
      source: 'import',
    };
  }

  /** Every image of a region. */
  public images(region: string): JdImageView[] {
    const ids = [
      ...this.catalog.images.filter((image) => image.region === region).map((image) => image.imageId),
      ...Object.values(this.state.images).filter((image) => image.region === region).map((image) => image.imageId),
    ];
    return ids.map((id) => this.image(region, id)).filter((image): image is JdImageView => image !== undefined);
  }

  /**
   * The bucket an `ossUrl` names. Accepted: the bucket's internal domain
   * `https://<bucket>.s3-internal.<region>.jdcloud-oss.com` (what the JD guide requires), and the emulator's own
   * path-style bucket URL `<oss endpoint>/<bucket>` (what clients pointed at the emulator derive).
   */
  public bucketOfOssUrl(ossUrl: string, region: string): string {
    let url: URL;
    try {
      url = new URL(ossUrl);
    } catch {
      throw invalidArgument(`ossUrl "${ossUrl}" is not a URL; give the bucket's internal domain, e.g. https://<bucket>.s3-internal.${region}.jdcloud-oss.com`);
    }
    const internal = /^([a-z0-9-]+)\.s3-internal\.([a-z0-9-]+)\.jdcloud-oss\.com$/.exec(url.hostname);
    if (internal && url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '')) {
      if (internal[2] !== region) throw failedPrecondition(`ossUrl ${ossUrl} is in ${internal[2]}, but the image is in ${region}: export only into a bucket of the image's region`);
      return internal[1];
    }
    const own = new URL(this.objects.url);
    const segments = url.pathname.split('/').filter((s) => s.length > 0);
    if (url.host === own.host && segments.length === 1) return decodeURIComponent(segments[0]);
    if (/\.s3\.[a-z0-9-]+\.jdcloud-oss\.com$/.test(url.hostname)) {
      throw invalidArgument(`ossUrl ${ossUrl} is the bucket's public domain; exportImage needs its internal domain (https://<bucket>.s3-internal.${region}.jdcloud-oss.com)`);
    }
    throw invalidArgument(`ossUrl "${ossUrl}" is not the internal domain of a JD OSS bucket (https://<bucket>.s3-internal.${region}.jdcloud-oss.com)`);
  }

  /**
   * The bucket and key an `imageUrl` names: `https://<bucket>.s3[-internal].<region>.jdcloud-oss.com/<key>`,
   * `https://s3.<region>.jdcloud-oss.com/<bucket>/<key>`, or the emulator's path-style `<oss endpoint>/<bucket>/<key>`
   * (query strings such as presigning are ignored).
   */
  public objectOfImageUrl(imageUrl: string): { bucket: string; key: string; region?: string } {
    let url: URL;
    try {
      url = new URL(imageUrl);
    } catch {
      throw invalidArgument(`imageUrl "${imageUrl}" is not a URL`);
    }
    const path = url.pathname.replace(/^\/+/, '');
    const hosted = /^([a-z0-9-]+)\.s3(?:-internal)?\.([a-z0-9-]+)\.jdcloud-oss\.com$/.exec(url.hostname);
    if (hosted && path.length > 0) return { bucket: hosted[1], key: decodeURIComponent(path), region: hosted[2] };
    const slash = path.indexOf('/');
    const endpoint = /^s3(?:-internal)?\.([a-z0-9-]+)\.jdcloud-oss\.com$/.exec(url.hostname);
    if (endpoint && slash > 0 && slash < path.length - 1) {
      return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)), region: endpoint[1] };
    }
    const own = new URL(this.objects.url);
    if (url.host === own.host && slash > 0 && slash < path.length - 1) {
      return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
    }
    throw invalidArgument(`imageUrl "${imageUrl}" is not a link to an object in JD OSS`);
  }

  /**
   * The JD export guide's role rules: the role exists, is a service role trusted by the cloud-disk service, and an
   * attached policy allows `oss:PutObject` on the object the export writes.
   */
  public checkExportRole(roleName: string, region: string, bucket: string, key: string): void {
    const role = this.iam.role(roleName);
    if (!role) throw failedPrecondition(`the service role ${roleName} does not exist; create a service role trusted by the cloud-disk service (云硬盘)`);
    let trust: unknown;
    try {
      trust = JSON.parse(role.assumeRolePolicyDocument);
    } catch {
      trust = undefined;
    }
    if (role.type !== 3 || !trustsService(trust, JD_DISK_SERVICE, 'sts:AssumeRole')) {
      throw failedPrecondition(`the role ${roleName} is not a service role trusted by the cloud-disk service (云硬盘, service code "${JD_DISK_SERVICE}")`);
    }
    const resource = `jrn:oss:${region}:${JD_ACCOUNT_ID}:${bucket}/${key}`;
    if (evaluatePolicies(this.iam.attachedDocuments(roleName), { action: 'oss:PutObject', resource }) !== 'allow') {
      throw failedPrecondition(`the service role ${roleName} is not allowed to write to bucket ${bucket}: attach a policy allowing oss:PutObject on jrn:oss:*:${JD_ACCOUNT_ID}:${bucket}/*`);
    }
  }

  /** Checks that a bucket exists in `region`. */
  public checkBucket(bucket: string, region: string): void {
    const bucketRegion = this.objects.bucketRegion(bucket);
    if (bucketRegion === undefined) throw failedPrecondition(`the bucket ${bucket} does not exist in JD OSS`);
    if (bucketRegion !== region) throw failedPrecondition(`the bucket ${bucket} is in ${bucketRegion}, but the image is in ${region}: export only into a bucket of the image's region`);
  }
}

/** Status of an imported image: `pending` while its task runs (and a little after), `error` if it failed, then `ready`. */
export function importedImageStatus(plan: Parameters<typeof positionAt>[0], readyDelayMs: number, now: number): { status: string; progress?: string } {
  const position = positionAt(plan, now);
  if (position.outcome === 'failed' || position.outcome === 'cancelled') return { status: 'error' };
  if (position.outcome === 'running') return { status: 'pending', progress: String(position.progress) };
  const readyAt = (position.endsAt ?? now) + readyDelayMs;
  return now >= readyAt ? { status: 'ready' } : { status: 'pending', progress: '99' };
}
