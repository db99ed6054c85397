import type * as pulumi from '@pulumi/pulumi';
import { type ProviderKind } from '../provider/forwarding-provider';
import type * as exportModule from './export-provider';
import type * as importModule from './import-provider';
import type * as bucketModule from './jdcloud-bucket-provider';
import type * as iamModule from './jdcloud-iam-providers';
import { resetDrivers } from './core';
import { configureHost, redact } from './host-settings';

/**
 * imageport's dynamic providers, host side. The dynamic-provider host loads this module lazily, by package name
 * (`imageport/pulumi/runtime/index`), through the forwarders that Pulumi serializes into state; see
 * `pulumi/provider/forwarding-provider.ts`. Nothing here runs in the Pulumi program itself.
 */

const implementations: Record<ProviderKind, () => pulumi.dynamic.ResourceProvider> = {
  'image-export': () => (require('./export-provider') as typeof exportModule).exportProvider,
  'image-import': () => (require('./import-provider') as typeof importModule).importProvider,
  'jdcloud-service-role': () => (require('./jdcloud-iam-providers') as typeof iamModule).serviceRoleProvider,
  'jdcloud-policy': () => (require('./jdcloud-iam-providers') as typeof iamModule).policyProvider,
  'jdcloud-role-policy-attachment': () =>
    (require('./jdcloud-iam-providers') as typeof iamModule).rolePolicyAttachmentProvider,
  'jdcloud-bucket': () => (require('./jdcloud-bucket-provider') as typeof bucketModule).bucketProvider,
};

/**
 * Rethrows with every known credential value redacted from the message, keeping what the host reads from the
 * error (`id`, `properties`, `reasons` of a partial failure).
 */
function redacted(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const message = redact(error.message);
  if (message === error.message) return error;
  const copy: Error & { reasons?: unknown } = Object.assign(new Error(message), error, { message });
  copy.name = error.name;
  if (Array.isArray(copy.reasons)) copy.reasons = copy.reasons.map((reason) => redact(String(reason)));
  return copy;
}

function guarded<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await call(...args);
    } catch (error) {
      throw redacted(error);
    }
  };
}

/** Properties as the host passes them: plain JSON. */
type Props = Record<string, unknown>;

const cache = new Map<ProviderKind, pulumi.dynamic.ResourceProvider>();

/**
 * The provider of one kind: reads imageport's stack config on `configure`, redacts credential values from every
 * error it raises, and answers every method (the forwarder calls them all): a kind without `update` records the new
 * inputs, one without `read` reports its state unchanged.
 *
 * @param kind which provider
 */
export function providerFor(kind: string): pulumi.dynamic.ResourceProvider {
  const known = kind as ProviderKind;
  const cached = cache.get(known);
  if (cached) return cached;
  const load = implementations[known];
  if (!load) throw new Error(`imageport: unknown dynamic provider kind "${kind}" (known: ${Object.keys(implementations).join(', ')})`);
  const inner = load();
  const provider: pulumi.dynamic.ResourceProvider = {
    configure: guarded(async (request: pulumi.dynamic.ConfigureRequest) => {
      configureHost(request);
      resetDrivers();
    }),
    check: guarded(async (olds: Props, news: Props) => (inner.check ? inner.check(olds, news) : { inputs: news })),
    diff: guarded(async (id: string, olds: Props, news: Props) => (inner.diff ? inner.diff(id, olds, news) : {})),
    create: guarded(async (inputs: Props) => inner.create(inputs)),
    read: guarded(async (id: string, props: Props) => (inner.read ? inner.read(id, props) : { id, props })),
    update: guarded(async (id: string, olds: Props, news: Props) => (inner.update ? inner.update(id, olds, news) : { outs: { ...olds, ...news } })),
    delete: guarded(async (id: string, props: Props) => {
      if (inner.delete) await inner.delete(id, props);
    }),
  };
  cache.set(known, provider);
  return provider;
}
