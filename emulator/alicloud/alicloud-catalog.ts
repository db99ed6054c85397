import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RegionSet } from '../types';
import { type EcsImageDisk, type EcsImageState } from './ecs-state';

/** The seeded Alibaba Cloud world: regions, where ImageFormat is honoured, and images. */
export interface AlicloudCatalog {
  /** Regions. */
  readonly regions: RegionSet;
  /** Regions where ExportImage honours ImageFormat. */
  readonly imageFormatRegions: readonly string[];
  /** Seeded images. */
  readonly images: readonly EcsImageState[];
}

function fail(file: string, path: string, rule: string): never {
  throw new Error(`${file}: ${path} ${rule}`);
}

function text(file: string, path: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') fail(file, path, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function disk(file: string, path: string, raw: Record<string, unknown>): EcsImageDisk {
  const type = raw.type;
  if (type !== 'system' && type !== 'data') fail(file, `${path}.type`, `must be "system" or "data", got ${JSON.stringify(type)}`);
  const size = raw.sizeGiB;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) fail(file, `${path}.sizeGiB`, `must be a whole number of GiB, got ${JSON.stringify(size)}`);
  const virtual = raw.virtualSizeBytes;
  if (virtual !== undefined && (typeof virtual !== 'number' || virtual < 1 || virtual > 64 * 1024 * 1024)) {
    fail(file, `${path}.virtualSizeBytes`, `must be 1 byte to 64 MiB, got ${JSON.stringify(virtual)}`);
  }
  return {
    type,
    device: text(file, `${path}.device`, raw.device),
    sizeGiB: size,
    snapshotId: text(file, `${path}.snapshotId`, raw.snapshotId),
    encrypted: raw.encrypted === true,
    ...(typeof virtual === 'number' ? { virtualSizeBytes: virtual } : {}),
  };
}

/** Reads and checks `<catalogDir>/alicloud.json`; throws naming the file, the field and the rule. */
export function loadAlicloudCatalog(catalogDir: string): AlicloudCatalog {
  const file = join(catalogDir, 'alicloud.json');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file}: cannot read the Alibaba Cloud catalog (${(error as Error).message})`);
  }
  const regionsRaw = parsed.regions as { default?: unknown; all?: unknown } | undefined;
  const all = Array.isArray(regionsRaw?.all) ? regionsRaw.all.map((region, i) => text(file, `regions.all[${i}]`, region)) : fail(file, 'regions.all', 'must be a list');
  const defaultRegion = text(file, 'regions.default', regionsRaw?.default);
  if (!all.includes(defaultRegion)) fail(file, 'regions.default', `must be one of regions.all, got ${defaultRegion}`);
  const formatRegions = Array.isArray(parsed.imageFormatRegions)
    ? parsed.imageFormatRegions.map((region, i) => text(file, `imageFormatRegions[${i}]`, region))
    : fail(file, 'imageFormatRegions', 'must be a list');
  const imagesRaw = Array.isArray(parsed.images) ? (parsed.images as Record<string, unknown>[]) : fail(file, 'images', 'must be a list');
  const images = imagesRaw.map((raw, index): EcsImageState => {
    const path = `images[${index}]`;
    const region = text(file, `${path}.region`, raw.region);
    if (!all.includes(region)) fail(file, `${path}.region`, `must be one of regions.all, got ${region}`);
    const disks = Array.isArray(raw.disks) ? (raw.disks as Record<string, unknown>[]).map((d, i) => disk(file, `${path}.disks[${i}]`, d)) : fail(file, `${path}.disks`, 'must be a list');
    if (disks[0]?.type !== 'system') fail(file, `${path}.disks[0]`, 'must be the system disk');
    const osType = raw.osType;
    if (osType !== 'linux' && osType !== 'windows') fail(file, `${path}.osType`, `must be linux or windows, got ${JSON.stringify(osType)}`);
    const created = Date.parse(text(file, `${path}.creationTime`, raw.creationTime));
    if (Number.isNaN(created)) fail(file, `${path}.creationTime`, 'must be an ISO 8601 time');
    return {
      imageId: text(file, `${path}.imageId`, raw.imageId),
      region,
      imageName: text(file, `${path}.imageName`, raw.imageName),
      description: typeof raw.description === 'string' ? raw.description : '',
      status: text(file, `${path}.status`, raw.status),
      ownerAlias: text(file, `${path}.ownerAlias`, raw.ownerAlias),
      ...(typeof raw.productCode === 'string' && raw.productCode ? { productCode: raw.productCode } : {}),
      osType,
      platform: text(file, `${path}.platform`, raw.platform),
      osName: text(file, `${path}.osName`, raw.osName),
      architecture: text(file, `${path}.architecture`, raw.architecture),
      bootMode: text(file, `${path}.bootMode`, raw.bootMode),
      licenseType: text(file, `${path}.licenseType`, raw.licenseType),
      disks,
      creationTime: created,
      tags: {},
      source: 'catalog',
    };
  });
  return { regions: { default: defaultRegion, all }, imageFormatRegions: formatRegions, images };
}
