import { createHash } from 'node:crypto';
import { type Clock } from '../../types';
import { randomFrom, UPPER_ALNUM } from '../../core/ids';
import { validatePolicyDocument } from '../../core/policy-evaluator';
import { type QueryParams } from '../../core/query-params';
import { type SigV4FailureReason } from '../../core/sigv4-verifier';
import { type XmlObject } from '../../core/xml';
import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID, awsPrincipalArn } from '../aws-identity';
import { type QueryAction, type QueryCall, type QueryServiceSpec } from '../query-service';
import { members, queryXmlError, queryXmlResponse } from '../query-xml';
import { type IamDirectory, type IamPolicyRecord, type IamRoleRecord, type IamState, type IamTag } from './iam-state';

/** IAM's XML namespace. */
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\/|\/[\u0021-\u007e]+\/)$/;
const MAX_INLINE_POLICY_BYTES = 10240;
const MAX_TRUST_POLICY_BYTES = 2048;

/** Dependencies of the IAM service. */
export interface IamServiceDeps {
  /** Persisted IAM state (mutated). */
  readonly state: IamState;
  /** Read helpers over the same state. */
  readonly directory: IamDirectory;
  /** Clock for creation dates. */
  readonly clock: Clock;
  /** Called after a change. */
  readonly markDirty: () => void;
}

/**
 * IAM (Query API, version 2010-05-08): roles, inline role policies, customer-managed policies and attachments.
 * Role names are case-insensitive; policy documents come back URL-encoded, as IAM returns them.
 */
