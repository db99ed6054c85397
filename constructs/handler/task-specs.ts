import { type AwsExportSpec } from '../../lib/model/export-spec';
import { type AwsImportSpec, type DiskSource } from '../../lib/model/import-spec';
import { type DiskFormat, normalizeDiskFormat } from '../../lib/model/disk-format';
import { type TaskKind, type TaskRef } from '../../lib/model/task';
import { deterministicToken } from '../../lib/model/token';
import { type OnEventRequest } from './cloudformation-event';
import {
  type DiskProperties,
  EXPORT_REPLACE_PROPS,
  EXPORT_RESOURCE_TYPE,
  IMPORT_REPLACE_PROPS,
  IMPORT_RESOURCE_TYPE,
  Prop,
  type ResourceStage,
} from './resource-properties';

type Properties = Readonly<Record<string, unknown>>;

/** Export or import, from the resource type. */
export function kindOf(resourceType: string): TaskKind {
  if (resourceType === EXPORT_RESOURCE_TYPE) return 'export';
  if (resourceType === IMPORT_RESOURCE_TYPE) return 'import';
  throw new Error(`Unknown resource type ${JSON.stringify(resourceType)}: expected ${EXPORT_RESOURCE_TYPE} or ${IMPORT_RESOURCE_TYPE}`);
}

/** The stage of a resource; `task` when absent. */
export function stageOf(properties: Properties): ResourceStage {
  const stage = properties[Prop.stage];
  return stage === 'start' || stage === 'result' || stage === 'image' ? stage : 'task';
}

/** An optional string property. */
export function text(properties: Properties, name: string): string | undefined {
  const value = properties[name];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** The tags property (a map of strings). */
function tags(properties: Properties): Record<string, string> | undefined {
  const value = properties[Prop.tags];
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** The export spec the properties describe. */
export function exportSpecOf(properties: Properties, region: string): AwsExportSpec {
  return {
    cloud: 'aws',
    region,
    imageId: text(properties, Prop.imageId) ?? '',
    format: text(properties, Prop.format),
    bucket: text(properties, Prop.bucket) ?? '',
    prefix: text(properties, Prop.prefix),
    roleName: text(properties, Prop.roleName),
    description: text(properties, Prop.description),
    tags: tags(properties),
  };
}

/** The import spec the properties describe. */
export function importSpecOf(properties: Properties, region: string): AwsImportSpec {
  const disks = (Array.isArray(properties[Prop.disks]) ? properties[Prop.disks] : []) as DiskProperties[];
  const encrypted = text(properties, Prop.encrypted);
  return {
    cloud: 'aws',
    region,
    disks: disks.map(diskOf),
    platform: text(properties, Prop.platform),
    architecture: text(properties, Prop.architecture),
    licenseType: text(properties, Prop.licenseType),
    bootMode: text(properties, Prop.bootMode),
    encrypted: encrypted === undefined ? undefined : encrypted === 'true',
    kmsKeyId: text(properties, Prop.kmsKeyId),
    roleName: text(properties, Prop.roleName),
    description: text(properties, Prop.description),
    tags: tags(properties),
  };
}

function diskOf(disk: DiskProperties): DiskSource {
  const common = { format: disk.Format, description: disk.Description, deviceName: disk.DeviceName };
  if (disk.SnapshotId) return { snapshotId: disk.SnapshotId, ...common };
  if (disk.Url) return { url: disk.Url, ...common };
  return { bucket: disk.Bucket ?? '', key: disk.Key ?? '', ...common };
}

/** The task a physical id (the task id) names, with what the properties say about it. */
export function taskRefOf(kind: TaskKind, taskId: string, properties: Properties, region: string): TaskRef {
  if (kind === 'import') return { cloud: 'aws', region, kind, taskId };
  const format = normalizeDiskFormat(text(properties, Prop.format)) as DiskFormat | undefined;
  return { cloud: 'aws', region, kind, taskId, imageId: text(properties, Prop.imageId), bucket: text(properties, Prop.bucket), prefix: text(properties, Prop.prefix), format };
}

/** True when a physical id is an AMI id (the `image` stage's physical id). */
export function isAmiId(physicalId: string | undefined): physicalId is string {
  return physicalId !== undefined && /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(physicalId);
}

/** The tags property as the complete set a task should carry (`{}` when the property is absent). */
export function tagsOf(properties: Properties): Record<string, string> {
  return tags(properties) ?? {};
}

/** True when an Update changes the tags. */
export function tagsChanged(event: OnEventRequest): boolean {
  const canonical = (properties: Properties) => JSON.stringify(Object.entries(tagsOf(properties)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return canonical(event.OldResourceProperties ?? {}) !== canonical(event.ResourceProperties);
}

/** True when a physical id names a task of ours (not a framework marker such as a failed Create's). */
export function isTaskId(physicalId: string | undefined): physicalId is string {
  return physicalId !== undefined && /^(export|import)-[a-z]+-[0-9a-zA-Z]+$/.test(physicalId);
}

/** The properties whose change starts a new task. */
export function replaceProps(kind: TaskKind): readonly string[] {
  return kind === 'export' ? EXPORT_REPLACE_PROPS : IMPORT_REPLACE_PROPS;
}

/** True when an Update changes a replace-forcing property. */
export function needsReplacement(kind: TaskKind, event: OnEventRequest): boolean {
  const old = event.OldResourceProperties ?? {};
  return replaceProps(kind).some((name) => JSON.stringify(old[name] ?? null) !== JSON.stringify(event.ResourceProperties[name] ?? null));
}

/**
 * The idempotency token of a start: stack, logical id, request id and the replace-forcing properties. A retried
 * invocation of the same request gets the same token and so finds the task it already started.
 */
export function tokenOf(kind: TaskKind, event: OnEventRequest): string {
  return deterministicToken([
    event.StackId,
    event.LogicalResourceId,
    event.RequestId,
    ...replaceProps(kind).map((name) => JSON.stringify(event.ResourceProperties[name] ?? null)),
  ]);
}
