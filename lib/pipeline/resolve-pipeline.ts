import { type CloudRules } from '../clouds/cloud-rules';
import { CLOUD_IDS, CLOUD_NAMES, isCloudId, type CloudId } from '../model/cloud';
import { normalizeDiskFormat } from '../model/disk-format';
import { type ExportSpec } from '../model/export-spec';
import { type DiskSource, type ImportSpec } from '../model/import-spec';
import { describeValue, type ValidationIssue } from '../model/validation-issue';
import { type DocumentLocator } from './document-locator';
import { parseDuration } from './duration';
import { type RemovalPolicy } from './pipeline-document';
import { type PipelineIssue } from './pipeline-issue';
import { compact, convertExportRequest, convertImportRequest, recordOf, type ConvertedEntry } from './requests';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CREATE_TIMEOUT_MS,
  DEFAULT_DELETE_TIMEOUT_MS,
  type ResolvedBucket,
  type ResolvedCloud,
  type ResolvedExport,
  type ResolvedImport,
  type ResolvedPipeline,
  type ResolvedRole,
} from './resolved-pipeline';
import { type PathSegment } from './source-position';

/** Looks up a cloud's pure rules; `undefined` skips cloud-rule checks for that cloud. */
export type RulesLookup = (cloud: CloudId) => CloudRules | undefined;

/** Result of {@link resolvePipeline}: the resolved pipeline and every reference and cloud-rule problem. */
export interface ResolveResult {
  /** The pipeline, as far as it could be built. */
  readonly pipeline: ResolvedPipeline;
  /** Reference problems, conversion problems and cloud-rule problems. */
  readonly issues: PipelineIssue[];
}

/** Default role names when a role declaration gives none (the `ServiceRoleSpec` defaults). */
const DEFAULT_ROLE_NAMES: Readonly<Record<CloudId, { export: string; import: string }>> = {
  aws: { export: 'vmimport', import: 'vmimport' },
  alicloud: { export: 'AliyunECSImageExportDefaultRole', import: 'AliyunECSImageImportDefaultRole' },
  jdcloud: { export: 'imageport-export', import: 'imageport-export' },
};

/** Fields of a native import entry that are not core spec fields. */
const IMPORT_ENTRY_ONLY_FIELDS = new Set(['cloud', 'disks', 'role', 'removal', 'timeouts', 'request']);

/**
 * Turns a pipeline file (already parsed; the schema may have found problems) into core specs: resolves `bucket` and
 * `role` keys, converts `request:` entries, checks references (unknown keys, a bucket or role of another cloud, chains
 * between exports and imports and their cycles), and runs each cloud's own validation on the specs built, mapping
 * every problem back to the line of the file it comes from. Never throws on malformed input.
 */
export function resolvePipeline(root: unknown, locator: DocumentLocator, rulesFor: RulesLookup): ResolveResult {
  return new PipelineResolver(recordOf(root), locator, rulesFor).resolve();
}

interface RoleUsage {
  exportBuckets: Set<string>;
  importBuckets: Set<string>;
  purposes: Set<'export' | 'import'>;
}

class PipelineResolver {
  private readonly issues: PipelineIssue[] = [];
  private readonly clouds = new Map<CloudId, ResolvedCloud>();
  private readonly roleDocs = new Map<string, Record<string, unknown>>();
  private readonly bucketDocs = new Map<string, Record<string, unknown>>();
  private readonly roleUsage = new Map<string, RoleUsage>();
  private readonly exports: ResolvedExport[] = [];
  private readonly imports: ResolvedImport[] = [];
  private readonly name: string;

  constructor(
    private readonly root: Record<string, unknown>,
    private readonly locator: DocumentLocator,
    private readonly rulesFor: RulesLookup,
  ) {
    this.name = typeof root.name === 'string' ? root.name : '';
  }

