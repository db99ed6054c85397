import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type * as grpcTypes from '@grpc/grpc-js';
import * as providerRpc from '@pulumi/pulumi/proto/provider_grpc_pb';
import * as providerProto from '@pulumi/pulumi/proto/provider_pb';
import * as statusProto from '@pulumi/pulumi/proto/status_pb';
import * as structProto from 'google-protobuf/google/protobuf/struct_pb';
import { FakeEngine, grpc, type EngineLogEntry } from './pulumi-fake-engine';

/** Plain JSON properties, as they travel in a protobuf `Struct`. */
export type Properties = Record<string, unknown>;

/** Options of {@link ProviderHost.start}. */
export interface ProviderHostOptions {
  /** Extra environment of the host process (the clouds' endpoints and credentials). */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory of the host. The Pulumi engine starts plugins in the program's directory. */
  readonly cwd?: string;
  /** Stack config sent with `Configure`, keys as `namespace:key`, values as strings. */
  readonly config?: Readonly<Record<string, string>>;
  /** Project name the host believes it serves. */
  readonly project?: string;
}

/** A check that failed, per property. */
export interface CheckFailure {
  /** The property. */
  readonly property: string;
  /** Why. */
  readonly reason: string;
}

/** Result of `Check`. */
export interface CheckResult {
  /** The inputs the provider returned (normalised), `__provider` included. */
  readonly inputs: Properties;
  /** Failures; empty when the inputs are valid. */
  readonly failures: CheckFailure[];
}

/** Result of `Diff`. */
export interface DiffResult {
  /** `some`, `none` or `unknown`. */
  readonly changes: 'some' | 'none' | 'unknown';
  /** Properties whose change forces a replacement. */
  readonly replaces: string[];
  /** True when the old resource must go before the new one is created. */
  readonly deleteBeforeReplace: boolean;
}

/** Result of `Create`, `Read`. */
export interface ResourceState {
  /** The id; empty from `Read` when the resource is gone. */
  readonly id: string;
  /** The outputs, `__provider` included. */
  readonly properties: Properties;
  /** Inputs returned by `Read`, when the provider returned some. */
  readonly inputs?: Properties;
}

/**
 * An error a provider call returned over gRPC. When the provider reported a partial failure (the resource exists
 * but did not finish initialising, what the engine records as a created resource with init errors), `initFailure`
 * carries its id, properties and reasons, decoded from the `grpc-status-details-bin` trailer as the engine does.
 */
export class ProviderCallError extends Error {
  /** gRPC status code. */
  public readonly code: number;
  /** Decoded `ErrorResourceInitFailed`, when present. */
  public readonly initFailure?: { id: string; properties: Properties; reasons: string[] };

  /**
   * @param operation the RPC
   * @param error the gRPC error
   */
  constructor(operation: string, error: grpcTypes.ServiceError) {
    super(`${operation} failed: ${error.details || error.message}`);
    this.name = 'ProviderCallError';
    this.code = error.code;
    const details = error.metadata?.get('grpc-status-details-bin') ?? [];
    for (const raw of details) {
      const status = statusProto.Status.deserializeBinary(new Uint8Array(raw as Buffer));
      for (const any of status.getDetailsList()) {
        if (!any.getTypeName().endsWith('pulumirpc.ErrorResourceInitFailed')) continue;
        const detail = providerProto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        this.initFailure = {
          id: detail.getId(),
          properties: (detail.getProperties()?.toJavaScript() ?? {}) as Properties,
          reasons: detail.getReasonsList(),
        };
      }
    }
  }
}

const HOST_SCRIPT = require.resolve('@pulumi/pulumi/cmd/dynamic-provider/index.js');

/**
 * Stack config that makes the host poll the (sped-up) emulator often: the shared waiter's defaults (2 s to 5 min)
 * suit real clouds, not tasks that finish in a few real seconds.
 */
export const FAST_POLLING: Readonly<Record<string, string>> = { 'imageport:minPollInterval': '100ms', 'imageport:maxPollInterval': '500ms' };

/** The repository root: where the host runs by default, so `imageport/...` resolves by package self-reference. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The dynamic-provider host that ships in `@pulumi/pulumi` (`cmd/dynamic-provider`), started as a child process the
 * way the Pulumi engine starts `pulumi-resource-pulumi-nodejs`, with a {@link FakeEngine} for its logs, driven over
 * gRPC (`pulumirpc.ResourceProvider`) with protobuf Structs. `__provider` is passed inside the properties, as plain
 * text, exactly as the engine passes it to a provider that does not accept secrets.
 */
