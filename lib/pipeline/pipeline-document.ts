/**
 * The shape of a pipeline file, as `schema/pipeline.schema.json` defines it (the schema is the source of truth; these
 * types mirror it for the code that reads a file after the schema accepted it). Field names match the core specs
 * (`imageId`, `format`, `prefix`, `description`, `tags`) so messages name the same fields as the other front ends;
 * `bucket` and `role` name entries of this file by key.
 */
import { type CloudId } from '../model/cloud';

/** What `destroy` does with an export's objects. */
export type RemovalPolicy = 'retain' | 'destroy';

/** Per-operation timeouts, Terraform-style duration strings (`90m`, `2h`). */
export interface TimeoutsDocument {
  /** How long `apply` waits for the task. @default 2h */
  readonly create?: string;
  /** How long `destroy` waits for a running task to end after a cancel. @default 1h */
  readonly delete?: string;
}

/** One cloud's settings. */
export interface CloudSettingsDocument {
  /** The region. */
  readonly region: string;
  /** Per-service endpoint overrides. @default - environment variables, then the public endpoints */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Tasks running at the same time on this cloud. @default 5 */
  readonly concurrency?: number;
  /** Account id. @default - discovered */
  readonly accountId?: string;
}

/** A service role. */
export interface RoleDocument {
  /** The cloud. */
  readonly cloud: CloudId;
  /** Role name. @default - the cloud's default role name for its purpose */
  readonly roleName?: string;
  /** Used but never created or deleted. @default false */
  readonly existing?: boolean;
  /** Alibaba Cloud only: system or scoped policy. @default system */
  readonly policyMode?: 'system' | 'scoped';
}

/** A bucket. */
export interface BucketDocument {
  /** The cloud. */
  readonly cloud: CloudId;
  /** Bucket name. */
  readonly name: string;
  /** Used but never created or deleted. @default false */
  readonly existing?: boolean;
  /** Object lifecycle. @default - objects kept forever */
  readonly lifecycle?: {
    /** @default - never */
    readonly expireAfterDays?: number;
    /** @default - never */
    readonly transitionAfterDays?: number;
    /** @default - the cloud's archive class */
    readonly transitionStorageClass?: string;
  };
  /** Prefix the lifecycle applies to. @default - the whole bucket */
  readonly lifecyclePrefix?: string;
}

/** Fields every entry (export or import) may carry. */
export interface EntryDocumentBase {
  /** The cloud. */
  readonly cloud: CloudId;
  /** What destroy does: an export's files are kept unless `destroy`; an import's image is deleted unless `retain`. @default - retain for exports, destroy for imports */
  readonly removal?: RemovalPolicy;
  /** Timeouts. @default - create 2h, delete 1h */
  readonly timeouts?: TimeoutsDocument;
  /** The cloud's own request, instead of the fields below. @default - the entry is written with imageport's fields */
  readonly request?: Readonly<Record<string, unknown>>;
}

/** An export written with imageport's fields. */
export interface ExportDocument extends EntryDocumentBase {
  /** The image to export. @default - required unless `fromImport` */
  readonly imageId?: string;
  /** Export the image an import of this file creates. @default - not chained */
  readonly fromImport?: string;
  /** Format. @default - the cloud's default */
  readonly format?: string;
  /** Key of the bucket. */
  readonly bucket?: string;
  /** Key prefix. @default - none */
  readonly prefix?: string;
  /** Key of the role. @default - the cloud's default role, which must exist */
  readonly role?: string;
  /** Description (AWS). @default - none */
  readonly description?: string;
  /** Tags (AWS). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** JD: data disks too. @default false */
  readonly allDisks?: boolean;
}

/** One disk of an import. */
export interface DiskDocument {
  /** Key of the bucket. @default - not a bucket source */
  readonly bucket?: string;
  /** Object key. @default - not a bucket source */
  readonly key?: string;
  /** URL. @default - not a URL source */
  readonly url?: string;
  /** EBS snapshot. @default - not a snapshot source */
  readonly snapshotId?: string;
  /** The file an export of this file writes. @default - not chained */
  readonly fromExport?: string;
  /** Format. @default - detected or the export's format */
  readonly format?: string;
  /** Description. @default - none */
  readonly description?: string;
  /** Device name. @default - assigned */
  readonly deviceName?: string;
  /** Size in GiB. @default - the cloud's default */
  readonly sizeGiB?: number;
}

/** An import written with imageport's fields; per-cloud extras pass through to the core spec. */
export interface ImportDocument extends EntryDocumentBase {
  /** The disks, system disk first. */
  readonly disks?: readonly DiskDocument[];
  /** Key of the role. @default - the cloud's default role */
  readonly role?: string;
  /** Any other core import field (`imageName`, `architecture`, `platform`, …). */
  readonly [field: string]: unknown;
}

/** A whole pipeline file. */
export interface PipelineDocument {
  /** Format version. @default 1 */
  readonly version?: 1;
  /** Pipeline name. */
  readonly name: string;
  /** Description. @default - none */
  readonly description?: string;
  /** The clouds used. */
  readonly clouds: Partial<Record<CloudId, CloudSettingsDocument>>;
  /** Roles by key. @default - none */
  readonly roles?: Readonly<Record<string, RoleDocument>>;
  /** Buckets by key. @default - none */
  readonly buckets?: Readonly<Record<string, BucketDocument>>;
  /** Exports by key. @default - none */
  readonly exports?: Readonly<Record<string, ExportDocument>>;
  /** Imports by key. @default - none */
  readonly imports?: Readonly<Record<string, ImportDocument>>;
}
