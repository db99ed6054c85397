import { CloudError } from '../../model/cloud-error';
import { type JdcloudApiClient } from './api-client';

/** Region the Node SDK signs region-less IAM calls with (`regionId: 'jdcloud'` in every IAM method). */
export const JD_IAM_SIGNING_REGION = 'jdcloud';

/** `type` of a JD IAM service role (2 = service-linked, 3 = service, 4 = user). */
export const JD_SERVICE_ROLE_TYPE = 3;

/** createRole input (`CreateRoleInfo`). */
export interface CreateRoleInfo {
  /** 4-64 characters, letters, digits, `-`, `_`, starting with a letter. */
  readonly roleName: string;
  /** 3 = service role, 4 = user role. */
  readonly type: number;
  /** The trust document, a JSON string. */
  readonly assumeRolePolicyDocument: string;
  /** Description, at most 256 characters. @default - none */
  readonly description?: string;
  /** Session length, 3600-43200 s. @default - the service's default (3600) */
  readonly maxSessionDuration?: number;
}

/** A role as IAM returns it (`RoleInfo`). */
export interface JdRoleInfo {
  /** Role name. */
  readonly roleName: string;
  /** Role id. @default - not reported */
  readonly roleId?: string;
  /** 2 service-linked, 3 service, 4 user. @default - not reported */
  readonly type?: number;
  /** The trust document, a JSON string. @default - not reported */
  readonly assumeRolePolicyDocument?: string;
  /** `jrn:iam::<account>:role/<name>`. @default - not reported */
  readonly jrn?: string;
  /** Account id. @default - not reported */
  readonly account?: string;
  /** Description. @default - none */
  readonly description?: string;
}

/** A policy as describePolicy returns it (`PolicyDetail`, plus the default edition's document). */
export interface JdPolicyDetail {
  /** Policy name. */
  readonly name: string;
  /** Policy id. @default - not reported */
  readonly policyId?: string;
  /** JRN. @default - not reported */
  readonly jrn?: string;
  /** The document, a JSON string (`policy.content`, else `defaultPolicyEdition.policyDocument`). @default - not reported */
  readonly content?: string;
}

/** One policy attached to a role (`RolePolicy`). */
export interface JdRolePolicy {
  /** Policy name. */
  readonly policyName: string;
  /** Policy JRN. @default - not reported */
  readonly policyJrn?: string;
  /** Policy type. @default - not reported */
  readonly type?: string;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function defined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** Reads `result.roleInfo`. */
export function parseRoleInfo(operation: string, result: unknown): JdRoleInfo {
  const info = ((result ?? {}) as Record<string, unknown>).roleInfo as Record<string, unknown> | undefined;
  if (!info || typeof info !== 'object') {
    throw new CloudError({ cloud: 'jdcloud', operation, code: 'InvalidResponse', message: 'the answer carries no roleInfo', kind: 'transient' });
  }
  const type = typeof info.type === 'number' ? info.type : Number(info.type);
  return defined({
    roleName: str(info.roleName) ?? '',
    roleId: str(info.roleId),
    type: Number.isFinite(type) ? type : undefined,
    assumeRolePolicyDocument: str(info.assumeRolePolicyDocument),
    jrn: str(info.jrn),
    account: str(info.account),
    description: str(info.description),
  });
}

/** Reads `result.policy` (+ `result.defaultPolicyEdition`). */
export function parsePolicyDetail(result: unknown): JdPolicyDetail {
  const record = (result ?? {}) as Record<string, unknown>;
  const policy = (record.policy ?? {}) as Record<string, unknown>;
  const edition = (record.defaultPolicyEdition ?? {}) as Record<string, unknown>;
  return defined({
    name: str(policy.name) ?? '',
    policyId: str(policy.policyId),
    jrn: str(policy.jrn),
    content: str(policy.content) || str(edition.policyDocument),
  });
}

/** The IAM calls imageport makes for the export service role. Region-less paths, signed with region `jdcloud`. */
export class JdcloudIamClient {
  private readonly api: JdcloudApiClient;
  private readonly endpoint: string;

  /**
   * @param api the signing client
   * @param endpoint IAM base URL (`https://iam.jdcloud-api.com`)
   */
  constructor(api: JdcloudApiClient, endpoint: string) {
    this.api = api;
    this.endpoint = endpoint;
  }

