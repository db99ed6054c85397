/**
 * CloudFormation and the custom-resource Provider framework around the real handler bundle.
 *
 * The framework is not re-implemented: aws-cdk-lib's own runtime (`provider-framework/runtime/framework.js` and
 * `cfn-response.js`, the code of the framework Lambdas `cr.Provider` deploys) runs in this process. Its three
 * outbound calls (`outbound.js`: Lambda `Invoke`, Step Functions `StartExecution`, and the HTTPS `PUT` of the
 * response to CloudFormation) are replaced by local ones, as aws-cdk-lib's own runtime tests do:
 *
 * - Invoke runs the handler bundle's `onEvent` / `isComplete` with Lambda's semantics (a JSON payload in, a JSON
 *   payload out, a thrown error reported as `FunctionError: Unhandled` with `errorMessage` and `trace`);
 * - StartExecution runs the waiter state machine `cr.Provider` deploys (what `waiter-state-machine.ts` declares):
 *   the framework's isComplete at once, then again after each query interval (virtual time) while it throws,
 *   and, when the retries run out, the framework's onTimeout with the Step Functions error;
 * - the response PUT is recorded: that is what CloudFormation receives.
 */
import Module from 'node:module';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { type VirtualClock } from '../../../lib/wait';
import { type HandlerBundle } from '../support/handler-bundle';

/** What CloudFormation receives for one request (the body of the response PUT). */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data: Record<string, string>;
}

/** The physical id the Provider framework reports for a Create whose onEvent failed. */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** A CloudFormation request as a test writes it; the simulator fills in the rest. */
export interface SimulatedRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceType: string;
  readonly LogicalResourceId?: string;
  readonly RequestId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** A request as CloudFormation sends it to the service token. */
export interface CfnRequest extends SimulatedRequest {
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

/** Options of {@link CloudFormationSimulator}. */
export interface SimulatorOptions {
  /** Stack ARN. @default a stack named Sim in us-east-1 */
  readonly stackId?: string;
  /** The Provider's query interval. @default 15 s, the constructs' QUERY_INTERVAL */
  readonly queryIntervalMs?: number;
  /** Retries of the waiter (`totalTimeout / queryInterval`). @default 240, one hour at 15 s */
  readonly maxAttempts?: number;
}

interface FrameworkRuntime {
  onEvent(event: unknown): Promise<void>;
  isComplete(event: unknown): Promise<void>;
  onTimeout(event: unknown): Promise<void>;
}

interface LambdaInvokeRequest {
  readonly FunctionName: string;
  readonly Payload: string;
}

const ON_EVENT_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:imageport-OnEvent';
const IS_COMPLETE_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:imageport-IsComplete';
const WAITER_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:imageport-waiter';
const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:imageport-framework-onEvent';

/**
 * Drives the handler bundle through aws-cdk-lib's Provider framework runtime, one CloudFormation request at a time.
 * One simulator per process: the framework runtime is a module singleton that reads its settings from environment
 * variables, so a second simulator would take over the first one's outbound calls.
 */
export class CloudFormationSimulator {
  /** Every line the framework and the handler logged (console.log / warn / error), in order. */
  public readonly logs: string[] = [];
  private readonly framework: FrameworkRuntime;
  private readonly responses = new Map<string, CfnResponse>();
  private readonly executions: { stateMachineArn: string; input: string }[] = [];

  constructor(
    private readonly handler: HandlerBundle,
    private readonly clock: VirtualClock,
    private readonly options: SimulatorOptions = {},
  ) {
    this.framework = loadFramework({
      invokeFunction: (request) => this.invoke(request),
      startExecution: async (request) => {
        this.executions.push(request);
        return { executionArn: `${request.stateMachineArn}:${this.executions.length}`, startDate: new Date() };
      },
      httpRequest: async (_options, body) => {
        const response = JSON.parse(body) as CfnResponse;
        this.responses.set(response.RequestId, response);
      },
    });
    Object.assign(process.env, {
      USER_ON_EVENT_FUNCTION_ARN: ON_EVENT_ARN,
      USER_IS_COMPLETE_FUNCTION_ARN: IS_COMPLETE_ARN,
      WAITER_STATE_MACHINE_ARN: WAITER_ARN,
    });
  }

  /** The request CloudFormation would send (a fresh request id unless given). */
  public request(request: SimulatedRequest): CfnRequest {
    const stackId = this.options.stackId ?? 'arn:aws:cloudformation:us-east-1:123456789012:stack/Sim/1';
    const requestId = request.RequestId ?? randomUUID();
    return {
      ServiceToken: SERVICE_TOKEN,
      StackId: stackId,
      LogicalResourceId: 'Export',
      RequestId: requestId,
      ResponseURL: `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/${encodeURIComponent(stackId)}%7CExport%7C${requestId}?X-Amz-Signature=0`,
      ...request,
      ResourceProperties: { ServiceToken: SERVICE_TOKEN, ...request.ResourceProperties },
      ...(request.OldResourceProperties ? { OldResourceProperties: { ServiceToken: SERVICE_TOKEN, ...request.OldResourceProperties } } : {}),
    };
  }

