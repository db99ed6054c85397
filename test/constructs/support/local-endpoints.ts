/**
 * Local stand-ins for the two non-EC2 endpoints the long-wait path talks to: Step Functions `StartExecution`
 * (JSON 1.0 protocol, what `@aws-sdk/client-sfn` sends; reached through `AWS_ENDPOINT_URL_SFN`) and a CloudFormation
 * WaitCondition handle (an HTTP PUT of the signal JSON to the handle's presigned URL).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One execution started on the stand-in. */
export interface StartedExecution {
  /** State machine ARN. */
  readonly stateMachineArn: string;
  /** Execution name. */
  readonly name: string;
  /** Execution input, parsed. */
  readonly input: unknown;
}

/** A local HTTP endpoint that records what it receives. */
export interface LocalEndpoint<T> {
  /** Base URL. */
  readonly url: string;
  /** What was received, in order. */
  readonly received: T[];
  /** Stops the server. */
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += (chunk as Buffer).toString();
  return text;
}

/**
 * Step Functions `StartExecution`: records each execution; a second start of the same name answers
 * `ExecutionAlreadyExists` (400), as Step Functions does for a running execution started with different input.
 */
export async function startStepFunctionsStandIn(): Promise<LocalEndpoint<StartedExecution>> {
  const received: StartedExecution[] = [];
  const server = createServer((req, res) => {
    void body(req).then((text) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (target !== 'AWSStepFunctions.StartExecution') {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `not served here: ${target}` }));
        return;
      }
      const request = JSON.parse(text) as { stateMachineArn: string; name: string; input: string };
      if (received.some((e) => e.name === request.name)) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${request.name}'` }));
        return;
      }
      received.push({ stateMachineArn: request.stateMachineArn, name: request.name, input: JSON.parse(request.input) });
      res.end(JSON.stringify({ executionArn: `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.name}`, startDate: Date.now() / 1000 }));
    });
  });
  const url = await listen(server);
  return { url, received, close: () => new Promise((done) => server.close(() => done())) };
}

/** A WaitCondition handle: records each signal (the PUT body, parsed); answers 200. */
export async function startWaitConditionHandle(): Promise<LocalEndpoint<Record<string, string>> & { readonly signalUrl: string }> {
  const received: Record<string, string>[] = [];
  const server = createServer((req, res) => {
    void body(req).then((text) => {
      if (req.method !== 'PUT') {
        res.statusCode = 405;
        res.end();
        return;
      }
      received.push(JSON.parse(text) as Record<string, string>);
      res.end();
    });
  });
  const url = await listen(server);
  return { url, signalUrl: `${url}/wait-handle?X-Amz-Signature=x`, received, close: () => new Promise((done) => server.close(() => done())) };
}
