import { type CloudId } from '../model/cloud';
import { type CloudConnection } from '../model/connection';
import { type CloudDriver } from './cloud-driver';

/**
 * Creates the driver of a cloud, loading that cloud's SDK-backed module only now (the SDKs are large: a command
 * that only validates never loads them).
 */
export async function createDriver(cloud: CloudId, connection: CloudConnection): Promise<CloudDriver> {
  switch (cloud) {
    case 'aws':
      return (await import('./aws/driver')).createAwsDriver(connection);
    case 'alicloud':
      return (await import('./alicloud/driver')).createAlicloudDriver(connection);
    case 'jdcloud':
      return (await import('./jdcloud/driver')).createJdcloudDriver(connection);
  }
}
