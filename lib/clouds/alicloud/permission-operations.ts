import { type AlicloudExportSpec } from '../../model/export-spec';
import { type AlicloudImportSpec } from '../../model/import-spec';
import { type PermissionCheck } from '../../model/preflight';
import { type DriverContext } from './driver-context';
import { toCloudError } from './errors';
import { buildExportImageParams, buildImportImageParams } from './requests';

/** Codes ECS answers a dry run that would have been allowed with (`DryRunOperation`; ImportImage documents `DRYRUN.SUCCESS`). */
const DRY_RUN_PASSED = new Set(['DryRunOperation', 'DRYRUN.SUCCESS']);

async function dryRun(method: string, run: () => Promise<unknown>): Promise<PermissionCheck> {
  try {
    await run();
    return { allowed: true, method, detail: 'the call succeeded without a DryRun answer' };
  } catch (error) {
    const cloudError = toCloudError(method, error);
    if (DRY_RUN_PASSED.has(cloudError.code)) return { allowed: true, method, detail: cloudError.code };
    if (cloudError.retryable) throw cloudError;
    return { allowed: false, method, detail: `${cloudError.code}: ${cloudError.message}` };
  }
}

/** Asks ECS whether ExportImage would be allowed (`DryRun=true`), starting nothing. */
export function checkAlicloudExportPermissions(ctx: DriverContext, spec: AlicloudExportSpec): Promise<PermissionCheck> {
  return dryRun('DryRun (ExportImage)', () => ctx.api.exportImage({ ...buildExportImageParams(spec), dryRun: true }));
}

/** Asks ECS whether ImportImage would be allowed (`DryRun=true`), starting nothing. */
export function checkAlicloudImportPermissions(ctx: DriverContext, spec: AlicloudImportSpec): Promise<PermissionCheck> {
  return dryRun('DryRun (ImportImage)', () => ctx.api.importImage({ ...buildImportImageParams(spec), dryRun: true }));
}
