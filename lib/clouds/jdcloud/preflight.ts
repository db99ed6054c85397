import { CloudError } from '../../model/cloud-error';
import { type PreflightProblem } from '../../model/preflight';
import { type ObjectStorage } from '../../storage/object-storage';
import { type JdcloudIamClient } from './iam-client';
import { policiesAllow, trustsDiskService } from './policy-check';
import { JD_SERVICE_ROLE_TYPE } from './iam-client';
import { jdBucketObjectsJrn } from './role-documents';
import { type JdImage } from './vm-client';

function isNotFound(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'not-found';
}

/** Every reason the JD export guide gives for refusing an image (not ready, not private, local disk, Windows Server). */
export function imageProblems(image: JdImage, region: string): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const id = image.imageId;
  if (image.status !== 'ready') {
    problems.push({
      subject: 'image',
      code: 'image.not-ready',
      message: `image ${id} in ${region} is "${image.status}"; only a "ready" (可用) image can be exported`,
      fix: 'wait until the image is ready, or pick another image',
    });
  }
  if (image.imageSource !== undefined && image.imageSource !== 'private') {
    problems.push({
      subject: 'image',
      code: 'image.not-private',
      message: `image ${id} is a ${image.imageSource} image; only your own private images can be exported (not public, marketplace, community or shared ones)`,
      fix: 'create a private image from an instance built on it, and export that',
    });
  }
  if (image.rootDeviceType !== undefined && image.rootDeviceType !== 'cloudDisk') {
    problems.push({
      subject: 'image',
      code: 'image.local-disk',
      message: `image ${id} has a ${image.rootDeviceType} system disk; only cloud-disk system-disk (云硬盘系统盘) images can be exported`,
      fix: 'convert it to a cloud-disk system-disk image first (https://docs.jdcloud.com/cn/virtual-machines/convert-image)',
    });
  }
  if (image.osType === 'windows' && image.imported !== true) {
    problems.push({
      subject: 'image',
      code: 'image.windows-not-imported',
      message: `image ${id} runs Windows Server and was not imported; JD Cloud exports Windows images only when they came from an import`,
    });
  }
  return problems;
}

/** Looks the image up; a missing image is a problem, not an error. */
export async function checkImage(describe: () => Promise<JdImage>, imageId: string, region: string): Promise<PreflightProblem[]> {
  try {
    return imageProblems(await describe(), region);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return [{ subject: 'image', code: 'image.missing', message: `image ${imageId} does not exist in ${region}` }];
  }
}

/** The bucket must exist and be in the image's region. */
export async function checkBucket(storage: ObjectStorage, bucket: string, region: string): Promise<PreflightProblem[]> {
  if (!(await storage.bucketExists(bucket))) {
    return [
      {
        subject: 'bucket',
        code: 'bucket.missing',
        message: `bucket ${bucket} does not exist in JD OSS ${region} (or these credentials cannot reach it)`,
        fix: `create it in ${region} first (imageport can: ensureBucket)`,
      },
    ];
  }
  const bucketRegion = await storage.bucketRegion(bucket);
  if (bucketRegion !== undefined && bucketRegion !== region) {
    return [
      {
        subject: 'bucket',
        code: 'bucket.region',
        message: `bucket ${bucket} is in ${bucketRegion} but the image is in ${region}; JD exports only into a bucket of the image's region`,
        fix: `use a bucket in ${region}`,
      },
    ];
  }
  return [];
}

/** What the role check needs. */
export interface RoleCheckInput {
  /** The role. */
  readonly roleName: string;
  /** The export bucket. */
  readonly bucket: string;
  /** A representative object key the export will write. */
  readonly key: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Account id, when known. @default - any account segment matches */
  readonly accountId?: string;
}

/**
 * The role must exist, be a service role trusted by the cloud-disk service, and have an attached policy that
 * allows `oss:PutObject` on the bucket's objects.
 */
export async function checkRole(iam: JdcloudIamClient, input: RoleCheckInput): Promise<PreflightProblem[]> {
  const { roleName, bucket } = input;
  let role;
  try {
    role = await iam.describeRole(roleName);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return [
      {
        subject: 'role',
        code: 'role.missing',
        message: `service role ${roleName} does not exist`,
        fix: 'create it (imageport can: ensureRole), trusted by the cloud-disk service (云硬盘), with the export policy attached',
      },
    ];
  }
  const problems: PreflightProblem[] = [];
  if (role.type !== undefined && role.type !== JD_SERVICE_ROLE_TYPE) {
    problems.push({
      subject: 'role',
      code: 'role.not-service-role',
      message: `role ${roleName} is of type ${role.type}; the export needs a service role (type 3)`,
    });
  }
  if (!trustsDiskService(role.assumeRolePolicyDocument)) {
    problems.push({
      subject: 'role',
      code: 'role.trust',
      message: `role ${roleName} is not trusted by the cloud-disk service (云硬盘, service code "disk"), which writes the export`,
      fix: 'set its trust relationship to the cloud-disk service',
    });
  }
  const attached = await iam.describeRolePolicies(roleName);
  const documents: (string | undefined)[] = [];
  for (const policy of attached) {
    try {
      documents.push((await iam.describePolicy(policy.policyName)).content);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  const accountId = input.accountId ?? role.account;
  if (!policiesAllow(documents, 'oss:PutObject', { bucket, key: input.key, region: input.region, accountId })) {
    problems.push({
      subject: 'role',
      code: attached.length === 0 ? 'role.no-policy' : 'role.permission',
      message:
        attached.length === 0
          ? `role ${roleName} has no policy attached; it needs oss:PutObject on ${jdBucketObjectsJrn(bucket, accountId)}`
          : `no policy attached to role ${roleName} (${attached.map((p) => p.policyName).join(', ')}) allows oss:PutObject on ${jdBucketObjectsJrn(bucket, accountId)}`,
      fix: 'attach the export policy scoped to this bucket (imageport can: ensureRole with this bucket in exportBuckets)',
    });
  }
  return problems;
}
