import { type AlicloudExportSpec } from '../../model/export-spec';
import { isBucketDisk, type AlicloudImportSpec } from '../../model/import-spec';
import { type PreflightProblem, type PreflightReport } from '../../model/preflight';
import { ALL_IMAGE_STATUSES, EXPORT_OSS_ACTIONS, EXPORT_SYSTEM_POLICY, IMPORT_OSS_ACTIONS, IMPORT_SYSTEM_POLICY } from './constants';
import { type DriverContext } from './driver-context';
import { exportMatchesSpec, findRunningExports } from './export-operations';
import { exportFormatProblems, exportImageProblems } from './image-checks';
import { missingOssActions, trustsEcs } from './policy-check';
import { exportFormatOf, exportRoleOf, importRoleOf } from './requests';

const GIB = 1024 ** 3;

/** `oss-cn-hangzhou` and `cn-hangzhou` both name the region cn-hangzhou. */
function regionOfBucket(location: string): string {
  return location.replace(/^oss-/, '');
}

/** Why the bucket cannot be used from this region: missing, or in another region (`InvalidOSSBucket.NotFound`). */
async function bucketProblems(ctx: DriverContext, bucket: string): Promise<PreflightProblem[]> {
  const storage = ctx.storage();
  if (!(await storage.bucketExists(bucket))) {
    return [
      {
        subject: 'bucket',
        code: 'bucket.missing',
        message: `bucket ${bucket} does not exist or is not reachable with these credentials`,
        fix: `create it in ${ctx.region} (imageport ensureBucket)`,
      },
    ];
  }
  const location = await storage.bucketRegion(bucket);
  if (location && regionOfBucket(location) !== ctx.region) {
    return [
      {
        subject: 'bucket',
        code: 'bucket.region',
        message: `bucket ${bucket} is in ${regionOfBucket(location)}, not ${ctx.region} (ECS would answer InvalidOSSBucket.NotFound: "does not exist in this region")`,
        fix: `use a bucket in ${ctx.region}`,
      },
    ];
  }
  return [];
}

/**
 * Why ECS could not use the service role on these buckets: the role is missing, does not trust `ecs.aliyuncs.com`, or
 * neither the system policy nor the attached policies grant the documented OSS actions on each bucket.
 */
export async function roleProblems(
  ctx: DriverContext,
  roleName: string,
  purpose: 'export' | 'import',
  buckets: readonly string[],
): Promise<PreflightProblem[]> {
  const role = await ctx.api.getRole(roleName);
  if (!role) {
    return [
      {
        subject: 'role',
        code: 'role.missing',
        message: `RAM role ${roleName} does not exist (ECS would answer NoSetRoletoECSServiceAcount)`,
        fix: `create it trusting ecs.aliyuncs.com with ${purpose === 'export' ? EXPORT_SYSTEM_POLICY : IMPORT_SYSTEM_POLICY} attached (imageport ensureRole)`,
      },
    ];
  }
  const problems: PreflightProblem[] = [];
  if (!trustsEcs(role.assumeRolePolicyDocument)) {
    problems.push({
      subject: 'role',
      code: 'role.trust',
      message: `RAM role ${roleName} does not let ecs.aliyuncs.com assume it (its trust policy has no Allow sts:AssumeRole for Service ecs.aliyuncs.com)`,
      fix: 'set the trust policy of the ExportImage document (imageport ensureRole does it)',
    });
  }
  const systemPolicy = purpose === 'export' ? EXPORT_SYSTEM_POLICY : IMPORT_SYSTEM_POLICY;
  const attached = await ctx.api.listPoliciesForRole(roleName);
  const hasSystem = attached.some((policy) => policy.policyName === systemPolicy && (policy.policyType ?? '').toLowerCase() === 'system');
  if (hasSystem) return problems;
  const documents: unknown[] = [];
  for (const policy of attached) {
    if (!policy.policyName) continue;
    const found = await ctx.api.getPolicy({ policyName: policy.policyName, policyType: policy.policyType ?? 'Custom' });
    if (found?.document) documents.push(found.document);
  }
  const actions = purpose === 'export' ? EXPORT_OSS_ACTIONS : IMPORT_OSS_ACTIONS;
  for (const bucket of new Set(buckets)) {
    const missing = missingOssActions(documents, actions, bucket, ctx.region, ctx.accountId);
    if (missing.length > 0) {
      problems.push({
        subject: 'role',
        code: 'role.permission',
        message: `RAM role ${roleName} is not allowed ${missing.join(', ')} on bucket ${bucket} (${attached.length === 0 ? 'no policy is attached' : `attached: ${attached.map((p) => p.policyName).join(', ')}`})`,
        fix: `attach ${systemPolicy}, or a policy granting those actions on acs:oss:*:*:${bucket} and acs:oss:*:*:${bucket}/* (imageport ensureRole)`,
      });
    }
  }
  return problems;
}

