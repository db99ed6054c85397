import { type ExportImageTask, type ImportImageTask } from '@aws-sdk/client-ec2';
import { normalizeDiskFormat } from '../../model/disk-format';
import { type AwsExportSpec } from '../../model/export-spec';
import { type AwsImportSpec } from '../../model/import-spec';
import { type PreflightProblem, type PreflightReport } from '../../model/preflight';
import { type ObjectStorage } from '../../storage/object-storage';
import { type Ec2Api } from './ec2-api';
import { tokenOfTags } from './ec2-requests';
import { isCloudErrorKind } from './errors';
import { type IamApi } from './iam-api';
import { checkExportableImage } from './image-checks';
import { checkRolePermissions, checkTrustPolicy, exportPermissionNeeds, importPermissionNeeds, type PermissionNeed } from './role-checks';
import { partitionOfRegion } from './role-documents';
import { AWS_DEFAULT_ROLE_NAME } from './rules';
import { type S3Api } from './s3-api';

/** Default concurrent conversion tasks per region ("5 … adjustable up to 20"). */
export const AWS_DEFAULT_CONCURRENT_TASKS = 5;

/** What the preflight checks read from. */
export interface AwsPreflightDeps {
  /** The driver's region. */
  readonly region: string;
  /** EC2 calls. */
  readonly ec2: Ec2Api;
  /** IAM and STS calls. */
  readonly iam: IamApi;
  /** S3 bucket-configuration calls. */
  readonly s3: S3Api;
  /** The region's object store. */
  readonly storage: () => ObjectStorage;
  /** The caller's account id (cached by the driver). */
  readonly accountId: () => Promise<string | undefined>;
  /** Concurrent conversion tasks allowed in the region. */
  readonly maxConcurrentTasks: number;
}

/**
 * Read-only checks before an export, each reported with what exactly is wrong and how to fix it: role missing,
 * untrusted or lacking a named permission on the named bucket; AMI missing, malformed, not available, encrypted,
 * Marketplace, third-party software, shared, over 1 TiB; an export of the same AMI already running; bucket missing,
 * in another region or encrypted with SSE-KMS; the conversion-task quota already reached.
 * A running task tagged with `spec.clientToken` is this same export (a retry) and is not held against it.
 */
export async function preflightAwsExport(deps: AwsPreflightDeps, spec: AwsExportSpec): Promise<PreflightReport> {
  const roleName = spec.roleName ?? AWS_DEFAULT_ROLE_NAME;
  const extension = normalizeDiskFormat(spec.format) ?? 'vmdk';
  const partition = partitionOfRegion(deps.region);
  const [role, image, bucket, tasks] = await Promise.all([
    checkRole(deps, roleName, exportPermissionNeeds(spec.bucket, spec.prefix ?? '', extension, partition)),
    checkImage(deps, spec.imageId),
    checkExportBucket(deps, spec.bucket),
    checkRunningTasks(deps, spec.clientToken, spec.imageId),
  ]);
  return { problems: [...role, ...image, ...bucket, ...tasks] };
}

/**
 * Read-only checks before an import: every source object exists in a bucket of this region (snapshots exist), the
 * role exists, trusts VM Import/Export and can read each source, and the conversion-task quota is not reached.
 */
export async function preflightAwsImport(deps: AwsPreflightDeps, spec: AwsImportSpec): Promise<PreflightReport> {
  const roleName = spec.roleName ?? AWS_DEFAULT_ROLE_NAME;
  const objects = spec.disks.flatMap((disk) => {
    if ('bucket' in disk && 'key' in disk) return [{ bucket: disk.bucket, key: disk.key }];
    if ('url' in disk) {
      const parsed = parseS3Url(disk.url);
      return parsed ? [parsed] : [];
    }
    return [];
  });
  const snapshots = spec.disks.flatMap((disk) => ('snapshotId' in disk ? [disk.snapshotId] : []));
  const [role, sources, snapshotProblems, tasks] = await Promise.all([
    checkRole(deps, roleName, importPermissionNeeds(objects, partitionOfRegion(deps.region))),
    checkSourceObjects(deps, objects),
    checkSnapshots(deps, snapshots),
    checkRunningTasks(deps, spec.clientToken),
  ]);
  return { problems: [...sources, ...snapshotProblems, ...role, ...tasks] };
}

