/**
 * The clouds imageport drives.
 *
 * - `aws`: Amazon EC2 VM Import/Export (ExportImage / ImportImage), S3.
 * - `alicloud`: Alibaba Cloud ECS (ExportImage / ImportImage), RAM, OSS.
 * - `jdcloud`: JD Cloud VM (exportImage / importImage), IAM, JD OSS.
 */
export type CloudId = 'aws' | 'alicloud' | 'jdcloud';

/** Every {@link CloudId}, in display order. */
export const CLOUD_IDS: readonly CloudId[] = ['aws', 'alicloud', 'jdcloud'];

/** Human-readable name of each cloud, for messages. */
export const CLOUD_NAMES: Readonly<Record<CloudId, string>> = {
  aws: 'AWS',
  alicloud: 'Alibaba Cloud',
  jdcloud: 'JD Cloud',
};

/** True when `value` names a cloud imageport supports. */
export function isCloudId(value: unknown): value is CloudId {
  return typeof value === 'string' && (CLOUD_IDS as readonly string[]).includes(value);
}
