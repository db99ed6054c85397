import { type CloudId } from '../model/cloud';
import { type ExportSpec } from '../model/export-spec';
import { type ImportSpec } from '../model/import-spec';
import { type BucketSpec, type ServiceRoleSpec } from '../model/role-spec';
import { type RemovalPolicy } from './pipeline-document';

/** Default number of tasks that run at the same time on one cloud (AWS's default conversion-task quota is 5). */
export const DEFAULT_CONCURRENCY = 5;
/** Default time `apply` waits for one task. */
export const DEFAULT_CREATE_TIMEOUT_MS = 2 * 3_600_000;
/** Default time `destroy` waits for a cancelled (or, on JD Cloud, uncancellable) task to end. */
export const DEFAULT_DELETE_TIMEOUT_MS = 3_600_000;

/** One cloud as the pipeline uses it. */
export interface ResolvedCloud {
  /** The cloud. */
  readonly cloud: CloudId;
  /** Its region. */
  readonly region: string;
  /** Endpoint overrides from the file. @default - none */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Tasks at the same time. */
  readonly concurrency: number;
  /** Account id. @default - discovered */
  readonly accountId?: string;
}

/** A role declared in the file. */
export interface ResolvedRole {
  /** Key in `roles`. */
  readonly key: string;
  /** Used but never created or deleted. */
  readonly existing: boolean;
  /** The role spec, with the buckets of every entry that uses the role. */
  readonly spec: ServiceRoleSpec & { readonly roleName: string };
}

/** A bucket declared in the file. */
export interface ResolvedBucket {
  /** Key in `buckets`. */
  readonly key: string;
  /** Used but never created or deleted. */
  readonly existing: boolean;
  /** The bucket spec. */
  readonly spec: BucketSpec;
}

/** Fields every resolved entry has. */
interface ResolvedEntryBase {
  /** Key in `exports` / `imports`. */
  readonly key: string;
  /** The cloud. */
  readonly cloud: CloudId;
  /** What destroy does: an export's files (default retain), an import's new image (default destroy). */
  readonly removal: RemovalPolicy;
  /** How long apply waits. */
  readonly createTimeoutMs: number;
  /** How long destroy waits for a running task to end. */
  readonly deleteTimeoutMs: number;
  /** Key of the role in `roles`, when the entry names a declared role. @default - an undeclared role (the cloud's default or a request's RoleName) */
  readonly roleKey?: string;
  /** A token the file gives (a request's ClientToken). @default - derived deterministically */
  readonly clientToken?: string;
  /** True when the entry was written as the cloud's own request. */
  readonly fromRequest: boolean;
}

/** An export, ready for the drivers (but for `imageId` when it comes from an import of the file). */
export interface ResolvedExport extends ResolvedEntryBase {
  /** Export. */
  readonly kind: 'export';
  /** The core spec (`imageId` is empty while `fromImport` has not finished). */
  readonly spec: ExportSpec;
  /** Key of the bucket in `buckets`. @default - an undeclared bucket named by a request */
  readonly bucketKey?: string;
  /** Key of the import whose new image this exports. @default - not chained */
  readonly fromImport?: string;
}

/** An import, ready for the drivers (but for disks that come from exports of the file). */
export interface ResolvedImport extends ResolvedEntryBase {
  /** Import. */
  readonly kind: 'import';
  /** The core spec (a disk from an export has an empty `key` until the export finished). */
  readonly spec: ImportSpec;
  /** Disks read from an export of the file, by disk index. */
  readonly fromExports: readonly { readonly diskIndex: number; readonly exportKey: string }[];
  /** Keys of the buckets (in `buckets`) the disks read from. */
  readonly bucketKeys: readonly string[];
}

/** An export or an import. */
export type ResolvedEntry = ResolvedExport | ResolvedImport;

/** A pipeline file turned into core specs, references resolved. */
export interface ResolvedPipeline {
  /** Pipeline name. */
  readonly name: string;
  /** Clouds, by id. */
  readonly clouds: ReadonlyMap<CloudId, ResolvedCloud>;
  /** Declared roles. */
  readonly roles: readonly ResolvedRole[];
  /** Declared buckets. */
  readonly buckets: readonly ResolvedBucket[];
  /** Exports. */
  readonly exports: readonly ResolvedExport[];
  /** Imports. */
  readonly imports: readonly ResolvedImport[];
}