/** `{ bucket, key }` of an `s3://bucket/key` URL, else `undefined`. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  return match ? { bucket: match[1], key: decodeURIComponent(match[2]) } : undefined;
}

/** A bucket region as S3 reports it, normalised (`''`/`null` is us-east-1, `EU` is eu-west-1). */
export function normalizeBucketRegion(region: string | undefined | null): string {
  if (!region) return 'us-east-1';
  return region === 'EU' ? 'eu-west-1' : region;
}

async function checkRole(deps: AwsPreflightDeps, roleName: string, needs: readonly PermissionNeed[]): Promise<PreflightProblem[]> {
  const info = await deps.iam.getRole(roleName);
  if (!info) {
    return [
      {
        subject: 'role',
        code: 'role.missing',
        message: `role "${roleName}" does not exist in this account (AWS only says "the service role <${roleName}> does not exist or does not have sufficient permissions")`,
        fix: `create it with the documented vmimport trust and permission policies: let imageport manage it (driver ensureRole), or "aws iam create-role --role-name ${roleName}" and "aws iam put-role-policy"`,
      },
    ];
  }
  const [accountId, policies] = await Promise.all([deps.accountId(), deps.iam.rolePolicies(roleName)]);
  return [...checkTrustPolicy(roleName, info.trustPolicy, { accountId }), ...checkRolePermissions(roleName, policies, needs)];
}

async function checkImage(deps: AwsPreflightDeps, imageId: string): Promise<PreflightProblem[]> {
  try {
    const [image, accountId] = await Promise.all([deps.ec2.describeImage(imageId), deps.accountId()]);
    return checkExportableImage(image, { imageId, region: deps.region, accountId });
  } catch (error) {
    if (isCloudErrorKind(error, 'invalid')) {
      return [{ subject: 'image', code: 'image.malformed', message: `AMI id "${imageId}" is malformed (${error.message})`, fix: 'use an AMI id like ami-0123456789abcdef0' }];
    }
    throw error;
  }
}

async function checkExportBucket(deps: AwsPreflightDeps, bucket: string): Promise<PreflightProblem[]> {
  const storage = deps.storage();
  if (!(await storage.bucketExists(bucket))) {
    return [
      {
        subject: 'bucket',
        code: 'bucket.missing',
        message: `bucket "${bucket}" does not exist (or is not reachable with these credentials): VM Export needs an existing bucket in ${deps.region}`,
        fix: `create it in ${deps.region} (driver ensureBucket creates it hardened: SSE-S3, public access blocked, TLS only)`,
      },
    ];
  }
  const region = normalizeBucketRegion(await storage.bucketRegion(bucket));
  if (region !== deps.region) {
    return [
      {
        subject: 'bucket',
        code: 'bucket.region',
        message: `bucket "${bucket}" is in ${region}, not in ${deps.region}: VM Export writes only to a bucket in the AMI's region`,
        fix: `use a bucket in ${deps.region}, or copy the AMI to ${region} and export it there`,
      },
    ];
  }
  const algorithms = await deps.s3.defaultEncryption(bucket);
  const kms = (algorithms ?? []).filter((a) => a.startsWith('aws:kms'));
  if (kms.length > 0) {
    return [
      {
        subject: 'bucket',
        code: 'bucket.encryption',
        message: `bucket "${bucket}" encrypts with SSE-KMS by default (${kms.join(', ')}): VM Export writes only to unencrypted or SSE-S3 buckets`,
        fix: 'set the default encryption to SSE-S3 (AES256), or export to another bucket',
      },
    ];
  }
  return [];
}