  public resolve(): ResolveResult {
    this.readClouds();
    for (const [key, doc] of entriesOf(this.root.roles)) this.roleDocs.set(key, recordOf(doc));
    for (const [key, doc] of entriesOf(this.root.buckets)) this.bucketDocs.set(key, recordOf(doc));
    this.checkDuplicateNames();
    for (const [key, doc] of entriesOf(this.root.exports)) this.resolveExport(key, recordOf(doc));
    for (const [key, doc] of entriesOf(this.root.imports)) this.resolveImport(key, recordOf(doc));
    this.checkChains();
    const roles = this.resolveRoles();
    const buckets = this.resolveBuckets();
    return {
      pipeline: { name: this.name, clouds: this.clouds, roles, buckets, exports: this.exports, imports: this.imports },
      issues: this.issues,
    };
  }

  // ---- clouds, roles, buckets

  private readClouds(): void {
    for (const [cloud, settings] of entriesOf(this.root.clouds)) {
      if (!isCloudId(cloud)) continue;
      const doc = recordOf(settings);
      if (typeof doc.region !== 'string') continue;
      const endpoints = recordOf(doc.endpoints);
      this.clouds.set(cloud, {
        cloud,
        region: doc.region,
        ...(Object.keys(endpoints).length > 0 ? { endpoints: stringRecord(endpoints) } : {}),
        concurrency: typeof doc.concurrency === 'number' && doc.concurrency >= 1 ? Math.floor(doc.concurrency) : DEFAULT_CONCURRENCY,
        ...(typeof doc.accountId === 'string' ? { accountId: doc.accountId } : {}),
      });
    }
  }

  private checkDuplicateNames(): void {
    const seenBuckets = new Map<string, string>();
    for (const [key, doc] of this.bucketDocs) {
      if (typeof doc.name !== 'string' || !isCloudId(doc.cloud)) continue;
      const id = `${doc.cloud}\u0000${doc.name}`;
      const first = seenBuckets.get(id);
      if (first !== undefined) {
        this.report(['buckets', key, 'name'], doc.name, `is also the name of buckets.${first}: declare a bucket once`, 'reference.duplicate-bucket');
      } else seenBuckets.set(id, key);
    }
    const seenRoles = new Map<string, string>();
    for (const [key, doc] of this.roleDocs) {
      if (typeof doc.roleName !== 'string' || !isCloudId(doc.cloud)) continue;
      const id = `${doc.cloud}\u0000${doc.roleName}`;
      const first = seenRoles.get(id);
      if (first !== undefined) {
        this.report(['roles', key, 'roleName'], doc.roleName, `is also the name of roles.${first}: declare a role once`, 'reference.duplicate-role');
      } else seenRoles.set(id, key);
    }
  }

  private resolveRoles(): ResolvedRole[] {
    const roles: ResolvedRole[] = [];
    for (const [key, doc] of this.roleDocs) {
      if (!isCloudId(doc.cloud)) continue;
      const cloud = doc.cloud;
      const settings = this.clouds.get(cloud);
      const usage = this.roleUsage.get(key) ?? { exportBuckets: new Set(), importBuckets: new Set(), purposes: new Set() };
      const purpose: 'export' | 'import' | 'both' = usage.purposes.size === 2 ? 'both' : usage.purposes.has('import') ? 'import' : 'export';
      if (cloud === 'alicloud' && purpose === 'both') {
        this.report(
          ['roles', key],
          key,
          'serves both exports and imports, but Alibaba Cloud uses one service role per purpose (AliyunECSImageExportDefaultRole, AliyunECSImageImportDefaultRole): declare two roles',
          'reference.role-purpose',
          'key',
        );
      }
      if (!settings) this.reportUndeclaredCloud(['roles', key, 'cloud'], cloud);
      const roleName = typeof doc.roleName === 'string' ? doc.roleName : DEFAULT_ROLE_NAMES[cloud][purpose === 'import' ? 'import' : 'export'];
      roles.push({
        key,
        existing: doc.existing === true,
        spec: compact({
          cloud,
          purpose,
          roleName,
          exportBuckets: [...usage.exportBuckets].sort(),
          importBuckets: [...usage.importBuckets].sort(),
          policyMode: doc.policyMode === 'scoped' || doc.policyMode === 'system' ? (doc.policyMode as 'scoped' | 'system') : undefined,
          accountId: settings?.accountId,
        }),
      });
      if (doc.policyMode !== undefined && cloud !== 'alicloud') {
        this.report(['roles', key, 'policyMode'], doc.policyMode, 'applies to Alibaba Cloud roles only', 'reference.policy-mode', 'key');
      }
    }
    return roles;
  }

