import * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { forwardingProvider } from '../provider/forwarding-provider';

/** One file an export wrote, as the export resource reports it. */
export interface ExportArtifact {
  /** Bucket holding the file. */
  readonly bucket: string;
  /** Object key. */
  readonly key: string;
  /** Format, canonical lower case (`vmdk`, `raw.tar.gz`, `qcow2`). */
  readonly format: string;
  /** Size in bytes, read back from the bucket. */
  readonly sizeBytes: number;
  /** `s3://bucket/key` (AWS), `oss://bucket/key` (Alibaba Cloud, JD Cloud). */
  readonly uri: string;
  /** `system`, or a data disk's name. @default system */
  readonly disk?: string;
}

/** Inputs of {@link ImageExportTask}: the export spec fields plus the provider's options, all plain JSON. */
export type ImageExportTaskProps = Record<string, pulumi.Input<unknown> | undefined>;

/**
 * The dynamic resource behind every cloud's `ImageExport` component: type
 * `pulumi-nodejs:dynamic/imageport/<cloud>:ImageExportTask`, its provider a forwarder to imageport's host-side
 * export provider (`pulumi/runtime/export-provider.ts`). Id: the cloud's task id.
 */
export class ImageExportTask extends pulumi.dynamic.Resource {
  /** The cloud's task id. */
  declare public readonly taskId: pulumi.Output<string>;
  /** The idempotency token the task was started with. */
  declare public readonly clientToken: pulumi.Output<string>;
  /** Task state when last seen (`succeeded` after a completed `pulumi up`). */
  declare public readonly taskState: pulumi.Output<string>;
  /** Object key of the system-disk artifact. */
  declare public readonly objectKey: pulumi.Output<string>;
  /** URI of the system-disk artifact. */
  declare public readonly uri: pulumi.Output<string>;
  /** Size of the system-disk artifact in bytes. */
  declare public readonly sizeBytes: pulumi.Output<number>;
  /** The requested format, canonical lower case. */
  declare public readonly format: pulumi.Output<string>;
  /** Format of the artifact as written, canonical lower case (`raw.tar.gz` for an Alibaba RAW export). */
  declare public readonly artifactFormat: pulumi.Output<string>;
  /** Every file the export wrote. */
  declare public readonly artifacts: pulumi.Output<ExportArtifact[]>;

  /**
   * @param cloud the cloud (part of the type token)
   * @param name logical name
   * @param props spec fields and provider options
   * @param opts resource options
   */
  constructor(cloud: CloudId, name: string, props: ImageExportTaskProps, opts?: pulumi.CustomResourceOptions) {
    super(
      forwardingProvider('image-export'),
      name,
      {
        ...props,
        cloud,
        taskId: undefined,
        clientToken: undefined,
        taskState: undefined,
        objectKey: undefined,
        uri: undefined,
        sizeBytes: undefined,
        artifactFormat: undefined,
        artifacts: undefined,
      },
      opts,
      `imageport/${cloud}`,
      'ImageExportTask',
    );
  }
}
