import type * as pulumi from '@pulumi/pulumi';
import { type JdcloudDriver } from '../../lib/clouds/jdcloud/driver';
import { JD_SERVICE_ROLE_TYPE } from '../../lib/clouds/jdcloud/iam-client';
import { iamNameIssues } from '../../lib/clouds/jdcloud/rules';
import { CloudError } from '../../lib/model/cloud-error';
import { driverOf } from './core';
import { endpointFailures, endpointsOf } from './endpoint-inputs';
import { hostInfo } from './host-log';
import { isUnknown, sameValue, toPlain } from './properties';
import { failuresOf } from './spec-checks';
import { isNotFound } from './task-wait';

/**
 * The region the JD driver behind the IAM providers is bound to. IAM is region-less (its calls are signed for
 * `jdcloud`); a driver's region only selects OSS endpoints, which these providers never use.
 */
const IAM_DRIVER_REGION = 'cn-north-1';

/** The IAM client, reached through the resource's endpoint overrides (`endpoints.iam`) when it has any. */
async function iam(properties: Record<string, unknown>): Promise<JdcloudDriver['iam']> {
  return ((await driverOf('jdcloud', IAM_DRIVER_REGION, endpointsOf(properties))) as JdcloudDriver).iam;
}

/** True when the endpoint overrides changed: an update that records them (nothing to change in the cloud). */
function endpointsChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return isUnknown(news.endpoints) || !sameValue(olds.endpoints, news.endpoints);
}

function isConflict(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'conflict';
}

function parseDocument(text: unknown): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** One failure per problem with a policy document given as JSON text. */
function documentFailures(field: string, value: unknown): pulumi.dynamic.CheckFailure[] {
  if (isUnknown(value)) return [];
  const parsed = parseDocument(value);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return [{ property: field, reason: `${field}: must be a JSON object given as text (JSON.stringify the document)` }];
  }
  if (typeof value === 'string' && value.length > 6144) {
    return [{ property: field, reason: `${field}: ${value.length} characters is over JD IAM's limit of 6144` }];
  }
  return [];
}

function descriptionFailures(value: unknown): pulumi.dynamic.CheckFailure[] {
  if (value === undefined || isUnknown(value)) return [];
  if (typeof value !== 'string' || value.length > 256) {
    return [{ property: 'description', reason: `description: must be a string of at most 256 characters` }];
  }
  return [];
}

/** Keeps the stored JSON text when the cloud's document means the same, so formatting never reads as drift. */
function liveDocument(stored: unknown, live: string | undefined): unknown {
  if (live === undefined) return stored;
  return sameValue(parseDocument(stored), parseDocument(live)) ? stored : live;
}

/**
 * A JD Cloud IAM service role (type 3). Inputs: `roleName`, `trustPolicy` (JSON text), `description`.
 * A change of the trust policy updates in place (`updateAssumeRolePolicy`); a new name or description replaces.
 * `create` adopts a role of the same name only when its trust policy is the same (a retried create), and fails
 * otherwise rather than take over someone else's role.
 */
