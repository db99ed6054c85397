import { AcsApiError, missingParameter } from './acs-error';
import { type EcsContext } from './ecs-context';
import { type EcsImageState } from './ecs-state';
import { regionOf } from './ecs-tasks';

type Params = ReadonlyMap<string, string>;

/** Most tags ECS keeps on one resource (and accepts in one `Tag.N` list). */
export const MAX_TAGS_PER_RESOURCE = 20;
/** Most `ResourceId.N` in one tag call. */
const MAX_RESOURCE_IDS = 50;
/** Page size of ListTagResources. */
const LIST_PAGE = 50;

/**
 * `Tag.N.Key` / `Tag.N.Value` (N = 1..20): key 1-128 characters, not `acs:`/`aliyun`, no URL; value at most 128, not
 * `acs:`, no URL; keys unique. ImportImage and TagResources share these rules.
 */
export function readTags(params: Params): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let index = 1; params.has(`Tag.${index}.Key`) || params.has(`Tag.${index}.Value`); index++) {
    if (index > MAX_TAGS_PER_RESOURCE) throw new AcsApiError(400, 'InvalidParameter.TagCount', `At most ${MAX_TAGS_PER_RESOURCE} tags can be specified.`);
    const key = params.get(`Tag.${index}.Key`) ?? '';
    if (!key || key.length > 128 || /^(acs:|aliyun)/i.test(key) || /https?:\/\//i.test(key)) throw new AcsApiError(400, 'InvalidTagKey.Malformed', 'The specified tag key is wrongly formed.');
    if (key in tags) throw new AcsApiError(403, 'TagKey.Duplication', 'The specified tag key already exists.');
    const value = params.get(`Tag.${index}.Value`) ?? '';
    if (value.length > 128 || /^acs:/i.test(value) || /https?:\/\//i.test(value)) throw new AcsApiError(400, 'InvalidTagValue.Malformed', 'The specified tag value is wrongly formed.');
    tags[key] = value;
  }
  return tags;
}

/** `Prefix.1`, `Prefix.2`, … in order. */
function indexed(params: Params, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; params.has(`${prefix}.${index}`); index++) values.push(params.get(`${prefix}.${index}`) as string);
  return values;
}

/** The account's images named by `ResourceId.N` (ResourceType `image` only: the one taggable type the emulator has). */
function taggedImages(ctx: EcsContext, params: Params, required: boolean): EcsImageState[] {
  const region = regionOf(ctx, params);
  const type = params.get('ResourceType');
  if (!type) throw missingParameter('ResourceType');
  if (type !== 'image') throw new AcsApiError(400, 'InvalidResourceType.NotFound', `The ResourceType provided does not exist in our records (this emulator tags images only): ${type}`);
  const ids = indexed(params, 'ResourceId');
  if (required && ids.length === 0) throw missingParameter('ResourceId.1');
  if (ids.length > MAX_RESOURCE_IDS) throw new AcsApiError(400, 'InvalidParameter.ResourceIdCount', `At most ${MAX_RESOURCE_IDS} ResourceId values can be specified.`);
  return ids.map((id) => {
    const image = ctx.state.images[id];
    if (!image || image.region !== region || image.ownerAlias !== 'self') {
      throw new AcsApiError(404, 'InvalidResourceId.NotFound', `The specified ResourceIds are not found in our records: ${id}`);
    }
    return image;
  });
}

/**
 * TagResources (adds or overwrites tags; at most 20 per image), UntagResources (`TagKey.N`, or `All=true`) and
 * ListTagResources (`ResourceId.N` and/or `Tag.N` filters, pages of 50 with `NextToken`) for the account's images.
 * Every named image is checked before any is changed.
 */
export function tagResources(ctx: EcsContext, params: Params): Record<string, unknown> {
  const images = taggedImages(ctx, params, true);
  const tags = readTags(params);
  if (Object.keys(tags).length === 0) throw missingParameter('Tag.1.Key');
  for (const image of images) {
    const merged = { ...image.tags, ...tags };
    if (Object.keys(merged).length > MAX_TAGS_PER_RESOURCE) {
      throw new AcsApiError(400, 'InvalidTagCount', `The image ${image.imageId} would carry ${Object.keys(merged).length} tags; at most ${MAX_TAGS_PER_RESOURCE} are allowed.`);
    }
  }
  for (const image of images) image.tags = { ...image.tags, ...tags };
  ctx.markDirty();
  return {};
}

/** UntagResources. */
export function untagResources(ctx: EcsContext, params: Params): Record<string, unknown> {
  const images = taggedImages(ctx, params, true);
  const all = params.get('All') === 'true';
  const keys = indexed(params, 'TagKey');
  if (keys.length > MAX_TAGS_PER_RESOURCE) throw new AcsApiError(400, 'InvalidParameter.TagKeyCount', `At most ${MAX_TAGS_PER_RESOURCE} TagKey values can be specified.`);
  if (!all && keys.length === 0) throw missingParameter('TagKey.1');
  for (const image of images) {
    image.tags = all ? {} : Object.fromEntries(Object.entries(image.tags).filter(([key]) => !keys.includes(key)));
  }
  ctx.markDirty();
  return {};
}

/** ListTagResources. */
export function listTagResources(ctx: EcsContext, params: Params): Record<string, unknown> {
  const region = regionOf(ctx, params);
  const named = taggedImages(ctx, params, false);
  const filter = readTags(params);
  if (named.length === 0 && Object.keys(filter).length === 0) throw missingParameter('ResourceId.1');
  const candidates = named.length > 0 ? named : Object.values(ctx.state.images).filter((image) => image.region === region && image.ownerAlias === 'self');
  const rows = candidates
    .filter((image) => Object.entries(filter).every(([key, value]) => image.tags[key] === value))
    .sort((a, b) => (a.imageId < b.imageId ? -1 : 1))
    .flatMap((image) => Object.entries(image.tags).map(([TagKey, TagValue]) => ({ ResourceType: 'image', ResourceId: image.imageId, TagKey, TagValue })));
  const start = Number(params.get('NextToken') || 0);
  if (!Number.isInteger(start) || start < 0) throw new AcsApiError(400, 'InvalidNextToken.Malformed', 'The specified NextToken is not valid.');
  const page = rows.slice(start, start + LIST_PAGE);
  return { NextToken: start + LIST_PAGE < rows.length ? String(start + LIST_PAGE) : '', TagResources: { TagResource: page } };
}
