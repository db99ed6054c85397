import { bootSector } from './boot-sector';
import { type DiskImageFormat, type DiskImageLayout } from './disk-image-layout';
import { qcow2Image } from './qcow2-image';
import { rawImage } from './raw-image';
import { rawTarGzImage } from './raw-tar-gz-image';
import { vdiImage } from './vdi-image';
import { vhdDynamicImage } from './vhd-dynamic-image';
import { vmdkStreamImage } from './vmdk-stream-image';

/** Options of {@link buildDiskImage}. */
export interface BuildDiskImageOptions {
  /** Size of the emulated disk, bytes; rounded up to whole MiB. */
  readonly virtualSizeBytes: number;
  /** Text written into the boot sector (the source image id is a good choice). @default 'imageport emulator disk' */
  readonly label?: string;
  /** Name of the raw file inside a `raw.tar.gz`. @default 'disk.raw' */
  readonly innerFileName?: string;
}

/** Largest virtual size the writers accept: the emulator writes small images, never real-size ones. */
export const MAX_VIRTUAL_SIZE_BYTES = 1024 * 1024 * 1024;

/** Builds a small, valid disk image of `format` whose first sector is a recognisable MBR. */
export function buildDiskImage(format: DiskImageFormat, options: BuildDiskImageOptions): DiskImageLayout {
  const mib = 1024 * 1024;
  if (!Number.isFinite(options.virtualSizeBytes) || options.virtualSizeBytes <= 0 || options.virtualSizeBytes > MAX_VIRTUAL_SIZE_BYTES) {
    throw new Error(`virtualSizeBytes ${options.virtualSizeBytes} must be between 1 and ${MAX_VIRTUAL_SIZE_BYTES}`);
  }
  const size = Math.ceil(options.virtualSizeBytes / mib) * mib;
  const first = bootSector({ diskSizeBytes: size, ...(options.label ? { label: options.label } : {}) });
  switch (format) {
    case 'raw':
      return rawImage(size, first);
    case 'vmdk':
      return vmdkStreamImage(size, first);
    case 'vhd':
      return vhdDynamicImage(size, first);
    case 'qcow2':
      return qcow2Image(size, first);
    case 'vdi':
      return vdiImage(size, first);
    case 'raw.tar.gz':
      return rawTarGzImage(size, first, options.innerFileName ?? 'disk.raw');
    default:
      throw new Error(`no disk image writer for format ${JSON.stringify(format)}`);
  }
}
