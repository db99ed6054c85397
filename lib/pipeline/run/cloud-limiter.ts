/**
 * Counts running tasks per cloud and makes the next one wait when a cloud's quota is reached (AWS's default is 5
 * concurrent conversion tasks per region). First come, first served.
 */
export class CloudLimiter {
  private readonly running = new Map<string, number>();
  private readonly queues = new Map<string, (() => void)[]>();

  /** @param limitOf the quota of a cloud */
  constructor(private readonly limitOf: (cloud: string) => number) {}

  /** Waits for a free slot on `cloud`; resolves with the function that frees it. */
  public async acquire(cloud: string, signal?: AbortSignal): Promise<() => void> {
    const limit = Math.max(1, this.limitOf(cloud));
    if ((this.running.get(cloud) ?? 0) < limit) {
      this.running.set(cloud, (this.running.get(cloud) ?? 0) + 1);
    } else {
      // Wait until a running task hands its slot over (the count stays the same across the hand-over).
      await new Promise<void>((resolve, reject) => {
        const queue = this.queues.get(cloud) ?? [];
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const index = queue.indexOf(wake);
          if (index >= 0) queue.splice(index, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(wake);
        this.queues.set(cloud, queue);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queues.get(cloud)?.shift();
      if (next) next();
      else this.running.set(cloud, (this.running.get(cloud) ?? 1) - 1);
    };
  }

  /** Tasks running on a cloud now. */
  public runningOn(cloud: string): number {
    return this.running.get(cloud) ?? 0;
  }
}
