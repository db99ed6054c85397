import * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { forwardingProvider } from '../provider/forwarding-provider';

/** Inputs of {@link ImageImportTask}: the import spec fields plus the provider's options, all plain JSON. */
export type ImageImportTaskProps = Record<string, pulumi.Input<unknown> | undefined>;

/**
 * The dynamic resource behind every cloud's `ImageImport` component: type
 * `pulumi-nodejs:dynamic/imageport/<cloud>:ImageImportTask`, its provider a forwarder to imageport's host-side
 * import provider (`pulumi/runtime/import-provider.ts`). Id: the cloud's task id.
 */
export class ImageImportTask extends pulumi.dynamic.Resource {
  /** The cloud's task id. */
  declare public readonly taskId: pulumi.Output<string>;
  /** The idempotency token the task was started with. */
  declare public readonly clientToken: pulumi.Output<string>;
  /** Task state when last seen (`succeeded` after a completed `pulumi up`). */
  declare public readonly taskState: pulumi.Output<string>;
  /** The imported image. */
  declare public readonly imageId: pulumi.Output<string>;

  /**
   * @param cloud the cloud (part of the type token)
   * @param name logical name
   * @param props spec fields and provider options
   * @param opts resource options
   */
  constructor(cloud: CloudId, name: string, props: ImageImportTaskProps, opts?: pulumi.CustomResourceOptions) {
    super(
      forwardingProvider('image-import'),
      name,
      {
        ...props,
        cloud,
        // Said explicitly, so the state records it: state without one (written before imports had a removal
        // policy) keeps its image on delete, as was promised when it was written.
        removalPolicy: props.removalPolicy ?? 'destroy',
        taskId: undefined,
        clientToken: undefined,
        taskState: undefined,
        imageId: undefined,
      },
      opts,
      `imageport/${cloud}`,
      'ImageImportTask',
    );
  }
}
