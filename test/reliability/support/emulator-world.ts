import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type Emulator, type TaskSnapshotJson } from '../../../emulator';
import { buildDiskImage, layoutToBuffer, sniffDiskImage, SNIFF_HEAD_BYTES } from '../../../emulator/disk';
import { type CloudId } from '../../../lib/model/cloud';
import { type PipelineState, type TaskRecord } from '../../../lib/pipeline/state/pipeline-state';
import { CHAOS_REGIONS, GOLDEN_VIRTUAL_SIZE_BYTES, type SeedObject } from './chaos-world';

// The SDK's notice about its future Node 22 requirement is noise here (the CLI silences it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** An S3-protocol client on one cloud's object store of the emulator (S3, OSS, JD OSS all speak it). */
export function objectStoreClient(emulator: Emulator, cloud: CloudId): S3Client {
  const endpoint = cloud === 'aws' ? emulator.endpoints.aws.s3 : cloud === 'alicloud' ? emulator.endpoints.alicloud.oss : emulator.endpoints.jdcloud.oss;
  return new S3Client({ region: CHAOS_REGIONS[cloud], endpoint, forcePathStyle: true, credentials: emulator.credentials[cloud], maxAttempts: 1 });
}

/** Creates the `existing` buckets and uploads the disk files imports read without an export of the pipeline. */
export async function uploadSeedObjects(emulator: Emulator, objects: readonly SeedObject[]): Promise<void> {
  const made = new Set<string>();
  for (const object of objects) {
    const client = objectStoreClient(emulator, object.cloud);
    if (!made.has(object.bucket)) {
      const constraint = CHAOS_REGIONS[object.cloud] === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: CHAOS_REGIONS[object.cloud] as never } };
      await client.send(new CreateBucketCommand({ Bucket: object.bucket, ...constraint }));
      made.add(object.bucket);
    }
    const body = layoutToBuffer(buildDiskImage(object.format, { virtualSizeBytes: GOLDEN_VIRTUAL_SIZE_BYTES, label: object.key }));
    await client.send(new PutObjectCommand({ Bucket: object.bucket, Key: object.key, Body: body }));
    client.destroy();
  }
}

/** What a file read back from a bucket turned out to be. */
export interface ReadBack {
  /** Container format, as the emulator's independent sniffer sees it (`raw.tar.gz` unpacked). */
  readonly format: string;
  /** Virtual size, bytes. */
  readonly virtualSizeBytes?: number;
  /** File size. */
  readonly sizeBytes: number;
}

/**
 * Reads an object back in full and identifies it with the emulator's sniffer (which shares no code with the
 * library's artifact check): a `raw.tar.gz` is unpacked and its single member's size is the virtual size.
 */
export async function readBack(emulator: Emulator, cloud: CloudId, bucket: string, key: string): Promise<ReadBack> {
  const client = objectStoreClient(emulator, cloud);
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from(await answer.Body!.transformToByteArray());
    const sniffed = sniffDiskImage(bytes.subarray(0, SNIFF_HEAD_BYTES), bytes.subarray(Math.max(0, bytes.length - 512)), bytes.length);
    if (sniffed.format !== 'gzip') return { format: sniffed.format, virtualSizeBytes: sniffed.virtualSizeBytes, sizeBytes: bytes.length };
    const tar = gunzipSync(bytes);
    const inner = sniffDiskImage(tar.subarray(0, SNIFF_HEAD_BYTES), tar.subarray(Math.max(0, tar.length - 512)), tar.length);
    if (inner.format !== 'tar') return { format: `gzip of ${inner.format}`, sizeBytes: bytes.length };
    const memberSize = parseInt(tar.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
    return { format: 'raw.tar.gz', virtualSizeBytes: memberSize, sizeBytes: bytes.length };
  } finally {
    client.destroy();
  }
}

/** Every recorded task of a state file, with its entry id (`exports.aws-e0`). */
export function recordedTasks(state: PipelineState | undefined): Array<{ readonly entry: string; readonly record: TaskRecord }> {
  if (!state) return [];
  return [
    ...Object.entries(state.exports).map(([key, record]) => ({ entry: `exports.${key}`, record: record as TaskRecord })),
    ...Object.entries(state.imports).map(([key, record]) => ({ entry: `imports.${key}`, record: record as TaskRecord })),
  ];
}

/**
 * How the emulator tells one logical start from another: the client token where the call carries one, else (Alibaba
 * ExportImage has no token: the driver adopts) the image, bucket and object key.
 */
export function startIdentity(task: TaskSnapshotJson): string {
  if (task.clientToken) return `${task.cloud} ${task.kind} token ${task.clientToken}`;
  return `${task.cloud} ${task.kind} ${task.imageId ?? ''} -> ${task.bucket ?? ''}/${task.key ?? ''}`;
}

/** Groups of emulator tasks that share a start identity: every group of two or more is a duplicate start. */
export function duplicateStarts(tasks: readonly TaskSnapshotJson[]): string[] {
  const groups = new Map<string, string[]>();
  for (const task of tasks) groups.set(startIdentity(task), [...(groups.get(startIdentity(task)) ?? []), task.id]);
  return [...groups].filter(([, ids]) => ids.length > 1).map(([identity, ids]) => `${identity}: ${ids.join(', ')}`);
}

/** Emulator tasks that no record of the state file names (by task id, or by token for a `starting` record). */
export function orphanTasks(tasks: readonly TaskSnapshotJson[], state: PipelineState | undefined): string[] {
  const records = recordedTasks(state).map(({ record }) => record);
  const ids = new Set(records.flatMap((record) => (record.task ? [`${record.cloud} ${record.task.taskId}`] : [])));
  const tokens = new Set(records.filter((record) => !record.task).map((record) => `${record.cloud} ${record.token}`));
  return tasks
    .filter((task) => !ids.has(`${task.cloud} ${task.id}`) && !(task.clientToken && tokens.has(`${task.cloud} ${task.clientToken}`)))
    .map((task) => `${task.cloud} ${task.kind} ${task.id} (${task.imageId ?? ''}, token ${task.clientToken ?? 'none'}, ${task.outcome})`);
}

/** The emulator's task a record names, if any. */
export function taskOf(tasks: readonly TaskSnapshotJson[], record: TaskRecord): TaskSnapshotJson | undefined {
  return record.task ? tasks.find((task) => task.cloud === record.cloud && task.id === record.task!.taskId) : undefined;
}
