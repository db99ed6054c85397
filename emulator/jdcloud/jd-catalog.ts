import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RegionSet } from '../types';

/** A data disk of a catalog image (exported with `isAllDisk`). */
export interface JdCatalogDataDisk {
  /** Device name (`vdb`). */
  readonly name: string;
  /** Size describeImage reports, GB. */
  readonly diskSizeGB: number;
  /** Virtual size of the QCOW2 an export writes, bytes. */
  readonly virtualSizeBytes: number;
}

/** A seeded private (or refused) image, with describeImage's fields. */
export interface JdCatalogImage {
  readonly imageId: string;
  readonly region: string;
  readonly name: string;
  readonly desc: string;
  /** `pending`, `ready`, `deleting`, `error`. */
  readonly status: string;
  /** `public`, `thirdparty`, `private`, `shared`, `community`. */
  readonly imageSource: string;
  /** `localDisk` or `cloudDisk`. */
  readonly rootDeviceType: string;
  readonly osType: string;
  readonly platform: string;
  readonly osVersion: string;
  readonly architecture: string;
  readonly systemDiskSizeGB: number;
  readonly imported: boolean;
  /** Virtual size of the QCOW2 an export writes, bytes (small on purpose). */
  readonly virtualSizeBytes: number;
  readonly dataDisks: readonly JdCatalogDataDisk[];
}

/** The JD catalog file. */
export interface JdCatalog {
  readonly regions: RegionSet;
  readonly images: readonly JdCatalogImage[];
}

function fail(file: string, message: string): never {
  throw new Error(`JD catalog ${file}: ${message}`);
}

/** Loads and checks `jdcloud.json` from the catalog folder. */
export function loadJdCatalog(catalogDir: string): JdCatalog {
  const file = join(catalogDir, 'jdcloud.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(file, `cannot be read as JSON (${(error as Error).message})`);
  }
  const catalog = parsed as Partial<JdCatalog>;
  const regions = catalog.regions;
  if (!regions || typeof regions.default !== 'string' || !Array.isArray(regions.all) || !regions.all.includes(regions.default)) {
    fail(file, 'regions must be { default, all } with default among all');
  }
  if (!Array.isArray(catalog.images)) fail(file, 'images must be a list');
  const ids = new Set<string>();
  catalog.images.forEach((image, index) => {
    if (!/^img-[a-z0-9]+$/.test(String(image?.imageId))) fail(file, `images[${index}].imageId ${JSON.stringify(image?.imageId)} is not img-…`);
    if (!regions.all.includes(image.region)) fail(file, `images[${index}].region ${image.region} is not one of the catalog regions`);
    if (!(image.virtualSizeBytes > 0)) fail(file, `images[${index}].virtualSizeBytes must be positive`);
    if (ids.has(image.imageId)) fail(file, `image ${image.imageId} is listed twice`);
    ids.add(image.imageId);
  });
  return { regions, images: catalog.images };
}