  private call<T>(operation: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, extra: { body?: unknown; query?: [string, string][] } = {}) {
    return this.api.call<T>({
      operation,
      endpoint: this.endpoint,
      service: 'iam',
      signingRegion: JD_IAM_SIGNING_REGION,
      method,
      path,
      ...extra,
    });
  }

  /** `POST /v1/role` with `{createRoleInfo}`. */
  public async createRole(info: CreateRoleInfo): Promise<JdRoleInfo> {
    const response = await this.call<unknown>('createRole', 'POST', '/role', { body: { createRoleInfo: defined({ ...info }) } });
    return parseRoleInfo('createRole', response.result);
  }

  /** `GET /v1/role/{roleName}`. */
  public async describeRole(roleName: string): Promise<JdRoleInfo> {
    const response = await this.call<unknown>('describeRole', 'GET', `/role/${roleName}`);
    return parseRoleInfo('describeRole', response.result);
  }

  /** `DELETE /v1/role/{roleName}`. */
  public async deleteRole(roleName: string): Promise<void> {
    await this.call<unknown>('deleteRole', 'DELETE', `/role/${roleName}`);
  }

  /** `PUT /v1/role/{roleName}/assumeRolePolicy`. */
  public async updateAssumeRolePolicy(roleName: string, assumeRolePolicyDocument: string): Promise<void> {
    await this.call<unknown>('updateAssumeRolePolicy', 'PUT', `/role/${roleName}/assumeRolePolicy`, {
      body: { updateAssumeRolePolicyInfo: { assumeRolePolicyDocument } },
    });
  }

  /** `POST /v1/policy` with `{createPolicyInfo: {name, description, content}}`. */
  public async createPolicy(name: string, content: string, description?: string): Promise<JdPolicyDetail> {
    const response = await this.call<unknown>('createPolicy', 'POST', '/policy', {
      body: { createPolicyInfo: defined({ name, description, content }) },
    });
    return { ...parsePolicyDetail(response.result), name };
  }

  /** `GET /v1/policy/{policyName}`. */
  public async describePolicy(policyName: string): Promise<JdPolicyDetail> {
    const response = await this.call<unknown>('describePolicy', 'GET', `/policy/${policyName}`);
    return parsePolicyDetail(response.result);
  }

  /** `PUT /v1/policy/{policyName}` with `{updatePolicyInfo: {content}}`. */
  public async updatePolicy(policyName: string, content: string): Promise<void> {
    await this.call<unknown>('updatePolicy', 'PUT', `/policy/${policyName}`, { body: { updatePolicyInfo: { content } } });
  }

  /** `DELETE /v1/policy/{policyName}`. */
  public async deletePolicy(policyName: string): Promise<void> {
    await this.call<unknown>('deletePolicy', 'DELETE', `/policy/${policyName}`);
  }

  /** `POST /v1/role/{roleName}:attachRolePolicy` with `{policyName}`. */
  public async attachRolePolicy(roleName: string, policyName: string): Promise<void> {
    await this.call<unknown>('attachRolePolicy', 'POST', `/role/${roleName}:attachRolePolicy`, { body: { policyName } });
  }

  /** `DELETE /v1/role/{roleName}:detachRolePolicy?policyName=…`. */
  public async detachRolePolicy(roleName: string, policyName: string): Promise<void> {
    await this.call<unknown>('detachRolePolicy', 'DELETE', `/role/${roleName}:detachRolePolicy`, { query: [['policyName', policyName]] });
  }

  /** `GET /v1/role/{roleName}/policies?sort=0&pageNumber=N&pageSize=100`, every page. */
  public async describeRolePolicies(roleName: string): Promise<JdRolePolicy[]> {
    const all: JdRolePolicy[] = [];
    for (let page = 1; page <= 100; page++) {
      const response = await this.call<{ policies?: unknown; total?: unknown } | undefined>('describeRolePolicies', 'GET', `/role/${roleName}/policies`, {
        query: [
          ['pageNumber', String(page)],
          ['pageSize', '100'],
          ['sort', '0'],
        ],
      });
      const policies = Array.isArray(response.result?.policies) ? (response.result.policies as Record<string, unknown>[]) : [];
      for (const policy of policies) {
        all.push(defined({ policyName: str(policy.policyName) ?? '', policyJrn: str(policy.policyJrn), type: str(policy.type) }));
      }
      const total = Number(response.result?.total);
      if (policies.length < 100 || (Number.isFinite(total) && all.length >= total)) break;
    }
    return all;
  }
}
