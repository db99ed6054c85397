/**
 * The events the custom-resource Provider framework hands to the handler (the `AWSCDKAsyncCustomResource` shapes
 * of aws-cdk-lib, restated so the bundle imports nothing from aws-cdk-lib).
 */

/** An onEvent request: CloudFormation's custom-resource request, without the response URL. */
export interface OnEventRequest {
  /** `Create`, `Update` or `Delete`. */
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** Unique per CloudFormation request; the same on a retried invocation of one request. */
  readonly RequestId: string;
  /** ARN of the stack. */
  readonly StackId: string;
  /** Logical id of the custom resource in the template. */
  readonly LogicalResourceId: string;
  /** `Custom::ImageportExport` or `Custom::ImageportImport`. */
  readonly ResourceType: string;
  /** Update and Delete: the current physical id. @default - absent on Create */
  readonly PhysicalResourceId?: string;
  /** The resource's properties, every scalar as a string. */
  readonly ResourceProperties: Record<string, unknown>;
  /** Update: the previous properties. @default - absent on Create and Delete */
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** What onEvent returns. */
export interface OnEventResponse {
  /** The physical id; a new one on Update means replacement. @default - the request id on Create, else unchanged */
  readonly PhysicalResourceId?: string;
  /** Attributes, merged under isComplete's. @default - none */
  readonly Data?: Record<string, string>;
}

/** An isComplete request: the onEvent request merged with onEvent's response. */
export interface IsCompleteRequest extends OnEventRequest {
  /** The physical id onEvent returned. */
  readonly PhysicalResourceId: string;
  /** The attributes onEvent returned. @default - none */
  readonly Data?: Record<string, string>;
}

/** What isComplete returns. `Data` is allowed only with `IsComplete: true`. */
export interface IsCompleteResponse {
  /** True when the resource is ready. */
  readonly IsComplete: boolean;
  /** Attributes, merged over onEvent's. @default - none */
  readonly Data?: Record<string, string>;
}
