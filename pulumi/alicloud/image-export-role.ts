import type * as pulumi from '@pulumi/pulumi';
import { AlicloudServiceRole, type ServiceRoleArgs } from './service-role';

/** Arguments of an {@link ImageExportRole}. */
export type ImageExportRoleArgs = ServiceRoleArgs;

/**
 * `AliyunECSImageExportDefaultRole`: the RAM role ECS assumes to write exports into OSS, type
 * `imageport:alicloud:ImageExportRole`. System policy `AliyunECSImageExportRolePolicy` by default; with
 * `policyMode: "scoped"`, a custom policy with the documented OSS actions on exactly `buckets`.
 */
export class ImageExportRole extends AlicloudServiceRole {
  /**
   * @param name logical name
   * @param args role name, policy mode, buckets
   * @param opts resource options
   */
  constructor(name: string, args: ImageExportRoleArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('imageport:alicloud:ImageExportRole', 'export', name, args, opts);
  }
}
