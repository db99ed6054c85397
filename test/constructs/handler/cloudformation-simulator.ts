import { randomUUID } from 'node:crypto';
import { type VirtualClock } from '../../../lib/wait';
import { type IsCompleteRequest, type OnEventRequest } from '../../../constructs/handler/cloudformation-event';
import { isComplete, onEvent } from '../../../constructs/handler/image-task.lambda';

/** What CloudFormation receives for one request. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly Data: Record<string, string>;
}

/** The physical id the Provider framework reports for a Create whose onEvent failed. */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** A CloudFormation request as the simulator sends it. */
export interface SimulatedRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceType: string;
  readonly LogicalResourceId?: string;
  readonly RequestId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/**
 * A stand-in for CloudFormation plus the custom-resource Provider framework, driving the real handler: onEvent,
 * then isComplete every query interval (in virtual time) until complete, failed or timed out; the framework's rules
 * (physical id defaults, Data merge, the CREATE_FAILED marker and its ignored rollback Delete) are reproduced.
 */
export class CloudFormationSimulator {
  constructor(
    private readonly clock: VirtualClock,
    private readonly options: { readonly stackId?: string; readonly queryIntervalMs?: number; readonly maxAttempts?: number } = {},
  ) {}

  /** The onEvent request CloudFormation would send. */
  public request(request: SimulatedRequest): OnEventRequest {
    return {
      StackId: this.options.stackId ?? 'arn:aws:cloudformation:us-east-1:123456789012:stack/Sim/1',
      LogicalResourceId: 'Export',
      RequestId: randomUUID(),
      ...request,
    };
  }

  /** Runs one request to its CloudFormation response. */
  public async send(request: OnEventRequest): Promise<CfnResponse> {
    if (request.RequestType === 'Delete' && request.PhysicalResourceId === CREATE_FAILED_MARKER) {
      return { Status: 'SUCCESS', Reason: 'ignored DELETE of a failed CREATE', PhysicalResourceId: CREATE_FAILED_MARKER, Data: {} };
    }
    let completeRequest: IsCompleteRequest;
    try {
      completeRequest = await this.onEventOnly(request);
    } catch (error) {
      return this.failed(request, error);
    }
    return this.waitForCompletion(completeRequest);
  }

  /** onEvent alone, merged into the isComplete request as the framework does. */
  public async onEventOnly(request: OnEventRequest): Promise<IsCompleteRequest> {
    const response = (await onEvent(request)) ?? {};
    const defaultId = request.RequestType === 'Create' ? request.RequestId : request.PhysicalResourceId!;
    const physicalId = response.PhysicalResourceId ?? defaultId;
    if (request.RequestType === 'Delete' && physicalId !== request.PhysicalResourceId) throw new Error('DELETE: cannot change the physical resource ID');
    return { ...request, ...response, PhysicalResourceId: physicalId };
  }

  /** The isComplete loop, one call per query interval. */
  public async waitForCompletion(request: IsCompleteRequest): Promise<CfnResponse> {
    const maxAttempts = this.options.maxAttempts ?? 240;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      let result;
      try {
        result = await isComplete(request);
      } catch (error) {
        return this.failed(request, error);
      }
      if (result.IsComplete) {
        return { Status: 'SUCCESS', Reason: 'SUCCESS', PhysicalResourceId: request.PhysicalResourceId, Data: { ...request.Data, ...result.Data } };
      }
      if (result.Data && Object.keys(result.Data).length > 0) throw new Error('"Data" is not allowed if "IsComplete" is "False"');
      await this.clock.sleep(this.options.queryIntervalMs ?? 15_000);
    }
    return { Status: 'FAILED', Reason: 'Operation timed out', PhysicalResourceId: request.PhysicalResourceId, Data: {} };
  }

  private failed(request: OnEventRequest, error: unknown): CfnResponse {
    const physicalId = request.PhysicalResourceId ?? (request.RequestType === 'Create' ? CREATE_FAILED_MARKER : 'MISSING');
    return { Status: 'FAILED', Reason: error instanceof Error ? error.message : String(error), PhysicalResourceId: physicalId, Data: {} };
  }
}
