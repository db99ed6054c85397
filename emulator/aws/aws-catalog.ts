import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RegionSet } from '../types';
import { AWS_ACCOUNT_ID } from './aws-identity';

/** One EBS block device of an AMI. */
export interface CatalogBlockDevice {
  /** `/dev/xvda`. */
  readonly deviceName: string;
  /** Snapshot behind the volume. */
  readonly snapshotId: string;
  /** Volume size reported by DescribeImages. */
  readonly volumeSizeGiB: number;
  /** Encrypted snapshot. */
  readonly encrypted: boolean;
  /** `gp3`, … */
  readonly volumeType: string;
}

/** One AMI. */
export interface CatalogImage {
  /** `ami-` + 17 hex. */
  readonly id: string;
  /** Region the AMI lives in. */
  readonly region: string;
  /** Name. */
  readonly name: string;
  /** Description. @default - none */
  readonly description?: string;
  /** `available`, `pending`, … */
  readonly state: string;
  /** Owner account id (`self` in the file means the emulator's account). */
  readonly owner: string;
  /** `amazon`, `aws-marketplace`. @default - none */
  readonly ownerAlias?: string;
  /** Launch permission for everyone. */
  readonly public: boolean;
  /** `x86_64`, `arm64`, `i386`. */
  readonly architecture: string;
  /** `windows` for Windows AMIs. @default - Linux */
  readonly platform?: string;
  /** `Linux/UNIX`, `Windows`, `SQL Server …`. */
  readonly platformDetails: string;
  /** Billing code (`RunInstances:0002`). */
  readonly usageOperation: string;
  /** `legacy-bios`, `uefi`, `uefi-preferred`. @default - not reported */
  readonly bootMode?: string;
  /** ISO 8601 creation date. */
  readonly creationDate: string;
  /** Product codes (`marketplace` ones make the AMI unexportable). */
  readonly productCodes: ReadonlyArray<{ readonly id: string; readonly type: string }>;
  /** Virtual size of the disk image an export writes, bytes. */
  readonly virtualSizeBytes: number;
  /** Block devices. */
  readonly blockDevices: readonly CatalogBlockDevice[];
}

/** One EBS snapshot. */
export interface CatalogSnapshot {
  /** `snap-` + 17 hex. */
  readonly id: string;
  /** Region. */
  readonly region: string;
  /** Description. @default - none */
  readonly description?: string;
  /** Owner account id. */
  readonly owner: string;
  /** Volume size. */
  readonly volumeSizeGiB: number;
  /** Encrypted. */
  readonly encrypted: boolean;
  /** Virtual size of the disk an import from this snapshot gets, bytes. */
  readonly virtualSizeBytes: number;
}

/** An AWS-managed IAM policy the emulator knows. */
export interface CatalogManagedPolicy {
  /** `arn:aws:iam::aws:policy/…`. */
  readonly arn: string;
  /** Description. */
  readonly description: string;
  /** Policy document. */
  readonly document: unknown;
}

/** The AWS catalog (`<catalogDir>/aws.json`). */
export interface AwsCatalog {
  /** Regions. */
  readonly regions: RegionSet;
  /** Seeded AMIs. */
  readonly images: readonly CatalogImage[];
  /** Seeded snapshots (stand-alone ones and those behind the AMIs). */
  readonly snapshots: readonly CatalogSnapshot[];
  /** AWS-managed policies. */
  readonly managedPolicies: readonly CatalogManagedPolicy[];
}

/** Loads and checks `aws.json`; throws listing every problem found. */
export function loadAwsCatalog(catalogDir: string): AwsCatalog {
  const file = join(catalogDir, 'aws.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the AWS catalog ${file}: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const root = (raw ?? {}) as Record<string, unknown>;
  const regions = root.regions as RegionSet | undefined;
  if (!regions || typeof regions.default !== 'string' || !Array.isArray(regions.all) || !regions.all.includes(regions.default)) {
    problems.push('regions: must be { "default": "<region>", "all": [..., "<default>", ...] }');
  }
  const self = (owner: unknown) => (owner === 'self' ? AWS_ACCOUNT_ID : String(owner));
  const images = (Array.isArray(root.images) ? root.images : []).map((item, index) => {
    const image = item as CatalogImage;
    if (!/^ami-[0-9a-f]{17}$/.test(String(image.id))) problems.push(`images[${index}].id: ${JSON.stringify(image.id)} is not ami- + 17 hex digits`);
    if (regions && !regions.all?.includes(image.region)) problems.push(`images[${index}].region: ${JSON.stringify(image.region)} is not in regions.all`);
    if (!Array.isArray(image.blockDevices) || image.blockDevices.length === 0) problems.push(`images[${index}].blockDevices: at least one is required`);
    if (!(Number(image.virtualSizeBytes) > 0)) problems.push(`images[${index}].virtualSizeBytes: must be a positive number`);
    return { ...image, owner: self(image.owner), productCodes: image.productCodes ?? [], blockDevices: image.blockDevices ?? [] };
  });
  const snapshots = (Array.isArray(root.snapshots) ? root.snapshots : []).map((item, index) => {
    const snapshot = item as CatalogSnapshot;
    if (!/^snap-[0-9a-f]{17}$/.test(String(snapshot.id))) problems.push(`snapshots[${index}].id: ${JSON.stringify(snapshot.id)} is not snap- + 17 hex digits`);
    return { ...snapshot, owner: self(snapshot.owner) };
  });
  // Snapshots behind the AMIs exist too.
  for (const image of images) {
    for (const device of image.blockDevices) {
      if (snapshots.some((snapshot) => snapshot.id === device.snapshotId)) continue;
      snapshots.push({
        id: device.snapshotId,
        region: image.region,
        description: `Created for ${image.id} (${device.deviceName})`,
        owner: image.owner,
        volumeSizeGiB: device.volumeSizeGiB,
        encrypted: device.encrypted,
        virtualSizeBytes: image.virtualSizeBytes,
      });
    }
  }
  const managedPolicies = (Array.isArray(root.managedPolicies) ? root.managedPolicies : []) as CatalogManagedPolicy[];
  if (problems.length > 0) throw new Error(`invalid AWS catalog ${file}:\n- ${problems.join('\n- ')}`);
  return { regions: regions as RegionSet, images, snapshots, managedPolicies };
}