/**
 * Read-only checks before an export: the image (exists, Available, custom, not Marketplace, no encrypted snapshot, at
 * most 4 data disks of at most 500 GiB, not Windows Server), the format in this region, the bucket (exists, same
 * region), the role (exists, trusts ECS, may write the bucket), and no export of the image running to another bucket
 * (one to the same bucket is adopted by `startExport`, so it is not a problem).
 */
export async function preflightAlicloudExport(ctx: DriverContext, spec: AlicloudExportSpec): Promise<PreflightReport> {
  const format = exportFormatOf(spec);
  const [images, bucket, role, running] = await Promise.all([
    ctx.api.describeImages({ regionId: ctx.region, imageId: spec.imageId, status: ALL_IMAGE_STATUSES }),
    bucketProblems(ctx, spec.bucket),
    roleProblems(ctx, exportRoleOf(spec), 'export', [spec.bucket]),
    findRunningExports(ctx, spec.imageId),
  ]);
  const image = images.find((candidate) => candidate.imageId === spec.imageId);
  const problems: PreflightProblem[] = [...exportImageProblems(spec.imageId, ctx.region, image), ...exportFormatProblems(ctx.region, format), ...bucket, ...role];
  const other = running.find((task) => !exportMatchesSpec(task, spec));
  if (other && !running.some((task) => exportMatchesSpec(task, spec))) {
    problems.push({
      subject: 'image',
      code: 'image.exporting',
      message: `image ${spec.imageId} is already being exported to ${other.bucket ?? 'an unreported bucket'} (task ${other.taskId}, ${other.status}); ECS runs one export per image (ImageIsExporting)`,
      fix: `wait for task ${other.taskId} to end or cancel it`,
    });
  }
  return { problems };
}

/**
 * Read-only checks before an import: every source bucket (exists, same region), every source object (exists, not
 * empty, fits the DiskImageSize given), and the role (exists, trusts ECS, may read every source bucket).
 */
export async function preflightAlicloudImport(ctx: DriverContext, spec: AlicloudImportSpec): Promise<PreflightReport> {
  const disks = spec.disks.filter(isBucketDisk);
  const buckets = [...new Set(disks.map((disk) => disk.bucket))];
  const problems: PreflightProblem[] = [];
  const bucketResults = await Promise.all(buckets.map((bucket) => bucketProblems(ctx, bucket)));
  bucketResults.forEach((found) => problems.push(...found));
  const badBuckets = new Set(buckets.filter((_, index) => bucketResults[index].length > 0));
  for (const [index, disk] of disks.entries()) {
    if (badBuckets.has(disk.bucket)) continue;
    const info = await ctx.storage().head(disk.bucket, disk.key);
    if (!info) {
      problems.push({
        subject: 'source',
        code: 'source.missing',
        message: `disks[${index}]: object ${disk.key} does not exist in bucket ${disk.bucket} (ImportImage would answer InvalidOSSObject.NotFound)`,
        fix: 'upload the disk image there first',
      });
    } else if (info.sizeBytes === 0) {
      problems.push({ subject: 'source', code: 'source.empty', message: `disks[${index}]: object ${disk.key} is empty (InvalidOSSObject.Size)`, fix: 'upload the disk image again' });
    } else if (disk.sizeGiB !== undefined && disk.sizeGiB * GIB < info.sizeBytes) {
      problems.push({
        subject: 'source',
        code: 'source.size',
        message: `disks[${index}]: sizeGiB ${disk.sizeGiB} is smaller than the ${Math.ceil(info.sizeBytes / GIB)} GiB file ${disk.key} (InvalidImageSize)`,
        fix: `set sizeGiB to at least ${Math.ceil(info.sizeBytes / GIB)}`,
      });
    }
  }
  problems.push(...(await roleProblems(ctx, importRoleOf(spec), 'import', buckets)));
  return { problems };
}