  private resolveBuckets(): ResolvedBucket[] {
    const buckets: ResolvedBucket[] = [];
    for (const [key, doc] of this.bucketDocs) {
      if (!isCloudId(doc.cloud) || typeof doc.name !== 'string') continue;
      const settings = this.clouds.get(doc.cloud);
      if (!settings) {
        this.reportUndeclaredCloud(['buckets', key, 'cloud'], doc.cloud);
        continue;
      }
      const lifecycle = recordOf(doc.lifecycle);
      buckets.push({
        key,
        existing: doc.existing === true,
        spec: compact({
          cloud: doc.cloud,
          region: settings.region,
          name: doc.name,
          lifecycle: doc.lifecycle === undefined ? undefined : compact({
            expireAfterDays: numberOrUndefined(lifecycle.expireAfterDays),
            transitionAfterDays: numberOrUndefined(lifecycle.transitionAfterDays),
            transitionStorageClass: typeof lifecycle.transitionStorageClass === 'string' ? lifecycle.transitionStorageClass : undefined,
          }),
          lifecyclePrefix: typeof doc.lifecyclePrefix === 'string' ? doc.lifecyclePrefix : undefined,
        }),
      });
    }
    return buckets;
  }

  // ---- exports

  private resolveExport(key: string, doc: Record<string, unknown>): void {
    const entryPath: PathSegment[] = ['exports', key];
    if (!isCloudId(doc.cloud)) return; // the schema reports it
    const cloud = doc.cloud;
    const settings = this.clouds.get(cloud);
    if (!settings) {
      this.reportUndeclaredCloud([...entryPath, 'cloud'], cloud);
      return;
    }
    const rules = this.rulesFor(cloud);
    const common = this.entryCommon(entryPath, doc);
    let converted: ConvertedEntry;
    const fieldPaths = new Map<string, readonly PathSegment[]>();
    let bucketKey: string | undefined;
    let roleKey: string | undefined;
    let fromImport: string | undefined;

    if (doc.request !== undefined) {
      converted = convertExportRequest(cloud, doc.request);
      this.reportConversion(entryPath, converted, settings);
      for (const [field, path] of Object.entries(converted.paths)) fieldPaths.set(field, [...entryPath, ...path]);
      bucketKey = this.bucketKeyByName(cloud, converted.fields.bucket);
      roleKey = this.roleKeyByName(cloud, converted.fields.roleName);
    } else {
      const fields: Record<string, unknown> = {};
      for (const field of ['imageId', 'format', 'prefix', 'description', 'tags', 'allDisks']) {
        if (doc[field] !== undefined) fields[field] = doc[field];
      }
      if (typeof doc.fromImport === 'string') {
        fromImport = doc.fromImport;
        fieldPaths.set('imageId', [...entryPath, 'fromImport']);
        if (doc.imageId !== undefined) {
          this.report([...entryPath, 'fromImport'], doc.fromImport, 'cannot be combined with imageId: give one of them', 'reference.image-source', 'key');
        }
      } else if (doc.imageId === undefined) {
        this.report([...entryPath, 'imageId'], undefined, 'is required (or fromImport, the key of an import of this file)', 'reference.required');
      }
      bucketKey = this.bucketReference(entryPath, cloud, doc.bucket);
      if (bucketKey !== undefined) {
        fields.bucket = this.bucketDocs.get(bucketKey)?.name;
        fieldPaths.set('bucket', ['buckets', bucketKey, 'name']);
      }
      roleKey = this.roleReference(entryPath, cloud, doc.role);
      if (roleKey !== undefined) {
        fields.roleName = this.roleName(roleKey, cloud, 'export');
        fieldPaths.set('roleName', typeof this.roleDocs.get(roleKey)?.roleName === 'string' ? ['roles', roleKey, 'roleName'] : [...entryPath, 'role']);
      }
      if (bucketKey === undefined) fieldPaths.set('bucket', [...entryPath, 'bucket']);
      if (roleKey === undefined) fieldPaths.set('roleName', [...entryPath, 'role']);
      converted = { fields, paths: {}, issues: [] };
    }
    fieldPaths.set('region', ['clouds', cloud, 'region']);
    if (roleKey !== undefined) this.useRole(roleKey, 'export', converted.fields.bucket);

    const fields = converted.fields;
    const format = typeof fields.format === 'string' ? (normalizeDiskFormat(fields.format) ?? fields.format) : undefined;
    const spec = compact({
      cloud,
      region: settings.region,
      imageId: typeof fields.imageId === 'string' ? fields.imageId : fromImport !== undefined ? '' : undefined,
      format: format ?? rules?.defaultExportFormat,
      bucket: fields.bucket,
      prefix: fields.prefix === '' ? undefined : fields.prefix,
      roleName: fields.roleName ?? rules?.defaultExportRole,
      description: fields.description,
      tags: fields.tags,
      allDisks: cloud === 'jdcloud' ? fields.allDisks : undefined,
    }) as unknown as ExportSpec;
    if (cloud !== 'jdcloud' && fields.allDisks !== undefined) {
      this.report([...entryPath, 'allDisks'], fields.allDisks, 'applies to JD Cloud exports only', 'reference.all-disks', 'key');
    }

    if (rules) {
      // Validate the format as written (`QCOW2`, not its normalised `qcow2`), so messages quote the user's value.
      const asWritten = typeof fields.format === 'string' ? ({ ...spec, format: fields.format } as ExportSpec) : spec;
      const ruleIssues = safeValidate(() => rules.validateExport(asWritten)).filter(
        (issue) => !(fromImport !== undefined && issue.field === 'imageId'),
      );
      this.reportRuleIssues(entryPath, ruleIssues, fieldPaths, converted.paths !== undefined && doc.request !== undefined);
    }
    this.exports.push({
      kind: 'export',
      key,
      cloud,
      spec,
      ...common,
      fromRequest: doc.request !== undefined,
      ...(bucketKey !== undefined ? { bucketKey } : {}),
      ...(roleKey !== undefined ? { roleKey } : {}),
      ...(fromImport !== undefined ? { fromImport } : {}),
      ...(typeof fields.clientToken === 'string' ? { clientToken: fields.clientToken } : {}),
    });
  }