async function checkSourceObjects(deps: AwsPreflightDeps, objects: readonly { bucket: string; key: string }[]): Promise<PreflightProblem[]> {
  const storage = deps.storage();
  const problems: PreflightProblem[] = [];
  const buckets = [...new Set(objects.map((o) => o.bucket))];
  const usable = new Set<string>();
  for (const bucket of buckets) {
    if (!(await storage.bucketExists(bucket))) {
      problems.push({ subject: 'source', code: 'source.bucket-missing', message: `source bucket "${bucket}" does not exist (or is not reachable with these credentials)`, fix: 'check the bucket name' });
      continue;
    }
    const region = normalizeBucketRegion(await storage.bucketRegion(bucket));
    if (region !== deps.region) {
      problems.push({
        subject: 'source',
        code: 'source.bucket-region',
        message: `source bucket "${bucket}" is in ${region}, not in ${deps.region}: "The given S3 bucket is not local to the Region"`,
        fix: `copy the disk files to a bucket in ${deps.region}, or import in ${region}`,
      });
      continue;
    }
    usable.add(bucket);
  }
  for (const { bucket, key } of objects) {
    if (!usable.has(bucket)) continue;
    if (!(await storage.head(bucket, key))) {
      problems.push({ subject: 'source', code: 'source.missing', message: `source object s3://${bucket}/${key} does not exist`, fix: 'upload the disk file first, or fix the key' });
    }
  }
  return problems;
}

async function checkSnapshots(deps: AwsPreflightDeps, snapshotIds: readonly string[]): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  for (const snapshotId of snapshotIds) {
    if (!(await deps.ec2.describeSnapshot(snapshotId))) {
      problems.push({ subject: 'source', code: 'source.snapshot-missing', message: `snapshot ${snapshotId} does not exist in ${deps.region}`, fix: 'check the snapshot id and region' });
    }
  }
  return problems;
}

async function checkRunningTasks(deps: AwsPreflightDeps, clientToken: string | undefined, exportImageId?: string): Promise<PreflightProblem[]> {
  const [exports, imports] = await Promise.all([deps.ec2.listExportTasks(), deps.ec2.listImportTasks()]);
  const active = <T extends ExportImageTask | ImportImageTask>(tasks: readonly T[]) => tasks.filter((t) => t.Status === 'active');
  const mine = (t: ExportImageTask | ImportImageTask) => clientToken !== undefined && tokenOfTags(t.Tags) === clientToken;
  const running = [...active(exports), ...active(imports)];
  if (running.some(mine)) return []; // this very task is already running: starting again adopts it
  const problems: PreflightProblem[] = [];
  if (exportImageId !== undefined) {
    const same = active(exports).filter((t) => t.ImageId === exportImageId);
    for (const task of same) {
      const where = task.S3ExportLocation ? ` to s3://${task.S3ExportLocation.S3Bucket}/${task.S3ExportLocation.S3Prefix ?? ''}` : '';
      problems.push({
        subject: 'image',
        code: 'image.export-running',
        message: `an export of ${exportImageId} is already running (${task.ExportImageTaskId}${where}): AWS allows one export task per AMI at a time`,
        fix: `wait for ${task.ExportImageTaskId} to finish or cancel it; if it is this same export, start with the same client token to adopt it`,
      });
    }
  }
  if (running.length >= deps.maxConcurrentTasks) {
    const ids = [...active(exports).map((t) => t.ExportImageTaskId), ...active(imports).map((t) => t.ImportTaskId)].join(', ');
    problems.push({
      subject: 'quota',
      code: 'quota.concurrent-tasks',
      message: `${running.length} conversion tasks are already running in ${deps.region} (limit ${deps.maxConcurrentTasks}): ${ids}`,
      fix: 'wait for one to finish, or ask AWS to raise the concurrent conversion task quota (adjustable up to 20)',
    });
  }
  return problems;
}
