import {
  CancelExportTaskCommand,
  CancelImportTaskCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeregisterImageCommand,
  DescribeExportImageTasksCommand,
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  DescribeSnapshotsCommand,
  ExportImageCommand,
  ImportImageCommand,
  type EC2Client,
  type ExportImageCommandInput,
  type ExportImageCommandOutput,
  type ExportImageTask,
  type Image,
  type ImportImageCommandInput,
  type ImportImageCommandOutput,
  type ImportImageTask,
  type Snapshot,
  type Tag,
} from '@aws-sdk/client-ec2';
import { type StaticCredentials } from '../../model/connection';
import { awsCall, isCloudErrorKind } from './errors';

/** Most pages read when listing tasks (EC2 keeps finished tasks about 7 days). */
const MAX_PAGES = 50;

/**
 * The EC2 calls the driver makes, each turning SDK errors into `CloudError`s. The only place that talks to EC2.
 */
export class Ec2Api {
  /**
   * @param client a (lazily created) EC2 client
   * @param credentials static credentials to redact from error messages
   */
  constructor(
    private readonly client: () => EC2Client,
    private readonly credentials?: StaticCredentials,
  ) {}

  /**
   * DescribeImages for one AMI; `undefined` when it does not exist (or, with `owners`, is not among theirs).
   * Malformed ids throw (`invalid`).
   */
  public async describeImage(imageId: string, owners?: string[]): Promise<Image | undefined> {
    try {
      const out = await this.call('DescribeImages', () =>
        this.client().send(new DescribeImagesCommand({ ImageIds: [imageId], ...(owners ? { Owners: owners } : {}) })),
      );
      return out.Images?.find((i) => i.ImageId === imageId) ?? out.Images?.[0];
    } catch (error) {
      if (isCloudErrorKind(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** DescribeSnapshots for one snapshot; `undefined` when it does not exist. */
  public async describeSnapshot(snapshotId: string): Promise<Snapshot | undefined> {
    try {
      const out = await this.call('DescribeSnapshots', () => this.client().send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })));
      return out.Snapshots?.[0];
    } catch (error) {
      if (isCloudErrorKind(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** Every export-image task EC2 still lists in the region (all pages). */
  public async listExportTasks(): Promise<ExportImageTask[]> {
    const tasks: ExportImageTask[] = [];
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.call('DescribeExportImageTasks', () => this.client().send(new DescribeExportImageTasksCommand({ NextToken: next })));
      tasks.push(...(out.ExportImageTasks ?? []));
      next = out.NextToken || undefined;
      if (!next) break;
    }
    return tasks;
  }

  /** Every import-image task EC2 still lists in the region (all pages). */
  public async listImportTasks(): Promise<ImportImageTask[]> {
    const tasks: ImportImageTask[] = [];
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.call('DescribeImportImageTasks', () => this.client().send(new DescribeImportImageTasksCommand({ NextToken: next })));
      tasks.push(...(out.ImportImageTasks ?? []));
      next = out.NextToken || undefined;
      if (!next) break;
    }
    return tasks;
  }

  /** One export task; `undefined` when EC2 no longer knows it. */
  public async describeExportTask(taskId: string): Promise<ExportImageTask | undefined> {
    try {
      const out = await this.call('DescribeExportImageTasks', () =>
        this.client().send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [taskId] })),
      );
      return out.ExportImageTasks?.find((t) => t.ExportImageTaskId === taskId);
    } catch (error) {
      if (isCloudErrorKind(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** One import task; `undefined` when EC2 no longer knows it. */
  public async describeImportTask(taskId: string): Promise<ImportImageTask | undefined> {
    try {
      const out = await this.call('DescribeImportImageTasks', () =>
        this.client().send(new DescribeImportImageTasksCommand({ ImportTaskIds: [taskId] })),
      );
      return out.ImportImageTasks?.find((t) => t.ImportTaskId === taskId);
    } catch (error) {
      if (isCloudErrorKind(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** ExportImage (with `DryRun` when asked). */
  public exportImage(input: ExportImageCommandInput): Promise<ExportImageCommandOutput> {
    return this.call('ExportImage', () => this.client().send(new ExportImageCommand(input)));
  }

  /** ImportImage (with `DryRun` when asked). */
  public importImage(input: ImportImageCommandInput): Promise<ImportImageCommandOutput> {
    return this.call('ImportImage', () => this.client().send(new ImportImageCommand(input)));
  }

  /** CancelExportTask. */
  public async cancelExportTask(taskId: string): Promise<void> {
    await this.call('CancelExportTask', () => this.client().send(new CancelExportTaskCommand({ ExportTaskId: taskId })));
  }

  /** CancelImportTask. */
  public async cancelImportTask(taskId: string, reason?: string): Promise<void> {
    await this.call('CancelImportTask', () => this.client().send(new CancelImportTaskCommand({ ImportTaskId: taskId, CancelReason: reason })));
  }

  /** DeregisterImage (the AMI only: its snapshots stay). */
  public async deregisterImage(imageId: string): Promise<void> {
    await this.call('DeregisterImage', () => this.client().send(new DeregisterImageCommand({ ImageId: imageId })));
  }

  /** DeleteSnapshot. */
  public async deleteSnapshot(snapshotId: string): Promise<void> {
    await this.call('DeleteSnapshot', () => this.client().send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
  }

  /** CreateTags: adds or overwrites `tags` on every resource. */
  public async createTags(resourceIds: string[], tags: Tag[]): Promise<void> {
    await this.call('CreateTags', () => this.client().send(new CreateTagsCommand({ Resources: resourceIds, Tags: tags })));
  }

  /** DeleteTags: removes the tags with these keys, whatever their values, from every resource. */
  public async deleteTags(resourceIds: string[], keys: string[]): Promise<void> {
    await this.call('DeleteTags', () => this.client().send(new DeleteTagsCommand({ Resources: resourceIds, Tags: keys.map((Key) => ({ Key })) })));
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return awsCall(operation, fn, this.credentials);
  }
}
