import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createAwsDriver } from '../../lib/clouds/aws/driver';
import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { POLLER_ARN_ENV } from './handler-environment';

/**
 * Every call the handler makes to the outside, in one place, each swappable by tests (the lifecycle simulator
 * points them at the emulator and at local stand-ins). Cloud calls go through the core AWS driver.
 */
export const outbound = {
  /** The core AWS driver for the Lambda's region (endpoints from `AWS_ENDPOINT_URL_*`, credentials from the chain). */
  driver(region: string): CloudDriver {
    return createAwsDriver({ region });
  },

  /**
   * Starts the long-wait poller; an execution of the same name already running or done counts as started (a
   * retried onEvent). The name is the task's deterministic token.
   */
  async startPoller(name: string, input: unknown): Promise<void> {
    const stateMachineArn = process.env[POLLER_ARN_ENV];
    if (!stateMachineArn) throw new Error(`${POLLER_ARN_ENV} is not set: the long-wait poller was not deployed with this handler`);
    const { SFNClient, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
    try {
      await new SFNClient({}).send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    }
  },

  /**
   * Signals a CloudFormation WaitCondition: an HTTP PUT of the JSON signal to the handle's presigned URL, with an
   * empty content type (the URL's signature covers none).
   */
  async signalWaitCondition(url: string, signal: WaitConditionSignal): Promise<void> {
    const body = JSON.stringify(signal);
    const target = new URL(url);
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    await new Promise<void>((resolve, reject) => {
      const req = send(target, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) resolve();
        else reject(new Error(`The WaitCondition handle refused the signal: HTTP ${res.statusCode}`));
      });
      req.on('error', reject);
      req.end(body);
    });
  },
};

/** The JSON a WaitCondition handle takes. */
export interface WaitConditionSignal {
  /** `SUCCESS` or `FAILURE`. */
  readonly Status: 'SUCCESS' | 'FAILURE';
  /** Why; shown in the stack events. */
  readonly Reason: string;
  /** Identifies the signal; one signal per id counts. */
  readonly UniqueId: string;
  /** Free text the WaitCondition's `Data` attribute carries; here the task's attributes as JSON. */
  readonly Data: string;
}
