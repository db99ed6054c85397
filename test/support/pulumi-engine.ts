import { type RegisteredResource } from './pulumi-mock-program';
import { type CheckFailure, type DiffResult, type Properties, type ProviderHost } from './pulumi-provider-host';

/** A dynamic resource as the engine keeps it in state after a successful step. */
export interface ResourceStateEntry {
  /** URN. */
  readonly urn: string;
  /** Type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Provider id. */
  readonly id: string;
  /** Checked inputs (`__provider` included). */
  readonly inputs: Properties;
  /** Outputs (`__provider` included). */
  readonly outputs: Properties;
}

/** One gRPC call the engine made, with what went in and came out: everything a credential scan must read. */
export interface EngineCall {
  /** The RPC. */
  readonly operation: 'Check' | 'Diff' | 'Create' | 'Read' | 'Update' | 'Delete';
  /** URN of the resource. */
  readonly urn: string;
  /** Request properties. */
  readonly request: unknown;
  /** Response (or the error message). */
  readonly response: unknown;
}

/** What {@link MiniEngine.update} did. */
export type UpdateOutcome =
  | { readonly kind: 'same'; readonly diff: DiffResult; readonly state: ResourceStateEntry }
  | { readonly kind: 'updated'; readonly diff: DiffResult; readonly state: ResourceStateEntry }
  | { readonly kind: 'replaced'; readonly diff: DiffResult; readonly state: ResourceStateEntry; readonly order: 'delete-first' | 'create-first' };

/** Check failures, raised by {@link MiniEngine.create} the way the engine refuses a resource before any create. */
export class CheckFailedError extends Error {
  /** The failures. */
  public readonly failures: readonly CheckFailure[];

  /** @param urn the resource @param failures the failures */
  constructor(urn: string, failures: readonly CheckFailure[]) {
    super(`Check of ${urn} failed:\n${failures.map((f) => `  - ${f.property}: ${f.reason}`).join('\n')}`);
    this.name = 'CheckFailedError';
    this.failures = failures;
  }
}

/**
 * The steps the Pulumi engine takes for a dynamic resource, over a real {@link ProviderHost}: `Check` then
 * `Create` (up), `Check` + `Diff` then `Update` or a replacement (up after a change), `Read` (refresh), `Delete`
 * (destroy). Every call is recorded in {@link calls}.
 */
export class MiniEngine {
  /** Every call, in order. */
  public readonly calls: EngineCall[] = [];

  /** @param host the dynamic-provider host to drive */
  constructor(public host: ProviderHost) {}

  /** `Check(olds={}, news)` then `Create`, as in a first `pulumi up`. */
  public async create(resource: Pick<RegisteredResource, 'urn' | 'type' | 'name' | 'inputs'>, timeoutSeconds = 0): Promise<ResourceStateEntry> {
    const inputs = await this.check(resource.urn, {}, resource.inputs);
    const created = await this.record('Create', resource.urn, inputs, () => this.host.create(resource.urn, inputs, timeoutSeconds));
    return { urn: resource.urn, type: resource.type, name: resource.name, id: created.id, inputs, outputs: created.properties };
  }

  /** `Check(olds, news)`; throws {@link CheckFailedError} on failures. */
  public async check(urn: string, olds: Properties, news: Properties): Promise<Properties> {
    const result = await this.record('Check', urn, { olds, news }, () => this.host.check(urn, olds, news));
    if (result.failures.length > 0) throw new CheckFailedError(urn, result.failures);
    return result.inputs;
  }

  /**
   * A later `pulumi up` with new inputs: `Check`, `Diff`, then nothing, `Update`, or a replacement (the old one
   * deleted first when the provider asks, else created first).
   */
  public async update(state: ResourceStateEntry, newInputs: Properties): Promise<UpdateOutcome> {
    const inputs = await this.check(state.urn, state.inputs, newInputs);
    const diff = await this.record('Diff', state.urn, { olds: state.outputs, news: inputs }, () =>
      this.host.diff(state.urn, state.id, state.outputs, inputs, state.inputs),
    );
    if (diff.replaces.length > 0) {
      if (diff.deleteBeforeReplace) {
        await this.delete(state);
        const created = await this.record('Create', state.urn, inputs, () => this.host.create(state.urn, inputs));
        return { kind: 'replaced', diff, order: 'delete-first', state: { ...state, id: created.id, inputs, outputs: created.properties } };
      }
      const created = await this.record('Create', state.urn, inputs, () => this.host.create(state.urn, inputs));
      await this.delete(state);
      return { kind: 'replaced', diff, order: 'create-first', state: { ...state, id: created.id, inputs, outputs: created.properties } };
    }
    if (diff.changes === 'none') return { kind: 'same', diff, state };
    const outputs = await this.record('Update', state.urn, { olds: state.outputs, news: inputs }, () =>
      this.host.update(state.urn, state.id, state.outputs, inputs),
    );
    return { kind: 'updated', diff, state: { ...state, inputs, outputs } };
  }

  /** `Update` with unchanged inputs: what the engine does for a resource recorded with initialisation errors. */
  public async retryInit(state: ResourceStateEntry): Promise<ResourceStateEntry> {
    const outputs = await this.record('Update', state.urn, { olds: state.outputs, news: state.inputs }, () =>
      this.host.update(state.urn, state.id, state.outputs, state.inputs),
    );
    return { ...state, outputs };
  }

  /** `Read`, as in `pulumi refresh`: the new state, or `undefined` when the provider reports the resource gone. */
  public async refresh(state: ResourceStateEntry): Promise<ResourceStateEntry | undefined> {
    const read = await this.record('Read', state.urn, { id: state.id, properties: state.outputs }, () =>
      this.host.read(state.urn, state.id, state.outputs, state.inputs),
    );
    if (read.id === '') return undefined;
    return { ...state, id: read.id, outputs: read.properties, inputs: read.inputs ?? state.inputs };
  }

  /** `Delete`, as in `pulumi destroy`. */
  public async delete(state: ResourceStateEntry): Promise<void> {
    await this.record('Delete', state.urn, { id: state.id, properties: state.outputs }, () => this.host.delete(state.urn, state.id, state.outputs));
  }

  private async record<T>(operation: EngineCall['operation'], urn: string, request: unknown, call: () => Promise<T>): Promise<T> {
    try {
      const response = await call();
      this.calls.push({ operation, urn, request, response });
      return response;
    } catch (error) {
      this.calls.push({ operation, urn, request, response: { error: (error as Error).message, detail: (error as { initFailure?: unknown }).initFailure } });
      throw error;
    }
  }
}

/** The dynamic resources of a mock run, in registration order (the order the engine would create them in). */
export function dynamicResources(resources: readonly RegisteredResource[]): RegisteredResource[] {
  return resources.filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/'));
}

/**
 * Every place a secret appears in `haystack` (searched as JSON text, so nested values count), as
 * `"<label>" found in <where>`. An empty list means clean.
 */
export function findSecrets(secrets: Readonly<Record<string, string>>, places: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = [];
  for (const [where, value] of Object.entries(places)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
    for (const [label, secret] of Object.entries(secrets)) {
      if (secret && text.includes(secret)) found.push(`"${label}" found in ${where}`);
    }
  }
  return found;
}
