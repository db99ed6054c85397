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

/** Creates an s3rver app over `directory` (nothing listens: the object store calls its request listener). */
export function createS3rver(directory: string): S3rverApp {
  const S3rver = require('s3rver') as S3rverConstructor;
  const app = new S3rver({ directory, silent: true, resetOnClose: false, vhostBuckets: false, allowMismatchedSignatures: false });
  app.silent = true;
  app.on('error', () => undefined);
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
