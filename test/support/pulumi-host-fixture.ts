import { startEmulator, type Emulator } from '../../emulator';
import { MiniEngine } from './pulumi-engine';
import { FAST_POLLING, ProviderHost, type ProviderHostOptions } from './pulumi-provider-host';
import { TestClock } from './pulumi-test-clock';

const WARM_UP_URN = 'urn:pulumi:dev::imageport-test::pulumi-nodejs:dynamic/imageport/aws:ImageExportTask::warm-up';

/** A serialized provider of the export kind, in the form the host evaluates: a module whose `handler()` gives the forwarder. */
const WARM_UP_PROVIDER = `exports.handler = () => require(${JSON.stringify(require.resolve('../../dist/pulumi/provider/forwarding-provider.js'))}).forwardingProvider('image-export');`;

/** An emulator on a {@link TestClock} and one dynamic-provider host on it, shared by the tests of a file. */
export interface HostFixture {
  /** The emulator. */
  readonly emulator: Emulator;
  /** Its time. */
  readonly clock: TestClock;
  /** The shared host (the clouds' endpoints and keys in its environment, fast polling). */
  readonly host: ProviderHost;
  /** An engine over the shared host. */
  readonly engine: MiniEngine;
  /** Starts one more host on the same emulator (one to kill, or one with other settings); stopped with the fixture. */
  startHost(options?: ProviderHostOptions): Promise<ProviderHost>;
  /**
   * A host with the shared host's settings, started ahead of time (and its runtime loaded), for a test that kills
   * it: the next one starts in the background meanwhile, so a test does not wait for a host to boot.
   */
  spareHost(): Promise<ProviderHost>;
  /** Stops every host, then the emulator. */
  stop(): Promise<void>;
}

/**
 * Starts a {@link HostFixture}. A host costs a Node process that loads the Pulumi SDK (seconds on a busy machine):
 * tests share this one unless they need to kill a host or give it other settings.
 *
 * @param speed emulated ms per real ms while the clock runs
 * @param warmSpare start the first {@link HostFixture.spareHost} right away (for files that kill hosts)
 */
export async function startHostFixture(speed = 600, warmSpare = false): Promise<HostFixture> {
  const clock = new TestClock(speed);
  const emulator = await startEmulator({ clock });
  const hosts: ProviderHost[] = [];
  const startHost = async (options: ProviderHostOptions = {}): Promise<ProviderHost> => {
    const host = await ProviderHost.start({ env: { ...emulator.env }, config: FAST_POLLING, ...options });
    hosts.push(host);
    return host;
  };
  /** A started host whose runtime is loaded (a `Check` makes the host require imageport's runtime and the rules). */
  const warmHost = async (): Promise<ProviderHost> => {
    const host = await startHost();
    await host.check(WARM_UP_URN, {}, { cloud: 'aws', region: 'us-east-1', imageId: 'ami-0600d000000000001', format: 'vmdk', bucket: 'warm-up', __provider: WARM_UP_PROVIDER });
    return host;
  };
  let spare: Promise<ProviderHost> | undefined;
  const spareHost = (): Promise<ProviderHost> => {
    const next = spare ?? warmHost();
    spare = warmHost();
    spare.catch(() => undefined);
    return next;
  };
  try {
    const host = await startHost();
    if (warmSpare) {
      spare = warmHost();
      spare.catch(() => undefined);
    }
    return {
      emulator,
      clock,
      host,
      engine: new MiniEngine(host),
      startHost,
      spareHost,
      stop: async () => {
        await spare?.catch(() => undefined);
        await Promise.all(hosts.map((h) => h.stop()));
        await emulator.stop();
      },
    };
  } catch (error) {
    await Promise.all(hosts.map((h) => h.stop()));
    await emulator.stop();
    throw error;
  }
}

/** Resolves once `condition` holds, polling every 20 ms; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
