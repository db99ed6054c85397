import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import { Attr, exportObjectKey, Prop } from './resource-properties';
import { text } from './task-specs';

type Properties = Readonly<Record<string, unknown>>;

/**
 * The attributes of a finished export: from the snapshot's artifact (size read back from the bucket by the
 * driver), or, when the snapshot names none, from the documented key layout and a HEAD of the object.
 * Fails when the file is not in the bucket: a finished export must have written it.
 */
export async function exportAttributes(driver: CloudDriver, ref: TaskRef, properties: Properties, snapshot?: TaskSnapshot): Promise<Record<string, string>> {
  const format = text(properties, Prop.format) ?? '';
  const artifact = snapshot?.artifacts[0];
  const bucket = artifact?.bucket ?? text(properties, Prop.bucket) ?? '';
  const key = artifact?.key ?? exportObjectKey(text(properties, Prop.prefix), ref.taskId, format);
  let size = artifact?.sizeBytes;
  if (size === undefined) {
    const info = await driver.storage().head(bucket, key);
    if (!info) {
      throw new Error(`Export ${ref.taskId} reports success but s3://${bucket}/${key} is not in the bucket (deleted by hand or by a lifecycle rule?)`);
    }
    size = info.sizeBytes;
  }
  return {
    [Attr.taskId]: ref.taskId,
    [Attr.objectKey]: key,
    [Attr.s3Uri]: `s3://${bucket}/${key}`,
    [Attr.sizeBytes]: String(size),
    [Attr.format]: format.toUpperCase(),
  };
}

/** The attributes of a finished import. */
export function importAttributes(ref: TaskRef, snapshot: TaskSnapshot): Record<string, string> {
  if (!snapshot.imageId) throw new Error(`Import ${ref.taskId} completed without an image id`);
  return { [Attr.taskId]: ref.taskId, [Attr.imageId]: snapshot.imageId };
}

/** The attributes of a finished task of either kind. */
export async function taskAttributes(driver: CloudDriver, ref: TaskRef, properties: Properties, snapshot: TaskSnapshot): Promise<Record<string, string>> {
  return ref.kind === 'export' ? exportAttributes(driver, ref, properties, snapshot) : importAttributes(ref, snapshot);
}
