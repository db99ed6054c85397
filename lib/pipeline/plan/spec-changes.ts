import { normalizeDiskFormat } from '../../model/disk-format';
import { EXPORT_REPLACE_FIELDS, EXPORT_UPDATE_FIELDS, type ExportSpec } from '../../model/export-spec';
import { IMPORT_UPDATE_FIELDS, type ImportSpec } from '../../model/import-spec';
import { deterministicToken } from '../../model/token';
import { canonicalJson } from '../state/pipeline-state';

/** One field that differs between the recorded spec and the file. */
export interface FieldChange {
  /** Spec field (`format`, `tags`, `disks[0].key`). */
  readonly field: string;
  /** Recorded value. */
  readonly from: unknown;
  /** Value in the file. */
  readonly to: unknown;
  /** True when the change needs a new task (a replacement). */
  readonly forcesReplacement: boolean;
}

/** Fields an import can change without a new task. */
const IMPORT_IN_PLACE = new Set<string>([...IMPORT_UPDATE_FIELDS, 'clientToken', 'dryRun']);

/** Every field that differs between two export specs, replacement-forcing fields first (`EXPORT_REPLACE_FIELDS`). */
export function exportChanges(recorded: ExportSpec, wanted: ExportSpec): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of EXPORT_REPLACE_FIELDS) {
    const from = normalizeExportField(field, (recorded as unknown as Record<string, unknown>)[field]);
    const to = normalizeExportField(field, (wanted as unknown as Record<string, unknown>)[field]);
    if (!sameValue(from, to)) changes.push({ field, from, to, forcesReplacement: true });
  }
  for (const field of EXPORT_UPDATE_FIELDS) {
    const from = emptyAsUndefined(recorded[field]);
    const to = emptyAsUndefined(wanted[field]);
    if (!sameValue(from, to)) changes.push({ field, from, to, forcesReplacement: false });
  }
  return changes;
}

/** Every field that differs between two import specs; all but description and tags force a replacement. */
export function importChanges(recorded: ImportSpec, wanted: ImportSpec): FieldChange[] {
  const changes: FieldChange[] = [];
  const from = recorded as unknown as Record<string, unknown>;
  const to = wanted as unknown as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  for (const field of fields) {
    if (field === 'clientToken' || field === 'dryRun') continue;
    if (field === 'disks') {
      changes.push(...diskChanges(recorded.disks ?? [], wanted.disks ?? []));
      continue;
    }
    const a = emptyAsUndefined(from[field]);
    const b = emptyAsUndefined(to[field]);
    if (!sameValue(a, b)) changes.push({ field, from: a, to: b, forcesReplacement: !IMPORT_IN_PLACE.has(field) });
  }
  return changes.sort((x, y) => Number(y.forcesReplacement) - Number(x.forcesReplacement));
}

function diskChanges(recorded: readonly object[], wanted: readonly object[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (let index = 0; index < Math.max(recorded.length, wanted.length); index++) {
    const a = (recorded[index] ?? {}) as Record<string, unknown>;
    const b = (wanted[index] ?? {}) as Record<string, unknown>;
    if (recorded[index] === undefined || wanted[index] === undefined) {
      changes.push({ field: `disks[${index}]`, from: recorded[index], to: wanted[index], forcesReplacement: true });
      continue;
    }
    for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const from = field === 'format' ? normalizeDiskFormat(a[field]) ?? a[field] : a[field];
      const to = field === 'format' ? normalizeDiskFormat(b[field]) ?? b[field] : b[field];
      if (!sameValue(from, to)) changes.push({ field: `disks[${index}].${field}`, from, to, forcesReplacement: true });
    }
  }
  return changes;
}

function normalizeExportField(field: string, value: unknown): unknown {
  if (field === 'format') return normalizeDiskFormat(value) ?? value;
  if (field === 'allDisks') return value === true ? true : undefined;
  return emptyAsUndefined(value);
}

function emptyAsUndefined(value: unknown): unknown {
  if (value === '' || value === null) return undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return undefined;
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * The idempotency token of an export: `deterministicToken([pipeline name, entry key, replace-forcing fields])`, plus
 * the generation from the second (re)creation on, so a retry after a failed task starts a new task instead of
 * replaying the failed one. A token the file gives (a request's ClientToken) wins.
 */
export function exportToken(pipeline: string, key: string, spec: ExportSpec, generation: number, fileToken?: string): string {
  if (fileToken !== undefined) return generation > 1 ? deterministicToken([fileToken, generation]) : fileToken;
  const fields = EXPORT_REPLACE_FIELDS.map((field) => {
    const value = normalizeExportField(field, (spec as unknown as Record<string, unknown>)[field]);
    return value === undefined ? undefined : typeof value === 'object' ? canonicalJson(value) : (value as string | boolean);
  });
  return deterministicToken([pipeline, key, ...fields, ...(generation > 1 ? [generation] : [])]);
}

/** The idempotency token of an import: pipeline name, entry key, and every replacement-forcing field (canonical JSON). */
export function importToken(pipeline: string, key: string, spec: ImportSpec, generation: number, fileToken?: string): string {
  if (fileToken !== undefined) return generation > 1 ? deterministicToken([fileToken, generation]) : fileToken;
  const forcing = Object.fromEntries(
    Object.entries(spec as unknown as Record<string, unknown>).filter(([field]) => !IMPORT_IN_PLACE.has(field)),
  );
  return deterministicToken([pipeline, key, canonicalJson(forcing), ...(generation > 1 ? [generation] : [])]);
}
