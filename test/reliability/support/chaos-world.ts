import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CloudId } from '../../../lib/model/cloud';

/** The repository root. */
export const REPO = resolve(__dirname, '..', '..', '..');

/** The region each cloud of a reliability pipeline uses (Alibaba's ap-southeast-1 honours every ImageFormat). */
export const CHAOS_REGIONS: Readonly<Record<CloudId, string>> = { aws: 'us-east-1', alicloud: 'ap-southeast-1', jdcloud: 'cn-east-2' };

/** The catalog's exportable golden image per cloud, in {@link CHAOS_REGIONS}. */
const GOLDEN: Readonly<Record<CloudId, string>> = { aws: 'ami-0600d000000000001', alicloud: 'm-g01den0singapore01', jdcloud: 'img-g01den0001' };

/** Virtual size of every catalog golden image (and so of every export of a clone). */
export const GOLDEN_VIRTUAL_SIZE_BYTES = 4 * 1024 * 1024;

/** The i-th clone of a cloud's golden image: ids that pass each cloud's id rules and never clash with the catalog. */
export function cloneImageId(cloud: CloudId, index: number): string {
  if (cloud === 'aws') return `ami-0c4a05${index.toString(16).padStart(11, '0')}`;
  if (cloud === 'alicloud') return `m-chaos0singapore${String(index).padStart(3, '0')}`;
  return `img-chaos${String(index).padStart(5, '0')}`;
}

/** Writes a catalog folder: the repository's catalog plus `counts[cloud]` clones of each golden image. */
export function writeCloneCatalog(directory: string, counts: Readonly<Record<CloudId, number>>): void {
  const source = join(REPO, 'emulator', 'catalog');
  mkdirSync(directory, { recursive: true });
  for (const file of readdirSync(source).filter((name) => name.endsWith('.json'))) {
    const catalog = JSON.parse(readFileSync(join(source, file), 'utf8')) as { images: Array<Record<string, unknown>> };
    const cloud = file.replace(/\.json$/, '') as CloudId;
    const idField = cloud === 'aws' ? 'id' : 'imageId';
    const golden = catalog.images.find((image) => image[idField] === GOLDEN[cloud]);
    if (!golden) throw new Error(`catalog ${file} has no ${GOLDEN[cloud]}`);
    for (let i = 0; i < (counts[cloud] ?? 0); i++) catalog.images.push({ ...structuredClone(golden), [idField]: cloneImageId(cloud, i) });
    writeFileSync(join(directory, file), JSON.stringify(catalog, null, 2));
  }
}

/** A disk file the test uploads before the run, for imports that read a file no export of the pipeline wrote. */
export interface SeedObject {
  /** The cloud. */
  readonly cloud: CloudId;
  /** Bucket name (declared `existing: true` in the pipeline). */
  readonly bucket: string;
  /** Object key. */
  readonly key: string;
  /** Disk format of the file. */
  readonly format: 'vmdk' | 'vhd' | 'qcow2' | 'raw';
}

/** One export of the generated pipeline. */
export interface PlannedExport {
  readonly key: string;
  readonly cloud: CloudId;
  readonly imageId: string;
  /** Format asked for (JD: always qcow2). */
  readonly format: string;
  readonly bucket: string;
}

/** One import of the generated pipeline. */
export interface PlannedImport {
  readonly key: string;
  readonly cloud: CloudId;
  /** The export it reads, when chained. */
  readonly fromExport?: string;
  /** The uploaded object it reads, when not chained. */
  readonly seedObject?: SeedObject;
  /** The catalog snapshot it reads (AWS). */
  readonly snapshotId?: string;
}

/** The generated pipeline: its text and what it declares. */
export interface ChaosPipeline {
  readonly name: string;
  readonly text: string;
  readonly exports: readonly PlannedExport[];
  readonly imports: readonly PlannedImport[];
  readonly seedObjects: readonly SeedObject[];
  /** Clones each cloud needs in the catalog. */
  readonly cloneCounts: Readonly<Record<CloudId, number>>;
}

