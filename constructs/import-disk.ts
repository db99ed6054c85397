import type * as s3 from 'aws-cdk-lib/aws-s3';
import { type ImportFormat } from './import-options';

/** Options shared by every {@link ImportDisk}. */
export interface ImportDiskOptions {
  /**
   * Format of this disk's file.
   * @default - the `format` of the `ImageImport`
   */
  readonly format?: ImportFormat;
  /**
   * Description of the disk (`DiskContainer.Description`).
   * @default - none
   */
  readonly description?: string;
  /**
   * Device name (`DiskContainer.DeviceName`).
   * @default - assigned by EC2
   */
  readonly deviceName?: string;
}

/**
 * One disk of an `ImageImport`: a file in an S3 bucket, a URL, or an EBS snapshot. The first disk is the boot disk.
 */
export class ImportDisk {
  /**
   * A disk file in a bucket of the stack's region. The VM Import/Export role is granted read access to it.
   * @param bucket the bucket holding the file
   * @param key the object key of the file
   * @param options format, description, device name
   */
  public static fromBucket(bucket: s3.IBucket, key: string, options: ImportDiskOptions = {}): ImportDisk {
    return new ImportDisk({ bucket, key }, options);
  }

  /**
   * A disk file reachable by URL: `https://…` (for example a presigned URL) or `s3://bucket/key`.
   * The role gets no grant for it: grant access yourself when it is an `s3://` URL.
   * @param url the URL
   * @param options format, description, device name
   */
  public static fromUrl(url: string, options: ImportDiskOptions = {}): ImportDisk {
    return new ImportDisk({ url }, options);
  }

  /**
   * An EBS snapshot (`snap-…`) of this account and region.
   * @param snapshotId the snapshot id
   * @param options format, description, device name
   */
  public static fromSnapshot(snapshotId: string, options: ImportDiskOptions = {}): ImportDisk {
    return new ImportDisk({ snapshotId }, options);
  }

  /** Source bucket, for a bucket disk. */
  public readonly bucket?: s3.IBucket;
  /** Source key, for a bucket disk. */
  public readonly key?: string;
  /** Source URL, for a URL disk. */
  public readonly url?: string;
  /** Source snapshot, for a snapshot disk. */
  public readonly snapshotId?: string;
  /** Format, description and device name. */
  public readonly options: ImportDiskOptions;

  private constructor(
    source: { bucket?: s3.IBucket; key?: string; url?: string; snapshotId?: string },
    options: ImportDiskOptions,
  ) {
    this.bucket = source.bucket;
    this.key = source.key;
    this.url = source.url;
    this.snapshotId = source.snapshotId;
    this.options = options;
  }
}
