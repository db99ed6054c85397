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

/** Endpoint overrides of a resource that calls a cloud from the provider host. */
export interface EndpointArgs {
  /**
   * Per-service endpoint overrides for this resource's cloud calls, keyed by imageport's service names (`ec2`,
   * `iam`, `s3`, `sts` on AWS; `ecs`, `ram`, `oss` on Alibaba Cloud; `vm`, `iam`, `oss` on JD Cloud), each an http(s)
   * URL (a VPC endpoint, a local emulator). The provider host applies them at run time, per service: the
   * `imageport:endpoints` stack config wins, then these, then the environment (`AWS_ENDPOINT_URL_EC2`…). They are
   * kept in the state as plain inputs (they are not secrets, and never hold credentials); a change updates in place.
   * @default - the `imageport:endpoints` stack config, then the environment, then the public endpoints
   */
  readonly endpoints?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Arguments every export and import takes besides its spec: waiting, endpoints, the client token. */
export interface TaskRequestArgs extends TaskWaitArgs, EndpointArgs {
  /**
   * Client token of the first start (the cloud's idempotency token: AWS `ClientToken`, JD `clientToken`, Alibaba
   * ImportImage `ClientToken`; Alibaba ExportImage takes none). A start that has to be retried after its task failed
   * uses tokens derived from it. Give one to adopt a task started elsewhere with that token (`imageport apply` of
   * the same request), and give a new one with any change that replaces the resource: a replacement that keeps the
   * token replays the old task's request.
   * @default - a deterministic token of the resource's URN and the fields that force a replacement
   */
  readonly clientToken?: pulumi.Input<string>;
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
