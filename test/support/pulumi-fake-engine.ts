import { createRequire } from 'node:module';
import type * as grpcTypes from '@grpc/grpc-js';
import * as engineRpc from '@pulumi/pulumi/proto/engine_grpc_pb';
import type * as engineProto from '@pulumi/pulumi/proto/engine_pb';
import * as emptyProto from 'google-protobuf/google/protobuf/empty_pb';

/**
 * The `@grpc/grpc-js` instance that `@pulumi/pulumi`'s generated stubs use: resolved from `@pulumi/pulumi` itself so
 * the harness never depends on how npm hoisted it.
 */
export const grpc: typeof grpcTypes = createRequire(require.resolve('@pulumi/pulumi/package.json'))('@grpc/grpc-js');

/** One `Log` call the dynamic-provider host made to the engine. */
export interface EngineLogEntry {
  /** `DEBUG`, `INFO`, `WARNING` or `ERROR`. */
  readonly severity: string;
  /** The message, verbatim. */
  readonly message: string;
  /** The resource URN the message is about, when given. */
  readonly urn: string;
  /** True for ephemeral (status-line) messages. */
  readonly ephemeral: boolean;
}

const SEVERITIES = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

/**
 * A tiny stand-in for the Pulumi engine's `Engine` gRPC service: the dynamic-provider host sends its `pulumi.log`
 * calls here. Every message is recorded so tests can read (and scan) them.
 */
export class FakeEngine {
  /** Every log message received, in order. */
  public readonly logs: EngineLogEntry[] = [];
  private server: grpcTypes.Server | undefined;
  private boundAddress: string | undefined;

  /** `127.0.0.1:<port>`, once started. */
  public get address(): string {
    if (!this.boundAddress) throw new Error('FakeEngine is not started');
    return this.boundAddress;
  }

  /** Starts listening on a free loopback port. */
  public async start(): Promise<string> {
    const server = new grpc.Server();
    server.addService(engineRpc.EngineService, {
      log: (call: grpcTypes.ServerUnaryCall<engineProto.LogRequest, unknown>, callback: grpcTypes.sendUnaryData<unknown>) => {
        const request = call.request;
        this.logs.push({
          severity: SEVERITIES[request.getSeverity()] ?? String(request.getSeverity()),
          message: request.getMessage(),
          urn: request.getUrn(),
          ephemeral: request.getEphemeral(),
        });
        callback(null, new emptyProto.Empty());
      },
      getRootResource: (_call: unknown, callback: grpcTypes.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'not used by dynamic providers' }, null),
      setRootResource: (_call: unknown, callback: grpcTypes.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'not used by dynamic providers' }, null),
      startDebugging: (_call: unknown, callback: grpcTypes.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'not used by dynamic providers' }, null),
      requirePulumiVersion: (_call: unknown, callback: grpcTypes.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'not used by dynamic providers' }, null),
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      );
    });
    this.server = server;
    this.boundAddress = `127.0.0.1:${port}`;
    return this.boundAddress;
  }

  /** Stops the server. */
  public async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }
}
