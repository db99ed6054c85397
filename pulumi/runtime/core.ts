import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import type * as driversModule from '../../lib/clouds/drivers';
import type * as rulesModule from '../../lib/clouds/rules';
import { type CloudRules } from '../../lib/clouds/cloud-rules';
import { type CloudId } from '../../lib/model/cloud';
import { connectionFor } from './host-settings';
import { canonicalJson } from './properties';

/**
 * The core, reached lazily from the provider host: `check` and `diff` load the pure rules only; the drivers (and
 * their SDKs) load on the first call that talks to a cloud.
 */

/** The pure rules of a cloud (no SDK). */
export function rulesOf(cloud: CloudId): CloudRules {
  const rules = require('../../lib/clouds/rules') as typeof rulesModule;
  return rules.rulesFor(cloud);
}

const drivers = new Map<string, Promise<CloudDriver>>();

/**
 * The driver of `cloud` in `region` (and the resource's endpoint overrides), built once per host process from the
 * stack config, the resource's `endpoints` and the environment (see `connectionFor` in `host-settings.ts`).
 * Credentials stay inside the driver.
 *
 * @param cloud the cloud
 * @param region the region
 * @param endpoints the resource's own endpoint overrides, keyed by service
 */
export function driverOf(cloud: CloudId, region: string, endpoints?: Readonly<Record<string, string>>): Promise<CloudDriver> {
  const key = `${cloud}/${region}/${canonicalJson(endpoints ?? {})}`;
  let driver = drivers.get(key);
  if (!driver) {
    const factory = require('../../lib/clouds/drivers') as typeof driversModule;
    driver = Promise.resolve(factory.createDriver(cloud, connectionFor(cloud, region, endpoints)));
    driver.catch(() => drivers.delete(key));
    drivers.set(key, driver);
  }
  return driver;
}

/** Forgets every driver (after `configure` changed the connection settings). */
export function resetDrivers(): void {
  drivers.clear();
}
