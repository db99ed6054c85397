import Module from 'node:module';
import { isMainThread } from 'node:worker_threads';
import * as pulumi from '@pulumi/pulumi';

/**
 * Pulumi's closure serializer `require`s every built-in module once (to recognise captured ones), and Node refuses
 * `trace_events` inside worker threads, where ava runs test files. Inside a worker, hand the serializer a stand-in
 * for that one module: nothing imageport serializes captures it.
 */
if (!isMainThread) {
  const moduleInternals = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const originalLoad = moduleInternals._load;
  const traceEventsStandIn = Object.freeze({ standIn: 'trace_events is unavailable in worker threads' });
  moduleInternals._load = function load(request, parent, isMain) {
    if (request === 'trace_events' || request === 'node:trace_events') return traceEventsStandIn;
    return originalLoad.call(this, request, parent, isMain);
  };
}

/** One resource a program registered under mocks. */
export interface RegisteredResource {
  /** Type token (`aws:iam/role:Role`, `pulumi-nodejs:dynamic/imageport/aws:ImageExport`, `imageport:aws:VmImportRole`). */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN the mock monitor gave it. */
  readonly urn: string;
  /** URN of its parent; the stack for top-level resources. */
  readonly parent: string;
  /** True for custom resources, false for components. */
  readonly custom: boolean;
  /** Inputs, plain: secrets unwrapped (see {@link secretInputs}). */
  readonly inputs: Record<string, unknown>;
  /** Names of the inputs that arrived as secrets. */
  readonly secretInputs: readonly string[];
  /** The `id` option (import id / read id), when given. */
  readonly importId: string;
  /** Reference (`urn::id`) of the explicit provider the resource was given or inherited; empty for the default provider. */
  readonly provider: string;
}

/** Options of {@link runUnderMocks}. */
export interface MockRunOptions {
  /** Project name (the namespace of `new pulumi.Config()`). @default "imageport-test" */
  readonly project?: string;
  /** Stack name. @default "dev" */
  readonly stack?: string;
  /** Config, keys as `project:key` or `namespace:key`. @default - none */
  readonly config?: Readonly<Record<string, string>>;
  /** Preview (dry run) instead of update. @default false */
  readonly preview?: boolean;
  /** Extra outputs a mocked custom resource reports, by type. @default - {@link defaultMockOutputs} */
  readonly outputs?: (resource: { type: string; name: string; inputs: Record<string, unknown> }) => Record<string, unknown>;
  /**
   * Deploys each custom resource for real as it registers, the way the engine does during `pulumi up`: its result
   * (id and outputs) becomes the resource's state, so dependents see real outputs (a task id, an object key).
   * Returning `undefined` falls back to the mock outputs.
   * @default - nothing is deployed
   */
  readonly deploy?: (resource: LiveResource) => Promise<{ id: string; outputs: Record<string, unknown> } | undefined>;
}

/** A custom resource being registered, as {@link MockRunOptions.deploy} receives it. */
export interface LiveResource {
  /** Type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** A URN in the engine's format (parent types not included). */
  readonly urn: string;
  /** Inputs, secrets unwrapped, `__provider` included for dynamic resources. */
  readonly inputs: Record<string, unknown>;
}

/** Result of {@link runUnderMocks}. */
export interface MockRun<T> {
  /** Every resource registered, in registration order. */
  readonly resources: RegisteredResource[];
  /** What the program returned (for a module: its exports). */
  readonly result: T;
}

interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
}

interface MockMonitorLike {
  registerResource(request: MonitorRequest, callback: (error: unknown, response: unknown) => void): Promise<void>;
  resources: Map<string, unknown>;
}

const ACCOUNT_ID = '123456789012';

/**
 * Outputs a mocked resource reports beyond its inputs, so programs see realistic values (ARNs, ids).
 * Dynamic resources report their inputs only: their real outputs come from the provider host.
 */
