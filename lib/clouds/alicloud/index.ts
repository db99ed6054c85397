/**
 * Alibaba Cloud: pure rules (`alicloudRules`, no SDK import), role documents, error mapping, and the driver on the
 * official SDKs (`createAlicloudDriver`, which loads `@alicloud/ecs20140526` / `@alicloud/ram20150501` on first use).
 */
export * from './constants';
export * from './rules';
export * from './export-rules';
export * from './import-rules';
export * from './role-documents';
export * from './policy-check';
export * from './errors';
export * from './api';
export * from './connection-config';
export * from './requests';
export * from './task-mapping';
export * from './image-checks';
export * from './oss-storage';
export * from './oss-lifecycle';
export * from './driver';
