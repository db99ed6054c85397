import { CloudError } from '../../model/cloud-error';
import { type BucketOutcome, type BucketSpec } from '../../model/role-spec';
import { type ObjectStorage } from '../../storage/object-storage';
import { lifecycleRuleOf, mergeLifecycleRules, withTlsOnlyStatement } from './bucket-documents';
import { canonicalJson } from './role-setup';
import { normalizeBucketRegion } from './preflight';
import { partitionOfRegion } from './role-documents';
import { type S3Api } from './s3-api';

/**
 * Creates an export bucket, or takes an existing one in the same region, and hardens it the way VM Export needs
 * and security reviews expect: object ownership BucketOwnerEnforced, every public access blocked, default
 * encryption SSE-S3 (never SSE-KMS, which export refuses; an existing default encryption is left as it is), a
 * TLS-only bucket policy statement (added to any existing policy), and imageport's lifecycle rule (other rules kept).
 * Idempotent: a second run changes nothing and a run after a crash finishes the hardening.
 */
export async function ensureAwsBucket(storage: ObjectStorage, s3: S3Api, spec: BucketSpec): Promise<BucketOutcome> {
  const { name } = spec;
  let created = false;
  if (await storage.bucketExists(name)) {
    const region = normalizeBucketRegion(await storage.bucketRegion(name));
    if (region !== spec.region) {
      throw new CloudError({
        cloud: 'aws',
        operation: 'ensureBucket',
        code: 'BucketInAnotherRegion',
        message: `bucket "${name}" already exists in ${region}, not in ${spec.region}; VM Export needs the bucket in the image's region`,
        kind: 'conflict',
      });
    }
  } else {
    await storage.createBucket(name);
    created = true;
  }
  await s3.enforceBucketOwner(name);
  await s3.blockPublicAccess(name);
  const encryption = created ? [] : await s3.defaultEncryption(name);
  if (created || (encryption !== undefined && encryption.length === 0)) await s3.encryptWithS3ManagedKeys(name);
  const policy = withTlsOnlyStatement(await s3.bucketPolicy(name), name, partitionOfRegion(spec.region));
  if (policy) await s3.putBucketPolicy(name, policy);
  const rule = lifecycleRuleOf(spec);
  const existingRules = rule || !created ? await s3.lifecycleRules(name) : [];
  const merged = mergeLifecycleRules(existingRules, rule);
  if (canonicalJson(merged) !== canonicalJson(existingRules)) {
    if (merged.length > 0) await s3.putLifecycleRules(name, merged);
    else await s3.deleteLifecycle(name);
  }
  return { name, created };
}

/** Deletes a bucket; with `force`, every object in it first. A missing bucket is fine. */
export async function deleteAwsBucket(storage: ObjectStorage, name: string, force: boolean): Promise<void> {
  if (!(await storage.bucketExists(name))) return;
  if (force) {
    for (const object of await storage.list(name)) await storage.delete(name, object.key);
  }
  await storage.deleteBucket(name);
}
