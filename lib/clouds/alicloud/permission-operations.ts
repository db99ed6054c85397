import { type AlicloudExportSpec } from '../../model/export-spec';
import { type AlicloudImportSpec } from '../../model/import-spec';
import { CloudError } from '../../model/cloud-error';
import { type PermissionCheck } from '../../model/preflight';
import { type DriverContext } from './driver-context';
import { toCloudError } from './errors';
import { buildExportImageParams, buildImportImageParams } from './requests';

/** Codes ECS answers a dry run that would have been allowed with (`DryRunOperation`; ImportImage documents `DRYRUN.SUCCESS`). */
const DRY_RUN_PASSED = new Set(['DryRunOperation', 'DRYRUN.SUCCESS']);

/**
 * Runs a `DryRun=true` call and reads ECS's answer: `DryRunOperation` / `DRYRUN.SUCCESS` mean allowed; an
 * authorization refusal (`Forbidden.RAM`, or any code of kind `denied` such as a missing service role) means denied,
 * with ECS's code and message. Another refusal (a bad parameter, a missing image or bucket) is `unknown`: ECS stopped
 * before confirming anything. Throttling and transient errors are thrown, and so is a call that succeeded without the
 * DryRun answer (the endpoint ignored DryRun and may have started a task).
 */
async function dryRun(method: string, operation: string, run: () => Promise<unknown>): Promise<PermissionCheck> {
  try {
    await run();
  } catch (error) {
    const cloudError = toCloudError(operation, error);
    if (DRY_RUN_PASSED.has(cloudError.code)) return { allowed: true, verdict: 'allowed', method, detail: cloudError.code };
    if (cloudError.kind === 'denied') {
      const action = authAction(error);
      return { allowed: false, verdict: 'denied', method, detail: `${cloudError.code}: ${ecsMessage(cloudError)}${action ? ` [AuthAction ${action}]` : ''}` };
    }
    if (cloudError.retryable) throw cloudError;
    // RAM authorization happens at the gateway, before ECS's own checks; a dry run stopped by those (a bucket not
    // created yet, an unknown image) confirmed nothing about the call itself.
    return {
      allowed: false,
      verdict: 'unknown',
      method,
      detail: `${cloudError.code}: ${ecsMessage(cloudError)} (the dry run stopped at ECS's own checks before answering DryRunOperation, so nothing was confirmed)`,
    };
  }
  throw new CloudError({
    cloud: 'alicloud',
    operation,
    code: 'DryRunIgnored',
    message: `${operation} with DryRun=true answered with success instead of DryRunOperation or Forbidden.RAM; check the endpoint (a task may have been started)`,
    kind: 'other',
  });
}

/** The `AccessDeniedDetail.AuthAction` the gateway names in a RAM refusal (`ecs:ExportImage`), when the SDK kept it. */
function authAction(error: unknown): string | undefined {
  const raw = error instanceof CloudError ? error.cause : error;
  const e = raw as { accessDeniedDetail?: { AuthAction?: unknown }; data?: { AccessDeniedDetail?: { AuthAction?: unknown } } } | undefined;
  const action = e?.accessDeniedDetail?.AuthAction ?? e?.data?.AccessDeniedDetail?.AuthAction;
  return typeof action === 'string' ? action : undefined;
}

/** The cloud's own message of a CloudError (its `message` starts with `<operation> failed: <code>: `). */
function ecsMessage(error: CloudError): string {
  const prefix = `${error.operation} failed: ${error.code}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Asks ECS whether ExportImage would be allowed (`DryRun=true`), starting nothing. */
export function checkAlicloudExportPermissions(ctx: DriverContext, spec: AlicloudExportSpec): Promise<PermissionCheck> {
  return dryRun('DryRun (ExportImage)', 'ExportImage', () => ctx.api.exportImage({ ...buildExportImageParams(spec), dryRun: true }));
}

/** Asks ECS whether ImportImage would be allowed (`DryRun=true`), starting nothing. */
export function checkAlicloudImportPermissions(ctx: DriverContext, spec: AlicloudImportSpec): Promise<PermissionCheck> {
  return dryRun('DryRun (ImportImage)', 'ImportImage', () => ctx.api.importImage({ ...buildImportImageParams(spec), dryRun: true }));
}
