import * as pulumi from '@pulumi/pulumi';
import { type CloudId } from '../../lib/model/cloud';
import { ImageImportTask, type ImageImportTaskProps } from './image-import-task';
import { type ArtifactRemovalPolicy } from './image-export-component';
import { childTaskOptions, type TaskRequestArgs, waitInputs } from './task-args';

/** Where one disk of an import comes from: a bucket object, a URL, or (AWS) an EBS snapshot. */
export interface ImportDiskArgs {
  /** Bucket holding the disk file (same cloud and region). @default - not a bucket object */
  readonly bucket?: pulumi.Input<string>;
  /** Object key of the disk file; with `bucket`. @default - not a bucket object */
  readonly key?: pulumi.Input<string>;
  /** URL of the disk file (`https://…`, `s3://…` on AWS, a JD OSS link on JD Cloud). @default - not a URL */
  readonly url?: pulumi.Input<string>;
  /** EBS snapshot id (AWS only). @default - not a snapshot */
  readonly snapshotId?: pulumi.Input<string>;
  /** Format of the disk file, any letter case. @default - detected where the cloud can (Alibaba), else required */
  readonly format?: pulumi.Input<string>;
  /** Description of the disk (AWS). @default - none */
  readonly description?: pulumi.Input<string>;
  /** Device name (AWS). @default - assigned by the cloud */
  readonly deviceName?: pulumi.Input<string>;
  /** Size of the disk in GiB (Alibaba; JD system disk). @default - the cloud's default */
  readonly sizeGiB?: pulumi.Input<number>;
}

/** Arguments every cloud's `ImageImport` takes. */
export interface ImageImportArgsBase extends TaskRequestArgs {
  /** The disks, system disk first. */
  readonly disks: pulumi.Input<pulumi.Input<ImportDiskArgs>[]>;
  /** Description of the import. @default - none */
  readonly description?: pulumi.Input<string>;
  /** CPU architecture (`x86_64`, `i386`, `arm64`; subset per cloud). @default "x86_64" */
  readonly architecture?: pulumi.Input<string>;
  /** Operating-system platform in the cloud's vocabulary (`Linux`, `Ubuntu`, `Windows`). @default - the cloud's default */
  readonly platform?: pulumi.Input<string>;
  /** Boot mode: `bios` or `uefi` (or the cloud's own spelling). @default - the cloud's default (BIOS) */
  readonly bootMode?: pulumi.Input<string>;
  /**
   * What `pulumi destroy` (or a replacement, which creates the new import first) does with the imported image:
   * `destroy` deletes it (AWS: deregisters the AMI and deletes its snapshots), like every resource of a stack and
   * like the pipeline CLI's `removal: destroy`; `retain` keeps it. A running import is cancelled either way (JD Cloud
   * cannot cancel: its end is awaited, then the image is deleted).
   * @default "destroy"
   */
  readonly removalPolicy?: pulumi.Input<ArtifactRemovalPolicy>;
}

/**
 * The import component shared by the three clouds: one `ImageImportTask` dynamic resource as its child, its
 * outputs surfaced. Every field but tags, description and the options replaces the import (the new one is created
 * first); tags update in place (AWS: the task and the AMI; Alibaba Cloud: the image; JD Cloud cannot tag: a
 * warning). Deleting it cancels a running import and, with the default `removalPolicy: "destroy"`, deletes the image.
 */
export abstract class ImageImportComponent extends pulumi.ComponentResource {
  /** The cloud's task id. */
  public readonly taskId: pulumi.Output<string>;
  /** The imported image (`ami-…`, `m-…`, `img-…`). */
  public readonly imageId: pulumi.Output<string>;
  /** The dynamic resource that runs the import. */
  public readonly task: ImageImportTask;

  /**
   * @param type the component's type token (`imageport:aws:ImageImport`)
   * @param cloud the cloud
   * @param name logical name
   * @param args spec fields (named as in the core's `ImportSpec`) and options
   * @param opts resource options; `customTimeouts` also set the wait defaults
   */
  protected constructor(
    type: string,
    cloud: CloudId,
    name: string,
    args: ImageImportArgsBase & { readonly region: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const { waitTimeout: _wait, deleteTimeout: _delete, clientToken, ...spec } = args;
    this.task = new ImageImportTask(
      cloud,
      name,
      { ...(spec as ImageImportTaskProps), ...waitInputs(args, opts), tokenScope: this.urn, requestedClientToken: clientToken },
      childTaskOptions(this, opts),
    );
    this.taskId = this.task.taskId;
    this.imageId = this.task.imageId;
    this.registerOutputs({ taskId: this.taskId, imageId: this.imageId });
  }
}
