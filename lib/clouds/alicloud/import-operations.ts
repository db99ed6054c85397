import { CloudError } from '../../model/cloud-error';
import { type AlicloudImportSpec } from '../../model/import-spec';
import { type TaskRef } from '../../model/task';
import { SpecValidationError } from '../../model/validation-issue';
import { type DriverContext } from './driver-context';
import { validateAlicloudImport } from './import-rules';
import { buildImportImageParams } from './requests';

/**
 * Starts an import with ImportImage. ImportImage takes a ClientToken: the spec's, else `token`, so replaying the same
 * request after a crash returns the same task and image instead of a second import.
 *
 * @throws SpecValidationError when the spec breaks a documented limit
 * @throws CloudError for every refusal of the cloud
 */
export async function startAlicloudImport(ctx: DriverContext, spec: AlicloudImportSpec, token: string): Promise<TaskRef> {
  const issues = validateAlicloudImport(spec);
  if (issues.length > 0) throw new SpecValidationError('Alibaba Cloud import', issues);
  const params = buildImportImageParams(spec, token);
  const { taskId, imageId } = await ctx.api.importImage(params);
  if (!taskId) {
    throw new CloudError({ cloud: 'alicloud', operation: 'ImportImage', code: 'MissingTaskId', message: 'ImportImage answered without a TaskId', kind: 'other' });
  }
  return {
    cloud: 'alicloud',
    region: ctx.region,
    kind: 'import',
    taskId,
    ...(imageId ? { imageId } : {}),
    ...(params.clientToken ? { clientToken: params.clientToken } : {}),
    adopted: false,
  };
}
