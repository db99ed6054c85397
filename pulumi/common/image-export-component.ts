import * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { type ExportArtifact, ImageExportTask, type ImageExportTaskProps } from './image-export-task';
import { childTaskOptions, type TaskRequestArgs, waitInputs } from './task-args';

/** What happens to what a task produced (an export's objects, an import's image) when its resource is deleted. */
export type ArtifactRemovalPolicy = 'retain' | 'destroy';

/** Arguments every cloud's `ImageExport` takes. */
export interface ImageExportArgsBase extends TaskRequestArgs {
  /** The image to export: an AMI id (`ami-…`), an Alibaba custom image id (`m-…`), a JD private image id (`img-…`). */
  readonly imageId: pulumi.Input<string>;
  /** Destination bucket. It must exist in the image's region, and the service role must be able to write to it. */
  readonly bucket: pulumi.Input<string>;
  /**
   * Key prefix of the exported objects. AWS uses it raw (`exports/` gives `exports/export-ami-….vmdk`); Alibaba
   * Cloud allows 1-30 letters and digits; JD Cloud letters and digits, at most 32.
   * @default - no prefix
   */
  readonly prefix?: pulumi.Input<string>;
  /**
   * What `pulumi destroy` (or a replacement) does with the exported objects: `retain` keeps them, like a bucket's
   * default; `destroy` deletes them once the task has ended. A running task is cancelled either way.
   * @default "retain"
   */
  readonly removalPolicy?: pulumi.Input<ArtifactRemovalPolicy>;
  /**
   * Check each artifact after the task: size read back from the bucket, format magic and header read with a
   * ranged GET.
   * @default true
   */
  readonly verifyArtifacts?: pulumi.Input<boolean>;
}

/**
 * The export component shared by the three clouds: one `ImageExportTask` dynamic resource as its child, its
 * outputs surfaced. Subclasses fix the type token and the cloud.
 *
 * Lifecycle: image, format, bucket, prefix and role (and region, data disks) replace the export, the old one
 * deleted first; tags (re-tagged on the cloud where it can: AWS; a warning elsewhere), description and the options
 * update in place. See `pulumi/runtime/export-provider.ts`.
 */
export abstract class ImageExportComponent extends pulumi.ComponentResource {
  /** The cloud's task id. */
  public readonly taskId: pulumi.Output<string>;
  /** Object key of the exported (system-disk) file. */
  public readonly objectKey: pulumi.Output<string>;
  /** Where it landed: `s3://bucket/key` (AWS), `oss://bucket/key` (Alibaba Cloud, JD Cloud). */
  public readonly uri: pulumi.Output<string>;
  /** Size of the exported file in bytes, read back from the bucket. */
  public readonly sizeBytes: pulumi.Output<number>;
  /** Format of the exported file, canonical lower case (`vmdk`, `raw.tar.gz`, `qcow2`). */
  public readonly format: pulumi.Output<string>;
  /** The bucket the export was written to. */
  public readonly bucket: pulumi.Output<string>;
  /** Every file the export wrote (data disks included). */
  public readonly artifacts: pulumi.Output<ExportArtifact[]>;
  /** The dynamic resource that runs the export. */
  public readonly task: ImageExportTask;

  /**
   * @param type the component's type token (`imageport:aws:ImageExport`)
   * @param cloud the cloud
   * @param name logical name
   * @param args spec fields (named as in the core's `ExportSpec`) and options
   * @param opts resource options; `customTimeouts` also set the wait defaults
   */
  protected constructor(
    type: string,
    cloud: CloudId,
    name: string,
    args: ImageExportArgsBase & { readonly region: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const { waitTimeout: _wait, deleteTimeout: _delete, clientToken, ...spec } = args;
    this.task = new ImageExportTask(
      cloud,
      name,
      { ...(spec as ImageExportTaskProps), ...waitInputs(args, opts), tokenScope: this.urn, requestedClientToken: clientToken },
      childTaskOptions(this, opts),
    );
    this.taskId = this.task.taskId;
    this.objectKey = this.task.objectKey;
    this.uri = this.task.uri;
    this.sizeBytes = this.task.sizeBytes;
    this.format = this.task.artifactFormat;
    this.bucket = pulumi.output(args.bucket);
    this.artifacts = this.task.artifacts;
    this.registerOutputs({
      taskId: this.taskId,
      objectKey: this.objectKey,
      uri: this.uri,
      sizeBytes: this.sizeBytes,
      format: this.format,
      bucket: this.bucket,
      artifacts: this.artifacts,
    });
  }
}
