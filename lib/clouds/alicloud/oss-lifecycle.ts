import type * as S3Sdk from '@aws-sdk/client-s3';
import { type BucketSpec } from '../../model/role-spec';
import { SpecValidationError, type ValidationIssue } from '../../model/validation-issue';
import { type AlicloudStorageOptions } from './oss-storage';
import { toCloudError } from './errors';

/** One lifecycle rule in the S3 protocol's shape (what OSS's S3-compatible PutBucketLifecycle takes). */
export interface LifecycleRule {
  readonly ID: string;
  readonly Status: 'Enabled';
  readonly Filter: { readonly Prefix: string };
  readonly Expiration?: { readonly Days: number };
  readonly Transitions?: readonly { readonly Days: number; readonly StorageClass: string }[];
}

/**
 * OSS storage classes by their OSS name and their S3-protocol name. The mapping of OSS's S3-compatible endpoint
 * (IA ↔ STANDARD_IA, Archive ↔ GLACIER, ColdArchive ↔ DEEP_ARCHIVE) is UNCONFIRMED against the live service.
 */
const STORAGE_CLASSES: Readonly<Record<string, string>> = {
  ia: 'STANDARD_IA',
  standard_ia: 'STANDARD_IA',
  archive: 'GLACIER',
  glacier: 'GLACIER',
  coldarchive: 'DEEP_ARCHIVE',
  deep_archive: 'DEEP_ARCHIVE',
};

/**
 * The lifecycle rule of a bucket spec, or `undefined` when it asks for none. Pure.
 *
 * @throws SpecValidationError naming each bad field (days must be whole and positive, transition before expiry,
 *   a known storage class)
 */
export function lifecycleRuleOf(spec: BucketSpec): LifecycleRule | undefined {
  const lifecycle = spec.lifecycle;
  if (!lifecycle || (lifecycle.expireAfterDays === undefined && lifecycle.transitionAfterDays === undefined)) return undefined;
  const issues: ValidationIssue[] = [];
  const source = 'OSS lifecycle rules';
  for (const field of ['expireAfterDays', 'transitionAfterDays'] as const) {
    const days = lifecycle[field];
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
      issues.push({ field: `lifecycle.${field}`, value: days, rule: 'must be a whole number of days, at least 1', code: `lifecycle.${field}`, source });
    }
  }
  if (lifecycle.expireAfterDays !== undefined && lifecycle.transitionAfterDays !== undefined && lifecycle.transitionAfterDays >= lifecycle.expireAfterDays) {
    issues.push({
      field: 'lifecycle.transitionAfterDays',
      value: lifecycle.transitionAfterDays,
      rule: `must be less than expireAfterDays (${lifecycle.expireAfterDays})`,
      code: 'lifecycle.order',
      source,
    });
  }
  const storageClass = STORAGE_CLASSES[(lifecycle.transitionStorageClass ?? 'Archive').toLowerCase()];
  if (lifecycle.transitionAfterDays !== undefined && !storageClass) {
    issues.push({
      field: 'lifecycle.transitionStorageClass',
      value: lifecycle.transitionStorageClass,
      rule: 'is not an OSS storage class',
      code: 'lifecycle.storage-class',
      allowed: ['IA', 'Archive', 'ColdArchive'],
      source,
    });
  }
  if (issues.length > 0) throw new SpecValidationError(`bucket ${spec.name}`, issues);
  return {
    ID: 'imageport-exports',
    Status: 'Enabled',
    Filter: { Prefix: spec.lifecyclePrefix ?? '' },
    ...(lifecycle.expireAfterDays !== undefined ? { Expiration: { Days: lifecycle.expireAfterDays } } : {}),
    ...(lifecycle.transitionAfterDays !== undefined ? { Transitions: [{ Days: lifecycle.transitionAfterDays, StorageClass: storageClass }] } : {}),
  };
}

/** Writes a bucket's lifecycle configuration. */
export type LifecycleWriter = (options: AlicloudStorageOptions, bucket: string, rule: LifecycleRule) => Promise<void>;

/**
 * Writes the lifecycle rule with PutBucketLifecycleConfiguration over OSS's S3-compatible endpoint
 * (`@aws-sdk/client-s3`, loaded on first use). The shared `ObjectStorage` has no lifecycle call, hence this one.
 */
export const defaultLifecycleWriter: LifecycleWriter = async (options, bucket, rule) => {
  const s3 = require('@aws-sdk/client-s3') as typeof S3Sdk;
  const client = new s3.S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: {
      accessKeyId: options.credentials.accessKeyId,
      secretAccessKey: options.credentials.secretAccessKey,
      ...(options.credentials.sessionToken ? { sessionToken: options.credentials.sessionToken } : {}),
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    await client.send(
      new s3.PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: rule.ID,
              Status: rule.Status,
              Filter: { Prefix: rule.Filter.Prefix },
              ...(rule.Expiration ? { Expiration: { Days: rule.Expiration.Days } } : {}),
              ...(rule.Transitions
                ? { Transitions: rule.Transitions.map((t) => ({ Days: t.Days, StorageClass: t.StorageClass as S3Sdk.TransitionStorageClass })) }
                : {}),
            },
          ],
        },
      }),
    );
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number; requestId?: string }; message?: string };
    throw toCloudError('PutBucketLifecycle', { code: e.name, statusCode: e.$metadata?.httpStatusCode, requestId: e.$metadata?.requestId, message: e.message });
  } finally {
    client.destroy();
  }
};
