import { type QueryParams } from '../../core/query-params';
import { AwsError } from '../aws-error';
import { type Ec2Tag } from './ec2-state';

/** Parameters every EC2 call may carry. */
const COMMON_PARAMETERS = ['Action', 'Version'];

/**
 * Refuses parameters the action does not model (EC2 answers `UnknownParameter`). This is what makes the
 * `Filter.N` / `Filters.N` quirk observable: DescribeImportImageTasks knows only `Filters`.
 */
export function rejectUnknownParameters(params: QueryParams, allowed: readonly string[]): void {
  for (const key of params.keys()) {
    const top = key.split('.')[0];
    if (!COMMON_PARAMETERS.includes(top) && !allowed.includes(top)) {
      throw new AwsError('UnknownParameter', `The parameter ${top} is not recognized`, 400);
    }
  }
}

/** A required string parameter. */
export function requireParam(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);
  return value;
}

/** A boolean parameter (`true`/`false`, case-insensitive). */
export function booleanParam(params: QueryParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid. Expected: 'true' or 'false'.`, 400);
}

/** Throws `DryRunOperation` (HTTP 412) when `DryRun=true`: the caller would have been allowed. */
export function honourDryRun(params: QueryParams): void {
  if (booleanParam(params, 'DryRun') === true) {
    throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  }
}

/** An enum parameter, matched case-insensitively, returned in its canonical spelling. */
export function enumParam(value: string, name: string, allowed: readonly string[]): string {
  const found = allowed.find((item) => item.toLowerCase() === value.toLowerCase());
  if (!found) throw new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid. Valid values: ${allowed.join(', ')}`, 400);
  return found;
}

/** `ClientToken` (at most 64 ASCII characters). */
export function clientToken(params: QueryParams): string | undefined {
  const token = params.get('ClientToken');
  if (token === undefined || token === '') return undefined;
  if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token)) {
    throw new AwsError('InvalidParameterValue', `Value (${token}) for parameter ClientToken is invalid. It must be 1-64 ASCII characters.`, 400);
  }
  return token;
}

/** A description of at most 255 characters. */
export function description(params: QueryParams, name = 'Description'): string | undefined {
  const value = params.get(name);
  if (value !== undefined && value.length > 255) {
    throw new AwsError('InvalidParameterValue', `Value for parameter ${name} is invalid: its length ${value.length} exceeds the maximum of 255 characters.`, 400);
  }
  return value;
}

/** Tags of `TagSpecification.N`, which must all name `resourceType`. */
export function tagSpecifications(params: QueryParams, resourceType: string): Ec2Tag[] {
  const tags: Ec2Tag[] = [];
  for (const spec of params.structs('TagSpecification')) {
    const type = spec.get('ResourceType');
    if (type === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter TagSpecification.N.ResourceType', 400);
    if (type !== resourceType) {
      throw new AwsError('InvalidParameterValue', `'${type}' is not a valid taggable resource type for this operation. Expected: '${resourceType}'.`, 400);
    }
    tags.push(...spec.structs('Tag').map(readTag));
  }
  assertTagCount(tags.length);
  if (new Set(tags.map((tag) => tag.key)).size !== tags.length) throw new AwsError('InvalidParameterValue', 'Duplicate tag key in the request.', 400);
  return tags;
}

/** One `Tag.N` structure (`Key`, `Value`), checked against EC2's tag rules; a missing value is empty. */
export function readTag(tag: QueryParams): Ec2Tag {
  const key = tag.get('Key') ?? '';
  const value = tag.get('Value') ?? '';
  assertTagKey(key);
  if ([...value].length > 256) throw new AwsError('InvalidParameterValue', `Tag value exceeds the maximum length of 256 characters (key ${key}).`, 400);
  return { key, value };
}

/** EC2's tag key rules: 1-127 characters, not `aws:`. */
export function assertTagKey(key: string): void {
  if (key === '') throw new AwsError('InvalidParameterValue', 'Tag keys must not be empty.', 400);
  if ([...key].length > 127) throw new AwsError('InvalidParameterValue', `Tag key exceeds the maximum length of 127 characters: ${key.slice(0, 20)}…`, 400);
  if (key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use: ${key}`, 400);
}

/** `TagLimitExceeded` when a resource would carry more than 50 tags. */
export function assertTagCount(count: number): void {
  if (count > 50) throw new AwsError('TagLimitExceeded', `The maximum number of tags per resource is 50; the request would make ${count}.`, 400);
}

/** Filters as `name → values`, read from `Filter.N` or `Filters.N` (the wire name differs per action). */
export function filters(params: QueryParams, prefix: 'Filter' | 'Filters', allowedNames: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const filter of params.structs(prefix)) {
    const name = filter.get('Name');
    if (name === undefined) throw new AwsError('MissingParameter', `The request must contain the parameter ${prefix}.N.Name`, 400);
    if (!allowedNames.includes(name) && !name.startsWith('tag:')) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`, 400);
    out.set(name, [...(out.get(name) ?? []), ...filter.list('Value')]);
  }
  return out;
}

/** True when `value` matches any filter value (`*` and `?` wildcards allowed, as EC2 does). */
export function matchesFilter(values: readonly string[] | undefined, value: string | undefined): boolean {
  if (values === undefined) return true;
  if (value === undefined) return false;
  return values.some((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(value));
}

/** One page of `items` per MaxResults / NextToken (NextToken is an opaque offset). */
export function paginate<T>(items: readonly T[], params: QueryParams, bounds: { min: number; max: number }): { page: T[]; nextToken?: string } {
  const maxText = params.get('MaxResults');
  const tokenText = params.get('NextToken');
  let start = 0;
  if (tokenText !== undefined && tokenText !== '') {
    const decoded = Buffer.from(tokenText, 'base64url').toString('utf8');
    const match = /^offset:(\d+)$/.exec(decoded);
    if (!match) throw new AwsError('InvalidPaginationToken', `The pagination token ${tokenText} is invalid.`, 400);
    start = Number(match[1]);
  }
  if (maxText === undefined) return { page: items.slice(start) };
  const max = Number(maxText);
  if (!Number.isInteger(max) || max < bounds.min || max > bounds.max) {
    throw new AwsError('InvalidParameterValue', `Value (${maxText}) for parameter MaxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`, 400);
  }
  const end = start + max;
  return { page: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(`offset:${end}`).toString('base64url') } : {}) };
}