/** How many entries of each kind per cloud. */
export interface ChaosShape {
  readonly exports: Readonly<Record<CloudId, number>>;
  /** Imports that read an export of this file (`fromExport`), per cloud. */
  readonly chainedImports: Readonly<Record<CloudId, number>>;
  /** Imports that read a file uploaded before the run (and on AWS also a catalog snapshot), per cloud. */
  readonly seededImports: Readonly<Record<CloudId, number>>;
}

/** The default chaos shape: 25 AWS, 20 Alibaba Cloud, 15 JD Cloud entries (60), mixing formats and chains. */
export const CHAOS_SHAPE: ChaosShape = {
  exports: { aws: 19, alicloud: 16, jdcloud: 11 },
  chainedImports: { aws: 4, alicloud: 3, jdcloud: 3 },
  seededImports: { aws: 2, alicloud: 1, jdcloud: 1 },
};

const AWS_FORMATS = ['vmdk', 'raw', 'vhd'] as const;
const ALICLOUD_FORMATS = ['qcow2', 'vhd', 'vmdk', 'raw', 'vdi'] as const;
/** Formats an import can read back from an export of each cloud (Alibaba imports no raw.tar.gz nor VDI). */
const IMPORTABLE: Readonly<Record<CloudId, readonly string[]>> = { aws: ['vmdk', 'raw', 'vhd'], alicloud: ['qcow2', 'vhd', 'vmdk'], jdcloud: ['qcow2'] };

/** Options of {@link chaosPipeline}. */
export interface ChaosPipelineOptions {
  /** How many entries. @default CHAOS_SHAPE */
  readonly shape?: ChaosShape;
  /** Tasks at once per cloud. @default 5 on every cloud */
  readonly concurrency?: Readonly<Record<CloudId, number>>;
  /** Index of the first cloned image, so several pipelines in one emulator export different images. @default 0 */
  readonly firstImage?: number;
  /** Role names prefixed with the pipeline's name, so several pipelines in one emulator own their roles. @default false */
  readonly ownRoles?: boolean;
}

/**
 * A pipeline over the three clouds: exports of cloned golden images (every cloud allows only one running export per
 * image), imports of some of those exports (`fromExport`), imports of files uploaded before the run into an
 * `existing` bucket, and on AWS imports of a catalog snapshot. One role and bucket per purpose and cloud.
 */
