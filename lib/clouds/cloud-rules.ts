import { type CloudId } from '../model/cloud';
import { type ExportSpec } from '../model/export-spec';
import { type ImportSpec } from '../model/import-spec';
import { type ValidationIssue } from '../model/validation-issue';

/**
 * A cloud's documented limits, as pure functions: no network, no SDK import. Front ends call these at synth,
 * preview and plan time, and the CLI's `validate` loads nothing else, so it starts fast.
 *
 * Validators accept `unknown`-typed fields (YAML and Pulumi inputs arrive untyped) and return **every** problem.
 */
export interface CloudRules {
  /** The cloud. */
  readonly cloud: CloudId;
  /** Formats ExportImage can write, in the cloud's documented spelling (`VMDK`, `raw`). */
  readonly exportFormats: readonly string[];
  /** Formats ImportImage can read, in the cloud's documented spelling. */
  readonly importFormats: readonly string[];
  /** Default export format (canonical lower case). `undefined` when the cloud requires one (AWS). */
  readonly defaultExportFormat?: string;
  /** Default service role for exports. `undefined` when the cloud has none (JD requires a name). */
  readonly defaultExportRole?: string;
  /** Default service role for imports. `undefined` when the cloud takes no role. */
  readonly defaultImportRole?: string;
  /** Every problem with an export spec. Field paths are relative to the spec (`format`, `tags.aws:x`). */
  validateExport(spec: ExportSpec): ValidationIssue[];
  /** Every problem with an import spec. */
  validateImport(spec: ImportSpec): ValidationIssue[];
}
