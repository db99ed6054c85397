/**
 * Exports on a running emulator through the real drivers: a connection per cloud, the golden image of the
 * emulator's catalog, and a bucket and service role made by the driver itself (what `apply` would do).
 */
import { type Emulator } from '../emulator';
import { createAlicloudDriver } from '../lib/clouds/alicloud/driver';
import { createAwsDriver } from '../lib/clouds/aws/driver';
import { type CloudDriver } from '../lib/clouds/cloud-driver';
import { createJdcloudDriver } from '../lib/clouds/jdcloud/driver';
import { type CloudId } from '../lib/model/cloud';
import { type CloudConnection } from '../lib/model/connection';
import { type ExportSpec } from '../lib/model/export-spec';

/** The golden (exportable) image of each cloud in the emulator's default catalog, in the cloud's default region. */
export const GOLDEN_IMAGES: Readonly<Record<CloudId, string>> = {
  aws: 'ami-0600d000000000001',
  alicloud: 'm-g01den0hangzhou001',
  jdcloud: 'img-g01den0001',
};

/** Service role names the bench creates (JD has no default name). */
const ROLE_NAMES: Readonly<Record<CloudId, string>> = {
  aws: 'vmimport',
  alicloud: 'AliyunECSImageExportDefaultRole',
  jdcloud: 'imageport-export',
};

/** A cloud of the emulator, ready for exports of its golden image. */
export interface ExportBench {
  /** The cloud. */
  readonly cloud: CloudId;
  /** The driver, on the emulator. */
  readonly driver: CloudDriver;
  /** An export spec of the golden image into the bench's bucket; `prefix` keeps each task's objects apart. */
  spec(prefix: string): ExportSpec;
}

/** A connection to one cloud of the emulator, in its default region (credentials in memory only). */
export function emulatorConnection(emulator: Emulator, cloud: CloudId): CloudConnection {
  const endpoints = (emulator.endpoints as unknown as Record<string, Record<string, string>>)[cloud];
  const credentials = (emulator.credentials as unknown as Record<string, { accessKeyId: string; secretAccessKey: string }>)[cloud];
  const regions = (emulator.regions as unknown as Record<string, { default: string }>)[cloud];
  const account = (emulator.accounts as unknown as Record<string, string>)[cloud];
  if (!endpoints || !credentials || !regions) throw new Error(`the emulator does not serve ${cloud}`);
  return {
    region: regions.default,
    endpoints: { ...endpoints },
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    ...(account ? { accountId: account } : {}),
  };
}

/** The driver of a cloud (the same factories `createDriver` loads lazily; imported directly so tests run the bench from source). */
function driverFor(cloud: CloudId, connection: CloudConnection): CloudDriver {
  if (cloud === 'aws') return createAwsDriver(connection);
  if (cloud === 'alicloud') return createAlicloudDriver(connection);
  return createJdcloudDriver(connection);
}

/** Creates the driver of `cloud` on the emulator, then the bucket and the export role (idempotent). */
export async function prepareExportBench(emulator: Emulator, cloud: CloudId, bucket = `imageport-bench-${cloud}`): Promise<ExportBench> {
  const connection = emulatorConnection(emulator, cloud);
  const driver = driverFor(cloud, connection);
  const region = connection.region;
  await driver.ensureBucket({ cloud, region, name: bucket });
  await driver.ensureRole({ cloud, purpose: 'export', roleName: ROLE_NAMES[cloud], exportBuckets: [bucket], ...(connection.accountId ? { accountId: connection.accountId } : {}) });
  const imageId = GOLDEN_IMAGES[cloud];
  return {
    cloud,
    driver,
    spec: (prefix: string): ExportSpec => {
      const base = { region, imageId, bucket, roleName: ROLE_NAMES[cloud] };
      // AWS concatenates the prefix raw; Alibaba and JD allow letters and digits only.
      if (cloud === 'aws') return { ...base, cloud, format: 'vmdk', prefix: `${prefix}/` };
      if (cloud === 'alicloud') return { ...base, cloud, format: 'raw', prefix };
      return { ...base, cloud, prefix };
    },
  };
}
