import * as pulumi from '@pulumi/pulumi';

/**
 * Wait options shared by every export and import resource.
 *
 * Pulumi's `customTimeouts` resource option reaches a provider as the `timeout` of the gRPC request, which the
 * Node.js dynamic-provider host drops: on its own it cannot bound a dynamic resource. imageport therefore carries
 * the wait as an input, `waitTimeout`, and takes `customTimeouts.create` (and `.delete`) as its default, so
 * `{ customTimeouts: { create: "2h" } }` works as Pulumi users expect.
 */
export interface TaskWaitArgs {
  /**
   * How long `pulumi up` waits for the task, as a duration (`"90m"`, `"2h"`, `"1h30m"`; units ms, s, m, h, d).
   * When the time is up the task goes on: the resource is recorded with its task id and the error, the next
   * `pulumi up` resumes the wait, and `pulumi destroy` cancels the task.
   * @default - the resource's `customTimeouts.create`, else "6h"
   */
  readonly waitTimeout?: pulumi.Input<string>;
  /**
   * How long `pulumi destroy` waits for a running task to end after cancelling it (JD Cloud, which cannot cancel:
   * for its own end).
   * @default - the resource's `customTimeouts.delete`, else "2h"
   */
  readonly deleteTimeout?: pulumi.Input<string>;
}

/** The wait inputs of a task resource: explicit args first, then the resource's `customTimeouts`. */
export function waitInputs(args: TaskWaitArgs, opts: pulumi.ResourceOptions | undefined): Record<string, pulumi.Input<string> | undefined> {
  return {
    waitTimeout: args.waitTimeout ?? opts?.customTimeouts?.create,
    deleteTimeout: args.deleteTimeout ?? opts?.customTimeouts?.delete,
  };
}

/**
 * Options of the dynamic resource a component creates: the component as parent, and the component's
 * `customTimeouts`, which Pulumi does not pass on to children by itself.
 */
export function childTaskOptions(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined): pulumi.CustomResourceOptions {
  return { parent, ...(opts?.customTimeouts ? { customTimeouts: opts.customTimeouts } : {}) };
}

/** The region from a provider's stack config (`aws:region`, `alicloud:region`), else an environment variable. */
export function configuredRegion(namespace: string, envVars: readonly string[]): string | undefined {
  const fromConfig = new pulumi.Config(namespace).get('region');
  if (fromConfig) return fromConfig;
  for (const name of envVars) {
    const value = process.env[name];
    if (value) return value;
  }
  return undefined;
}

/** The region of a resource: the argument, else the configured one; throws naming the argument when neither is set. */
export function regionOf(
  type: string,
  name: string,
  region: pulumi.Input<string> | undefined,
  namespace: string,
  envVars: readonly string[],
): pulumi.Input<string> {
  const resolved = region ?? configuredRegion(namespace, envVars);
  if (resolved === undefined) {
    throw new Error(
      `${type} "${name}": region is required: pass region, or set the ${namespace}:region stack config` +
        (envVars.length > 0 ? ` or ${envVars.join(' / ')}` : ''),
    );
  }
  return resolved;
}