  // ---- imports

  private resolveImport(key: string, doc: Record<string, unknown>): void {
    const entryPath: PathSegment[] = ['imports', key];
    if (!isCloudId(doc.cloud)) return;
    const cloud = doc.cloud;
    const settings = this.clouds.get(cloud);
    if (!settings) {
      this.reportUndeclaredCloud([...entryPath, 'cloud'], cloud);
      return;
    }
    const rules = this.rulesFor(cloud);
    const common = this.entryCommon(entryPath, doc);
    const fieldPaths = new Map<string, readonly PathSegment[]>();
    const fromExports: { diskIndex: number; exportKey: string }[] = [];
    const bucketKeys = new Set<string>();
    let roleKey: string | undefined;
    let fields: Record<string, unknown>;
    let disks: DiskSource[];

    if (doc.request !== undefined) {
      const converted = convertImportRequest(cloud, doc.request);
      this.reportConversion(entryPath, converted, settings);
      for (const [field, path] of Object.entries(converted.paths)) fieldPaths.set(field, [...entryPath, ...path]);
      fields = { ...converted.fields };
      disks = (Array.isArray(fields.disks) ? fields.disks : []) as DiskSource[];
      for (const disk of disks) {
        const bucketKey = this.bucketKeyByName(cloud, (disk as { bucket?: unknown }).bucket);
        if (bucketKey !== undefined) bucketKeys.add(bucketKey);
      }
      roleKey = this.roleKeyByName(cloud, fields.roleName);
    } else {
      fields = {};
      for (const [field, value] of Object.entries(doc)) {
        if (!IMPORT_ENTRY_ONLY_FIELDS.has(field)) fields[field] = value;
      }
      disks = (Array.isArray(doc.disks) ? doc.disks : []).map((raw, index) =>
        this.resolveDisk(entryPath, cloud, recordOf(raw), index, fieldPaths, fromExports, bucketKeys),
      );
      roleKey = this.roleReference(entryPath, cloud, doc.role);
      if (roleKey !== undefined) {
        fields.roleName = this.roleName(roleKey, cloud, 'import');
        fieldPaths.set('roleName', typeof this.roleDocs.get(roleKey)?.roleName === 'string' ? ['roles', roleKey, 'roleName'] : [...entryPath, 'role']);
      } else fieldPaths.set('roleName', [...entryPath, 'role']);
    }
    fieldPaths.set('region', ['clouds', cloud, 'region']);
    if (roleKey !== undefined) {
      for (const disk of disks) this.useRole(roleKey, 'import', (disk as { bucket?: unknown }).bucket);
      if (disks.length === 0) this.useRole(roleKey, 'import', undefined);
    }
    const clientToken = typeof fields.clientToken === 'string' ? fields.clientToken : undefined;
    delete fields.clientToken;
    delete fields.disks;
    const spec = compact({
      ...fields,
      cloud,
      region: settings.region,
      disks,
      roleName: fields.roleName ?? rules?.defaultImportRole,
    }) as unknown as ImportSpec;

    if (rules) {
      const chainedDisks = new Set(fromExports.map((link) => link.diskIndex));
      const ruleIssues = safeValidate(() => rules.validateImport(spec)).filter((issue) => {
        const match = /^disks\[(\d+)\]\.(key|bucket|url)$/.exec(issue.field);
        return !(match && chainedDisks.has(Number(match[1])));
      });
      this.reportRuleIssues(entryPath, ruleIssues, fieldPaths, doc.request !== undefined);
    }
    this.imports.push({
      kind: 'import',
      key,
      cloud,
      spec,
      fromExports,
      bucketKeys: [...bucketKeys],
      ...common,
      fromRequest: doc.request !== undefined,
      ...(roleKey !== undefined ? { roleKey } : {}),
      ...(clientToken !== undefined ? { clientToken } : {}),
    });
  }

