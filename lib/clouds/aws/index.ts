/**
 * AWS: pure rules and documents (`rules.ts`, `role-documents.ts`, `policy-evaluator.ts`, `role-checks.ts`,
 * `image-checks.ts`, `bucket-documents.ts` load no SDK), and the driver on the AWS SDK v3 clients.
 */
export * from './rules';
export * from './name-rules';
export * from './disk-rules';
export * from './role-documents';
export * from './policy-evaluator';
export * from './role-checks';
export * from './image-checks';
export * from './bucket-documents';
export * from './task-snapshot';
export * from './ec2-requests';
export * from './errors';
export * from './clients';
export * from './storage';
export * from './preflight';
export { parsePolicyDocument } from './iam-api';
export { canonicalJson } from './role-setup';
export { createAwsDriver, type AwsDriverOptions } from './driver';
