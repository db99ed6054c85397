import { type CloudId } from '../../model/cloud';
import { convertAlicloudExportRequest, convertAlicloudImportRequest } from './alicloud-requests';
import { convertAwsExportRequest, convertAwsImportRequest } from './aws-requests';
import { type ConvertedEntry } from './converted-entry';
import { convertJdcloudExportRequest, convertJdcloudImportRequest } from './jdcloud-requests';

export * from './converted-entry';
export { convertAwsExportRequest, convertAwsImportRequest } from './aws-requests';
export { convertAlicloudExportRequest, convertAlicloudImportRequest } from './alicloud-requests';
export { convertJdcloudExportRequest, convertJdcloudImportRequest, parseJdOssBucketUrl } from './jdcloud-requests';

/** Converts an export entry's `request:` (the cloud's own ExportImage / exportImage input) for `cloud`. */
export function convertExportRequest(cloud: CloudId, request: unknown): ConvertedEntry {
  switch (cloud) {
    case 'aws':
      return convertAwsExportRequest(request);
    case 'alicloud':
      return convertAlicloudExportRequest(request);
    case 'jdcloud':
      return convertJdcloudExportRequest(request);
  }
}

/** Converts an import entry's `request:` (the cloud's own ImportImage / importImage input) for `cloud`. */
export function convertImportRequest(cloud: CloudId, request: unknown): ConvertedEntry {
  switch (cloud) {
    case 'aws':
      return convertAwsImportRequest(request);
    case 'alicloud':
      return convertAlicloudImportRequest(request);
    case 'jdcloud':
      return convertJdcloudImportRequest(request);
  }
}