  private resolveDisk(
    entryPath: PathSegment[],
    cloud: CloudId,
    disk: Record<string, unknown>,
    index: number,
    fieldPaths: Map<string, readonly PathSegment[]>,
    fromExports: { diskIndex: number; exportKey: string }[],
    bucketKeys: Set<string>,
  ): DiskSource {
    const diskPath: PathSegment[] = [...entryPath, 'disks', index];
    const common = compact({
      format: typeof disk.format === 'string' ? (normalizeDiskFormat(disk.format) ?? disk.format) : undefined,
      description: disk.description,
      deviceName: disk.deviceName,
      sizeGiB: disk.sizeGiB,
    });
    if (typeof disk.fromExport === 'string') {
      const exportDoc = recordOf(recordOf(this.root.exports)[disk.fromExport]);
      if (Object.keys(exportDoc).length === 0) {
        this.report([...diskPath, 'fromExport'], disk.fromExport, 'is not an export of this file', 'reference.unknown-export', 'value', keysOf(this.root.exports));
      } else if (isCloudId(exportDoc.cloud) && exportDoc.cloud !== cloud) {
        // (An export whose own cloud is invalid has its own issue; comparing against it would only echo that value.)
        this.report(
          [...diskPath, 'fromExport'],
          disk.fromExport,
          `is an export on ${exportDoc.cloud}; an import on ${cloud} reads only from ${CLOUD_NAMES[cloud]} buckets`,
          'reference.export-cloud',
        );
      }
      fromExports.push({ diskIndex: index, exportKey: disk.fromExport });
      const exportBucketKey = typeof exportDoc.bucket === 'string' ? exportDoc.bucket : undefined;
      const bucketName = exportBucketKey !== undefined ? this.bucketDocs.get(exportBucketKey)?.name : undefined;
      if (exportBucketKey !== undefined && this.bucketDocs.has(exportBucketKey)) bucketKeys.add(exportBucketKey);
      fieldPaths.set(`disks[${index}].bucket`, [...diskPath, 'fromExport']);
      fieldPaths.set(`disks[${index}].key`, [...diskPath, 'fromExport']);
      const format = common.format ?? normalizeDiskFormat(exportDoc.format) ?? this.rulesFor(cloud)?.defaultExportFormat;
      return { ...common, ...(format !== undefined ? { format } : {}), bucket: typeof bucketName === 'string' ? bucketName : '', key: '' } as DiskSource;
    }
    if (disk.bucket !== undefined) {
      const bucketKey = this.bucketReference(diskPath, cloud, disk.bucket);
      if (bucketKey !== undefined) {
        bucketKeys.add(bucketKey);
        fieldPaths.set(`disks[${index}].bucket`, ['buckets', bucketKey, 'name']);
      }
      const name = bucketKey !== undefined ? this.bucketDocs.get(bucketKey)?.name : undefined;
      return { ...common, bucket: typeof name === 'string' ? name : '', key: typeof disk.key === 'string' ? disk.key : '' } as DiskSource;
    }
    if (disk.url !== undefined) return { ...common, url: disk.url } as DiskSource;
    if (disk.snapshotId !== undefined) return { ...common, snapshotId: disk.snapshotId } as DiskSource;
    return { ...common } as unknown as DiskSource;
  }

