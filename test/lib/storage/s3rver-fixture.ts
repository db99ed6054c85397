import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3ProtocolStorage } from '../../../lib/storage/s3-protocol-storage';
import { type StreamingObjectStorage } from '../../../lib/storage/streaming-object-storage';
import { type CloudId } from '../../../lib/model/cloud';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/** A running s3rver (a real S3-protocol server that checks SigV4 with the key pair S3RVER/S3RVER). */
export interface S3rverFixture {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A storage client for the given cloud, signed with the S3RVER keys. */
  storage(cloud?: CloudId, overrides?: { secretAccessKey?: string; listVersion?: 1 | 2; listPageSize?: number }): StreamingObjectStorage;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

/** Starts s3rver on a free loopback port, storing into a fresh temporary folder. */
export async function startS3rver(): Promise<S3rverFixture> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = mkdtempSync(join(tmpdir(), 'imageport-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    storage: (cloud = 'aws', overrides = {}) =>
      createS3ProtocolStorage({
        cloud,
        region: cloud === 'aws' ? 'us-east-1' : cloud === 'alicloud' ? 'cn-hangzhou' : 'cn-north-1',
        endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: overrides.secretAccessKey ?? 'S3RVER' },
        maxAttempts: 1,
        ...(overrides.listVersion ? { listVersion: overrides.listVersion } : {}),
        ...(overrides.listPageSize ? { listPageSize: overrides.listPageSize } : {}),
      }),
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
