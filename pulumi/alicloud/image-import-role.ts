import type * as pulumi from '@pulumi/pulumi';
import { AlicloudServiceRole, type ServiceRoleArgs } from './service-role';

/** Arguments of an {@link ImageImportRole}. */
export type ImageImportRoleArgs = ServiceRoleArgs;

/**
 * `AliyunECSImageImportDefaultRole`: the RAM role ECS assumes to read disk images from OSS, type
 * `imageport:alicloud:ImageImportRole`. System policy `AliyunECSImageImportRolePolicy` by default; with
 * `policyMode: "scoped"`, a custom policy with the documented OSS read actions on exactly `buckets`.
 */
export class ImageImportRole extends AlicloudServiceRole {
  /**
   * @param name logical name
   * @param args role name, policy mode, buckets
   * @param opts resource options
   */
  constructor(name: string, args: ImageImportRoleArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:alicloud:ImageImportRole', 'import', name, args, opts);
  }
}
