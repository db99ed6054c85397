import type * as pulumi from '@pulumi/pulumi';
import { bucketNameIssues } from '../../lib/clouds/jdcloud/rules';
import { driverOf } from './core';
import { endpointFailures, endpointsOf } from './endpoint-inputs';
import { hostInfo } from './host-log';
import { isUnknown, sameValue, toPlain } from './properties';
import { failuresOf } from './spec-checks';

/** JD Cloud region ids look like `cn-east-2`. */
const REGION_PATTERN = /^[a-z]{2,}-[a-z]+-\d+$/;

/** The region's JD OSS, reached through the resource's endpoint overrides (`endpoints.oss`) when it has any. */
async function storageOf(properties: Record<string, unknown>) {
  return (await driverOf('jdcloud', String(properties.region), endpointsOf(properties))).storage();
}

/**
 * A private JD OSS bucket (over the S3 protocol). Inputs: `bucketName`, `region`, `forceDestroy`. A new name or
 * region replaces. `create` adopts an existing bucket of the same name only when it is empty (a retried create);
 * `delete` refuses a bucket that still holds objects unless `forceDestroy` is true (exports are usually worth more
 * than the bucket).
 */
export const bucketProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures = failuresOf(bucketNameIssues('bucketName', news.bucketName), news);
    if (!isUnknown(news.region) && (typeof news.region !== 'string' || !REGION_PATTERN.test(news.region))) {
      failures.push({ property: 'region', reason: `region: ${JSON.stringify(news.region)} must be a JD Cloud region id such as cn-east-2 or cn-north-1` });
    }
    if (news.forceDestroy !== undefined && !isUnknown(news.forceDestroy) && typeof news.forceDestroy !== 'boolean') {
      failures.push({ property: 'forceDestroy', reason: `forceDestroy: ${JSON.stringify(news.forceDestroy)} must be true or false` });
    }
    failures.push(...endpointFailures('jdcloud', news.endpoints));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = ['bucketName', 'region'].filter((field) => isUnknown(news[field]) || !sameValue(olds[field], news[field]));
    const changes = replaces.length > 0 || !sameValue(olds.forceDestroy, news.forceDestroy) || !sameValue(olds.endpoints, news.endpoints);
    return { changes, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const storage = await storageOf(inputs);
    const name = String(inputs.bucketName);
    if (await storage.bucketExists(name)) {
      const objects = await storage.list(name);
      if (objects.length > 0) {
        throw new Error(`JD OSS bucket ${name} already exists and holds ${objects.length} object(s): choose another name, or empty and delete it`);
      }
      await hostInfo(`JD OSS bucket ${name} already exists and is empty: adopted`);
    } else {
      await storage.createBucket(name);
    }
    return { id: name, outs: toPlain({ ...inputs, __provider: undefined }) };
  },

  async read(id, props) {
    const storage = await storageOf(props);
    return (await storage.bucketExists(String(props.bucketName ?? id))) ? { id, props } : { id: '' };
  },

  async update(_id, _olds, news) {
    return { outs: toPlain({ ...news, __provider: undefined }) };
  },

  async delete(id, props) {
    const storage = await storageOf(props);
    const name = String(props.bucketName ?? id);
    if (!(await storage.bucketExists(name))) return;
    const objects = await storage.list(name);
    if (objects.length > 0 && props.forceDestroy !== true) {
      throw new Error(
        `JD OSS bucket ${name} still holds ${objects.length} object(s) (${objects.slice(0, 3).map((o) => o.key).join(', ')}${objects.length > 3 ? ', …' : ''}): ` +
          'move or delete them, or set forceDestroy: true and run pulumi up before destroying',
      );
    }
    for (const object of objects) await storage.delete(name, object.key);
    await storage.deleteBucket(name);
  },
};