export function chaosPipeline(name: string, options: ChaosPipelineOptions = {}): ChaosPipeline {
  const shape = options.shape ?? CHAOS_SHAPE;
  const concurrency = options.concurrency ?? { aws: 5, alicloud: 5, jdcloud: 5 };
  const firstImage = options.firstImage ?? 0;
  const role = (fixed: string) => (options.ownRoles ? `${name}-${fixed}` : fixed);
  const clouds: CloudId[] = ['aws', 'alicloud', 'jdcloud'];
  const exports: PlannedExport[] = [];
  const imports: PlannedImport[] = [];
  const seedObjects: SeedObject[] = [];
  const lines: string[] = [`name: ${name}`, 'clouds:'];
  for (const cloud of clouds) lines.push(`  ${cloud}: { region: ${CHAOS_REGIONS[cloud]}, concurrency: ${concurrency[cloud]} }`);
  lines.push(
    'roles:',
    `  aws-role: { cloud: aws, roleName: ${role('vmimport')} }`,
    `  ali-export: { cloud: alicloud, roleName: ${role('AliyunECSImageExportDefaultRole')} }`,
    `  ali-import: { cloud: alicloud, roleName: ${role('AliyunECSImageImportDefaultRole')} }`,
    `  jd-export: { cloud: jdcloud, roleName: ${role('imageport-export')} }`,
    'buckets:',
  );
  const bucketName = (cloud: CloudId, purpose: string) => `${name}-${cloud}-${purpose}`;
  for (const cloud of clouds) {
    lines.push(`  ${cloud}-out: { cloud: ${cloud}, name: ${bucketName(cloud, 'out')} }`);
    if (shape.seededImports[cloud] > 0) lines.push(`  ${cloud}-seed: { cloud: ${cloud}, name: ${bucketName(cloud, 'seed')}, existing: true }`);
  }

  lines.push('exports:');
  for (const cloud of clouds) {
    for (let i = 0; i < shape.exports[cloud]; i++) {
      const key = `${cloud}-e${i}`;
      const imageId = cloneImageId(cloud, firstImage + i);
      const format = cloud === 'aws' ? AWS_FORMATS[i % AWS_FORMATS.length] : cloud === 'alicloud' ? ALICLOUD_FORMATS[i % ALICLOUD_FORMATS.length] : 'qcow2';
      exports.push({ key, cloud, imageId, format, bucket: bucketName(cloud, 'out') });
      lines.push(`  ${key}:`, `    cloud: ${cloud}`, `    imageId: ${imageId}`, `    bucket: ${cloud}-out`);
      if (cloud === 'aws') lines.push(`    format: ${format}`, `    prefix: chaos/${i}/`, '    role: aws-role', `    tags: { entry: ${key} }`);
      if (cloud === 'alicloud') lines.push(`    format: ${format}`, `    prefix: chaos${i}`, '    role: ali-export');
      if (cloud === 'jdcloud') lines.push(`    prefix: chaos${i}`, '    role: jd-export');
    }
  }

  lines.push('imports:');
  for (const cloud of clouds) {
    const importable = exports.filter((planned) => planned.cloud === cloud && IMPORTABLE[cloud].includes(planned.format));
    for (let k = 0; k < shape.chainedImports[cloud]; k++) {
      const source = importable[k];
      if (!source) throw new Error(`not enough importable ${cloud} exports for ${shape.chainedImports[cloud]} chained imports`);
      const key = `${cloud}-i${k}`;
      imports.push({ key, cloud, fromExport: source.key });
      lines.push(`  ${key}:`, `    cloud: ${cloud}`, ...importFields(cloud, name, key), '    disks:', `      - fromExport: ${source.key}`);
    }
    for (let k = 0; k < shape.seededImports[cloud]; k++) {
      const key = `${cloud}-s${k}`;
      if (cloud === 'aws' && k % 2 === 1) {
        imports.push({ key, cloud, snapshotId: 'snap-0600d00000000a001' });
        lines.push(`  ${key}:`, `    cloud: ${cloud}`, ...importFields(cloud, name, key), '    disks:', '      - snapshotId: snap-0600d00000000a001');
        continue;
      }
      const format = IMPORTABLE[cloud][k % IMPORTABLE[cloud].length] as SeedObject['format'];
      const seed: SeedObject = { cloud, bucket: bucketName(cloud, 'seed'), key: `seed/${key}.${format}`, format };
      seedObjects.push(seed);
      imports.push({ key, cloud, seedObject: seed });
      lines.push(`  ${key}:`, `    cloud: ${cloud}`, ...importFields(cloud, name, key), '    disks:', `      - { bucket: ${cloud}-seed, key: ${seed.key}, format: ${format} }`);
    }
  }
  const cloneCounts = { aws: firstImage + shape.exports.aws, alicloud: firstImage + shape.exports.alicloud, jdcloud: firstImage + shape.exports.jdcloud };
  return { name, text: `${lines.join('\n')}\n`, exports, imports, seedObjects, cloneCounts };
}

/** Image names carry the pipeline's name: Alibaba Cloud refuses a second image of one name. */
function importFields(cloud: CloudId, pipeline: string, key: string): string[] {
  if (cloud === 'aws') return ['    role: aws-role', `    description: ${pipeline} import ${key}`];
  if (cloud === 'alicloud') return ['    role: ali-import', `    imageName: ${pipeline}-${key}`, '    platform: Ubuntu', '    osType: linux'];
  return [`    imageName: ${pipeline}-${key}`, '    platform: CentOS', '    osType: linux'];
}