export function defaultMockOutputs(resource: { type: string; name: string; inputs: Record<string, unknown> }): Record<string, unknown> {
  const inputs = resource.inputs;
  switch (resource.type) {
    case 'aws:iam/role:Role': {
      const name = String(inputs.name ?? resource.name);
      return { name, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`, uniqueId: `AROA${name.length}EXAMPLE` };
    }
    case 'aws:s3/bucket:Bucket': {
      const bucket = String(inputs.bucket ?? resource.name);
      return { bucket, arn: `arn:aws:s3:::${bucket}`, region: String(inputs.region ?? 'us-east-1') };
    }
    case 'alicloud:ram/role:Role': {
      const roleName = String(inputs.roleName ?? resource.name);
      return { roleName, arn: `acs:ram::${ACCOUNT_ID}:role/${roleName.toLowerCase()}` };
    }
    case 'alicloud:ram/policy:Policy':
      return { policyName: String(inputs.policyName ?? resource.name) };
    case 'alicloud:oss/bucket:Bucket':
      return { bucket: String(inputs.bucket ?? resource.name) };
    default:
      return {};
  }
}

let running = false;

/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and records every resource it registers: type, name,
 * inputs (as the engine would receive them, `__provider` included for dynamic resources), parent and URN.
 *
 * Mocks are module-level in `@pulumi/pulumi`: call this from `test.serial` only.
 *
 * @param program a function declaring resources, or the path of a program module (its exports are the result)
 */
export async function runUnderMocks<T = unknown>(
  program: (() => T | Promise<T>) | string,
  options: MockRunOptions = {},
): Promise<MockRun<T>> {
  if (running) throw new Error('runUnderMocks is already running: Pulumi mocks are global, use test.serial');
  running = true;
  try {
    const project = options.project ?? 'imageport-test';
    const stack = options.stack ?? 'dev';
    const outputsFor = options.outputs ?? defaultMockOutputs;
    const deployErrors: Error[] = [];
    const byUrnOrder: {
      type: string;
      name: string;
      inputs: Record<string, unknown>;
      secretInputs: string[];
      custom: boolean;
      importId: string;
      provider: string;
    }[] = [];
    pulumi.runtime.setAllConfig({ ...(options.config ?? {}) });
    await pulumi.runtime.setMocks(
      {
        async newResource(args) {
          const { inputs, secretInputs } = unwrapSecrets(args.inputs as Record<string, unknown>);
          byUrnOrder.push({
            type: args.type,
            name: args.name,
            inputs,
            secretInputs,
            custom: args.custom ?? false,
            importId: args.id ?? '',
            provider: args.provider ?? '',
          });
          if (args.custom && options.deploy && deployErrors.length === 0) {
            const urn = `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`;
            try {
              const deployed = await options.deploy({ type: args.type, name: args.name, urn, inputs });
              if (deployed) return { id: deployed.id, state: deployed.outputs };
            } catch (error) {
              // Like the engine: the update fails, and nothing after it is deployed. Reported once the run drains.
              deployErrors.push(new Error(`deploying ${args.type} "${args.name}" failed: ${(error as Error).message}`, { cause: error }));
            }
          }
          const extra = args.custom ? outputsFor({ type: args.type, name: args.name, inputs }) : {};
          const id = args.custom ? String(extra.bucket ?? extra.name ?? extra.roleName ?? `${args.name}-id`) : undefined;
          return { id, state: { ...args.inputs, ...extra } };
        },
        call(args) {
          throw new Error(`unexpected invoke ${args.token} under mocks`);
        },
      },
      project,
      stack,
      options.preview ?? false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const parents: { type: string; name: string; parent: string }[] = [];
    const originalRegister = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
      parents.push({ type: request.getType(), name: request.getName(), parent: request.getParent() });
      return originalRegister(request, callback);
    };

    let result: T;
    if (typeof program === 'string') {
      const resolved = require.resolve(program);
      delete require.cache[resolved];
      result = require(resolved) as T;
    } else {
      result = await program();
    }
    await waitForRegistrations();
    if (deployErrors.length > 0) throw deployErrors[0];

    const urns = [...monitor.resources.keys()];
    const resources = byUrnOrder.map((record): RegisteredResource => {
      const parentEntry = parents.find((p) => p.type === record.type && p.name === record.name);
      const urn = urns.find((u) => u.endsWith(`$${record.type}::${record.name}`) || u.endsWith(`::${record.type}::${record.name}`)) ?? '';
      return { ...record, urn, parent: parentEntry?.parent ?? '' };
    });
    return { resources, result };
  } finally {
    running = false;
  }
}

/** Resolves every Output in a module's exports (a program's stack outputs), nested ones included. */
export async function resolveOutputs(exports: Record<string, unknown>): Promise<Record<string, unknown>> {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exports)) {
    resolved[key] = await promiseOf(pulumi.output(value));
  }
  return resolved;
}

/** The value of an Output (under mocks). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

async function waitForRegistrations(): Promise<void> {
  const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> };
  // Resources declared inside `apply` register after earlier RPCs finish: drain until quiet.
  for (let round = 0; round < 3; round += 1) {
    await settings.waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function unwrapSecrets(inputs: Record<string, unknown>): { inputs: Record<string, unknown>; secretInputs: string[] } {
  const plain: Record<string, unknown> = {};
  const secretInputs: string[] = [];
  for (const [key, value] of Object.entries(inputs ?? {})) {
    if (pulumi.runtime.isRpcSecret(value)) {
      secretInputs.push(key);
      plain[key] = pulumi.runtime.unwrapRpcSecret(value);
    } else {
      plain[key] = value;
    }
  }
  return { inputs: plain, secretInputs };
}