export const serviceRoleProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures = [
      ...failuresOf(iamNameIssues('roleName', news.roleName, 'role', true), news),
      ...documentFailures('trustPolicy', news.trustPolicy),
      ...descriptionFailures(news.description),
      ...endpointFailures('jdcloud', news.endpoints),
    ];
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = ['roleName', 'description'].filter((field) => isUnknown(news[field]) || !sameValue(olds[field], news[field]));
    const trustChanged = isUnknown(news.trustPolicy) || !sameValue(parseDocument(olds.trustPolicy), parseDocument(news.trustPolicy));
    return { changes: replaces.length > 0 || trustChanged || endpointsChanged(olds, news), replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const client = await iam(inputs);
    const roleName = String(inputs.roleName);
    let existing;
    try {
      existing = await client.describeRole(roleName);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (existing) {
      if (!sameValue(parseDocument(existing.assumeRolePolicyDocument), parseDocument(inputs.trustPolicy))) {
        throw new Error(`JD Cloud role ${roleName} already exists with a different trust policy: rename the role, or delete the existing one`);
      }
      await hostInfo(`JD Cloud role ${roleName} already exists with this trust policy: adopted`);
    }
    const role =
      existing ??
      (await client.createRole({
        roleName,
        type: JD_SERVICE_ROLE_TYPE,
        assumeRolePolicyDocument: String(inputs.trustPolicy),
        ...(inputs.description ? { description: String(inputs.description) } : {}),
      }));
    return { id: roleName, outs: toPlain({ ...inputs, __provider: undefined, jrn: role.jrn ?? '', roleId: role.roleId ?? '' }) };
  },

  async read(id, props) {
    const client = await iam(props);
    try {
      const role = await client.describeRole(String(props.roleName ?? id));
      return { id, props: toPlain({ ...props, trustPolicy: liveDocument(props.trustPolicy, role.assumeRolePolicyDocument), jrn: role.jrn ?? props.jrn }) };
    } catch (error) {
      if (isNotFound(error)) return { id: '' };
      throw error;
    }
  },

  async update(_id, olds, news) {
    const client = await iam(news);
    if (!sameValue(parseDocument(olds.trustPolicy), parseDocument(news.trustPolicy))) {
      await client.updateAssumeRolePolicy(String(news.roleName), String(news.trustPolicy));
    }
    return { outs: toPlain({ ...news, __provider: undefined, jrn: olds.jrn, roleId: olds.roleId }) };
  },

  async delete(id, props) {
    const client = await iam(props);
    try {
      await client.deleteRole(String(props.roleName ?? id));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};

/**
 * A JD Cloud IAM custom policy. Inputs: `policyName`, `document` (JSON text), `description`. A new document
 * updates in place (`updatePolicy`); a new name or description replaces. `create` adopts a policy of the same name
 * only when its document is the same.
 */
export const policyProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures = [
      ...failuresOf(iamNameIssues('policyName', news.policyName, 'policy', true), news),
      ...documentFailures('document', news.document),
      ...descriptionFailures(news.description),
      ...endpointFailures('jdcloud', news.endpoints),
    ];
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = ['policyName', 'description'].filter((field) => isUnknown(news[field]) || !sameValue(olds[field], news[field]));
    const documentChanged = isUnknown(news.document) || !sameValue(parseDocument(olds.document), parseDocument(news.document));
    return { changes: replaces.length > 0 || documentChanged || endpointsChanged(olds, news), replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const client = await iam(inputs);
    const policyName = String(inputs.policyName);
    let existing;
    try {
      existing = await client.describePolicy(policyName);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (existing && !sameValue(parseDocument(existing.content), parseDocument(inputs.document))) {
      throw new Error(`JD Cloud policy ${policyName} already exists with a different document: rename the policy, or delete the existing one`);
    }
    let policy = existing;
    if (!policy) {
      try {
        policy = await client.createPolicy(policyName, String(inputs.document), inputs.description ? String(inputs.description) : undefined);
      } catch (error) {
        if (!isConflict(error)) throw error;
        policy = await client.describePolicy(policyName);
      }
    } else {
      await hostInfo(`JD Cloud policy ${policyName} already exists with this document: adopted`);
    }
    return { id: policyName, outs: toPlain({ ...inputs, __provider: undefined, jrn: policy.jrn ?? '', policyId: policy.policyId ?? '' }) };
  },

  async read(id, props) {
    const client = await iam(props);
    try {
      const policy = await client.describePolicy(String(props.policyName ?? id));
      return { id, props: toPlain({ ...props, document: liveDocument(props.document, policy.content) }) };
    } catch (error) {
      if (isNotFound(error)) return { id: '' };
      throw error;
    }
  },

  async update(_id, olds, news) {
    const client = await iam(news);
    if (!sameValue(parseDocument(olds.document), parseDocument(news.document))) {
      await client.updatePolicy(String(news.policyName), String(news.document));
    }
    return { outs: toPlain({ ...news, __provider: undefined, jrn: olds.jrn, policyId: olds.policyId }) };
  },

  async delete(id, props) {
    const client = await iam(props);
    try {
      await client.deletePolicy(String(props.policyName ?? id));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};

/**
 * Attaches a JD Cloud IAM policy to a role. Inputs: `roleName`, `policyName`; any change replaces. An attachment
 * that already exists is not an error; `read` reports a detached policy (or a missing role) as a blank id.
 */
export const rolePolicyAttachmentProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures = [
      ...failuresOf(iamNameIssues('roleName', news.roleName, 'role', true), news),
      ...failuresOf(iamNameIssues('policyName', news.policyName, 'policy', true), news),
      ...endpointFailures('jdcloud', news.endpoints),
    ];
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = ['roleName', 'policyName'].filter((field) => isUnknown(news[field]) || !sameValue(olds[field], news[field]));
    return { changes: replaces.length > 0 || endpointsChanged(olds, news), replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const client = await iam(inputs);
    const roleName = String(inputs.roleName);
    const policyName = String(inputs.policyName);
    try {
      await client.attachRolePolicy(roleName, policyName);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    return { id: `${roleName}:${policyName}`, outs: toPlain({ ...inputs, __provider: undefined }) };
  },

  async read(id, props) {
    const client = await iam(props);
    try {
      const attached = await client.describeRolePolicies(String(props.roleName));
      return attached.some((p) => p.policyName === props.policyName) ? { id, props } : { id: '' };
    } catch (error) {
      if (isNotFound(error)) return { id: '' };
      throw error;
    }
  },

  async delete(_id, props) {
    const client = await iam(props);
    try {
      await client.detachRolePolicy(String(props.roleName), String(props.policyName));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};
