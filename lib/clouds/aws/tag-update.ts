import { type Tag } from '@aws-sdk/client-ec2';
import { type Ec2Api } from './ec2-api';
import { IMAGEPORT_TAG_PREFIX } from './name-rules';

/** What has to change on one resource so that its tags match a requested set. */
export interface TagChanges {
  /** Tags to create or overwrite (CreateTags). */
  readonly set: Tag[];
  /** Keys to remove (DeleteTags). */
  readonly remove: string[];
}

/** True for the tags no update touches: imageport's own (`imageport:*`, e.g. the task's token) and AWS's (`aws:*`). */
export function isReservedTagKey(key: string): boolean {
  return key.startsWith(IMAGEPORT_TAG_PREFIX) || key.toLowerCase().startsWith('aws:');
}

/**
 * The changes that turn `current` into `desired`, keeping reserved tags ({@link isReservedTagKey}). Only keys in
 * `removable` are removed (default: every current key), so an update can leave tags others put on a resource alone.
 * Pure.
 */
export function tagChanges(current: readonly Tag[] | undefined, desired: Readonly<Record<string, string>>, removable?: ReadonlySet<string>): TagChanges {
  const now = new Map((current ?? []).filter((tag) => tag.Key !== undefined).map((tag) => [tag.Key as string, tag.Value ?? '']));
  const set = Object.entries(desired)
    .filter(([key, value]) => now.get(key) !== value)
    .map(([Key, Value]) => ({ Key, Value }));
  const remove = [...now.keys()].filter((key) => !(key in desired) && !isReservedTagKey(key) && (removable === undefined || removable.has(key)));
  return { set, remove };
}

/** Applies {@link TagChanges} to one resource: CreateTags, then DeleteTags, each only when needed. */
export async function applyTagChanges(ec2: Pick<Ec2Api, 'createTags' | 'deleteTags'>, resourceId: string, changes: TagChanges): Promise<void> {
  if (changes.set.length > 0) await ec2.createTags([resourceId], changes.set);
  if (changes.remove.length > 0) await ec2.deleteTags([resourceId], changes.remove);
}
