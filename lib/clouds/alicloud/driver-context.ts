import { type ObjectStorage } from '../../storage/object-storage';
import { type AlicloudApi } from './api';

/** What the driver's operations share: region, the API, the object store and what this driver cancelled. */
export interface DriverContext {
  /** Region of every call. */
  readonly region: string;
  /** ECS and RAM calls. */
  readonly api: AlicloudApi;
  /** The OSS store of this region, over the S3 protocol (created on first use). */
  readonly storage: () => ObjectStorage;
  /** Account id, for matching policy resources. @default - unknown: any account matches */
  readonly accountId?: string;
  /** Task ids this driver asked to cancel, so a later `Deleted` reads as cancelled even if the ref was not updated. */
  readonly cancelled: Set<string>;
  /** Waits between lookups of a task ECS says exists but does not list yet. */
  readonly sleep: (ms: number) => Promise<void>;
  /** How long to wait between those lookups, ms. */
  readonly lookupDelayMs: number;
}