export function iamServiceSpec(deps: IamServiceDeps): QueryServiceSpec {
  const { state, directory, clock, markDirty } = deps;
  const now = () => isoSeconds(clock.now());
  const role = (params: QueryParams): IamRoleRecord => {
    const name = requireName(params, 'RoleName', 64);
    const found = state.roles[name.toLowerCase()];
    if (!found) throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
    return found;
  };
  const changed = <T>(value: T): T => {
    markDirty();
    return value;
  };
  const ok = (call: QueryCall, result?: XmlObject) => queryXmlResponse(call.action, IAM_XMLNS, result, call.requestId);

  const actions: Record<string, QueryAction> = {
    CreateRole: (call) => {
      const { params } = call;
      const name = requireName(params, 'RoleName', 64);
      const document = requireDocument(params, 'AssumeRolePolicyDocument', 'trust', MAX_TRUST_POLICY_BYTES);
      const path = optionalPath(params);
      const description = optionalText(params, 'Description', 1000);
      const maxSessionDuration = optionalInteger(params, 'MaxSessionDuration', 3600, 43200) ?? 3600;
      const tags = readTags(params, 'Tags');
      if (state.roles[name.toLowerCase()]) throw new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
      const record: IamRoleRecord = {
        name,
        path,
        roleId: `AROA${randomFrom(UPPER_ALNUM, 17)}`,
        arn: `arn:aws:iam::${AWS_ACCOUNT_ID}:role${path}${name}`,
        createDate: now(),
        assumeRolePolicyDocument: document,
        ...(description !== undefined ? { description } : {}),
        maxSessionDuration,
        ...(params.get('PermissionsBoundary') ? { permissionsBoundary: params.get('PermissionsBoundary') as string } : {}),
        tags,
        inlinePolicies: {},
        attachedPolicyArns: [],
      };
      state.roles[name.toLowerCase()] = record;
      return changed(ok(call, { Role: roleXml(record, false) }));
    },
    GetRole: (call) => ok(call, { Role: roleXml(role(call.params), true) }),
    ListRoles: (call) => {
      const prefix = call.params.get('PathPrefix') ?? '/';
      const all = directory.roles().filter((record) => record.path.startsWith(prefix));
      const page = paginate(all, call.params);
      return ok(call, { Roles: members(page.items.map((record) => roleXml(record, false))), IsTruncated: page.marker !== undefined, Marker: page.marker });
    },
    DeleteRole: (call) => {
      const record = role(call.params);
      if (Object.keys(record.inlinePolicies).length > 0) throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
      if (record.attachedPolicyArns.length > 0) throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
      delete state.roles[record.name.toLowerCase()];
      return changed(ok(call));
    },
    UpdateAssumeRolePolicy: (call) => {
      const record = role(call.params);
      record.assumeRolePolicyDocument = requireDocument(call.params, 'PolicyDocument', 'trust', MAX_TRUST_POLICY_BYTES);
      return changed(ok(call));
    },
    UpdateRole: (call) => {
      const record = role(call.params);
      const description = optionalText(call.params, 'Description', 1000);
      const duration = optionalInteger(call.params, 'MaxSessionDuration', 3600, 43200);
      if (description !== undefined) record.description = description;
      if (duration !== undefined) record.maxSessionDuration = duration;
      return changed(ok(call, {}));
    },
    TagRole: (call) => {
      const record = role(call.params);
      const tags = readTags(call.params, 'Tags');
      if (tags.length === 0) throw validation('tags', 'null', 'Member must not be null');
      const merged = new Map(record.tags.map((tag) => [tag.Key, tag.Value]));
      for (const tag of tags) merged.set(tag.Key, tag.Value);
      if (merged.size > 50) throw new AwsError('LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
      record.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      return changed(ok(call));
    },
    UntagRole: (call) => {
      const record = role(call.params);
      const keys = call.params.list('TagKeys.member');
      record.tags = record.tags.filter((tag) => !keys.includes(tag.Key));
      return changed(ok(call));
    },
    ListRoleTags: (call) => {
      const record = role(call.params);
      return ok(call, { Tags: members(record.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }))), IsTruncated: false });
    },
    PutRolePolicy: (call) => {
      const record = role(call.params);
      const policyName = requireName(call.params, 'PolicyName', 128);
      const document = requireDocument(call.params, 'PolicyDocument', 'identity', MAX_INLINE_POLICY_BYTES);
      const total = Object.entries(record.inlinePolicies)
        .filter(([name]) => name !== policyName)
        .reduce((sum, [, text]) => sum + Buffer.byteLength(text.replace(/\s/g, '')), Buffer.byteLength(document.replace(/\s/g, '')));
      if (total > MAX_INLINE_POLICY_BYTES) {
        throw new AwsError('LimitExceeded', `Maximum policy size of ${MAX_INLINE_POLICY_BYTES} bytes exceeded for role ${record.name}`, 409);
      }
      record.inlinePolicies[policyName] = document;
      return changed(ok(call));
    },
    GetRolePolicy: (call) => {
      const record = role(call.params);
      const policyName = requireName(call.params, 'PolicyName', 128);
      const document = record.inlinePolicies[policyName];
      if (document === undefined) throw new AwsError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`, 404);
      return ok(call, { RoleName: record.name, PolicyName: policyName, PolicyDocument: encodeURIComponent(document) });
    },
    DeleteRolePolicy: (call) => {
      const record = role(call.params);
      const policyName = requireName(call.params, 'PolicyName', 128);
      if (record.inlinePolicies[policyName] === undefined) throw new AwsError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`, 404);
      delete record.inlinePolicies[policyName];
      return changed(ok(call));
    },
    ListRolePolicies: (call) => {
      const record = role(call.params);
      const page = paginate(Object.keys(record.inlinePolicies).sort(), call.params);
      return ok(call, { PolicyNames: members(page.items), IsTruncated: page.marker !== undefined, Marker: page.marker });
    },
    ListAttachedRolePolicies: (call) => {
      const record = role(call.params);
      const attached = record.attachedPolicyArns.map((arn) => ({ PolicyName: directory.managedPolicy(arn)?.name ?? arn, PolicyArn: arn }));
      const page = paginate(attached, call.params);
      return ok(call, { AttachedPolicies: members(page.items), IsTruncated: page.marker !== undefined, Marker: page.marker });
    },
    AttachRolePolicy: (call) => {
      const record = role(call.params);
      const arn = requireArn(call.params);
      if (!directory.managedPolicy(arn)) throw new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
      if (!record.attachedPolicyArns.includes(arn)) {
        if (record.attachedPolicyArns.length >= 10) throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerRole: 10`, 409);
        record.attachedPolicyArns.push(arn);
      }
      return changed(ok(call));
    },
    DetachRolePolicy: (call) => {
      const record = role(call.params);
      const arn = requireArn(call.params);
      if (!record.attachedPolicyArns.includes(arn)) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      record.attachedPolicyArns = record.attachedPolicyArns.filter((item) => item !== arn);
      return changed(ok(call));
    },
    CreatePolicy: (call) => {
      const name = requireName(call.params, 'PolicyName', 128);
      const path = optionalPath(call.params);
      const document = requireDocument(call.params, 'PolicyDocument', 'identity', 6144);
      const description = optionalText(call.params, 'Description', 1000);
      const arn = `arn:aws:iam::${AWS_ACCOUNT_ID}:policy${path}${name}`;
      if (Object.values(state.policies).some((policy) => policy.name.toLowerCase() === name.toLowerCase())) {
        throw new AwsError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`, 409);
      }
      const created = now();
      const record: IamPolicyRecord = {
        name,
        path,
        policyId: `ANPA${randomFrom(UPPER_ALNUM, 17)}`,
        arn,
        ...(description !== undefined ? { description } : {}),
        createDate: created,
        updateDate: created,
        defaultVersionId: 'v1',
        versions: { v1: { document, createDate: created } },
        tags: readTags(call.params, 'Tags'),
      };
      state.policies[arn] = record;
      return changed(ok(call, { Policy: policyXml(record, 0, false) }));
    },
    GetPolicy: (call) => {
      const arn = requireArn(call.params);
      const record = state.policies[arn];
      if (record) return ok(call, { Policy: policyXml(record, directory.attachmentCount(arn), true) });
      const managed = directory.managedPolicy(arn);
      if (!managed) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      return ok(call, {
        Policy: {
          PolicyName: managed.name,
          PolicyId: stableId('ANPA', arn),
          Arn: arn,
          Path: '/',
          DefaultVersionId: 'v1',
          AttachmentCount: directory.attachmentCount(arn),
          PermissionsBoundaryUsageCount: 0,
          IsAttachable: true,
          Description: managed.description,
          CreateDate: '2015-02-06T18:40:58Z',
          UpdateDate: '2015-02-06T18:40:58Z',
        },
      });
    },
    GetPolicyVersion: (call) => {
      const arn = requireArn(call.params);
      const versionId = call.params.get('VersionId');
      if (!versionId) throw validation('versionId', 'null', 'Member must not be null');
      const record = state.policies[arn];
      const managed = directory.managedPolicy(arn);
      const version = record ? record.versions[versionId] : managed && versionId === 'v1' ? { document: managed.document, createDate: '2015-02-06T18:40:58Z' } : undefined;
      if (!version) throw new AwsError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`, 404);
      return ok(call, {
        PolicyVersion: {
          Document: encodeURIComponent(version.document),
          VersionId: versionId,
          IsDefaultVersion: record ? record.defaultVersionId === versionId : true,
          CreateDate: version.createDate,
        },
      });
    },
    DeletePolicy: (call) => {
      const arn = requireArn(call.params);
      if (!state.policies[arn]) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      if (directory.attachmentCount(arn) > 0) throw new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
      delete state.policies[arn];
      return changed(ok(call));
    },
  };

  return {
    service: 'iam',
    version: '2010-05-08',
    actions,
    renderError: (error, requestId) => queryXmlError(error, IAM_XMLNS, requestId),
    authError: stsIamAuthError,
    isReadAction: (action) => /^(Get|List)/.test(action),
    unauthorized: (action, params, principal) => {
      const resource = params.get('RoleName')
        ? `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${params.get('RoleName')}`
        : params.get('PolicyArn') ?? (params.get('PolicyName') ? `arn:aws:iam::${AWS_ACCOUNT_ID}:policy/${params.get('PolicyName')}` : '*');
      return new AwsError(
        'AccessDenied',
        `User: ${awsPrincipalArn(principal)} is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`,
        403,
      );
    },
    throttleError: new AwsError('Throttling', 'Rate exceeded', 400),
    unavailableError: new AwsError('ServiceFailure', 'Request processing has failed due to some unknown error, exception or failure.', 500),
  };
}

/**
 * IAM and STS answers to signature failures. A signature that differs gets the message these query services really
 * send: the canonical string and the string to sign the server computed, quoted after the text (every signed
 * header is in it, `x-amz-security-token` included, so a client must not log it as is).
 */
export function stsIamAuthError(reason: SigV4FailureReason, detail: string, computed?: { readonly stringToSign: string; readonly canonicalRequest: string }): AwsError {
  switch (reason) {
    case 'missing':
      return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'malformed':
      return new AwsError('IncompleteSignature', detail, 400);
    case 'unknown-key':
      return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    case 'mismatch':
      return new AwsError(
        'SignatureDoesNotMatch',
        computed
          ? `${detail}\n\nThe Canonical String for this request should have been\n'${computed.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${computed.stringToSign}'\n`
          : detail,
        403,
      );
    default:
      return new AwsError('SignatureDoesNotMatch', detail, 403);
  }
}

function roleXml(record: IamRoleRecord, withLastUsed: boolean): XmlObject {
  return {
    Path: record.path,
    RoleName: record.name,
    RoleId: record.roleId,
    Arn: record.arn,
    CreateDate: record.createDate,
    AssumeRolePolicyDocument: encodeURIComponent(record.assumeRolePolicyDocument),
    Description: record.description,
    MaxSessionDuration: record.maxSessionDuration,
    PermissionsBoundary: record.permissionsBoundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: record.permissionsBoundary } : undefined,
    Tags: record.tags.length > 0 ? members(record.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }))) : undefined,
    RoleLastUsed: withLastUsed ? '' : undefined,
  };
}

function policyXml(record: IamPolicyRecord, attachments: number, withDescription: boolean): XmlObject {
  return {
    PolicyName: record.name,
    PolicyId: record.policyId,
    Arn: record.arn,
    Path: record.path,
    DefaultVersionId: record.defaultVersionId,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: withDescription ? record.description : undefined,
    CreateDate: record.createDate,
    UpdateDate: record.updateDate,
    Tags: record.tags.length > 0 ? members(record.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }))) : undefined,
  };
}

function validation(field: string, value: string, rule: string): AwsError {
  return new AwsError('ValidationError', `1 validation error detected: Value ${value} at '${field}' failed to satisfy constraint: ${rule}`, 400);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function requireName(params: QueryParams, name: string, maxLength: number): string {
  const value = params.get(name);
  const field = lowerFirst(name);
  if (value === undefined) throw validation(field, 'null', 'Member must not be null');
  if (value.length < 1 || value.length > maxLength) throw validation(field, `'${value}'`, `Member must have length between 1 and ${maxLength}`);
  if (!NAME_PATTERN.test(value)) throw validation(field, `'${value}'`, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

function requireArn(params: QueryParams): string {
  const value = params.get('PolicyArn');
  if (value === undefined) throw validation('policyArn', 'null', 'Member must not be null');
  if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/.+/.test(value)) throw new AwsError('InvalidInput', `ARN ${value} is not valid.`, 400);
  return value;
}

function requireDocument(params: QueryParams, name: string, kind: 'trust' | 'identity', maxBytes: number): string {
  const value = params.get(name);
  if (value === undefined) throw validation(lowerFirst(name), 'null', 'Member must not be null');
  if (Buffer.byteLength(value.replace(/\s/g, '')) > maxBytes) {
    throw new AwsError('LimitExceeded', `Cannot exceed quota for ${kind === 'trust' ? 'ACLSizePerRole' : 'PolicySize'}: ${maxBytes}`, 409);
  }
  const problems = validatePolicyDocument(value, kind);
  if (problems.length > 0) throw new AwsError('MalformedPolicyDocument', problems.join('; '), 400);
  return value;
}

function optionalPath(params: QueryParams): string {
  const path = params.get('Path') ?? '/';
  if (path.length > 512 || !PATH_PATTERN.test(path)) {
    throw validation('path', `'${path}'`, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  }
  return path;
}

function optionalText(params: QueryParams, name: string, maxLength: number): string | undefined {
  const value = params.get(name);
  if (value !== undefined && value.length > maxLength) throw validation(lowerFirst(name), `'${value.slice(0, 20)}…'`, `Member must have length less than or equal to ${maxLength}`);
  return value;
}

function optionalInteger(params: QueryParams, name: string, min: number, max: number): number | undefined {
  const text = params.get(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(lowerFirst(name), `'${text}'`, `Member must have value between ${min} and ${max}`);
  }
  return value;
}

function readTags(params: QueryParams, prefix: string): IamTag[] {
  const tags = params.structs(`${prefix}.member`).map((tag) => ({ Key: tag.get('Key') ?? '', Value: tag.get('Value') ?? '' }));
  if (tags.length > 50) throw validation('tags', `[${tags.length} tags]`, 'Member must have length less than or equal to 50');
  for (const tag of tags) {
    if (tag.Key.length < 1 || tag.Key.length > 128) throw validation('tags.member.key', `'${tag.Key}'`, 'Member must have length between 1 and 128');
    if (tag.Value.length > 256) throw validation('tags.member.value', `'${tag.Value.slice(0, 20)}…'`, 'Member must have length less than or equal to 256');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidInput', `User-defined tag keys can't start with 'aws:': ${tag.Key}`, 400);
  }
  return tags;
}

function paginate<T>(items: readonly T[], params: QueryParams): { items: T[]; marker?: string } {
  const maxItems = Number(params.get('MaxItems') ?? 100);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) throw validation('maxItems', `'${params.get('MaxItems')}'`, 'Member must have value between 1 and 1000');
  const markerText = params.get('Marker');
  const start = markerText === undefined ? 0 : Number(Buffer.from(markerText, 'base64').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidInput', `Invalid Marker: ${markerText}`, 400);
  const end = start + maxItems;
  return { items: items.slice(start, end), ...(end < items.length ? { marker: Buffer.from(String(end)).toString('base64') } : {}) };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stable IAM-style unique id derived from a name (AWS-managed policies keep the same id everywhere). */
function stableId(prefix: string, name: string): string {
  const digest = createHash('sha256').update(name).digest();
  let out = prefix;
  for (let i = 0; out.length < prefix.length + 17; i++) out += UPPER_ALNUM[digest[i] % UPPER_ALNUM.length];
  return out;
}
