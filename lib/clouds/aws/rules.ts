import { type CloudRules } from '../cloud-rules';
import { AWS_EXPORT_FORMATS, validateAwsExport } from './export-rules';
import { AWS_IMPORT_FORMATS, validateAwsImport } from './import-rules';

/** AWS's default VM Import/Export service role. */
export const AWS_DEFAULT_ROLE_NAME = 'vmimport';

/**
 * AWS's documented limits for EC2 ExportImage and ImportImage, as pure functions.
 *
 * Loads no SDK: the CLI's `validate` and the front ends' synth/preview/plan steps import only this module (and the
 * role documents), so they start fast.
 */
export const awsRules: CloudRules = {
  cloud: 'aws',
  exportFormats: AWS_EXPORT_FORMATS,
  importFormats: AWS_IMPORT_FORMATS,
  defaultExportFormat: undefined,
  defaultExportRole: AWS_DEFAULT_ROLE_NAME,
  defaultImportRole: AWS_DEFAULT_ROLE_NAME,
  validateExport: (spec) => validateAwsExport(spec),
  validateImport: (spec) => validateAwsImport(spec),
};

export { AWS_EXPORT_FORMATS, validateAwsExport } from './export-rules';
export {
  AWS_IMPORT_ARCHITECTURES,
  AWS_IMPORT_BOOT_MODES,
  AWS_IMPORT_FORMATS,
  AWS_IMPORT_PLATFORMS,
  AWS_LICENSE_TYPES,
  AWS_USAGE_OPERATIONS,
  resolveAwsBootMode,
  validateAwsImport,
} from './import-rules';
