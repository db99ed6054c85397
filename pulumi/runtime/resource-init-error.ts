import { PROVIDER_KEY, toPlain } from './properties';

/**
 * A create (or update) that left a real resource behind without finishing: the task was started but the wait
 * timed out, or its artifact failed verification. The dynamic-provider host turns this error (its `id`,
 * `properties` and `reasons` members) into `pulumirpc.ErrorResourceInitFailed`, so the engine records the resource
 * with its task id instead of forgetting it: the next `pulumi up` resumes the wait (update), and `pulumi destroy`
 * cancels the task (delete).
 */
export class ResourceInitError extends Error {
  /** The resource id (the task id). */
  public readonly id: string;
  /** The outputs to record; `__provider` included, since the host does not add it on this path. */
  public readonly properties: Record<string, unknown>;
  /** Why initialisation failed. */
  public readonly reasons: string[];

  /**
   * @param message what went wrong
   * @param id the resource id
   * @param properties the outputs so far
   * @param provider the serialized provider from the inputs (`__provider`)
   */
  constructor(message: string, id: string, properties: Record<string, unknown>, provider: unknown) {
    super(message);
    this.name = 'ResourceInitError';
    this.id = id;
    this.properties = toPlain({ ...properties, [PROVIDER_KEY]: provider });
    this.reasons = [message];
  }
}