  // ---- chains

  private checkChains(): void {
    const exportsByKey = new Map(this.exports.map((entry) => [entry.key, entry]));
    const importsByKey = new Map(this.imports.map((entry) => [entry.key, entry]));
    for (const entry of this.exports) {
      if (entry.fromImport === undefined) continue;
      const source = importsByKey.get(entry.fromImport);
      const path: PathSegment[] = ['exports', entry.key, 'fromImport'];
      if (!source) {
        if (!isCloudId(recordOf(recordOf(this.root.imports)[entry.fromImport]).cloud)) {
          this.report(path, entry.fromImport, 'is not an import of this file', 'reference.unknown-import', 'value', keysOf(this.root.imports));
        }
      } else if (source.cloud !== entry.cloud) {
        this.report(path, entry.fromImport, `is an import into ${source.cloud}; an export from ${entry.cloud} needs an image of ${CLOUD_NAMES[entry.cloud]}`, 'reference.import-cloud');
      }
    }
    // Cycles: export -> import it exports from; import -> exports it reads.
    const next = (node: string): string[] => {
      const [kind, key] = splitNode(node);
      if (kind === 'exports') {
        const from = exportsByKey.get(key)?.fromImport;
        return from !== undefined && importsByKey.has(from) ? [`imports\u0000${from}`] : [];
      }
      return (importsByKey.get(key)?.fromExports ?? []).filter((link) => exportsByKey.has(link.exportKey)).map((link) => `exports\u0000${link.exportKey}`);
    };
    const state = new Map<string, 'visiting' | 'done'>();
    const reported = new Set<string>();
    const visit = (node: string, stack: string[]): void => {
      state.set(node, 'visiting');
      for (const target of next(node)) {
        if (state.get(target) === 'visiting') {
          const cycle = [...stack.slice(stack.indexOf(target)), node, target].filter((n, i, all) => i === 0 || n !== all[i - 1]);
          const members = cycle.slice(0, -1);
          const id = [...members].sort().join('|');
          if (!reported.has(id)) {
            reported.add(id);
            const [kind, key] = splitNode(members[0]);
            const field = kind === 'exports' ? 'fromImport' : 'disks';
            this.report([kind, key, field], key, `is part of a cycle: ${cycle.map((n) => splitNode(n).join('.')).join(' -> ')}`, 'reference.cycle', 'key');
          }
        } else if (!state.has(target)) visit(target, [...stack, node]);
      }
      state.set(node, 'done');
    };
    for (const node of [...this.exports.map((e) => `exports\u0000${e.key}`), ...this.imports.map((i) => `imports\u0000${i.key}`)]) {
      if (!state.has(node)) visit(node, []);
    }
  }

  // ---- helpers

