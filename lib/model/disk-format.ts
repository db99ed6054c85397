/**
 * Disk image formats, in imageport's canonical lower-case spelling.
 *
 * Each cloud accepts a subset and spells it its own way (AWS `VMDK`, Alibaba `vmdk`); the cloud rules in
 * `lib/clouds/<cloud>/rules.ts` say which, and drivers map to the wire spelling.
 * `raw.tar.gz` is what Alibaba Cloud actually writes for a RAW export (a tar.gz around the raw disk).
 */
export type DiskFormat = 'vmdk' | 'raw' | 'vhd' | 'vhdx' | 'qcow2' | 'vdi' | 'ova' | 'raw.tar.gz';

/** Every {@link DiskFormat}. */
export const DISK_FORMATS: readonly DiskFormat[] = ['vmdk', 'raw', 'vhd', 'vhdx', 'qcow2', 'vdi', 'ova', 'raw.tar.gz'];

/**
 * Normalises a user-supplied format (`VMDK`, `vmdk`, ` Raw `) to a {@link DiskFormat}, or `undefined` when it is
 * not a known format. Callers still check the result against the cloud's allowed set.
 */
export function normalizeDiskFormat(value: unknown): DiskFormat | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return (DISK_FORMATS as readonly string[]).includes(lower) ? (lower as DiskFormat) : undefined;
}
