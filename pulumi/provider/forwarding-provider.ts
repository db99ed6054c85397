import type * as nodeModule from 'node:module';
import type * as nodePath from 'node:path';
import type * as pulumi from '@pulumi/pulumi';

/**
 * The dynamic providers imageport ships. Each is implemented once, host-side, in `pulumi/runtime`
 * (see `providerFor` in `pulumi/runtime/index.ts`).
 */
export type ProviderKind =
  | 'image-export'
  | 'image-import'
  | 'jdcloud-service-role'
  | 'jdcloud-policy'
  | 'jdcloud-role-policy-attachment'
  | 'jdcloud-bucket';

/**
 * The module imageport's host-side runtime is loaded from, by package name. Not exported: in CommonJS output an
 * exported constant is read through `exports`, which the closure serializer would capture whole.
 */
const RUNTIME_MODULE = 'imageport/pulumi/runtime/index';

/**
 * A dynamic provider that carries nothing but the name of its kind and forwards every call to imageport's
 * host-side runtime.
 *
 * Pulumi serializes this object (and what its functions capture) into the `__provider` property stored in state,
 * and the dynamic-provider host evaluates it with `require-from-string`. So it captures no module, no SDK client and
 * no credential: only `kind`, a string. Each method loads the runtime on first use, by package self-reference
 * `imageport/pulumi/runtime/index`, resolved from the host's working directory (the Pulumi engine starts plugins in
 * the program's directory, where `imageport` is installed; in imageport's own checkout the package resolves to
 * itself through `package.json` `exports`, i.e. to `dist/`). Credentials and endpoints are read there, at run time,
 * from the environment or the stack config (`configure`).
 *
 * A fix in the runtime therefore reaches existing stacks without a `pulumi up`: state holds this forwarder, not
 * the implementation.
 *
 * @param kind which provider to forward to
 */
export function forwardingProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  const runtime = (): pulumi.dynamic.ResourceProvider => {
    const { createRequire } = require('node:module') as typeof nodeModule;
    const { join } = require('node:path') as typeof nodePath;
    const fromProgram = createRequire(join(process.cwd(), '__imageport_dynamic_provider__.js'));
    let loaded: { providerFor(kind: string): pulumi.dynamic.ResourceProvider };
    try {
      loaded = fromProgram(RUNTIME_MODULE);
    } catch (error) {
      throw new Error(
        `imageport: cannot load its Pulumi provider runtime ("${RUNTIME_MODULE}") from ${process.cwd()}: ` +
          `${(error as Error).message}. Install imageport in the Pulumi project (npm install imageport); ` +
          'in a source checkout of imageport, run "npm run build" first.',
      );
    }
    return loaded.providerFor(kind);
  };
  return {
    async configure(request) {
      await runtime().configure?.(request);
    },
    async check(olds, news) {
      return runtime().check!(olds, news);
    },
    async diff(id, olds, news) {
      return runtime().diff!(id, olds, news);
    },
    async create(inputs) {
      return runtime().create(inputs);
    },
    async read(id, props) {
      return runtime().read!(id, props);
    },
    async update(id, olds, news) {
      return runtime().update!(id, olds, news);
    },
    async delete(id, props) {
      await runtime().delete!(id, props);
    },
  };
}