  /** Removal, timeouts. Removal defaults differ: an export's files are kept, an import's image is deleted on destroy. */
  private entryCommon(entryPath: PathSegment[], doc: Record<string, unknown>): { removal: RemovalPolicy; createTimeoutMs: number; deleteTimeoutMs: number } {
    const timeouts = recordOf(doc.timeouts);
    const duration = (field: 'create' | 'delete', fallback: number): number => {
      if (timeouts[field] === undefined) return fallback;
      const parsed = parseDuration(timeouts[field]);
      if (parsed === undefined && typeof timeouts[field] === 'string' && /^[0-9.]+(ms|s|m|h|d)/.test(timeouts[field] as string)) {
        this.report([...entryPath, 'timeouts', field], timeouts[field], 'must be longer than zero', 'reference.duration');
      }
      return parsed ?? fallback;
    };
    return {
      removal: doc.removal === 'destroy' || doc.removal === 'retain' ? doc.removal : entryPath[0] === 'imports' ? 'destroy' : 'retain',
      createTimeoutMs: duration('create', DEFAULT_CREATE_TIMEOUT_MS),
      deleteTimeoutMs: duration('delete', DEFAULT_DELETE_TIMEOUT_MS),
    };
  }

  private bucketReference(entryPath: PathSegment[], cloud: CloudId, key: unknown): string | undefined {
    if (typeof key !== 'string') return undefined;
    const doc = this.bucketDocs.get(key);
    const sameCloud = [...this.bucketDocs].filter(([, b]) => b.cloud === cloud).map(([k]) => k);
    if (!doc) {
      this.report([...entryPath, 'bucket'], key, `is not a bucket of this file: declare it under buckets (with existing: true for a bucket made elsewhere)`, 'reference.unknown-bucket', 'value', sameCloud);
      return undefined;
    }
    if (!isCloudId(doc.cloud)) return undefined; // the bucket's own cloud is wrong, and its own issue says so
    if (doc.cloud !== cloud) {
      this.report([...entryPath, 'bucket'], key, `is a bucket on ${doc.cloud}, not on ${cloud}`, 'reference.bucket-cloud', 'value', sameCloud);
      return undefined;
    }
    return key;
  }

  private roleReference(entryPath: PathSegment[], cloud: CloudId, key: unknown): string | undefined {
    if (typeof key !== 'string') return undefined;
    const doc = this.roleDocs.get(key);
    const sameCloud = [...this.roleDocs].filter(([, r]) => r.cloud === cloud).map(([k]) => k);
    if (!doc) {
      this.report([...entryPath, 'role'], key, 'is not a role of this file: declare it under roles (with existing: true for a role made elsewhere)', 'reference.unknown-role', 'value', sameCloud);
      return undefined;
    }
    if (!isCloudId(doc.cloud)) return undefined; // the role's own cloud is wrong, and its own issue says so
    if (doc.cloud !== cloud) {
      this.report([...entryPath, 'role'], key, `is a role on ${doc.cloud}, not on ${cloud}`, 'reference.role-cloud', 'value', sameCloud);
      return undefined;
    }
    return key;
  }

  private bucketKeyByName(cloud: CloudId, name: unknown): string | undefined {
    if (typeof name !== 'string') return undefined;
    return [...this.bucketDocs].find(([, doc]) => doc.cloud === cloud && doc.name === name)?.[0];
  }

  private roleKeyByName(cloud: CloudId, name: unknown): string | undefined {
    if (typeof name !== 'string') return undefined;
    return [...this.roleDocs].find(([key, doc]) => doc.cloud === cloud && (doc.roleName ?? this.roleName(key, cloud, 'export')) === name)?.[0];
  }

  private roleName(key: string, cloud: CloudId, purpose: 'export' | 'import'): string {
    const doc = this.roleDocs.get(key);
    return typeof doc?.roleName === 'string' ? doc.roleName : DEFAULT_ROLE_NAMES[cloud][purpose];
  }

  private useRole(key: string, purpose: 'export' | 'import', bucket: unknown): void {
    let usage = this.roleUsage.get(key);
    if (!usage) {
      usage = { exportBuckets: new Set(), importBuckets: new Set(), purposes: new Set() };
      this.roleUsage.set(key, usage);
    }
    usage.purposes.add(purpose);
    if (typeof bucket === 'string' && bucket !== '') (purpose === 'export' ? usage.exportBuckets : usage.importBuckets).add(bucket);
  }

