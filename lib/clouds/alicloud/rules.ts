import { type CloudRules } from '../cloud-rules';
import { DEFAULT_EXPORT_FORMAT, EXPORT_FORMATS, EXPORT_ROLE_NAME, IMPORT_FORMATS, IMPORT_ROLE_NAME } from './constants';
import { validateAlicloudExport } from './export-rules';
import { validateAlicloudImport } from './import-rules';

/**
 * Alibaba Cloud's documented limits for ECS ExportImage / ImportImage, as pure functions (no SDK import), so the
 * CLI's `validate` and synth/preview-time checks load nothing else.
 */
export const alicloudRules: CloudRules = {
  cloud: 'alicloud',
  exportFormats: EXPORT_FORMATS,
  importFormats: IMPORT_FORMATS,
  defaultExportFormat: DEFAULT_EXPORT_FORMAT,
  defaultExportRole: EXPORT_ROLE_NAME,
  defaultImportRole: IMPORT_ROLE_NAME,
  validateExport: validateAlicloudExport,
  validateImport: validateAlicloudImport,
};
