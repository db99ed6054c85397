import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID } from '../aws-identity';
import { type QueryAction } from '../query-service';
import { assertTagCount, assertTagKey, honourDryRun, readTag, rejectUnknownParameters } from './ec2-params';
import { type Ec2Tag } from './ec2-state';
import { type Ec2World } from './ec2-world';
import { ec2Response } from './ec2-xml';

/** One taggable resource: its tags, and how to replace them. */
interface Taggable {
  readonly tags: readonly Ec2Tag[];
  replace(tags: Ec2Tag[]): void;
}

/**
 * CreateTags and DeleteTags (`ResourceId.N`, `Tag.N.Key` / `Tag.N.Value`) on the resources the emulator has:
 * export-image and import-image tasks (their `tagSet` in Describe*Tasks changes), the account's AMIs and snapshots
 * (DescribeImages / DescribeSnapshots `tagSet`). Every resource is checked before any is changed, so a bad id
 * changes nothing. DeleteTags with a value removes the tag only when the value matches; without `Tag.N` it removes
 * every tag not starting `aws:`.
 */
export function resourceTagActions(world: Ec2World): Record<string, QueryAction> {
  return {
    CreateTags: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['ResourceId', 'Tag', 'DryRun']);
      const ids = resourceIds(params.list('ResourceId'));
      const tags = params.structs('Tag').map(readTag);
      if (tags.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter tagSet', 400);
      honourDryRun(params);
      const resources = ids.map((id) => taggable(world, region, id));
      const updated = resources.map((resource) => {
        const merged = new Map(resource.tags.map((tag) => [tag.key, tag.value]));
        for (const tag of tags) merged.set(tag.key, tag.value);
        assertTagCount(merged.size);
        return [...merged].map(([key, value]) => ({ key, value }));
      });
      resources.forEach((resource, index) => resource.replace(updated[index]));
      world.markDirty();
      return ec2Response('CreateTags', { return: true }, call.requestId);
    },

    DeleteTags: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['ResourceId', 'Tag', 'DryRun']);
      const ids = resourceIds(params.list('ResourceId'));
      const selectors = params.structs('Tag').map((tag) => {
        const key = tag.get('Key') ?? '';
        assertTagKey(key);
        return { key, value: tag.get('Value') };
      });
      honourDryRun(params);
      const resources = ids.map((id) => taggable(world, region, id));
      for (const resource of resources) {
        const kept = resource.tags.filter((tag) =>
          selectors.length === 0
            ? tag.key.toLowerCase().startsWith('aws:')
            : !selectors.some((selector) => selector.key === tag.key && (selector.value === undefined || selector.value === tag.value)),
        );
        resource.replace(kept);
      }
      world.markDirty();
      return ec2Response('DeleteTags', { return: true }, call.requestId);
    },
  };
}

function resourceIds(ids: string[]): string[] {
  if (ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter resourceIdSet', 400);
  if (ids.length > 1000) throw new AwsError('InvalidParameterValue', `At most 1000 resources can be tagged in one request; the request names ${ids.length}.`, 400);
  return ids;
}

/** The resource an id names in a region, or the error EC2 gives for it. */
function taggable(world: Ec2World, region: string, id: string): Taggable {
  if (/^export-ami-[0-9a-f]{17}$/.test(id)) {
    const task = world.state.exportTasks[id];
    if (!task || task.region !== region) throw new AwsError('InvalidExportTaskID.NotFound', `The export task ID '${id}' does not exist`, 400);
    return { tags: task.tags, replace: (tags) => (task.tags = tags) };
  }
  if (/^import-ami-[0-9a-f]{17}$/.test(id)) {
    const task = world.state.importTasks[id];
    if (!task || task.region !== region) throw new AwsError('InvalidConversionTaskId', `The conversion task ID '${id}' does not exist`, 400);
    return { tags: task.tags, replace: (tags) => (task.tags = tags) };
  }
  if (/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
    const image = world.image(region, id);
    if (!image) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`, 400);
    if (image.owner !== AWS_ACCOUNT_ID) throw new AwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
    return { tags: world.resourceTags(id), replace: (tags) => (world.state.resourceTags[id] = tags) };
  }
  if (/^snap-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
    const snapshot = world.snapshot(region, id);
    if (!snapshot) throw new AwsError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`, 400);
    if (snapshot.owner !== AWS_ACCOUNT_ID) throw new AwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
    return { tags: world.resourceTags(id), replace: (tags) => (world.state.resourceTags[id] = tags) };
  }
  throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
}
