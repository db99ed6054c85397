/**
 * imageport core: the model, the cloud drivers' contract, the waiter and object storage.
 * Front ends (`imageport/constructs`, `imageport/pulumi`, the CLI) build on this and nothing else.
 *
 * Importing this module loads no cloud SDK: rules are pure, `createDriver` loads a cloud's SDK-backed module when a
 * driver is created, and the storage client creates its S3 client on first use.
 */
export * from './model';
export * from './clouds/cloud-driver';
export * from './clouds/cloud-rules';
export { rulesFor } from './clouds/rules';
export { createDriver } from './clouds/drivers';
export * from './storage';
export * from './wait';
