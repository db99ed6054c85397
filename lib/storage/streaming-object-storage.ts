import { type Readable } from 'node:stream';
import { type ObjectStorage } from './object-storage';

/**
 * An {@link ObjectStorage} that can also stream a whole object, so a checksum can be computed without buffering
 * the object. `createS3ProtocolStorage` returns one; other implementations may not.
 */
export interface StreamingObjectStorage extends ObjectStorage {
  /** The whole object as a byte stream (one GET). */
  readStream(bucket: string, key: string): Promise<Readable>;
}

/** True when `storage` can stream objects. */
export function isStreamingObjectStorage(storage: ObjectStorage): storage is StreamingObjectStorage {
  return typeof (storage as Partial<StreamingObjectStorage>).readStream === 'function';
}
