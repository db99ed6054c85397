/** Object storage over the S3 protocol (S3, OSS, JD OSS), disk image header parsers, and artifact verification. */
export * from './endpoints';
export * from './formats';
export * from './object-storage';
export * from './s3-errors';
export * from './s3-protocol-storage';
export * from './streaming-object-storage';
export * from './verify-artifact';
