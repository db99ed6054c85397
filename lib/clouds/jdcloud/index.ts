/**
 * JD Cloud: rules (pure), the JDCLOUD2/JDCLOUD3 signer, a small typed vm/IAM client, and the driver.
 * `jdcloudRules` and the rules helpers import nothing that touches the network.
 */
export * from './rules';
export * from './signer';
export * from './errors';
export * from './settings';
export * from './api-client';
export * from './vm-client';
export * from './iam-client';
export * from './role-documents';
export * from './policy-check';
export * from './oss-url';
export * from './task-snapshot';
export * from './preflight';
export * from './storage';
export * from './driver';
export * from './drain-and-remove';
