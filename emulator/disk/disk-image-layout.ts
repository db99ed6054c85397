import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';

/** Formats the writers produce. */
export type DiskImageFormat = 'raw' | 'vmdk' | 'vhd' | 'qcow2' | 'vdi' | 'raw.tar.gz';

/** Every {@link DiskImageFormat}. */
export const DISK_IMAGE_FORMATS: readonly DiskImageFormat[] = ['raw', 'vmdk', 'vhd', 'qcow2', 'vdi', 'raw.tar.gz'];

/** A non-zero stretch of an image file. */
export interface DiskImageExtent {
  /** Byte offset in the file. */
  readonly offset: number;
  /** Bytes written there. */
  readonly data: Buffer;
}

/**
 * A disk image file described sparsely: its total size and the extents that are not zero. The zero stretches are
 * never held in memory, so a "4 MiB" raw image costs one sector; {@link writeLayoutSync} writes a sparse file and
 * {@link layoutToStream} streams it.
 */
export interface DiskImageLayout {
  /** Format of the file. */
  readonly format: DiskImageFormat;
  /** File size, bytes. */
  readonly sizeBytes: number;
  /** Size of the disk the file holds, bytes. */
  readonly virtualSizeBytes: number;
  /** Non-zero extents, sorted by offset, not overlapping. */
  readonly extents: readonly DiskImageExtent[];
}

/** Checks a layout's invariants (extents sorted, disjoint, inside the file); throws naming the first broken one. */
export function assertValidLayout(layout: DiskImageLayout): DiskImageLayout {
  let end = 0;
  for (const [index, extent] of layout.extents.entries()) {
    if (extent.offset < end) throw new Error(`${layout.format} layout: extent ${index} at ${extent.offset} overlaps the previous one (ends at ${end})`);
    end = extent.offset + extent.data.length;
    if (end > layout.sizeBytes) throw new Error(`${layout.format} layout: extent ${index} ends at ${end}, past the file size ${layout.sizeBytes}`);
  }
  return layout;
}

/** The whole file in memory (tests and small formats only). */
export function layoutToBuffer(layout: DiskImageLayout): Buffer {
  const out = Buffer.alloc(layout.sizeBytes);
  for (const extent of layout.extents) extent.data.copy(out, extent.offset);
  return out;
}

/** Bytes `start`..`endExclusive` of the file, without materialising the rest. */
export function layoutSlice(layout: DiskImageLayout, start: number, endExclusive: number): Buffer {
  const end = Math.min(endExclusive, layout.sizeBytes);
  const out = Buffer.alloc(Math.max(0, end - start));
  for (const extent of layout.extents) {
    const from = Math.max(start, extent.offset);
    const to = Math.min(end, extent.offset + extent.data.length);
    if (from < to) extent.data.copy(out, from - start, from - extent.offset, to - extent.offset);
  }
  return out;
}

/** Streams the file in chunks of at most 1 MiB (zero stretches are generated, not stored). */
export function layoutToStream(layout: DiskImageLayout): Readable {
  const chunk = 1024 * 1024;
  let position = 0;
  return new Readable({
    read() {
      if (position >= layout.sizeBytes) {
        this.push(null);
        return;
      }
      const next = Math.min(layout.sizeBytes, position + chunk);
      this.push(layoutSlice(layout, position, next));
      position = next;
    },
  });
}

/** Writes the file synchronously as a sparse file: extents at their offsets, the size set by truncation. */
export function writeLayoutSync(layout: DiskImageLayout, path: string): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, layout.sizeBytes);
    for (const extent of layout.extents) writeSync(fd, extent.data, 0, extent.data.length, extent.offset);
  } finally {
    closeSync(fd);
  }
}

/** Rounds `value` up to a multiple of `unit`. */
export function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}
