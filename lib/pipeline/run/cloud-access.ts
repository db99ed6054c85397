import { type CloudDriver } from '../../clouds/cloud-driver';
import { type CloudId } from '../../model/cloud';
import { type CloudConnection, type StaticCredentials } from '../../model/connection';
import { type ResolvedCloud } from '../resolved-pipeline';

/** Creates a driver for a connection (the real factory loads the cloud's SDK lazily). */
export type DriverFactory = (cloud: CloudId, connection: CloudConnection) => Promise<CloudDriver>;

/** What local mode (or a test) puts in front of a cloud: endpoints and credentials held in memory only. */
export interface ConnectionOverride {
  /** Service endpoints. @default - the file's, then the environment's, then the public ones */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Credentials. @default - the cloud's standard chain */
  readonly credentials?: StaticCredentials;
}

/**
 * One driver per cloud of the pipeline, created on first use. Connections come from the file's `clouds` section
 * (region, endpoints, account id) with overrides on top (local mode's emulator endpoints and credentials, which are
 * never written anywhere).
 */
export class CloudAccess {
  private readonly drivers = new Map<CloudId, Promise<CloudDriver>>();

  /**
   * @param clouds the pipeline's clouds
   * @param factory builds a driver
   * @param overrides per-cloud endpoint and credential overrides
   */
  constructor(
    private readonly clouds: ReadonlyMap<CloudId, ResolvedCloud>,
    private readonly factory: DriverFactory,
    private readonly overrides: Partial<Record<CloudId, ConnectionOverride>> = {},
  ) {}

  /** The connection of a cloud (without credentials when none are overridden). */
  public connection(cloud: CloudId, region?: string): CloudConnection {
    const settings = this.clouds.get(cloud);
    const override = this.overrides[cloud];
    const endpoints = { ...(settings?.endpoints ?? {}), ...(override?.endpoints ?? {}) };
    return {
      region: region ?? settings?.region ?? '',
      ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
      ...(override?.credentials ? { credentials: override.credentials } : {}),
      ...(settings?.accountId ? { accountId: settings.accountId } : {}),
    };
  }

  /** The driver of a cloud, in the pipeline's region of that cloud (or another region, for recorded tasks). */
  public driver(cloud: CloudId, region?: string): Promise<CloudDriver> {
    const connection = this.connection(cloud, region);
    const id = `${cloud}\u0000${connection.region}` as CloudId;
    let driver = this.drivers.get(id);
    if (!driver) {
      driver = this.factory(cloud, connection);
      this.drivers.set(id, driver);
      driver.catch(() => this.drivers.delete(id));
    }
    return driver;
  }
}
