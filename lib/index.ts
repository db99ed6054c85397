/**
 * imageport core: the model, the cloud drivers' contract, the waiter and object storage.
 * Front ends (`imageport/constructs`, `imageport/pulumi`, the CLI) build on this and nothing else.
 */
export * from './model';
export * from './clouds/cloud-driver';
export * from './clouds/cloud-rules';
export * from './storage/object-storage';