  /**
   * Runs one request the whole way: the framework's onEvent, then the waiter until the response is sent.
   * @param request the request
   * @param waiter overrides of the waiter's retry count for this request
   */
  public async send(request: CfnRequest, waiter: Pick<SimulatorOptions, 'maxAttempts'> = {}): Promise<CfnResponse> {
    const started = await this.start(request);
    if (started) await this.runWaiter(started, waiter.maxAttempts ?? this.options.maxAttempts ?? 240);
    return this.responseTo(request);
  }

  /**
   * The framework's onEvent alone: the user onEvent runs and the waiter is started but not run (as when the
   * deployment stops right there). Returns the isComplete request the waiter was given, or `undefined` when
   * onEvent answered CloudFormation itself (a failure, or the ignored Delete of a failed Create).
   */
  public async start(request: CfnRequest): Promise<Record<string, unknown> | undefined> {
    const before = this.executions.length;
    await this.quietly(() => this.framework.onEvent(structuredClone(request)));
    if (this.executions.length === before) return undefined;
    return JSON.parse(this.executions[this.executions.length - 1].input) as Record<string, unknown>;
  }

  /** The user onEvent invoked directly, as the framework's Lambda does before it dies (no waiter, no response). */
  public async invokeUserOnEvent(request: CfnRequest): Promise<unknown> {
    const { ResponseURL: _url, ...payload } = request;
    return this.quietly(() => this.handler.onEvent(structuredClone({ ...payload, ResponseURL: '...' })));
  }

  /** What CloudFormation received for a request; fails when it received nothing. */
  public responseTo(request: CfnRequest): CfnResponse {
    const response = this.responses.get(request.RequestId);
    if (!response) throw new Error(`CloudFormation received no response to ${request.RequestType} ${request.RequestId}`);
    return response;
  }

  /**
   * The waiter state machine: Retry on `States.ALL` every query interval up to `maxAttempts`, then the Catch that
   * hands the last error to onTimeout.
   */
  private async runWaiter(input: Record<string, unknown>, maxAttempts: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.quietly(() => this.framework.isComplete(structuredClone(input)));
        return;
      } catch (error) {
        if (attempt >= maxAttempts) {
          const err = error as Error;
          const cause = JSON.stringify({ errorType: err.constructor.name, errorMessage: err.message, trace: String(err.stack).split('\n') });
          await this.quietly(() => this.framework.onTimeout({ Error: err.constructor.name, Cause: cause }));
          return;
        }
      }
      await this.clock.sleep(this.options.queryIntervalMs ?? 15_000);
    }
  }

  /** Lambda Invoke of a user function: Lambda's payload and error semantics. */
  private async invoke(request: LambdaInvokeRequest): Promise<{ StatusCode: number; FunctionError?: string; Payload: Uint8Array }> {
    const handler = request.FunctionName === ON_EVENT_ARN ? this.handler.onEvent : request.FunctionName === IS_COMPLETE_ARN ? this.handler.isComplete : undefined;
    if (!handler) throw new Error(`ResourceNotFoundException: Function not found: ${request.FunctionName}`);
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value ?? null));
    try {
      return { StatusCode: 200, Payload: encode(await handler(JSON.parse(request.Payload))) };
    } catch (error) {
      const err = error as Error;
      return {
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: encode({ errorType: err.name, errorMessage: err.message, trace: String(err.stack).split('\n') }),
      };
    }
  }

  /** Runs code with console output captured into {@link logs}. */
  private async quietly<T>(run: () => Promise<T>): Promise<T> {
    const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
    const capture = (...args: unknown[]) => this.logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    Object.assign(console, { log: capture, warn: capture, error: capture, info: capture });
    try {
      return await run();
    } finally {
      Object.assign(console, saved);
    }
  }
}

/** The outbound calls of the framework runtime (`runtime/outbound.js`). */
interface FrameworkOutbound {
  invokeFunction(request: LambdaInvokeRequest): Promise<{ StatusCode: number; FunctionError?: string; Payload: Uint8Array }>;
  startExecution(request: { stateMachineArn: string; input: string }): Promise<unknown>;
  httpRequest(options: unknown, body: string): Promise<void>;
}

/**
 * Loads aws-cdk-lib's framework runtime with `outbound.js` replaced in the module cache (the real one needs
 * `@aws-sdk/client-lambda` at load time and calls AWS). `framework.js` and `cfn-response.js` read the calls from
 * that module object on every use, so the replacement is what they call.
 */
function loadFramework(outbound: FrameworkOutbound): FrameworkRuntime {
  const runtime = join(dirname(require.resolve('aws-cdk-lib')), 'custom-resources', 'lib', 'provider-framework', 'runtime');
  const outboundPath = join(runtime, 'outbound.js');
  const cached = require.cache[outboundPath];
  if (cached) {
    Object.assign(cached.exports as object, outbound);
  } else {
    const replacement = new Module(outboundPath);
    replacement.filename = outboundPath;
    replacement.loaded = true;
    replacement.exports = { ...outbound };
    require.cache[outboundPath] = replacement;
  }
  return require(join(runtime, 'framework.js')) as FrameworkRuntime;
}