export class ProviderHost {
  /** Everything the host wrote to stdout after its port line, and to stderr. */
  public stdout = '';
  /** See {@link stdout}. */
  public stderr = '';
  /** The host's exit code, once it exited. */
  public exitCode: number | null | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerRpc.ResourceProviderClient,
    /** The fake engine receiving this host's logs. */
    public readonly engine: FakeEngine,
    private readonly exited: Promise<void>,
  ) {}

  /** Log messages the host sent to the engine. */
  public get logs(): readonly EngineLogEntry[] {
    return this.engine.logs;
  }

  /** Process id of the host. */
  public get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts a host (and its fake engine), then sends `Configure` like the engine does before any resource call. */
  public static async start(options: ProviderHostOptions = {}): Promise<ProviderHost> {
    const engine = new FakeEngine();
    const engineAddress = await engine.start();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PULUMI_NODEJS_ENGINE: engineAddress,
      PULUMI_NODEJS_PROJECT: options.project ?? 'imageport-test',
      ...options.env,
    };
    const child = spawn(process.execPath, [HOST_SCRIPT, engineAddress], {
      cwd: options.cwd ?? REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdoutBuffer = '';
    let stderrBuffer = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        stdoutBuffer += chunk.toString('utf8');
        const newline = stdoutBuffer.indexOf('\n');
        if (newline < 0) return;
        child.stdout?.off('data', onData);
        const line = stdoutBuffer.slice(0, newline).trim();
        stdoutBuffer = stdoutBuffer.slice(newline + 1);
        const parsed = Number(line);
        if (Number.isInteger(parsed) && parsed > 0) resolve(parsed);
        else reject(new Error(`dynamic-provider host wrote "${line}" instead of a port; stderr: ${stderrBuffer}`));
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (stderrBuffer += chunk.toString('utf8')));
      child.once('exit', (code) => reject(new Error(`dynamic-provider host exited (${code}) before its port; stderr: ${stderrBuffer}`)));
    });
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new ProviderHost(child, client, engine, exited);
    host.stdout = stdoutBuffer;
    host.stderr = stderrBuffer;
    child.stdout?.on('data', (chunk: Buffer) => (host.stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (host.stderr += chunk.toString('utf8')));
    child.once('exit', (code) => (host.exitCode = code));
    await host.configure(options.config ?? {});
    return host;
  }

  /** `Configure`: the stack config, as the engine sends it. */
  public async configure(config: Readonly<Record<string, string>>): Promise<void> {
    const request = new providerProto.ConfigureRequest();
    request.setArgs(structProto.Struct.fromJavaScript({ ...config } as Record<string, structProto.JavaScriptValue>));
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    for (const [key, value] of Object.entries(config)) request.getVariablesMap().set(key, value);
    await this.call('Configure', (callback) => this.client.configure(request, callback));
  }

  /** `Check(olds, news)`. */
  public async check(urn: string, olds: Properties, news: Properties): Promise<CheckResult> {
    const request = new providerProto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<providerProto.CheckResponse>('Check', (callback) => this.client.check(request, callback));
    return {
      inputs: (response.getInputs()?.toJavaScript() ?? {}) as Properties,
      failures: response.getFailuresList().map((failure) => ({ property: failure.getProperty(), reason: failure.getReason() })),
    };
  }

  /** `Diff(id, olds, news)`: `olds` are the old outputs (state), `news` the checked new inputs. */
  public async diff(urn: string, id: string, olds: Properties, news: Properties, oldInputs?: Properties): Promise<DiffResult> {
    const request = new providerProto.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    if (oldInputs) request.setOldInputs(toStruct(oldInputs));
    const response = await this.call<providerProto.DiffResponse>('Diff', (callback) => this.client.diff(request, callback));
    const changes = response.getChanges();
    return {
      changes:
        changes === providerProto.DiffResponse.DiffChanges.DIFF_SOME
          ? 'some'
          : changes === providerProto.DiffResponse.DiffChanges.DIFF_NONE
            ? 'none'
            : 'unknown',
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  /** `Create(properties)`; `timeoutSeconds` is what the engine sends for `customTimeouts.create`. */
  public async create(urn: string, properties: Properties, timeoutSeconds = 0): Promise<ResourceState> {
    const request = new providerProto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(toStruct(properties));
    request.setTimeout(timeoutSeconds);
    const response = await this.call<providerProto.CreateResponse>('Create', (callback) => this.client.create(request, callback));
    return { id: response.getId(), properties: (response.getProperties()?.toJavaScript() ?? {}) as Properties };
  }

  /** `Read(id, properties, inputs)` (refresh). */
  public async read(urn: string, id: string, properties: Properties, inputs?: Properties): Promise<ResourceState> {
    const request = new providerProto.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(toStruct(properties));
    if (inputs) request.setInputs(toStruct(inputs));
    const response = await this.call<providerProto.ReadResponse>('Read', (callback) => this.client.read(request, callback));
    const returnedInputs = response.getInputs()?.toJavaScript() as Properties | undefined;
    return {
      id: response.getId(),
      properties: (response.getProperties()?.toJavaScript() ?? {}) as Properties,
      ...(returnedInputs ? { inputs: returnedInputs } : {}),
    };
  }

  /** `Update(id, olds, news)`. */
  public async update(urn: string, id: string, olds: Properties, news: Properties, timeoutSeconds = 0): Promise<Properties> {
    const request = new providerProto.UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    request.setTimeout(timeoutSeconds);
    const response = await this.call<providerProto.UpdateResponse>('Update', (callback) => this.client.update(request, callback));
    return (response.getProperties()?.toJavaScript() ?? {}) as Properties;
  }

  /** `Delete(id, properties)`. */
  public async delete(urn: string, id: string, properties: Properties, timeoutSeconds = 0): Promise<void> {
    const request = new providerProto.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(toStruct(properties));
    request.setTimeout(timeoutSeconds);
    await this.call('Delete', (callback) => this.client.delete(request, callback));
  }

  /** Kills the host at once (SIGKILL), like a crashed `pulumi up`; resolves when the process is gone. */
  public async kill(): Promise<void> {
    this.client.close();
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
    await this.engine.stop();
  }

  /** Stops the host (SIGTERM) and its engine. */
  public async stop(): Promise<void> {
    this.client.close();
    if (this.exitCode === undefined) this.child.kill('SIGTERM');
    await this.exited;
    await this.engine.stop();
  }

  private call<T>(operation: string, invoke: (callback: (error: grpcTypes.ServiceError | null, response: T) => void) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      invoke((error, response) => (error ? reject(new ProviderCallError(operation, error)) : resolve(response)));
    });
  }
}

function toStruct(properties: Properties): structProto.Struct {
  return structProto.Struct.fromJavaScript(properties as Record<string, structProto.JavaScriptValue>);
}
