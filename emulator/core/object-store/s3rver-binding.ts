import { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * The few parts of `s3rver` (3.7.x, untyped CommonJS) the object store uses. Kept in one file so an upgrade of
 * s3rver has one place to check: the on-disk layout (`<bucket>/<key>._S3rver_object` plus
 * `._S3rver_metadata.json` / `._S3rver_object.md5`) and the global account registry.
 */
export interface S3rverApp {
  /** Koa request listener. */
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  /** Koa: do not print errors. */
  silent: boolean;
  /** Koa error events (s3rver emits one per S3 error). */
  on(event: 'error', listener: () => void): void;
  /** s3rver's filesystem store. */
  readonly store: S3rverStore;
}

/** s3rver's `FilesystemStore`. */
export interface S3rverStore {
  /** Folder holding one sub-folder per bucket. */
  readonly rootDirectory: string;
  /** File of one object resource (`object`, `metadata.json`, `object.md5`). */
  getResourcePath(bucket: string, key: string, resource: string): string;
}

interface S3rverConstructor {
  new (options: { directory: string; silent: boolean; resetOnClose: boolean; vhostBuckets: boolean; allowMismatchedSignatures: boolean }): S3rverApp;
}

interface AwsAccountConstructor {
  new (accountId: number, displayName: string): { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
  readonly registry: Map<string, unknown>;
}

/** s3rver's error class (`lib/models/error.js`): `detail` members are rendered after `Code` and `Message`. */
interface S3rverErrorConstructor {
  new (code: string, message: string, detail?: Record<string, string>): S3rverError;
  fromError(error: Error): S3rverError;
}

interface S3rverError extends Error {
  detail: Record<string, string>;
}

/** The part of a Koa context s3rver's error handler uses. */
interface KoaErrorContext {
  readonly res: { getHeader(name: string): unknown };
}

/**
 * Creates an s3rver app over `directory` (nothing listens: the object store calls its request listener). Its error
 * answers get the `RequestId` and `HostId` S3 puts in every error body (s3rver writes only `Code`, `Message` and
 * details), taken from the `x-amz-request-id` / `x-amz-id-2` headers the store set before delegating.
 */
export function createS3rver(directory: string): S3rverApp {
  const S3rver = require('s3rver') as S3rverConstructor;
  const S3Error = require('s3rver/lib/models/error') as S3rverErrorConstructor;
  const app = new S3rver({ directory, silent: true, resetOnClose: false, vhostBuckets: false, allowMismatchedSignatures: false });
  app.silent = true;
  app.on('error', () => undefined);
  const context = (app as unknown as { context: { onerror: (this: KoaErrorContext, error: unknown) => void } }).context;
  const renderError = context.onerror;
  context.onerror = function onerror(this: KoaErrorContext, error: unknown) {
    if (error === null || error === undefined) return renderError.call(this, error);
    const s3Error = error instanceof S3Error ? error : S3Error.fromError(error instanceof Error ? error : new Error(String(error)));
    const requestId = this.res.getHeader('x-amz-request-id');
    const hostId = this.res.getHeader('x-amz-id-2');
    if (typeof requestId === 'string' && typeof hostId === 'string') s3Error.detail = { ...s3Error.detail, RequestId: requestId, HostId: hostId };
    return renderError.call(this, s3Error);
  };
  return app;
}

/**
 * Registers a key pair in s3rver's (process-wide) account registry so its own checks accept it. s3rver's built-in
 * `S3RVER` key stays registered (other s3rver users in the process may rely on it); the object store refuses it
 * anyway, because its own SigV4 check knows only the emulator's key.
 */
export function registerS3rverKey(accountId: string, displayName: string, accessKeyId: string, secretAccessKey: string): void {
  const AwsAccount = require('s3rver/lib/models/account') as AwsAccountConstructor;
  if (AwsAccount.registry.has(accessKeyId)) return;
  new AwsAccount(Number(accountId.replace(/\D/g, '').slice(0, 15)) || 0, displayName).createKeyPair(accessKeyId, secretAccessKey);
}

/** Suffix s3rver gives object data files. */
export const S3RVER_OBJECT_SUFFIX = '._S3rver_object';