  private reportConversion(entryPath: PathSegment[], converted: ConvertedEntry, settings: ResolvedCloud): void {
    for (const issue of converted.issues) this.report([...entryPath, ...issue.path], issue.value, issue.rule, issue.code);
    if (converted.region !== undefined && converted.region !== settings.region) {
      this.report(
        [...entryPath, ...(converted.paths.region ?? ['request'])],
        converted.region,
        `must be the pipeline's ${settings.cloud} region ${describeValue(settings.region)} (clouds.${settings.cloud}.region)`,
        'reference.region',
      );
    }
  }

  private reportRuleIssues(entryPath: PathSegment[], issues: ValidationIssue[], fieldPaths: Map<string, readonly PathSegment[]>, fromRequest: boolean): void {
    for (const issue of issues) {
      const path = mapFieldPath(entryPath, issue.field, fieldPaths, fromRequest);
      this.issues.push({
        kind: 'rule',
        path: this.locator.display(path),
        position: this.locator.positionOf(path, 'value'),
        value: issue.value,
        rule: issue.rule,
        code: issue.code,
        ...(issue.allowed ? { allowed: issue.allowed } : {}),
        ...(issue.source ? { source: issue.source } : {}),
      });
    }
  }

  private reportUndeclaredCloud(path: PathSegment[], cloud: CloudId): void {
    this.report(path, cloud, `is not declared under clouds: add clouds.${cloud} with its region`, 'reference.undeclared-cloud', 'value', [...this.clouds.keys()]);
  }

  private report(path: PathSegment[], value: unknown, rule: string, code: string, part: 'key' | 'value' = 'value', allowed?: readonly string[]): void {
    this.issues.push({
      kind: 'reference',
      path: this.locator.display(path),
      position: this.locator.positionOf(path, part),
      value,
      rule,
      code,
      ...(allowed && allowed.length > 0 ? { allowed } : {}),
    });
  }
}

/**
 * Maps a spec field path from a cloud rule (`format`, `disks[0].bucket`, `tags.aws:team`) to the file's path: the
 * longest mapped prefix wins; for fields written with imageport's own names the rest of the path carries over.
 */
function mapFieldPath(entryPath: PathSegment[], field: string, fieldPaths: Map<string, readonly PathSegment[]>, fromRequest: boolean): PathSegment[] {
  const segments = parseFieldPath(field);
  for (let length = segments.length; length > 0; length--) {
    const prefix = formatFieldPath(segments.slice(0, length));
    const mapped = fieldPaths.get(prefix);
    if (mapped) return fromRequest ? [...mapped] : [...mapped, ...segments.slice(length)];
  }
  return fromRequest ? [...entryPath, 'request'] : [...entryPath, ...segments];
}

/** Splits `disks[0].bucket` into `['disks', 0, 'bucket']`; everything after `tags.` is one tag key. */
export function parseFieldPath(field: string): PathSegment[] {
  if (field.startsWith('tags.')) return ['tags', field.slice(5)];
  const segments: PathSegment[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return segments;
}

function formatFieldPath(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * Runs a cloud's rules. The rules answer every input with issues (their property tests say so); should one ever
 * throw, the entry gets an issue saying it could not be checked, so it is never applied unchecked.
 */
function safeValidate(run: () => ValidationIssue[]): ValidationIssue[] {
  try {
    const issues = run();
    return Array.isArray(issues) ? issues : [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ field: '', value: undefined, rule: `could not be checked by the cloud's rules (${message.split('\n')[0].slice(0, 200)})`, code: 'rules.failed' }];
  }
}

function entriesOf(value: unknown): [string, unknown][] {
  return Object.entries(recordOf(value));
}

function keysOf(value: unknown): string[] {
  return Object.keys(recordOf(value));
}

function stringRecord(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function splitNode(node: string): [string, string] {
  const index = node.indexOf('\u0000');
  return [node.slice(0, index), node.slice(index + 1)];
}

/** Every cloud, for callers that list what is allowed. */
export const PIPELINE_CLOUDS = CLOUD_IDS;
